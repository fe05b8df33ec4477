"""Hand-written fakes and the fixture set shared by mailflow's unit tests."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from practice_alerts.mailflow.authenticity import AuthenticitySettings
from practice_alerts.mailflow.classify import InboundSettings
from practice_alerts.mailflow.protocols import AlertSummary
from practice_alerts.policies.load import load_policy
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import CaseType

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mail"
SECRET = b"fixture-secret-not-for-production"


def load_fixture_module(name: str):
    """A fresh copy of a helper script in tests/fixtures/mail (registered so dataclasses work)."""
    import sys

    module_name = f"mail_fixture_{name}"
    spec = importlib.util.spec_from_file_location(module_name, FIXTURES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class FakePerson:
    name: str
    email: str
    roles: tuple[Role, ...] = ()
    external: bool = False


@dataclass
class FakeDirectory:
    """People by address; ``covers`` maps (holder, day) to the acting person's address."""

    people: list[FakePerson]
    covers: dict[tuple[str, dt.date], str] = field(default_factory=dict)

    def contact(self, email: str | None) -> FakePerson | None:
        return next((p for p in self.people if email and p.email == email.lower()), None)

    def person(self, email: str | None) -> FakePerson | None:
        found = self.contact(email)
        return None if found is None or found.external else found

    def may_act_for(self, actor_email: str, holder_email: str, on: dt.date) -> bool:
        actor, holder = actor_email.lower(), holder_email.lower()
        return actor == holder or self.covers.get((holder, on)) == actor


class FakeAlerts:
    def __init__(self, alerts: list[AlertSummary]):
        self.alerts = {a.reference: a for a in alerts}
        self.asked: list[str] = []

    def by_reference(self, reference: str) -> AlertSummary | None:
        self.asked.append(reference)
        return self.alerts.get(reference)


def fixture_directory() -> FakeDirectory:
    people = [
        FakePerson("Amara Okafor", "a.okafor@council.example", (Role.IRO,)),
        FakePerson("Bilal Singh", "b.singh@council.example", (Role.CP_CHAIR,)),
        FakePerson("Dana Price", "d.price@council.example", (Role.TEAM_MANAGER,)),
        FakePerson("Sam Mensah", "s.mensah@council.example", (Role.SERVICE_MANAGER,)),
        FakePerson("Rhys Evans", "r.evans@council.example", (Role.SOCIAL_WORKER,)),
        FakePerson("Lee Hughes", "l.hughes@council.example", (Role.LAC_ADMIN,)),
        FakePerson("Kiran Patel", "k.patel.chair@lscb-partner.example", (Role.LSCB_CHAIR,), external=True),
    ]
    covers = {("d.price@council.example", dt.date(2026, 12, d)): "s.mensah@council.example" for d in range(1, 5)}
    return FakeDirectory(people, covers)


def fixture_alerts() -> FakeAlerts:
    return FakeAlerts([
        AlertSummary(reference="PA-2026-0001", iro_email="a.okafor@council.example", stage_key="stage1",
                     stage_name="Stage 1", recipients=("d.price@council.example",), due=dt.date(2026, 12, 8),
                     case_type=CaseType.CLA, policy_key="rutland"),
        AlertSummary(reference="PA-2026-0002", iro_email="b.singh@council.example", stage_key="stage5",
                     stage_name="Stage 5", recipients=("k.patel.chair@lscb-partner.example",),
                     due=dt.date(2026, 12, 10), case_type=CaseType.CP, policy_key="rutland"),
        AlertSummary(reference="PA-2026-0003", iro_email="a.okafor@council.example", stage_key="stage2",
                     stage_name="Stage 2", recipients=("s.mensah@council.example",), status="closed", open=False),
    ])


SETTINGS = InboundSettings(
    own_addresses=("practice.alerts@council.example",),
    via_exchange=True,  # the fixtures are mail as Exchange (read through EWS/Graph) delivers it
    authenticity=AuthenticitySettings(internal_domains=("council.example",),
                                      boundary_authserv_ids=("mx.council.example",)),
)


def expected() -> dict[str, dict[str, object]]:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def received_at(raw: bytes) -> dt.datetime:
    import email
    import email.policy
    from email.utils import parsedate_to_datetime

    message = email.message_from_bytes(raw, policy=email.policy.default)
    return parsedate_to_datetime(str(message["Date"]))


@pytest.fixture(scope="session")
def rutland():
    return load_policy("rutland")


@pytest.fixture
def directory() -> FakeDirectory:
    return fixture_directory()


@pytest.fixture
def alerts() -> FakeAlerts:
    return fixture_alerts()
