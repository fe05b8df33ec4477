"""One alert as the tracker and the report see it: plain values read off its folded state.

``report_row(state, policy, calendar, as_of)`` is the only place that interprets an
``AlertState`` for reporting, so the tracker's columns and the quarterly figures agree.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from practice_alerts.policies.schema import Policy
from practice_alerts.policies.time_zone import uk_day
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.ladder import ladder
from practice_alerts.workflow.state import AlertState, Status

STATUS_LABELS: dict[Status, str] = {
    Status.INFORMAL: "Open: informal stage",
    Status.AWAITING_RESPONSE: "Open: awaiting response",
    Status.AWAITING_DECISION: "Open: awaiting IRO decision",
    Status.TIMED_OUT: "Open: time-out",
    Status.UNRESOLVED: "Open: unresolved at the top of the procedure",
    Status.CONSIDERING_CAFCASS: "Open: IRO considering a CAFCASS referral",
    Status.REFERRED_TO_CAFCASS: "Referred to CAFCASS",
    Status.RESOLVED: "Resolved (not yet closed)",
    Status.CLOSED: "Closed",
}


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True)


class StageCells(_Value):
    """One visit to a stage (or one letter to an external agency)."""

    key: str | None
    name: str
    informal: bool
    recipient: str = ""
    """Who the stage letter went to, as recorded then ("(acting)" when covering for the role holder)."""
    sent: dt.date
    due: dt.date | None
    responded: dt.date | None
    on_time: bool | None
    deadline_missed: bool
    ended: str | None
    left_on: dt.date
    """The day the alert left this stage (or the day asked about, while it is still there)."""

    @property
    def response_counted(self) -> bool:
        """A response was due here and its timeliness is known: it came, or the due date passed without one."""
        if self.due is None:
            return False
        return self.responded is not None or self.deadline_missed or self.due < self.left_on

    @property
    def settled_on(self) -> dt.date | None:
        """The day the response's timeliness became known: the day it came, if on time; else the day
        after the due date (when it became late). A quarter counts the responses settled in it, so a
        late reply in the next quarter is not counted twice, and a time-out after the reply (which moves
        the due date on) does not move the reply to another quarter."""
        if not self.response_counted or self.due is None:
            return None
        if self.responded is not None and self.on_time:
            return self.responded
        return self.due + dt.timedelta(days=1)

    @property
    def responded_on_time(self) -> bool:
        return self.responded is not None and bool(self.on_time)


class TimeOutCells(_Value):
    started: dt.date
    until: dt.date
    resumed: dt.date | None
    working_days: int
    """Working days the clock was stopped (so far, while the time-out lasts)."""
    reason: str


class ReportRow(_Value):
    """One alert as the tracker and the quarterly figures count it, as at a moment (made by ``report_row``)."""

    reference: str
    child_id: str
    case_type: str
    case_type_label: str
    iro_name: str
    iro_email: str
    social_worker_name: str
    team: str
    reason_codes: tuple[str, ...]
    reason_labels: tuple[str, ...]
    reason_categories: tuple[str, ...]
    date_raised: dt.date
    start_stage: str
    bypasses: tuple[str, ...]
    highest_stage_key: str | None
    highest_stage: str
    stages: tuple[StageCells, ...]
    external_agency: str | None
    time_outs: tuple[TimeOutCells, ...]
    cafcass_referred: dt.date | None
    status: str
    is_open: bool
    current_due: dt.date | None
    """When the current stage's response is due; empty while the clock is stopped or once finished."""
    overdue: bool
    outcome: str | None
    date_resolved: dt.date | None
    date_closed: dt.date | None
    finished: dt.date | None
    """When the formal process ended: satisfied, referred to CAFCASS or closed, whichever came first."""
    outcome_kind: str = "open"
    """resolved (the IRO satisfied), referred_to_cafcass, withdrawn, closed_unresolved, or open."""
    working_days: int
    target_working_days: int
    within_target: bool | None
    """True/False once finished; False as soon as an open alert passes the target; else None (not yet known)."""
    unresolved_at_top: dt.date | None = None
    """When the last stage left it unresolved with nowhere further to go (never counted as resolved)."""
    child_told_rights: dt.date | None = None
    """When the child was told of their right to complain and to an advocate (seed 004)."""
    outcome_told_to_child: dt.date | None = None

    @property
    def current_stage(self) -> str:
        """The name of the stage it is at (or last reached); empty before any."""
        return self.stages[-1].name if self.stages else ""

    def visit(self, key: str) -> StageCells | None:
        """The (last) visit to stage ``key``."""
        return next((v for v in reversed(self.stages) if v.key == key), None)

    @property
    def time_out_days(self) -> int:
        return sum(t.working_days for t in self.time_outs)


def _day(calendar: WorkingCalendar, at: dt.datetime | None) -> dt.date | None:
    return uk_day(at) if at is not None else None


