"""Wording of notices that depend on what the procedure allows at this moment."""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.decisions import options_for
from practice_alerts.pipeline.alerts import summary
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.workflow.state import AlertState, Status


def out_of_office_text(ctx: ServiceContext, state: AlertState, reference: str, back: str, now: dt.datetime) -> str:
    """The out-of-office notice: only the choices the procedure allows now are suggested.

    While a response is still awaited and not overdue, the workflow refuses a plain escalation
    (the IRO waits, or bypasses giving a reason), so that is not offered either."""
    visit = state.current
    who = visit.recipient_name if visit and visit.recipient_name else "The manager the alert is with"
    waiting = state.status is Status.AWAITING_RESPONSE and state.due is not None and not state.is_overdue(now, ctx.calendar)
    excluded = {"satisfied", "close", *(("not_satisfied",) if waiting else ())}
    options = [o for o in options_for(ctx.policy, summary(state, ctx.policy.key, ctx.policy))
               if o.kind not in excluded]
    text = f"{who}, who has alert {reference}, sent an out-of-office reply.{back} The deadline is not moved."
    if options:
        text += ("\n\nWhat the IRO can do now, by replying to this message with one of these as the first line "
                 "(or wait for the response):\n" + "\n".join(f"- {o.first_line} ({o.label})" for o in options))
    else:
        text += "\n\nThe procedure offers no other step now: wait for the response or the due date."
    return text
