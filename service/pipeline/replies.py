"""The answers ``handle`` gives once it knows what a message about an alert led to.

A comment, a refused response or decision, a recorded decision, a form for another procedure,
a form with links to check: each gets a notice saying what happened and what to do. The
wording is in ``pipeline.answers``; this module picks who hears it.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.classify import Classification
from practice_alerts.mailflow.compose import Notice
from practice_alerts.mailflow.decisions import parse_decision
from practice_alerts.pipeline import answers
from practice_alerts.pipeline.alerts import summary
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.returned import ReturnedForm, read_returned
from practice_alerts.policies.time_zone import uk_day
from practice_alerts.store import StoredInbound, UnitOfWork
from practice_alerts.workflow.state import AlertState, Status

__all__ = ["ReturnedForm", "answer_comment", "answer_refused", "confirm_decision", "refuse_other_policy",
           "returned_form", "tell_admin_of_flags"]

_WORDS = {"satisfied": "SATISFIED", "not_satisfied": "NOT SATISFIED", "escalate_to": "ESCALATE TO a stage",
          "time_out": "TIME OUT", "resume": "RESUME", "refer_to_cafcass": "REFER TO CAFCASS", "close": "CLOSE"}


def _state(ctx: ServiceContext, work: UnitOfWork, reference: str) -> AlertState | None:
    return ctx.cache.load(work, reference, ctx).state


def answer_comment(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
                   now: dt.datetime) -> None:
    """A message kept as a comment: say so, and why it did not count (closed alert, not the IRO...)."""
    if found.reference is None or found.sender is None:
        return
    state = _state(ctx, work, found.reference)
    if state is None:
        return
    iro = state.facts.iro_email
    copy_iro = (iro,) if found.sender != iro else ()
    if state.status in (Status.CLOSED, Status.RESOLVED):
        answers.send(ctx, work, found, inbound, Notice.NOT_ACTED_ON,
                     answers.closed_or_resolved_lines(ctx, state, found), now, reference=state.reference,
                     cc=copy_iro, key="kept")
        return
    today = found_day(inbound)
    decision = parse_decision(found.text, policy=ctx.policy, alert=summary(state, ctx.policy.key, ctx.policy),
                              today=today)
    if decision.kind != "unclear" and found.sender != iro:
        answers.send(ctx, work, found, inbound, Notice.NOT_ACTED_ON,
                     answers.not_the_iro_lines(ctx, state, _WORDS.get(decision.kind, decision.kind)), now,
                     reference=state.reference, cc=copy_iro, key="not-the-iro")
        return
    answers.send(ctx, work, found, inbound, Notice.NOT_ACTED_ON, answers.comment_lines(ctx, state), now,
                 reference=state.reference, key="comment")


def found_day(inbound: StoredInbound) -> dt.date:
    return uk_day(inbound.received_at)


def answer_refused(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
                   state: AlertState | None, reason: str, now: dt.datetime) -> None:
    """The workflow refused a response or a decision: the text is kept; the sender is told why and what to do."""
    if found.reference is None:
        return
    lines = [reason, "Your message has been kept on the alert's record."]
    if state is not None and state.status in (Status.CLOSED, Status.RESOLVED):
        lines = answers.closed_or_resolved_lines(ctx, state, found)
    elif state is not None and found.kind == "decision":
        lines.append(answers.next_step_for(ctx, state))
    copy_iro = (state.facts.iro_email,) if state is not None and found.sender != state.facts.iro_email else ()
    notice = Notice.DECISION_UNCLEAR if found.kind == "decision" else Notice.NOT_ACTED_ON
    answers.send(ctx, work, found, inbound, notice, lines, now, reference=found.reference, cc=copy_iro, key="reply")


def confirm_decision(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
                     event_type: str, state: AlertState, now: dt.datetime) -> None:
    """Tell the IRO what was recorded and what happens next (the closure notice confirms a close)."""
    if event_type == "close":
        return
    stage = None
    if state.stage is not None:
        try:
            stage = ctx.policy.stage(state.stage).name
        except KeyError:
            stage = state.stage
    answers.tell(ctx, work, (found.sender or state.facts.iro_email,), inbound, Notice.DECISION_RECORDED,
                 answers.confirmation_lines(ctx, event_type, state), now, reference=state.reference,
                 key="decision-recorded", in_reply_to=found.message_id, stage_name=stage)


def returned_form(ctx: ServiceContext, found: Classification, received: dt.datetime) -> ReturnedForm | None:
    if not found.forms:
        return None
    return read_returned(found.forms, found.text, ctx.policy, uk_day(received))


def refuse_other_policy(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, found: Classification,
                        made_for: str, now: dt.datetime) -> None:
    answers.send(ctx, work, found, inbound, Notice.OTHER_POLICY_FORM, [answers.other_policy_line(ctx, made_for)],
                 now, key="other-policy", subject="Form for another procedure: not accepted")


def tell_admin_of_flags(ctx: ServiceContext, work: UnitOfWork, inbound: StoredInbound, reference: str,
                        flags: list[str], now: dt.datetime) -> None:
    """Links to other files found in a form (never followed): LAC admin looks at the form."""
    answers.tell(ctx, work, ctx.lac_admin, inbound, Notice.FORM_FLAGS, [
        f"The form that raised alert {reference} contains links to other files or fields that fetch content. "
        "They were not followed and the alert was raised as usual.",
        "Found:\n" + "\n".join(f"- {flag}" for flag in flags[:20]),
        "What you can do: open the filed form and check that nothing in it points outside the council; if it "
        "does, ask the IRO to send a clean copy.",
    ], now, reference=reference, key="form-flags")
