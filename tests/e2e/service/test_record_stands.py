"""The record stands on its own, for each built-in policy.

Alerts are raised with and without the optional form fields and taken through the service; then
the directory is edited (the team manager leaves, the role moves to someone else, a manager is
absent) and the policy file is changed (more days, another copy). Every past due date, recipient
and outcome in ``alert show --json``, the tracker and the quarterly report stays as it was, no
alert is left out, ``verify`` passes, and a new alert follows the new files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

import pytest
import yaml

from practice_alerts import demo_mail
from practice_alerts.cli import main
from practice_alerts.commands.alert import load_view
from practice_alerts.commands.reports import write_tracker
from practice_alerts.commands.verify import verify_database
from practice_alerts.config import load_config
from practice_alerts.pipeline.context import open_service
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.policies.load import load_policy, policy_names
from practice_alerts.policies.roles import Role
from practice_alerts.reports.load import histories_from_database
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.quarterly import quarterly_figures
from practice_alerts.runloop import Runner
from practice_alerts.workflow.calendar import WorkingCalendar

from .conftest import MAILBOX

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
TM = ("Jo Bloggs", "jo.bloggs@example.gov.uk")
T0 = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.timezone.utc)
LATER = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.timezone.utc)
Q4 = Quarter.parse("2026-Q4")


def _raise(h, policy, n: int, at: dt.datetime, team_manager) -> None:
    values = demo_mail.form_values(policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                   team_manager=team_manager, raised=at.date(), child_id=f"MOS-20010{n}")
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=demo_mail.filled_form(policy, values), at=at,
                               message_id=f"<new-{n}-{at:%m%d}@example.gov.uk>"))


def _snapshot(ctx, folder, policy_arg: str) -> dict:
    """Everything a reader sees: each alert's JSON (as on one fixed day), the tracker, the report figures."""
    views = {}
    with ctx.database.reading() as reads:

        references = [s.reference for s in reads.list_states()]
    for reference in references:
        view = load_view(ctx, reference, dt.date(2027, 1, 4))
        views[reference] = view.model_dump(mode="json", exclude={"events": {"__all__": {"summary"}}})
    out = folder / "tracker.csv"
    args = argparse.Namespace(out=str(out), csv=True, pseudonymise=False, db=ctx.config.database, policy=policy_arg)
    assert write_tracker(args, now=LATER) == 0
    histories, problems = histories_from_database(ctx.database, records_after=Q4.previous().previous().previous().as_of)
    assert problems == []
    policy = load_policy(policy_arg)
    figures = quarterly_figures(histories, policy, None, WorkingCalendar.for_policy(policy), Q4)
    return {"views": views, "tracker": out.read_text(encoding="utf-8"), "figures": figures.model_dump(mode="json")}


