"""Every stored .eml fixture is classified and matched as expected.json says."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.mailflow.classify import classify

from .conftest import FIXTURES, SECRET, SETTINGS, expected, fixture_alerts, fixture_directory, received_at

CASES = expected()


def run(name: str, policy):
    raw = (FIXTURES / name).read_bytes()
    return classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=policy,
                    settings=SETTINGS, secret=SECRET, received=received_at(raw))


def test_every_kind_the_issue_names_has_a_fixture():
    kinds = {case["kind"] for case in CASES.values()}
    assert kinds == {"new_alert", "response", "decision", "auto_reply", "bounce", "comment", "quarantine"}
    assert len(list(FIXTURES.glob("*.eml"))) == len(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_is_classified_and_matched(name, rutland):
    want = CASES[name]
    got = run(name, rutland)
    assert got.kind == want["kind"], got.reasons
    if "reference" in want:
        assert got.reference == want["reference"], got.reasons
    if "matched_by" in want:
        assert got.matched_by == want["matched_by"]
    if "forms" in want:
        assert [f.filename for f in got.forms] == want["forms"]
        assert all(f.content.startswith(b"PK\x03\x04") for f in got.forms)
    if "form_sources" in want:
        assert [f.source for f in got.forms] == want["form_sources"]
    if "sender_standing" in want:
        assert got.sender_standing == want["sender_standing"]
    if "decision" in want:
        assert got.decision is not None and got.decision.kind == want["decision"]
    if "until" in want:
        assert got.decision.until == dt.date.fromisoformat(want["until"])
    if "stage" in want:
        assert got.decision.stage == want["stage"]
    if "out_of_office" in want:
        assert got.out_of_office is want["out_of_office"]
        assert got.from_stage_recipient is want["from_stage_recipient"]
    if "return_date" in want:
        assert got.return_date == dt.date.fromisoformat(want["return_date"])
    if "bounced" in want:
        assert list(got.bounced) == want["bounced"]
    if "held_kind" in want:
        assert got.held_kind == want["held_kind"]
    if "authentic" in want:
        assert got.authenticity is not None and got.authenticity.authentic is want["authentic"]
    if "may_reply" in want:
        assert got.may_reply is want["may_reply"]
    if "text_starts" in want:
        assert got.text.startswith(want["text_starts"])
    if "text_excludes" in want:
        assert want["text_excludes"] not in got.text


@pytest.mark.parametrize("name", sorted(CASES))
def test_reasons_never_carry_personal_data(name, rutland):
    got = run(name, rutland)
    assert got.reasons
    for reason in got.reasons:
        assert "@" not in reason
        for word in ("Okafor", "Price", "Mensah", "Patel", "Evans", "Singh", "Old"):
            assert word not in reason, (word, reason)


def test_fixtures_are_up_to_date(tmp_path):
    """The committed fixtures are exactly what make_fixtures.py writes."""
    from .conftest import load_fixture_module

    module = load_fixture_module("make_fixtures")
    module.build()
    assert set(module.FIXTURES) == {p.name for p in FIXTURES.glob("*.eml")}
    for name, data in module.FIXTURES.items():
        assert (FIXTURES / name).read_bytes() == data, f"{name} is stale: run make_fixtures.py"


@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"\x00\x01\x02 not a message"])
def test_unreadable_bytes_are_quarantined(raw, rutland):
    got = classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=rutland, settings=SETTINGS,
                   secret=SECRET, received=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    assert got.kind == "quarantine" and got.reasons[0].startswith("unreadable")
    assert got.may_reply is False


def test_closed_alert_reply_is_a_comment(rutland):
    raw = (FIXTURES / "decision_satisfied.eml").read_bytes().replace(b"PA-2026-0001", b"PA-2026-0003")
    got = classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=rutland, settings=SETTINGS,
                   secret=SECRET, received=received_at(raw))
    # The signed ids no longer verify once edited, so the subject matches; the alert is closed.
    assert got.kind == "comment" and got.reference == "PA-2026-0003" and got.matched_by == "subject"


def test_iro_form_in_an_old_thread_is_a_new_alert(rutland):
    """An IRO who attaches a form to a reply about another alert, with no decision, raises a new alert."""
    raw = (FIXTURES / "new_alert_plain.eml").read_bytes().replace(
        b"Subject: Practice Alert", b"Subject: RE: [PA-2026-0001] Practice Alert")
    got = classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=rutland, settings=SETTINGS,
                   secret=SECRET, received=received_at(raw))
    assert got.kind == "new_alert" and len(got.forms) == 1
