"""verify, the upgrade of a database written before decided facts were kept, policy migrate and rehearsals."""

from __future__ import annotations

import datetime as dt
import json

from practice_alerts import demo_mail
from practice_alerts.cli import main
from practice_alerts.commands.verify import verify_database
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.runloop import Runner
from practice_alerts.store.migrations import downgrade, upgrade

from .conftest import MAILBOX

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def _raise(h, n: int = 1, at: dt.datetime = T0) -> None:
    policy = h.ctx.policy
    values = demo_mail.form_values(policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None,
                                   raised=at.date())
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=demo_mail.filled_form(policy, values), at=at,
                               message_id=f"<new-{n}@example.gov.uk>"))
    h.run(at)


def test_an_older_database_is_filled_in_once_then_verifies(harness, capsys):
    h = harness("rutland")
    _raise(h)
    h.run(T0 + dt.timedelta(days=12))  # the deadline passes: a clock event
    with h.ctx.database.reading() as reads:
        before = reads.state("PA-2026-0001")
    # As a database written before this version: no states, no decided facts.
    downgrade(h.ctx.database, "0001")
    upgrade(h.ctx.database)
    config = str(h.config_file)
    assert main(["status", "--config", config]) == 1
    assert "Not counted: alert PA-2026-0001: raised before this version" in capsys.readouterr().out
    assert main(["verify", "--config", config]) == 1
    assert "PA-2026-0001: it has events but no stored state" in capsys.readouterr().out

    h.runner = Runner(h.ctx, clock=lambda: h.now, log=JsonLog(quiet=True))  # the upgraded service starts
    h.run(T0 + dt.timedelta(days=12, hours=1))  # and fills the record in
    with h.ctx.database.reading() as reads:
        after = reads.state("PA-2026-0001")
        decisions = reads.alert_decisions("PA-2026-0001")
    assert after is not None and after.state == before.state and after.next_clock_at == before.next_clock_at
    assert len(decisions) == 2 and all(d.filled_at_migration for d in decisions.values())
    assert verify_database(h.ctx.database) == (1, [])
    assert main(["verify", "--config", config]) == 0
    assert "All 1 alerts match their recorded events." in capsys.readouterr().out


def test_verify_names_a_stored_state_that_differs_from_its_record(harness, capsys):
    h = harness("rutland")
    _raise(h)
    # The stored state is damaged on purpose, which no store function will do: so raw SQL, here only.
    from sqlalchemy import update

    from practice_alerts.store.tables import AlertStateRow

    with h.ctx.database._write_session() as session:  # the store's own hook: no store function damages a row
        row = session.get(AlertStateRow, "PA-2026-0001")
        session.execute(update(AlertStateRow).values(state={**row.state, "due": "2027-01-01"}))
    assert main(["verify", "--config", str(h.config_file)]) == 1
    assert "PA-2026-0001: stored state differs in: due" in capsys.readouterr().out