def _edit_directory(path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    people = [p for p in data["people"] if p["email"] != TM[1]]  # the team manager leaves
    for person in people:
        if person["email"] == "jamie.specimen@example.gov.uk":  # the role moves to someone else
            person["roles"] = ["assistant_team_manager", "team_manager", "practice_manager"]
            person["reports_to"] = "sam.sample@example.gov.uk"
        if person.get("reports_to") == TM[1]:
            person["reports_to"] = "jamie.specimen@example.gov.uk"
        if person["email"] == "frankie.fictional@example.gov.uk":  # someone is absent
            person["absences"] = [{"start": "2026-11-01", "end": "2027-03-01", "cover": "sky.standin@example.gov.uk"}]
    data["people"] = people
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _edit_policy(policy, path) -> None:
    data = policy.model_dump(mode="json")
    for stage in data["stages"]:
        if stage.get("response_days"):
            stage["response_days"] += 5
        if stage["key"] == policy.start_stage and stage["recipient"] != Role.SERVICE_MANAGER.value:
            stage["cc"] = list(dict.fromkeys([*stage.get("cc", []), Role.SERVICE_MANAGER.value]))
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("name", policy_names())
def test_history_never_changes_when_the_directory_or_policy_does(harness, name, tmp_path, capsys):
    h = harness(name, start=T0)
    policy = h.ctx.policy
    _raise(h, policy, 1, T0, TM)      # with the optional team manager
    _raise(h, policy, 2, T0, None)    # without it
    assert h.run().handled == 2
    first = h.find("ack", IRO[1])
    letters = [m for m in h.sent() if "-letter-" in str(m["Message-ID"]) and "PA-2026-0001" in str(m["Subject"])]
    manager = str(letters[0]["To"]).split("<")[-1].rstrip(">").strip()
    assert first is not None
    h.drop(demo_mail.reply(letters[0].as_bytes(), sender=("Manager", manager), mailbox=MAILBOX,
                           at=T0 + dt.timedelta(days=1), message_id="<reply-1@example.gov.uk>", text="Done."))
    h.run(T0 + dt.timedelta(days=1))
    request = h.find("decide", IRO[1])
    h.drop(demo_mail.reply(request.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(days=2),
                           message_id="<decision-1@example.gov.uk>", text="SATISFIED\nSorted."))
    h.drop(demo_mail.reply(request.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(days=2, hours=1),
                           message_id="<decision-2@example.gov.uk>", text="CLOSE\nResolved."))
    h.run(T0 + dt.timedelta(days=2, hours=2))
    h.run(T0 + dt.timedelta(days=40))  # alert 2's deadline passes: the clock records it
    before = _snapshot(h.ctx, tmp_path, name)
    assert set(before["views"]) == {"PA-2026-0001", "PA-2026-0002"}
    assert before["views"]["PA-2026-0001"]["status"] == "closed"
    old_version = before["views"]["PA-2026-0001"]["policy_version"]
    h.close()

    _edit_directory(h.folder / "directory.yaml")
    changed = tmp_path / "changed" / f"{name}.yaml"
    changed.parent.mkdir()
    _edit_policy(policy, changed)
    config = h.config_file.read_text(encoding="utf-8").replace(f"policy: {name}", f"policy: {changed}")
    assert str(changed) in config
    h.config_file.write_text(config, encoding="utf-8")
    environ = {"PRACTICE_ALERTS_SECRET": "e2e-test-message-id-key-0123456789"}
    ctx = open_service(load_config(h.config_file, environ), environ)
    try:
        runner = Runner(ctx, clock=lambda: T0 + dt.timedelta(days=41), log=JsonLog(quiet=True))
        runner.one_pass()
        after = _snapshot(ctx, tmp_path, str(changed))
        assert after == before
        assert verify_database(ctx.database) == (2, [])

        h.ctx, h.runner = ctx, Runner(ctx, clock=lambda: h.now, log=JsonLog(quiet=True))
        new_at = T0 + dt.timedelta(days=42)
        _raise(h, ctx.policy, 3, new_at, TM)
        assert h.run(new_at).handled == 1
        view = load_view(ctx, "PA-2026-0003", new_at.date())
        assert view.policy_version != old_version
        stage = ctx.policy.stage(view.stage)
        assert view.due == ctx.calendar.due_date(new_at, stage.response_days)
        assert view.recipient is not None and view.recipient.email != TM[1]
        if stage.recipient is not Role.SERVICE_MANAGER:  # Sam Sample is away then: Sky Standin covers
            assert any(c.email == "sky.standin@example.gov.uk" for c in view.copies or ()), view.copies
        with ctx.database.reading() as reads:
            assert reads.state("PA-2026-0001").policy_version == old_version
        assert verify_database(ctx.database) == (3, [])
        capsys.readouterr()
        assert main(["alert", "show", "PA-2026-0001", "--json", "--config", str(h.config_file)]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["status"] == "closed" and shown["events"][1]["type"] == "raised"
    finally:
        ctx.close()
