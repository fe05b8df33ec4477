"""The weekly digest for LAC admin, QA and the IROs' managers: where every open alert stands.

One list, read in a minute: each open alert with who it is with and when the response is due;
then the ones overdue, the ones stuck with no due date (waiting for a decision, or with nobody
found to receive them), and the ones near the overall limit. The subject and the lines carry
references and case numbers, never a child's name. Sent once a week, on
``notices.weekly_digest_weekday`` after ``notices.digest_hour`` (UK time).
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.documents.agency_address import read_agency
from practice_alerts.mailflow.compose import Notice
from practice_alerts.mailflow.msgid import make_unreferenced_message_id
from practice_alerts.pipeline import answers
from practice_alerts.pipeline.alerts import state_of
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.policies.roles import Role
from practice_alerts.policies.time_zone import uk_time
from practice_alerts.store import LeaseClaim, StoredState, unit_of_work
from practice_alerts.workflow.state import AlertState, Status


def overall_limit(ctx: ServiceContext) -> int | None:
    """The policy's overall limit in working days when it sets one, else the configured one."""
    limit = ctx.policy.overall_limit
    return limit.working_days if limit is not None else ctx.config.notices.overall_limit_working_days


def digest_recipients(ctx: ServiceContext, states: list[AlertState]) -> tuple[str, ...]:
    qa = [c.email for c in ctx.directory.holders(Role.QA_SERVICE)]
    managers = []
    for state in states:
        iro = ctx.directory.person(state.facts.iro_email)
        if iro is not None and iro.reports_to:
            managers.append(iro.reports_to)
    return tuple(dict.fromkeys([*ctx.lac_admin, *qa, *managers]))


def _line(ctx: ServiceContext, state: AlertState, today: dt.date) -> str:
    visit = state.current
    where = f"{visit.name} with {visit.recipient_name or 'nobody yet (no recipient found)'}" if visit else "no stage"
    if state.external_agency:
        where = f"letter {state.letters_to_agency} to {read_agency(state.external_agency).name}"
    due = f"due {state.due:%d/%m/%Y}" if state.due else "no due date"
    days = state.working_days_elapsed(ctx.calendar, today)
    return (f"- {state.reference} (case {state.facts.child_id}): {where}; {due}; "
            f"{state.status.value.replace('_', ' ')}; {days} working day(s) so far; IRO "
            f"{answers.called(ctx, state.facts.iro_email)}")


def digest_lines(ctx: ServiceContext, states: list[AlertState], today: dt.date) -> list[str]:
    open_states = sorted((s for s in states if s.is_open), key=lambda s: s.reference)
    overdue = [s for s in open_states if s.is_overdue(ctx.calendar.end_of_day(today), ctx.calendar)]
    stuck = [s for s in open_states if s.due is None and s.status is not Status.TIMED_OUT]
    limit, near = overall_limit(ctx), ctx.config.notices.nearing_limit_working_days
    nearing = [s for s in open_states if limit is not None
               and s.working_days_elapsed(ctx.calendar, today) >= limit - near]
    resolved = [s for s in states if s.status is Status.RESOLVED]
    lines = [f"Practice Alerts on {today:%d/%m/%Y}: {len(open_states)} open, {len(overdue)} overdue, "
             f"{len(stuck)} without a due date, {len(nearing)} near the overall limit, {len(resolved)} resolved "
             "but not yet closed."]

    def section(title: str, items: list[AlertState], what: str) -> None:
        lines.append(f"{title} ({len(items)})" + ("\n" + "\n".join(_line(ctx, s, today) for s in items)
                                                 if items else "\nNone."))
        if items and what:
            lines.append(f"What to do: {what}")

    section("Open alerts", open_states, "")
    section("Overdue", overdue, "the IRO decides what happens next; the IRO's manager may want to ask why.")
    section("Stuck without a due date", stuck, "these wait for the IRO's decision or for a recipient to be "
            "found in the directory; check with the IRO, or correct the directory.")
    if limit is not None:
        section(f"Near the overall limit of {limit} working days", nearing,
                "the IRO's manager should check these will finish in time.")
    section("Resolved but not closed", resolved, "the IRO closes these by replying CLOSE.")
    return lines


def send_weekly_digest(ctx: ServiceContext, *, now: dt.datetime, lease: LeaseClaim | None = None) -> int:
    local = uk_time(now)
    settings = ctx.config.notices
    if (not settings.weekly_digest or local.weekday() != settings.weekly_digest_weekday
            or local.hour < settings.digest_hour):
        return 0
    year, week, _ = local.date().isocalendar()
    key = f"weekly-digest-{year}w{week:02d}"
    message_id = make_unreferenced_message_id(key, secret=ctx.secret, domain=ctx.mail.message_id_domain)
    with ctx.database.reading() as reads:
        if reads.outbox_has(message_id):
            return 0
        states = [s for s in (_readable(stored) for stored in reads.list_states())
                  if s is not None and s.status is not Status.CLOSED]
    if not states:
        return 0
    to = digest_recipients(ctx, states)
    if not to:
        return 0
    with unit_of_work(ctx.database, now=now, lease=lease) as work:
        answers.tell(ctx, work, to, None, Notice.WEEKLY_DIGEST, digest_lines(ctx, states, local.date()), now,
                     key=key, subject=f"Practice Alerts: weekly summary, week of {local.date():%d/%m/%Y}",
                     message_id=message_id)
    return 1


def _readable(stored: StoredState) -> AlertState | None:
    """The stored state, or None where it cannot be read ('verify' and status name those)."""
    try:
        return state_of(stored)
    except ValueError:
        return None