def test_json_listing_and_counts(harness, capsys):
    now = dt.datetime.now(dt.timezone.utc).replace(hour=9, minute=30, second=0, microsecond=0)
    h = harness("rutland", start=now - dt.timedelta(days=30))
    _raise(h, 1, now - dt.timedelta(days=30))
    _raise(h, 2, now - dt.timedelta(days=1))  # the pass also records alert 1's missed deadline
    config = str(h.config_file)
    assert main(["alert", "list", "--json", "--config", config]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [a["reference"] for a in listed["alerts"]] == ["PA-2026-0001", "PA-2026-0002"]
    assert listed["not_counted"] == []
    first = listed["alerts"][0]
    assert first["status"] == "awaiting_decision" and first["overdue"] is True  # its deadline passed unanswered
    assert first["recipient"]["email"] == "jo.bloggs@example.gov.uk" and first["recipient"]["name"] == "Jo Bloggs"
    assert main(["alert", "list", "--json", "--overdue", "--config", config]) == 0
    assert [a["reference"] for a in json.loads(capsys.readouterr().out)["alerts"]] == ["PA-2026-0001"]
    assert main(["alert", "list", "--json", "--status", "awaiting_response", "--config", config]) == 0
    assert [a["reference"] for a in json.loads(capsys.readouterr().out)["alerts"]] == ["PA-2026-0002"]
    assert main(["status", "--json", "--config", config]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["open"] == 2 and counts["open_by_status"] == {"awaiting_decision": 1, "awaiting_response": 1}
    assert counts["overdue"] == 1 and counts["not_counted"] == []


def test_policy_migrate_is_a_recorded_step_with_a_dry_run(harness, tmp_path, capsys):
    import yaml

    h = harness("rutland")
    _raise(h)
    policy = h.ctx.policy
    data = policy.model_dump(mode="json")
    for stage in data["stages"]:
        if stage.get("response_days"):
            stage["response_days"] += 2
    changed = tmp_path / "changed" / "rutland.yaml"
    changed.parent.mkdir()
    changed.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    h.config_file.write_text(h.config_file.read_text(encoding="utf-8").replace("policy: rutland",
                                                                                f"policy: {changed}"))
    config = str(h.config_file)
    with h.ctx.database.reading() as reads:
        old = reads.state("PA-2026-0001")
    assert main(["policy", "migrate", "--dry-run", "--config", config]) == 0
    out = capsys.readouterr().out
    assert f"PA-2026-0001: policy version {old.policy_version[:12]} ->" in out
    assert "Stage 1: 5 working days" in out and "-> 7 working days" in out and "Dry run: nothing was changed." in out
    with h.ctx.database.reading() as reads:
        assert reads.state("PA-2026-0001").policy_version == old.policy_version
    assert main(["policy", "migrate", "--config", config]) == 2  # who and why are required
    capsys.readouterr()
    assert main(["policy", "migrate", "--config", config, "--by", "qa.lead@example.gov.uk",
                 "--reason", "New procedure from 1 December"]) == 0
    assert "Moved 1 alert" in capsys.readouterr().out
    with h.ctx.database.reading() as reads:
        moved = reads.state("PA-2026-0001")
    assert moved.policy_version != old.policy_version and moved.due == old.due
    assert verify_database(h.ctx.database) == (1, [])
    assert main(["alert", "show", "PA-2026-0001", "--json", "--config", config]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    assert events[-1]["type"] == "policy_migrated" and events[-1]["by"] == "qa.lead@example.gov.uk"


def test_a_rehearsal_runs_on_a_pretend_clock_only_when_configured(harness, capsys, monkeypatch):
    monkeypatch.setenv("PRACTICE_ALERTS_SECRET", "e2e-test-message-id-key-0123456789")
    h = harness("rutland")
    _raise(h)
    config = str(h.config_file)
    h.close()
    assert main(["run", "--once", "--as-of", "2026-12-09T09:00", "--config", config]) == 2
    assert "--as-of is only for rehearsals" in capsys.readouterr().err
    h.config_file.write_text(h.config_file.read_text(encoding="utf-8") + "\nrehearsal: true\n", encoding="utf-8")
    assert main(["run", "--once", "--as-of", "2026-12-09T09:00", "--config", config]) == 0
    assert main(["alert", "show", "PA-2026-0001", "--json", "--config", config]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [e["type"] for e in shown["events"]][-1] == "deadline_missed"
    assert shown["status"] == "awaiting_decision"


def test_each_message_keeps_why_it_was_treated_as_it_was(harness):

    h = harness("rutland")
    _raise(h)
    letter = h.find("stage1-letter", "jo.bloggs@example.gov.uk")
    h.drop(demo_mail.reply(letter.as_bytes(), sender=("Jo Bloggs", "jo.bloggs@example.gov.uk"), mailbox=MAILBOX,
                           at=T0 + dt.timedelta(hours=1), message_id="<reply-1@example.gov.uk>", text="Done already."))
    h.run(T0 + dt.timedelta(hours=1))
    request = h.find("decide", IRO[1])  # the IRO asks to restart a clock that never stopped: refused
    h.drop(demo_mail.reply(request.as_bytes(), sender=IRO, mailbox=MAILBOX,
                           at=T0 + dt.timedelta(hours=2), message_id="<decision-1@example.gov.uk>", text="RESUME"))
    h.run(T0 + dt.timedelta(hours=2))
    with h.ctx.database.reading() as reads:
        first = reads.classification(1)
        second = reads.classification(2)
        rows = reads.events("PA-2026-0001")
    assert first.kind == "new_alert" and first.record["forms"][0]["filename"].endswith(".docx")
    assert first.record["status"] == "processed" and "PA-2026-0001" in first.record["outcome"]
    assert second.kind == "response" and second.record["reference"] == "PA-2026-0001" and second.record["matched_by"]
    refused = [r for r in rows if r.event_type == "refused"]
    assert refused and refused[0].payload["refused"]["type"] == "resume", [r.event_type for r in rows]
    assert refused[0].payload["reason"] and refused[0].payload["refused"]["by"] == IRO[1]


def test_an_older_alert_that_cannot_be_filled_in_is_named_with_the_reason(harness, tmp_path, capsys):
    import yaml

    h = harness("rutland")
    _raise(h)
    downgrade(h.ctx.database, "0001")
    upgrade(h.ctx.database)
    data = h.ctx.policy.model_dump(mode="json")
    data["case_types"] = data["case_types"][1:]  # the policy no longer covers the alert's case type
    changed = tmp_path / "changed" / "rutland.yaml"
    changed.parent.mkdir()
    changed.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    h.config_file.write_text(h.config_file.read_text(encoding="utf-8").replace("policy: rutland", f"policy: {changed}"))
    config = str(h.config_file)
    assert main(["verify", "--config", config]) == 1
    out = capsys.readouterr().out
    assert "PA-2026-0001: it has events but no stored state: its events, written before this version" in out
    assert "cases" in out and "Restore the policy or directory entry it needs" in out
    assert main(["tracker", "--out", str(tmp_path / "t.csv"), "--csv", "--config", config]) == 1
    err = capsys.readouterr().err
    assert "Not counted: alert PA-2026-0001:" in err and "1 alert was not counted" in err