def report_row(state: AlertState, policy: Policy, calendar: WorkingCalendar, as_of: dt.datetime) -> ReportRow:
    facts = state.facts
    today = uk_day(as_of)
    labels, categories = [], []
    for code in facts.reason_codes:
        try:
            reason = policy.reason(code)
        except KeyError:
            labels.append(f"Unknown reason code {code}")
            categories.append("Unknown")
            continue
        labels.append(reason.label)
        categories.append(reason.category)
    # A CAFCASS referral that ran alongside the ladder does not end it (issue 13).
    referral_ended = state.status is Status.REFERRED_TO_CAFCASS or any(v.ended == "referred_to_cafcass" for v in state.stages)
    ends = (state.resolved_at, state.cafcass_referred_at if referral_ended else None, state.closed_at)
    finished_at = [t for t in ends if t is not None]
    outcome_kind = _outcome_kind(state, referral_ended)
    finished = _day(calendar, min(finished_at)) if finished_at else None
    stages = _stage_cells(state, calendar, finished or today)
    order = {s.key: i for i, s in enumerate(ladder(policy))}
    reached = [v for v in state.stages if v.key is not None]
    highest = max(reached, key=lambda v: order.get(str(v.key), -1)) if reached else None
    elapsed = state.working_days_elapsed(calendar, today)
    target = policy.target_working_days
    within = (elapsed <= target) if finished is not None else (False if elapsed > target else None)
    return ReportRow(
        reference=state.reference, child_id=facts.child_id, case_type=facts.case_type.value,
        case_type_label=facts.case_type.label, iro_name=facts.iro_name, iro_email=facts.iro_email,
        social_worker_name=facts.social_worker_name, team=facts.team or "Not recorded",
        reason_codes=tuple(facts.reason_codes), reason_labels=tuple(labels),
        reason_categories=tuple(dict.fromkeys(categories)),
        date_raised=uk_day(state.raised_at),
        start_stage=state.stages[0].name if state.stages else "",
        bypasses=tuple(_bypasses(state, policy)),
        highest_stage_key=highest.key if highest else None,
        highest_stage=highest.name if highest else (state.stages[-1].name if state.stages else ""),
        stages=stages, external_agency=facts.external_agency,
        time_outs=tuple(_time_outs(state, calendar, today)),
        cafcass_referred=_day(calendar, state.cafcass_referred_at),
        status=STATUS_LABELS[state.status], is_open=state.is_open, current_due=state.due if state.is_open else None,
        overdue=state.is_overdue(as_of, calendar), outcome=state.outcome,
        date_resolved=_day(calendar, state.resolved_at), date_closed=_day(calendar, state.closed_at),
        finished=finished, outcome_kind=outcome_kind, working_days=elapsed, target_working_days=target,
        within_target=within,
        unresolved_at_top=_day(calendar, state.unresolved_at) if state.resolved_at is None else None,
        child_told_rights=next((t.on for t in state.child_told if t.what == "rights"), None),
        outcome_told_to_child=next((t.on for t in state.child_told if t.what == "outcome"), None),
    )


def _outcome_kind(state: AlertState, referral_ended: bool) -> str:
    """The outcome kept apart: referred to CAFCASS, resolved, withdrawn, closed without resolution, open.

    A referral that ran alongside the ladder (issue 13) is not the outcome unless it ended the ladder.
    """
    if state.cafcass_referred_at is not None and referral_ended:
        return "referred_to_cafcass"
    if state.resolved_at is not None:
        return "resolved"
    if state.closed_at is not None:
        return "withdrawn" if "withdr" in (state.outcome or "").lower() else "closed_unresolved"
    return "open"


def _stage_cells(state: AlertState, calendar: WorkingCalendar, last_day: dt.date) -> tuple[StageCells, ...]:
    cells = []
    for index, visit in enumerate(state.stages):
        following = state.stages[index + 1] if index + 1 < len(state.stages) else None
        left = uk_day(following.sent_at) if following else last_day
        cells.append(StageCells(
            key=visit.key, name=visit.name, informal=visit.informal, sent=uk_day(visit.sent_at),
            recipient=(visit.recipient_name or visit.recipient_email or "Nobody found")
            + (" (acting)" if visit.holder_email else ""),
            due=visit.due, responded=_day(calendar, visit.responded_at), on_time=visit.on_time,
            deadline_missed=visit.deadline_missed, ended=visit.ended, left_on=left,
        ))
    return tuple(cells)


def _bypasses(state: AlertState, policy: Policy) -> list[str]:
    out = []
    for visit in state.stages:
        if visit.bypassed_from:
            try:
                origin = policy.stage(visit.bypassed_from).name
            except KeyError:
                origin = visit.bypassed_from
            reason = f" ({visit.bypass_reason})" if visit.bypass_reason else ""
            out.append(f"{origin} to {visit.name}{reason}")
    return out


def _time_outs(state: AlertState, calendar: WorkingCalendar, today: dt.date) -> list[TimeOutCells]:
    out = []
    for record in state.time_outs:
        start = uk_day(record.started_at)
        # The clock stops on the start day and restarts from the resume day's receipt day (day 0).
        restart = calendar.receipt_day(record.resumed_at) if record.resumed_at else today
        out.append(TimeOutCells(started=start, until=record.until, resumed=_day(calendar, record.resumed_at),
                                working_days=calendar.working_days_between(start, restart), reason=record.reason))
    return out
