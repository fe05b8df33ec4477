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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from practice_alerts.policies.schema import Policy
from practice_alerts.reports.history import AlertHistory, Unreadable, fold
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.rows import ReportRow, report_row
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.ladder import ladder
from practice_alerts.workflow.recipients import DirectoryLike
from practice_alerts.workflow.state import AlertState

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


@dataclass
class NotCounted:
    """The alerts a pass over the history could not count: those that came unreadable (first, as given),
    then those whose fold failed (in reference order)."""

    given: list[Unreadable] = field(default_factory=list)
    failed: list[Unreadable] = field(default_factory=list)

    def in_order(self) -> list[Unreadable]:
        return [*self.given, *sorted(self.failed, key=lambda u: u.reference)]


def each_row(histories: Iterable[AlertHistory | Unreadable], policy: Policy, calendar: WorkingCalendar,
             as_of: dt.datetime, not_counted: NotCounted) -> Iterator[ReportRow]:
    """Each alert raised by ``as_of`` as its report row, one at a time in the order given, so a caller keeps
    only what it needs; any alert that cannot be counted goes to ``not_counted``."""
    for history in histories:
        if isinstance(history, Unreadable):
            not_counted.given.append(history)
            continue
        result = fold(history, as_of)
        if isinstance(result, Unreadable):
            not_counted.failed.append(result)
        elif result is not None:
            yield report_row(result, policy, calendar, as_of)


def rows_as_at(histories: Iterable[AlertHistory | Unreadable], policy: Policy, directory: DirectoryLike | None,
               calendar: WorkingCalendar, as_of: dt.datetime) -> tuple[list[ReportRow], list[Unreadable]]:
    """Every alert raised by ``as_of`` as its report row, in reference order; and those that cannot be read."""
    not_counted = NotCounted()
    rows = sorted(each_row(histories, policy, calendar, as_of, not_counted), key=lambda r: r.reference)
    return rows, not_counted.in_order()


def report_window(quarter: Quarter) -> tuple[list[dt.datetime], dt.datetime, dt.datetime]:
    """What the report of ``quarter`` reads: the moments it folds alerts at (the end of it and of the
    quarters of its trend, oldest first), and the alerts it can count: not closed before the trend's
    first day, not raised after the quarter (for ``reports.load.read_alerts``)."""
    quarters = [quarter]
    for _ in range(TREND_QUARTERS - 1):
        quarters.insert(0, quarters[0].previous())
    start = dt.datetime.combine(quarters[0].start, dt.time(0, 0), tzinfo=quarter.as_of.tzinfo)
    return [q.as_of for q in quarters], start, quarter.as_of


def quarterly_figures(histories: Iterable[AlertHistory | Unreadable], policy: Policy, directory: DirectoryLike | None,
                      calendar: WorkingCalendar, quarter: Quarter,
                      not_counted: Iterable[Unreadable] = ()) -> QuarterlyFigures:
    """The figures, reading ``histories`` once: each alert is folded as at the end of this quarter and of the
    three before it and added to each quarter's tally, so no list of every alert is kept (``Unreadable``
    items in ``histories`` are counted as not counted, after ``not_counted``)."""
    earlier = [quarter]
    for _ in range(TREND_QUARTERS - 1):
        earlier.insert(0, earlier[0].previous())
    tallies = [_Tally(past) for past in earlier[:-1]]
    this = _Tally(quarter, detail=True)
    unread = NotCounted(given=[*not_counted])
    for history in histories:
        if isinstance(history, Unreadable):
            unread.given.append(history)
            continue
        result = fold(history, quarter.as_of)
        if isinstance(result, Unreadable):
            unread.failed.append(result)
        elif result is not None:
            this.add(report_row(result, policy, calendar, quarter.as_of))
        for tally in tallies:
            past = fold(history, tally.quarter.as_of)
            if isinstance(past, AlertState):
                tally.add(report_row(past, policy, calendar, tally.quarter.as_of))
    return this.figures([t.headline() for t in tallies], policy, unread.in_order())


