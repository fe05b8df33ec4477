"""The real organisation directory satisfies what classification needs, cover included."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.mailflow.classify import classify

from .conftest import FIXTURES, SECRET, SETTINGS, fixture_alerts, received_at

directory_module = pytest.importorskip("practice_alerts.workflow.directory")


def real_directory():
    Person, Absence, ExternalContact = (directory_module.Person, directory_module.Absence,
                                        directory_module.ExternalContact)
    return directory_module.Directory(
        people=[
            Person(name="Amara Okafor", email="a.okafor@council.example", roles=["iro"],
                   reports_to="l.hughes@council.example"),
            Person(name="Bilal Singh", email="b.singh@council.example", roles=["cp_chair"],
                   reports_to="l.hughes@council.example"),
            Person(name="Lee Hughes", email="l.hughes@council.example", roles=["iro_team_manager", "lac_admin"]),
            Person(name="Sam Mensah", email="s.mensah@council.example", roles=["service_manager"]),
            Person(name="Dana Price", email="d.price@council.example", roles=["team_manager"],
                   reports_to="s.mensah@council.example",
                   absences=[Absence(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 4),
                                     cover="s.mensah@council.example")]),
            Person(name="Rhys Evans", email="r.evans@council.example", roles=["social_worker"],
                   reports_to="d.price@council.example"),
        ],
        external=[ExternalContact(name="Kiran Patel", email="k.patel.chair@lscb-partner.example",
                                  roles=["lscb_chair"], organisation="LSCB")],
    )


@pytest.mark.parametrize("name, kind, standing", [
    ("new_alert_plain.eml", "new_alert", "staff"),
    ("response_html_only.eml", "response", "stage_recipient"),  # the cover, on a day of absence
    ("response_gmail.eml", "response", "stage_recipient"),  # an external contact
    ("comment_other_staff.eml", "comment", "staff"),
    ("form_from_non_raiser.eml", "quarantine", "staff"),
    ("unknown_outside_sender.eml", "quarantine", "unknown"),
])
def test_fixtures_with_the_real_directory(name, kind, standing, rutland):
    raw = (FIXTURES / name).read_bytes()
    got = classify(raw, directory=real_directory(), alerts=fixture_alerts(), policy=rutland, settings=SETTINGS,
                   secret=SECRET, received=received_at(raw))
    assert (got.kind, got.sender_standing) == (kind, standing), got.reasons


def test_cover_counts_only_on_days_of_absence(rutland):
    raw = (FIXTURES / "response_html_only.eml").read_bytes()
    later = dt.datetime(2026, 12, 9, 10, tzinfo=dt.timezone.utc)
    got = classify(raw, directory=real_directory(), alerts=fixture_alerts(), policy=rutland, settings=SETTINGS,
                   secret=SECRET, received=later)
    assert got.kind == "comment" and got.sender_standing == "staff"
