"""The console's actions on the command line: decided by the workflow, recorded with who and why,
and their mail sent by the next pass of the service."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

from practice_alerts import demo_mail
from practice_alerts.cli import main
from practice_alerts.store.console import inbound_subject
from practice_alerts.workflow.state import Status

SECRET = "e2e-test-message-id-key-0123456789"  # the harness's key (tests/e2e/service/conftest.py)

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
MAILBOX = "practice.alerts@example.gov.uk"
ADMIN = "lac.admin@example.gov.uk"


def _raise(h, at: dt.datetime, number: int) -> str:
    form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
        h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=at.date(),
        child_id=f"MOS-9000{number}"))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=at, message_id=f"<cli-{number}@example.gov.uk>"))
    h.run(at)
    return f"PA-{at.year}-{number:04d}"


def _state(h, reference: str):
    with h.ctx.database.reading() as reads:
        return h.ctx.cache.load(reads, reference, h.ctx).state


def test_record_response_withdraw_reopen_from_the_command_line(harness, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PRACTICE_ALERTS_SECRET", SECRET)
    now = dt.datetime.now(dt.timezone.utc)
    h = harness(start=now - dt.timedelta(hours=2))
    reference = _raise(h, now - dt.timedelta(hours=2), 1)
    config = str(h.config_file)
    assert main(["alert", "record-response", reference, "--by", "jo.bloggs@example.gov.uk", "--reason", "x",
                 "--config", config]) == 2
    assert "LAC admin or QA" in capsys.readouterr().err
    assert main(["alert", "record-response", reference, "--by", ADMIN, "--how", "meeting",
                 "--text", "A plan is agreed.", "--reason", "Said in the core group meeting.", "--config", config]) == 0
    state = _state(h, reference)
    assert state.status is Status.AWAITING_DECISION and state.current.responded_at is not None
    h.run(dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=1))
    assert "A plan is agreed." in h.find("decide", IRO[1]).get_body(("plain",)).get_content()
    assert main(["alert", "reopen", reference, "--by", ADMIN, "--reason", "not closed", "--config", config]) == 1
    assert "still open" in capsys.readouterr().err
    assert main(["alert", "withdraw", reference, "--by", ADMIN, "--reason", "raised in error",
                 "--config", config]) == 0
    assert _state(h, reference).status is Status.CLOSED
    assert main(["alert", "reopen", reference, "--by", ADMIN, "--reason", "it was right", "--config", config]) == 0
    assert _state(h, reference).status is Status.AWAITING_DECISION
    rows = [line for line in _chronology(h, reference, capsys)]
    assert any("Withdrawn (raised in error)" in line and "raised in error" in line for line in rows)
    assert any("Reopened" in line for line in rows)


def _chronology(h, reference: str, capsys) -> list[str]:
    capsys.readouterr()
    assert main(["alert", "show", reference, "--config", str(h.config_file)]) == 0
    return capsys.readouterr().out.splitlines()


def test_held_mail_from_the_command_line(harness, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PRACTICE_ALERTS_SECRET", SECRET)
    now = dt.datetime.now(dt.timezone.utc)
    h = harness(start=now - dt.timedelta(hours=1))
    message = EmailMessage()
    message["From"] = "Someone <someone@elsewhere.example>"
    message["To"] = MAILBOX
    message["Subject"] = "Hello"
    message["Message-ID"] = "<stranger-1@elsewhere.example>"
    message.set_content("Who do I talk to about a child?")
    h.drop(message.as_bytes())
    h.run(now - dt.timedelta(minutes=30))
    with h.ctx.database.reading() as reads:
        held = reads.held_messages()
    assert len(held) == 1 and "not in the directory" in (held[0].outcome or "")
    config = str(h.config_file)
    assert main(["quarantine", "release", str(held[0].id), "--by", ADMIN, "--reason", "ok", "--config", config]) == 1
    assert "would hold it again" in capsys.readouterr().err
    assert main(["quarantine", "dismiss", str(held[0].id), "--by", ADMIN, "--reason", "not about an alert",
                 "--config", config]) == 0
    with h.ctx.database.reading() as reads:
        assert reads.inbound(held[0].id).status == "processed"
        [entry] = reads.entries_about(inbound_subject(held[0].id))
    assert (entry.actor_email, entry.action, entry.reason) == (ADMIN, "dismiss", "not about an alert")
