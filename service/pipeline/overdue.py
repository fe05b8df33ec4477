"""When a response is late, the overdue manager's own line manager hears of it.

Only where the procedure escalates a late response (the stage's or the policy's
``on_deadline_missed: escalate``) or the council chose it (``notices.tell_line_manager_when_overdue``),
and only when the line manager is not already getting the next stage's letter.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.compose import Notice
from practice_alerts.pipeline import answers
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.policies.schema import OnDeadlineMissed
from practice_alerts.store import UnitOfWork
from practice_alerts.workflow.context import long_date
from practice_alerts.workflow.state import AlertState


def escalates_when_late(ctx: ServiceContext, stage_key: str | None) -> bool:
    try:
        stage = ctx.policy.stage(stage_key) if stage_key else None
    except KeyError:
        stage = None
    rule = (stage.on_deadline_missed if stage else None) or ctx.policy.on_deadline_missed
    return rule is OnDeadlineMissed.ESCALATE or ctx.config.notices.tell_line_manager_when_overdue


def tell_line_manager(ctx: ServiceContext, work: UnitOfWork, before: AlertState | None, after: AlertState,
                      sequence: int, now: dt.datetime) -> None:
    visit = before.current if before is not None else None
    if visit is None or visit.recipient_email is None or not escalates_when_late(ctx, visit.key):
        return
    late = ctx.directory.person(visit.holder_email or visit.recipient_email)
    line_manager = late.reports_to if late is not None else None
    now_with = after.current.recipient_email if after.current is not None else None
    if not line_manager or line_manager in (now_with, visit.recipient_email, after.facts.iro_email):
        return
    answers.tell(ctx, work, (line_manager,), None, Notice.LINE_MANAGER_OVERDUE, [
        f"{visit.recipient_name}, who reports to you, has not responded to practice alert {after.reference} "
        f"(case {after.facts.child_id}) at {visit.name}: the response was due by "
        f"{long_date(visit.due) if visit.due else 'the due date'}.",
        (f"It has now moved to {after.current.name} with {after.current.recipient_name}."
         if after.current is not None and after.current.key != visit.key and after.current.recipient_name else ""),
        f"What to do: please make sure {visit.recipient_name} (or whoever now has the alert) responds, by replying "
        f"to the stage letter. The IRO is {answers.called(ctx, after.facts.iro_email)}.",
    ], now, reference=after.reference, key=f"e{sequence}-line-manager")
