"""The caseload: one row per alert with where it is, who it is with, when it is due and how late.

RAG status: red when the response is overdue, the alert is stuck (nobody to send it to, or no due
date while waiting) or the overall limit is used up; amber when the response is due within two
working days or three quarters of the overall limit is used; green otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from practice_alerts.policies.schema import Policy
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.state import AlertState, Status

STATE_LABELS = {
    Status.INFORMAL: "Informal stage", Status.AWAITING_RESPONSE: "Awaiting response",
    Status.AWAITING_DECISION: "Awaiting the IRO's decision", Status.TIMED_OUT: "Time-out",
    Status.REFERRED_TO_CAFCASS: "Referred to CAFCASS", Status.RESOLVED: "Resolved", Status.CLOSED: "Closed",
}
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "": "Not applicable"}


@dataclass(frozen=True)
class CaseRow:
    reference: str
    child_id: str
    team: str
    iro_name: str
    iro_email: str
    stage: str
    status: str
    with_name: str
    with_email: str
    due: dt.date | None
    elapsed: int
    limit: int
    rag: str
    stuck: str
    is_open: bool

    @property
    def due_text(self) -> str:
        return f"{self.due:%d/%m/%Y}" if self.due else "None"

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]


def _stage_name(policy: Policy, state: AlertState) -> str:
    if state.stage is None:
        return state.external_agency or "External agency"
    try:
        return policy.stage(state.stage).name
    except KeyError:
        return state.stage


def stuck_reason(state: AlertState) -> str:
    visit = state.current
    if not state.is_open or visit is None:
        return ""
    if state.status in (Status.AWAITING_RESPONSE, Status.INFORMAL) and not visit.recipient_email:
        return "Nobody found to send it to"
    if state.status is Status.AWAITING_RESPONSE and state.due is None:
        return "No due date"
    return ""


def _with_name(state: AlertState) -> str:
    """Who must act next: the manager while a response is awaited, else the IRO."""
    visit = state.current
    if not state.is_open or visit is None:
        return ""
    if state.status is Status.AWAITING_DECISION:
        return f"{state.facts.iro_name} (IRO, to decide)"
    if state.status is Status.TIMED_OUT:
        return f"{state.facts.iro_name} (IRO, time-out)"
    return visit.recipient_name or "Nobody found"


def _with_email(state: AlertState) -> str:
    visit = state.current
    if not state.is_open or visit is None:
        return ""
    if state.status in (Status.AWAITING_DECISION, Status.TIMED_OUT):
        return state.facts.iro_email
    return visit.recipient_email or ""


def row_of(state: AlertState, policy: Policy, calendar: WorkingCalendar, today: dt.date) -> CaseRow:
    elapsed = state.working_days_elapsed(calendar, today)
    limit = policy.target_working_days
    stuck = stuck_reason(state)
    rag = ""
    if state.is_open:
        # Red for lateness only while the reply is awaited: a missed deadline already with the IRO is not.
        overdue = state.status is Status.AWAITING_RESPONSE and state.is_overdue(calendar.end_of_day(today), calendar)
        soon = state.due is not None and state.status is Status.AWAITING_RESPONSE \
            and calendar.working_days_between(today, state.due) <= 2
        rag = "red" if overdue or stuck or (limit and elapsed >= limit) else \
            "amber" if soon or (limit and elapsed * 4 >= limit * 3) else "green"
    return CaseRow(
        reference=state.reference, child_id=state.facts.child_id, team=state.facts.team,
        iro_name=state.facts.iro_name, iro_email=state.facts.iro_email, stage=_stage_name(policy, state),
        status=STATE_LABELS.get(state.status, state.status.value),
        with_name=_with_name(state), with_email=_with_email(state),
        due=state.due if state.is_open else None, elapsed=elapsed, limit=limit, rag=rag, stuck=stuck,
        is_open=state.is_open,
    )


@dataclass(frozen=True)
class Filters:
    team: str = ""
    iro: str = ""
    manager: str = ""
    stage: str = ""
    status: str = ""
    search: str = ""

    def keep(self, row: CaseRow) -> bool:
        if self.status == "closed":
            if row.is_open:
                return False
        elif not row.is_open or (self.status and row.rag != self.status and not
                                 (self.status == "stuck" and row.stuck)):
            return False
        wanted = self.search.strip().lower()
        return ((not self.team or row.team == self.team) and (not self.iro or row.iro_email == self.iro)
                and (not self.manager or row.with_email == self.manager) and (not self.stage or row.stage == self.stage)
                and (not wanted or wanted in row.reference.lower() or wanted == row.child_id.lower()))


COLUMNS = ("Reference", "Case number", "Team", "IRO", "Stage", "Status", "With", "Due", "Working days",
           "Overall limit", "RAG", "Stuck")


def _cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def as_csv(rows: list[CaseRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([_cell(v) for v in [r.reference, r.child_id, r.team, r.iro_name, r.stage, r.status, r.with_name,
                         r.due.isoformat() if r.due else "", r.elapsed, r.limit, r.rag_label, r.stuck]])
    return out.getvalue()