class _Tally:
    """One quarter's figures, added up one report row at a time (in any order: what is listed is put
    in reference order at the end). ``detail`` keeps what the full figures need beyond the headline."""

    def __init__(self, quarter: Quarter, *, detail: bool = False) -> None:
        self.quarter, self.detail = quarter, detail
        self.raised = self.responses_due = self.responses_on_time = self.within = 0
        self.time_outs_started = self.cafcass_referrals = self.open_at_end = self.overdue_at_end = 0
        self.unresolved_at_top = self.children_told_rights = self.outcomes_told_to_child = 0
        self.kinds: Counter[str] = Counter()
        self.days: list[int] = []
        # detail only
        self.by_case: Counter[str] = Counter()
        self.by_team: Counter[str] = Counter()
        self.by_iro: Counter[str] = Counter()
        self.codes: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()
        self.reached: Counter[str | None] = Counter()
        self.stage_due: Counter[str | None] = Counter()
        self.stage_on_time: Counter[str | None] = Counter()
        self.team_due: Counter[str] = Counter()
        self.team_on_time: Counter[str] = Counter()
        self.manager_due: Counter[str] = Counter()
        self.manager_on_time: Counter[str] = Counter()
        self.finished_references: list[str] = []
        self.longest: tuple[int, str] | None = None
        self.time_out_working_days = 0
        self.open_rows: list[ReportRow] = []
        self.open_past_target = 0

    def add(self, r: ReportRow) -> None:  # noqa: C901, PLR0912 - one pass over one row for every figure
        quarter, detail = self.quarter, self.detail
        if quarter.contains(r.date_raised):
            self.raised += 1
            if detail:
                self.by_case[r.case_type] += 1
                self.by_team[r.team] += 1
                self.by_iro[r.iro_name] += 1
                self.codes.update(tuple(dict.fromkeys(r.reason_codes)))  # each code once per alert
                self.categories.update(r.reason_categories)
                self.reached[r.highest_stage_key] += 1
        for v in r.stages:
            if quarter.contains(v.settled_on):
                on_time = v.responded_on_time
                self.responses_due += 1
                self.responses_on_time += on_time
                if detail:
                    self.stage_due[v.key] += 1
                    self.stage_on_time[v.key] += on_time
                    if v.key is not None:
                        manager = v.recipient or "Nobody found"
                        self.team_due[r.team] += 1
                        self.team_on_time[r.team] += on_time
                        self.manager_due[manager] += 1
                        self.manager_on_time[manager] += on_time
        if quarter.contains(r.finished):
            self.days.append(r.working_days)
            # Only resolutions count as resolved within the target; the whole is every alert that reached an outcome.
            self.within += bool(r.within_target and r.outcome_kind == "resolved")
            self.kinds[r.outcome_kind] += 1
            if detail:
                self.finished_references.append(r.reference)
                # The longest; on a tie, the first in reference order.
                if self.longest is None or r.working_days > self.longest[0] or (
                        r.working_days == self.longest[0] and r.reference < self.longest[1]):
                    self.longest = (r.working_days, r.reference)
        started = [t for t in r.time_outs if quarter.contains(t.started)]
        self.time_outs_started += len(started)
        if detail:
            self.time_out_working_days += sum(t.working_days for t in started)
        self.cafcass_referrals += quarter.contains(r.cafcass_referred)
        self.unresolved_at_top += quarter.contains(r.unresolved_at_top)
        self.children_told_rights += quarter.contains(r.child_told_rights)
        self.outcomes_told_to_child += quarter.contains(r.outcome_told_to_child)
        if r.is_open:
            self.open_at_end += 1
            self.overdue_at_end += r.overdue
            if detail:
                self.open_rows.append(r)
                self.open_past_target += r.within_target is False

    def headline(self) -> Headline:
        days, kinds, finished = self.days, self.kinds, len(self.days)
        return Headline(
            resolved=kinds["resolved"], closed_unresolved=kinds["closed_unresolved"],
            referred=kinds["referred_to_cafcass"], withdrawn=kinds["withdrawn"],
            quarter=self.quarter.key, raised=self.raised, responses_due=self.responses_due,
            responses_on_time=self.responses_on_time, finished=finished,
            within_target=self.within, within_target_percent=_percent(self.within, finished),
            median_working_days=float(statistics.median(days)) if days else None,
            longest_working_days=max(days) if days else None,
            time_outs_started=self.time_outs_started, cafcass_referrals=self.cafcass_referrals,
            open_at_end=self.open_at_end, overdue_at_end=self.overdue_at_end,
            unresolved_at_top=self.unresolved_at_top, children_told_rights=self.children_told_rights,
            outcomes_told_to_child=self.outcomes_told_to_child,
        )

    def figures(self, earlier: list[Headline], policy: Policy, problems: Iterable[Unreadable]) -> QuarterlyFigures:
        quarter = self.quarter
        by_case_type = [Count(name=c.label, count=self.by_case[c.value]) for c in policy.case_types]
        by_case_type += [Count(name=c, count=self.by_case[c])
                         for c in sorted(set(self.by_case) - {c.value for c in policy.case_types})]
        by_reason, by_category = _themes(self.codes, self.categories, policy)
        stage_reached = [Count(name=s.name, count=self.reached[s.key]) for s in ladder(policy)]
        if self.reached[None]:
            stage_reached.append(Count(name="Letter to an external agency", count=self.reached[None]))
        open_rows = sorted(self.open_rows, key=lambda r: r.reference)
        this = self.headline()
        return QuarterlyFigures(
            quarter=quarter.key, label=quarter.label, start=quarter.start, end=quarter.end,
            authority=policy.authority, policy=policy.key, target_working_days=policy.target_working_days,
            headline=this, by_case_type=tuple(by_case_type),
            by_team=_counts(self.by_team), by_iro=_counts(self.by_iro),
            by_reason=by_reason, by_category=by_category, stage_reached=tuple(stage_reached),
            responses=_responses(self.stage_due, self.stage_on_time, policy),
            responses_by_team=_responses_by(self.team_due, self.team_on_time),
            responses_by_manager=_responses_by(self.manager_due, self.manager_on_time),
            finished_references=tuple(sorted(self.finished_references)),
            longest_reference=self.longest[1] if self.longest else None,
            time_out_working_days=self.time_out_working_days,
            open_alerts=tuple(open_rows), open_past_target=self.open_past_target,
            previous=earlier[-1] if earlier else _Tally(quarter.previous()).headline(),
            trend=(*earlier, this),
            unreadable=tuple(problems), learning_section=policy.reporting.learning,
            presented_to=policy.reporting.presented_to,
        )


