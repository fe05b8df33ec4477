"""The quarterly quality-assurance figures, as one frozen model.

Who is counted where (docs/reports.md says the same in words):

* raised, themes and stage reached: alerts raised in the quarter, as they stood at its end;
* responses on time: every stage response whose timeliness became known in the quarter (it came
  on time, or its due date passed without it), whenever the alert was raised;
* resolution: alerts whose formal process ended in the quarter (the IRO satisfied, a CAFCASS
  referral, or closed), with the working days the process ran (informal stage and time-outs
  excluded, as the workflow counts them) against the policy's target;
* time-outs and CAFCASS referrals: those started or made in the quarter;
* open and overdue: every alert still open at the quarter's last instant.

Each figure is computed again for the previous quarter, as it stood at that quarter's end.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable

from pydantic import BaseModel, ConfigDict

from practice_alerts.policies.schema import Policy
from practice_alerts.reports.history import AlertHistory, Unreadable, fold_all
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.rows import ReportRow, StageCells, report_row
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.ladder import ladder
from practice_alerts.workflow.recipients import DirectoryLike

TREND_QUARTERS = 4


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True)


class Count(_Value):
    name: str
    count: int


class ReasonCount(_Value):
    code: str
    label: str
    category: str
    count: int


class StageTimeliness(_Value):
    stage: str
    name: str
    due: int
    on_time: int

    @property
    def late(self) -> int:
        return self.due - self.on_time

    @property
    def percent_on_time(self) -> float | None:
        return _percent(self.on_time, self.due)


class Headline(_Value):
    """The figures compared quarter on quarter."""

    quarter: str
    raised: int
    responses_due: int
    responses_on_time: int
    finished: int
    within_target: int
    within_target_percent: float | None
    median_working_days: float | None
    longest_working_days: int | None
    time_outs_started: int
    cafcass_referrals: int
    open_at_end: int
    overdue_at_end: int
    resolved: int = 0
    """Of ``finished``: the IRO was satisfied."""
    closed_unresolved: int = 0
    referred: int = 0
    withdrawn: int = 0
    unresolved_at_top: int = 0
    """Alerts left unresolved at the top of the procedure in the quarter (not counted as resolved)."""
    children_told_rights: int = 0
    outcomes_told_to_child: int = 0


class Change(_Value):
    measure: str
    this_quarter: float | int | None
    previous_quarter: float | int | None

    @property
    def change(self) -> float | int | None:
        if self.this_quarter is None or self.previous_quarter is None:
            return None
        difference = self.this_quarter - self.previous_quarter
        return round(difference, 1) if isinstance(difference, float) else difference


class QuarterlyFigures(_Value):
    quarter: str
    label: str
    start: dt.date
    end: dt.date
    authority: str
    policy: str
    target_working_days: int
    headline: Headline
    by_case_type: tuple[Count, ...]
    by_team: tuple[Count, ...]
    by_iro: tuple[Count, ...]
    by_reason: tuple[ReasonCount, ...]
    by_category: tuple[Count, ...]
    stage_reached: tuple[Count, ...]
    responses: tuple[StageTimeliness, ...]
    responses_by_team: tuple[StageTimeliness, ...] = ()
    responses_by_manager: tuple[StageTimeliness, ...] = ()
    """Stage responses settled in the quarter, by the alert's team and by who the stage went to."""
    finished_references: tuple[str, ...]
    longest_reference: str | None
    time_out_working_days: int
    open_alerts: tuple[ReportRow, ...]
    """Every alert still open at the quarter's end, as its report row (stage, status, due date, overdue...)."""
    open_past_target: int
    previous: Headline
    trend: tuple[Headline, ...] = ()
    """The headline figures of the last four quarters, oldest first, this one last."""
    unreadable: tuple[Unreadable, ...] = ()
    learning_section: bool = False
    """The policy asks for a learning section (seed 004: 'the learning from which will be presented')."""
    presented_to: str = ""

    @property
    def changes(self) -> tuple[Change, ...]:
        this, before = self.headline, self.previous
        measures = (
            ("Alerts raised", "raised"), ("Responses due", "responses_due"),
            ("Responses on time", "responses_on_time"), ("Alerts reaching an outcome", "finished"),
            (f"Resolved within {self.target_working_days} working days", "within_target"),
            (f"% resolved within {self.target_working_days} working days", "within_target_percent"),
            ("Median working days to resolution", "median_working_days"),
            ("Longest working days to resolution", "longest_working_days"),
            ("Time-outs started", "time_outs_started"), ("CAFCASS referrals", "cafcass_referrals"),
            ("Outcome: resolved", "resolved"), ("Outcome: closed without resolution", "closed_unresolved"),
            ("Outcome: referred to CAFCASS", "referred"), ("Outcome: withdrawn", "withdrawn"),
            ("Open at quarter end", "open_at_end"), ("Overdue at quarter end", "overdue_at_end"),
        )
        return tuple(Change(measure=label, this_quarter=getattr(this, name), previous_quarter=getattr(before, name))
                     for label, name in measures)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _counts(values: Iterable[str]) -> tuple[Count, ...]:
    """Most first; ties in alphabetical order."""
    counter = Counter(values)
    return tuple(Count(name=k, count=v) for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def rows_as_at(histories: Iterable[AlertHistory], policy: Policy, directory: DirectoryLike | None,
               calendar: WorkingCalendar, as_of: dt.datetime) -> tuple[list[ReportRow], list[Unreadable]]:
    states, problems = fold_all(histories, as_of)
    return [report_row(s, policy, calendar, as_of) for s in states], problems


def quarterly_figures(histories: Iterable[AlertHistory], policy: Policy, directory: DirectoryLike | None,
                      calendar: WorkingCalendar, quarter: Quarter,
                      not_counted: Iterable[Unreadable] = ()) -> QuarterlyFigures:
    histories = list(histories)
    rows, problems = rows_as_at(histories, policy, directory, calendar, quarter.as_of)
    problems = [*not_counted, *problems]
    earlier = [quarter]
    for _ in range(TREND_QUARTERS - 1):
        earlier.insert(0, earlier[0].previous())
    trend = []
    for past in earlier[:-1]:
        past_rows, _ = rows_as_at(histories, policy, directory, calendar, past.as_of)
        trend.append(headline(past_rows, past))
    return figures_from_rows(rows, trend, policy, quarter, problems)


def headline(rows: list[ReportRow], quarter: Quarter) -> Headline:
    raised = [r for r in rows if quarter.contains(r.date_raised)]
    visits = [v for r in rows for v in r.stages if quarter.contains(v.settled_on)]
    finished = [r for r in rows if quarter.contains(r.finished)]
    days = [r.working_days for r in finished]
    # Only resolutions count as resolved within the target; the whole is every alert that reached an outcome.
    within = sum(1 for r in finished if r.within_target and r.outcome_kind == "resolved")
    kinds = Counter(r.outcome_kind for r in finished)
    open_rows = [r for r in rows if r.is_open]
    return Headline(
        resolved=kinds["resolved"], closed_unresolved=kinds["closed_unresolved"],
        referred=kinds["referred_to_cafcass"], withdrawn=kinds["withdrawn"],
        quarter=quarter.key, raised=len(raised), responses_due=len(visits),
        responses_on_time=sum(1 for v in visits if v.responded_on_time), finished=len(finished),
        within_target=within, within_target_percent=_percent(within, len(finished)),
        median_working_days=float(statistics.median(days)) if days else None,
        longest_working_days=max(days) if days else None,
        time_outs_started=sum(1 for r in rows for t in r.time_outs if quarter.contains(t.started)),
        cafcass_referrals=sum(1 for r in rows if quarter.contains(r.cafcass_referred)),
        open_at_end=len(open_rows), overdue_at_end=sum(1 for r in open_rows if r.overdue),
        unresolved_at_top=sum(1 for r in rows if quarter.contains(r.unresolved_at_top)),
        children_told_rights=sum(1 for r in rows if quarter.contains(r.child_told_rights)),
        outcomes_told_to_child=sum(1 for r in rows if quarter.contains(r.outcome_told_to_child)),
    )


def _themes(raised: list[ReportRow], policy: Policy) -> tuple[tuple[ReasonCount, ...], tuple[Count, ...]]:
    """Alerts per reason code (every code of the policy, in its order) and per category."""
    codes = Counter(code for r in raised for code in dict.fromkeys(r.reason_codes))
    known = {reason.code for reason in policy.reason_codes}
    by_reason = [ReasonCount(code=x.code, label=x.label, category=x.category, count=codes[x.code])
                 for x in policy.reason_codes]
    by_reason += [ReasonCount(code=c, label=f"Unknown reason code {c}", category="Unknown", count=n)
                  for c, n in sorted(codes.items()) if c not in known]
    categories = list(dict.fromkeys(x.category for x in policy.reason_codes))
    by_category = Counter(c for r in raised for c in r.reason_categories)
    categories += sorted(set(by_category) - set(categories))
    return tuple(by_reason), tuple(Count(name=c, count=by_category[c]) for c in categories)


def _responses(rows: list[ReportRow], policy: Policy, quarter: Quarter) -> tuple[StageTimeliness, ...]:
    visits = [v for r in rows for v in r.stages if quarter.contains(v.settled_on)]
    out = []
    for key, name in [(s.key, s.name) for s in ladder(policy)] + [(None, "Letters to external agencies")]:
        here = [v for v in visits if v.key == key]
        if key is not None or here:
            out.append(StageTimeliness(stage=key or "external_agency", name=name, due=len(here),
                                       on_time=sum(1 for v in here if v.responded_on_time)))
    return tuple(out)


def _responses_by(rows: list[ReportRow], quarter: Quarter,
                  key: Callable[[ReportRow, StageCells], str]) -> tuple[StageTimeliness, ...]:
    """Timeliness grouped by team or by manager (most responses due first, then by name)."""
    due: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    for r in rows:
        for v in r.stages:
            if v.key is not None and quarter.contains(v.settled_on):
                due[key(r, v)] += 1
                on_time[key(r, v)] += v.responded_on_time
    return tuple(StageTimeliness(stage="", name=name, due=n, on_time=on_time[name])
                 for name, n in sorted(due.items(), key=lambda kv: (-kv[1], kv[0])))


def figures_from_rows(rows: list[ReportRow], earlier: list[Headline], policy: Policy, quarter: Quarter,
                      problems: Iterable[Unreadable] = ()) -> QuarterlyFigures:
    """The figures for ``quarter`` from the alerts as they stood at its end; ``earlier`` holds the
    headlines of the quarters before it (oldest first, the previous quarter last)."""
    raised = [r for r in rows if quarter.contains(r.date_raised)]
    by_case = Counter(r.case_type for r in raised)
    by_case_type = [Count(name=c.label, count=by_case[c.value]) for c in policy.case_types]
    by_case_type += [Count(name=c, count=by_case[c]) for c in sorted(set(by_case) - {c.value for c in policy.case_types})]
    by_reason, by_category = _themes(raised, policy)
    reached = Counter(r.highest_stage_key for r in raised)
    stage_reached = [Count(name=s.name, count=reached[s.key]) for s in ladder(policy)]
    if reached[None]:
        stage_reached.append(Count(name="Letter to an external agency", count=reached[None]))
    finished = [r for r in rows if quarter.contains(r.finished)]
    longest = max(finished, key=lambda r: r.working_days, default=None)
    open_rows = [r for r in rows if r.is_open]
    return QuarterlyFigures(
        quarter=quarter.key, label=quarter.label, start=quarter.start, end=quarter.end,
        authority=policy.authority, policy=policy.key, target_working_days=policy.target_working_days,
        headline=headline(rows, quarter), by_case_type=tuple(by_case_type),
        by_team=_counts(r.team for r in raised), by_iro=_counts(r.iro_name for r in raised),
        by_reason=by_reason, by_category=by_category, stage_reached=tuple(stage_reached),
        responses=_responses(rows, policy, quarter),
        responses_by_team=_responses_by(rows, quarter, lambda r, v: r.team),
        responses_by_manager=_responses_by(rows, quarter, lambda r, v: v.recipient or "Nobody found"),
        finished_references=tuple(r.reference for r in finished),
        longest_reference=longest.reference if longest else None,
        time_out_working_days=sum(t.working_days for r in rows for t in r.time_outs if quarter.contains(t.started)),
        open_alerts=tuple(open_rows),
        open_past_target=sum(1 for r in open_rows if r.within_target is False),
        previous=earlier[-1] if earlier else headline([], quarter.previous()),
        trend=(*earlier, headline(rows, quarter)),
        unreadable=tuple(problems), learning_section=policy.reporting.learning,
        presented_to=policy.reporting.presented_to,
    )
