"""A realistic two-quarter history of alerts, played through the real workflow.

Used to make the example tracker and report in ``examples/reports/`` and by the tests, whose
expected figures are worked out by hand from the script below (see
tests/integration/reports/test_quarterly_figures.py). Everything here is invented: the people
come from examples/directory.yaml (Exampleshire), the children are numbers.

The events are what the service would have stored: the scripted ones (forms, replies, IRO
decisions) plus the clock's own (reminders, missed deadlines, ends of time-outs), the clock
being run every day at 09:00 as the service's loop would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from practice_alerts.policies.schema import Policy, TimeOut
from practice_alerts.policies.time_zone import LONDON, uk_day, uk_moment
from practice_alerts.reports.history import AlertHistory
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.clock import run_clock
from practice_alerts.workflow.context import Decision
from practice_alerts.workflow.decide import decide
from practice_alerts.workflow.events import Event, parse_event
from practice_alerts.workflow.facts import AlertFacts
from practice_alerts.workflow.recipients import DirectoryLike
from practice_alerts.workflow.record import Decided, decided, policy_version
from practice_alerts.workflow.state import AlertState

RECIPIENT = "@recipient"
"""In a script, a response ``by`` this is from whoever the alert is with at that moment."""

TICK = dt.time(9, 0)

NORTH = ("Children in Care North", "Alex Example", "alex.example@example.gov.uk", "Jo Bloggs", "jo.bloggs@example.gov.uk")
SOUTH = ("Children in Care South", "Billie Blank", "billie.blank@example.gov.uk", "Frankie Fictional",
         "frankie.fictional@example.gov.uk")
DANA = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
CASEY = ("Casey Chair", "casey.chair@example.gov.uk")


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    type: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScriptedAlert:
    facts: AlertFacts
    steps: tuple[Step, ...]


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A London date and time, e.g. at("2026-07-06", "14:30")."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time), tzinfo=LONDON)


def step(day: str, kind: str, time: str = "10:00", **fields: Any) -> Step:
    return Step(at=at(day, time), type=kind, fields=fields)


def rutland_with_time_outs(policy: Policy) -> Policy:
    """Rutland's policy, but allowing time-outs (as several councils' do), so every figure shows."""
    return policy.model_copy(update={"time_out": TimeOut(allowed=True, note="Allowed for this example.")})


def play(script: ScriptedAlert, policy: Policy, directory: DirectoryLike, calendar: WorkingCalendar,
         until: dt.datetime) -> AlertHistory:
    """The events the service would have stored for ``script``, clock events included, up to ``until``."""
    stored: list[Event] = []
    records: list[Decided] = []
    state: AlertState | None = None
    version = policy_version(policy)

    def keep(event: Event, decision: Decision) -> None:
        nonlocal state
        stored.append(event)
        records.append(decided(state, decision.state, decision.actions, policy=policy, calendar=calendar,
                               version=version, name_of=lambda email: ""))
        state = decision.state

    def clock(now: dt.datetime) -> None:
        for event, decision in run_clock(state, policy, directory, calendar, now):
            keep(event, decision)

    def ticks(start: dt.datetime, end: dt.datetime) -> None:
        day = uk_day(start)
        while (moment := uk_moment(day, TICK)) <= end:
            if moment > start:
                clock(moment)
            day += dt.timedelta(days=1)

    previous: dt.datetime | None = None
    for item in sorted(script.steps, key=lambda s: s.at):
        if previous is not None:
            ticks(previous, item.at)
        clock(item.at)
        event = _event(item, script.facts, state)
        keep(event, decide(state, event, policy, directory, calendar, item.at))
        previous = item.at
    if previous is not None:
        ticks(previous, until)
        clock(until)
    return AlertHistory(reference=script.facts.reference, events=tuple(stored), records=tuple(records))


def _event(item: Step, facts: AlertFacts, state: AlertState | None) -> Event:
    data: dict[str, Any] = {"type": item.type, "at": item.at, **item.fields}
    if item.type == "raised":
        data["facts"] = facts
    elif item.type == "response":
        if data.get("by") == RECIPIENT and state is not None and state.current is not None:
            data["by"] = state.current.recipient_email
    elif "by" not in data and item.type not in ("reminder_due", "deadline_missed", "resume"):
        data["by"] = facts.iro_email
    return parse_event(data)


def _facts(number: int, case_type: str, team: tuple[str, str, str, str, str], iro: tuple[str, str], codes: list[str],
           raised: str, **extra: Any) -> AlertFacts:
    return AlertFacts(
        reference=f"PA-2026-{number:04d}", child_id=f"CH{100200 + number}", case_type=case_type,
        iro_name=iro[0], iro_email=iro[1], team=team[0], social_worker_name=team[1], social_worker_email=team[2],
        team_manager_name=team[3], team_manager_email=team[4],
        reason_codes=codes, date_raised=dt.date.fromisoformat(raised), **extra,
    )


def two_quarters() -> list[ScriptedAlert]:
    """Eleven alerts raised from July to December 2026 under a Rutland-shaped ladder (stage1..stage5)."""
    r = RECIPIENT
    return [
        # -- July to September 2026 (2026-Q3) -----------------------------------------------
        ScriptedAlert(_facts(1, "CLA", NORTH, DANA, ["4"], "2026-07-06"), (
            step("2026-07-06", "raised"),
            step("2026-07-09", "response", by=r, text="The visit took place today; the child was seen alone."),
            step("2026-07-10", "satisfied"),
            step("2026-07-10", "close", "14:00", outcome="resolved"),
        )),
        ScriptedAlert(_facts(2, "CP", SOUTH, CASEY, ["3", "5"], "2026-07-14"), (
            step("2026-07-14", "raised"),
            step("2026-07-22", "response", by=r, text="The plan will be updated at the core group."),
            step("2026-07-23", "not_satisfied"),
            step("2026-07-29", "response", by=r, text="The plan is updated and the actions are allocated."),
            step("2026-07-31", "satisfied"),
            step("2026-07-31", "close", "15:00", outcome="resolved"),
        )),
        ScriptedAlert(_facts(3, "CLA", NORTH, DANA, ["6"], "2026-08-03"), (
            step("2026-08-03", "raised", start_stage="stage3", bypass_reason="Serious: the child's views on the move were never sought."),
            step("2026-08-12", "not_satisfied"),
            step("2026-08-18", "response", by=r, text="A meeting with the child is booked."),
            step("2026-08-20", "not_satisfied"),
            step("2026-09-07", "response", by=r, text="The partnership will review the case."),
            step("2026-09-08", "not_satisfied"),
            step("2026-09-09", "close", outcome="referred to CAFCASS"),
        )),
        ScriptedAlert(_facts(4, "CLA", SOUTH, CASEY, ["4", "12"], "2026-09-14"), (
            step("2026-09-14", "raised"),
            step("2026-09-18", "response", by=r, text="The pathway plan depends on the new placement."),
            step("2026-09-21", "time_out", until="2026-10-05", reason="Waiting for the new placement to start."),
            step("2026-10-06", "not_satisfied"),
            step("2026-10-12", "response", by=r, text="The pathway plan is complete."),
            step("2026-10-14", "satisfied"),
            step("2026-10-15", "close", outcome="resolved"),
        )),
        ScriptedAlert(_facts(5, "CP", NORTH, DANA, ["2"], "2026-09-23"), (
            step("2026-09-23", "raised"),
            step("2026-10-02", "not_satisfied"),
            step("2026-10-08", "response", by=r, text="The core group met and is recorded."),
            step("2026-10-12", "satisfied"),
            step("2026-10-12", "close", "16:00", outcome="resolved"),
        )),
        ScriptedAlert(_facts(6, "CLA", SOUTH, CASEY, ["9"], "2026-09-21"), (
            step("2026-09-21", "raised"),
            step("2026-10-06", "response", by=r, text="The parenting assessment is complete."),
            step("2026-10-07", "satisfied"),
            step("2026-10-07", "close", "15:00", outcome="resolved"),
        )),
        # -- October to December 2026 (2026-Q4) ---------------------------------------------
        ScriptedAlert(_facts(7, "CLA", NORTH, DANA, ["4"], "2026-10-05"), (
            step("2026-10-05", "raised", "11:00"),
            step("2026-10-09", "response", by=r, text="The visit is done."),
            step("2026-10-12", "satisfied", "11:00"),
            step("2026-10-12", "close", "15:00", outcome="resolved"),
        )),
        ScriptedAlert(_facts(8, "CP", SOUTH, CASEY, ["3"], "2026-11-02"), (
            step("2026-11-02", "raised", start_stage="stage4", bypass_reason="Urgent: legal proceedings not initiated."),
            step("2026-11-06", "response", by=r, text="Legal planning meeting held; proceedings to be issued."),
            step("2026-11-09", "satisfied"),
            step("2026-11-09", "close", "15:00", outcome="resolved"),
        )),
        ScriptedAlert(_facts(9, "CLA", NORTH, DANA, ["4", "6"], "2026-11-16"), (
            step("2026-11-16", "raised"),
            step("2026-11-24", "response", by=r, text="Visit booked for next week."),
            step("2026-11-25", "not_satisfied"),
            step("2026-12-02", "response", by=r, text="The family need time to decide on contact."),
            step("2026-12-03", "time_out", until="2026-12-14", reason="The family need time to make a decision."),
            step("2026-12-15", "not_satisfied"),
        )),
        ScriptedAlert(_facts(10, "CLA", SOUTH, CASEY, ["12"], "2026-12-07"), (
            step("2026-12-07", "raised"),
            step("2026-12-11", "response", by=r, text="Pathway plan drafted; to be signed off in January."),
        )),
        ScriptedAlert(_facts(11, "CP", NORTH, DANA, ["5"], "2026-12-22"), (
            step("2026-12-22", "raised"),
        )),
    ]


def sample_histories(policy: Policy, directory: DirectoryLike, calendar: WorkingCalendar,
                     until: dt.datetime | None = None) -> list[AlertHistory]:
    """The two-quarter history, played up to ``until`` (default: the last instant of 2026)."""
    end = until or dt.datetime(2026, 12, 31, 23, 59, tzinfo=LONDON)
    return [play(script, policy, directory, calendar, end) for script in two_quarters()]
