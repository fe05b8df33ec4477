"""Shared helpers for the workflow tests: a fictional directory built in code, form facts, and a
small driver that applies events to one alert and keeps its state."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from practice_alerts.policies.load import load_policy
from practice_alerts.workflow import (
    AlertFacts,
    Decision,
    Refused,
    WorkingCalendar,
    decide,
    due_clock_events,
    parse_event,
    run_clock,
)
from practice_alerts.workflow.directory import Absence, Directory, ExternalContact, Person

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> dt.datetime:
    """'2026-03-02 10:00' as London time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _p(name: str, email: str, roles: list[str], reports_to: str | None = None, team: str = "North", **kw) -> Person:
    return Person(name=name, email=email, roles=roles, reports_to=reports_to, team=team, **kw)


SW, ATM, TM, SM, HOS, AREA, AD, DIR, CORP = (
    "sw@council.example", "atm@council.example", "tm@council.example", "sm@council.example",
    "hos@council.example", "area@council.example", "ad@council.example", "dir@council.example",
    "corp@council.example",
)
COVER_SM = "acting.sm@council.example"
IRO, IRO_TM, QA, HEAD_QA, AD_QA = (
    "iro@council.example", "iro.tm@council.example", "qa@council.example", "headqa@council.example",
    "adqa@council.example",
)
OTHER_IRO = "other.iro@council.example"
LAC_ADMIN, QA_SERVICE, LEGAL = "lac.admin@council.example", "qa.service@council.example", "legal@council.example"
CAFCASS, LSCB = "cafcass.legal@cafcass.example", "lscb.chair@partnership.example"


def build_directory(*, without: tuple[str, ...] = ()) -> Directory:
    """The fictional council; roles named in ``without`` are held by nobody."""
    people = [
        _p("Sam Social", SW, ["social_worker"], ATM),
        _p("Ali Assistant", ATM, ["assistant_team_manager"], TM),
        _p("Toni Team", TM, ["team_manager", "practice_manager"], SM),
        _p("Sasha Service", SM, ["service_manager", "group_manager"], HOS,
           absences=[Absence(start=d("2026-12-14"), end=d("2027-01-08"), cover=COVER_SM)]),
        _p("Acting Service", COVER_SM, ["service_manager", "group_manager"], HOS, team="South"),
        _p("Hen Head", HOS, ["head_of_service", "service_lead"], AREA),
        _p("Ari Area", AREA, ["area_director"], AD),
        _p("Ada Assistant-Director", AD, ["assistant_director", "nominated_officer"], DIR),
        _p("Dee Director", DIR, ["director", "director_of_childrens_services"], CORP),
        _p("Cora Corporate", CORP, ["corporate_director"]),
        _p("Iris Reviewer", IRO, ["iro", "cp_chair"], IRO_TM, team="IRS"),
        _p("Olly Other", OTHER_IRO, ["iro"], IRO_TM, team="IRS"),
        _p("Tam Overseer", IRO_TM, ["iro_team_manager"], QA, team="IRS"),
        _p("Quinn Quality", QA, ["qa_manager", "principal_manager"], HEAD_QA, team="QA"),
        _p("Hal Head-QA", HEAD_QA, ["head_of_qa"], AD_QA, team="QA"),
        _p("Ash AD-QA", AD_QA, ["ad_quality"], team="QA"),
        _p("LAC Admin", LAC_ADMIN, ["lac_admin"], team="IRS"),
        _p("QA Service", QA_SERVICE, ["qa_service"], team="QA"),
        _p("Legal", LEGAL, ["legal"], team="Legal"),
    ]
    people = [p.model_copy(update={"roles": [r for r in p.roles if r.value not in without]}) for p in people]
    external = [
        ExternalContact(name="CAFCASS Legal", email=CAFCASS, roles=["cafcass_legal"], organisation="Cafcass"),
        ExternalContact(name="LSCB Chair", email=LSCB, roles=["lscb_chair"], organisation="Partnership"),
    ]
    return Directory(people=people, external=[e for e in external if not (set(r.value for r in e.roles) & set(without))])


DIRECTORY = build_directory()


def facts(**overrides: object) -> AlertFacts:
    data: dict = dict(
        reference="PA-2026-0001", child_id="C-1", case_type="CLA", iro_name="Iris Reviewer", iro_email=IRO,
        social_worker_name="Sam Social", social_worker_email=SW, team_manager_name="Toni Team",
        team_manager_email=TM, team="North", reason_codes=["1"], date_raised=dt.date(2026, 3, 2),
        child_name="never used by the workflow",
    )
    data.update(overrides)
    return AlertFacts.model_validate(data)


class Alert:
    """One alert under one policy: apply events by type and keep the state."""

    def __init__(self, policy_name: str, directory: Directory = DIRECTORY):
        self.policy = load_policy(policy_name)
        self.directory = directory
        self.calendar = WorkingCalendar.for_policy(self.policy)
        self.state = None
        self.events: list = []
        self.last: Decision | None = None

    def event(self, type: str, when: str, **fields: object):
        return parse_event({"type": type, "at": at(when), **fields})

    def apply(self, type: str, when: str, **fields: object) -> Decision:
        event = self.event(type, when, **fields)
        self.last = decide(self.state, event, self.policy, self.directory, self.calendar, event.at)
        self.state = self.last.state
        self.events.append(event)
        return self.last

    def raise_(self, when: str = "2026-03-02 10:00", **fact_overrides: object) -> Decision:
        return self.apply("raised", when, facts=facts(**fact_overrides).model_dump())

    def refused(self, type: str, when: str, **fields: object) -> str:
        event = self.event(type, when, **fields)
        with pytest.raises(Refused) as caught:
            decide(self.state, event, self.policy, self.directory, self.calendar, event.at)
        assert caught.value.reason, "a refusal must say why"
        return caught.value.reason

    def clock(self, when: str) -> list:
        applied = run_clock(self.state, self.policy, self.directory, self.calendar, at(when))
        for event, decision in applied:
            self.state = decision.state
            self.events.append(event)
            self.last = decision
        return applied

    def due_now(self, when: str) -> list:
        return due_clock_events(self.state, self.policy, self.calendar, at(when))


def kinds(decision: Decision) -> list[str]:
    return [a.kind for a in decision.actions]


def action(decision: Decision, kind: str):
    found = [a for a in decision.actions if a.kind == kind]
    assert found, f"no {kind} action in {kinds(decision)}"
    return found[0]


def all_of(decision: Decision, kind: str) -> list:
    return [a for a in decision.actions if a.kind == kind]


@pytest.fixture
def wf() -> SimpleNamespace:
    """Everything above, as ``wf.Alert``, ``wf.at``, ``wf.TM``... (test files cannot import conftest)."""
    names = {k: v for k, v in globals().items() if not k.startswith("_") and k not in {"pytest", "annotations"}}
    return SimpleNamespace(**names)