def _tally(rows: Iterable[ReportRow], quarter: Quarter, *, detail: bool = False) -> _Tally:
    tally = _Tally(quarter, detail=detail)
    for row in rows:
        tally.add(row)
    return tally


def headline(rows: list[ReportRow], quarter: Quarter) -> Headline:
    return _tally(rows, quarter).headline()


def _themes(codes: Counter[str], by_category: Counter[str],
            policy: Policy) -> tuple[tuple[ReasonCount, ...], tuple[Count, ...]]:
    """Alerts per reason code (every code of the policy, in its order) and per category."""
    known = {reason.code for reason in policy.reason_codes}
    by_reason = [ReasonCount(code=x.code, label=x.label, category=x.category, count=codes[x.code])
                 for x in policy.reason_codes]
    by_reason += [ReasonCount(code=c, label=f"Unknown reason code {c}", category="Unknown", count=n)
                  for c, n in sorted(codes.items()) if c not in known]
    categories = list(dict.fromkeys(x.category for x in policy.reason_codes))
    categories += sorted(set(by_category) - set(categories))
    return tuple(by_reason), tuple(Count(name=c, count=by_category[c]) for c in categories)


def _responses(due: Counter[str | None], on_time: Counter[str | None], policy: Policy) -> tuple[StageTimeliness, ...]:
    out = []
    for key, name in [(s.key, s.name) for s in ladder(policy)] + [(None, "Letters to external agencies")]:
        if key is not None or due[key]:
            out.append(StageTimeliness(stage=key or "external_agency", name=name, due=due[key], on_time=on_time[key]))
    return tuple(out)


def _responses_by(due: Counter[str], on_time: Counter[str]) -> tuple[StageTimeliness, ...]:
    """Timeliness grouped by team or by manager (most responses due first, then by name)."""
    return tuple(StageTimeliness(stage="", name=name, due=n, on_time=on_time[name])
                 for name, n in sorted(due.items(), key=lambda kv: (-kv[1], kv[0])))


def figures_from_rows(rows: list[ReportRow], earlier: list[Headline], policy: Policy, quarter: Quarter,
                      problems: Iterable[Unreadable] = ()) -> QuarterlyFigures:
    """The figures for ``quarter`` from the alerts as they stood at its end; ``earlier`` holds the
    headlines of the quarters before it (oldest first, the previous quarter last)."""
    return _tally(rows, quarter, detail=True).figures(earlier, policy, problems)
