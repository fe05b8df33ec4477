"""Through the command line, and what the mailbox does with repeats, strangers and the clock."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from practice_alerts import demo_mail

from .conftest import MAILBOX, SECRET

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def _cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "practice_alerts", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def _alert_mail(policy, message_id: str, raised: dt.date) -> bytes:
    form = demo_mail.filled_form(policy, demo_mail.form_values(
        policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=raised))
    return demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id=message_id)


def test_run_once_status_and_alert_show_through_the_cli(harness):
    h = harness("rutland")
    h.drop(_alert_mail(h.ctx.policy, "<cli-1@example.gov.uk>", dt.date.today()))
    h.close()
    config = str(h.config_file)
    done = _cli("run", "--once", "--config", config)
    assert done.returncode == 0, done.stderr
    assert '"event": "message"' in done.stderr and "Riley" not in done.stderr and "Dana" not in done.stderr
    sent = list((h.mail / ".sent" / "cur").iterdir())
    assert len(sent) == 3  # stage letter, the copy for QA, the acknowledgement
    assert any(b"To: Jo Bloggs <jo.bloggs@example.gov.uk>" in p.read_bytes() for p in sent)
    status = _cli("status", "--config", config, env_extra={"PRACTICE_ALERTS_SECRET": ""})
    assert status.returncode == 0, status.stderr
    assert "Open alerts: 1 (awaiting_response 1)" in status.stdout and "Outbox: 0 waiting" in status.stdout
    show = _cli("alert", "show", "PA-2026-0001", "--config", config)
    assert show.returncode == 0 and "Practice alert raised - Dana Reviewer" in show.stdout
    assert _cli("alert", "show", "PA-2026-0999", "--config", config).returncode == 1


def test_a_bad_setting_is_named(tmp_path):
    assert _cli("init", str(tmp_path / "cfg")).returncode == 0
    config = tmp_path / "cfg" / "practice-alerts.yaml"
    config.write_text(config.read_text().replace("shared_mailbox: practice.alerts@example.gov.uk",
                                                 "shared_mailbox: not-an-address").replace("kind: maildir", "kind: maildir\n  colour: blue"))
    done = _cli("run", "--once", "--config", str(config))
    assert done.returncode == 2
    assert "mail.shared_mailbox" in done.stderr and "transport.colour: is not a setting" in done.stderr
    missing = _cli("run", "--once", "--config", str(config), env_extra={"PRACTICE_ALERTS_SECRET": ""})
    assert "PRACTICE_ALERTS_SECRET" in missing.stderr


def test_the_same_message_twice_is_handled_once(harness):
    h = harness("rutland")
    data = _alert_mail(h.ctx.policy, "<twice@example.gov.uk>", T0.date())
    h.drop(data)
    h.drop(data.replace(b"Subject: Practice alert", b"Subject: Practice alert (resent)"))
    report = h.run()
    assert report.handled == 1
    assert h.run().handled == 0
    with h.ctx.database.reading() as reads:
        assert [a.reference for a in reads.list_alerts()] == ["PA-2026-0001"]
    assert len(list((h.mail / ".processed" / "cur").iterdir())) == 2 and not list((h.mail / "new").iterdir())
    assert len(h.sent()) == 3


def test_a_stranger_is_quarantined_and_nothing_is_sent(harness):
    h = harness("rutland")
    data = _alert_mail(h.ctx.policy, "<stranger@elsewhere.example>", T0.date())
    h.drop(data.replace(b"dana.reviewer@example.gov.uk>", b"someone@elsewhere.example>", 1))
    assert h.run().kinds == {"quarantine": 1}
    assert len(list((h.mail / ".quarantine" / "cur").iterdir())) == 1 and h.sent() == []
    from practice_alerts.commands.status import status_lines

    lines = status_lines(h.ctx, T0)
    assert "Quarantine: 1 message(s) held for review; failed: 0; waiting to be handled: 0" in lines
    assert ('  message 1 received 30/11/2026 09:30 (quarantined) from Dana Reviewer <someone@elsewhere.example>, '
            'subject "Practice alert": no alert matched; sender is not in the directory') in lines, lines


def test_the_clock_reminds_and_reports_the_missed_deadline(harness):
    h = harness("rutland")
    h.drop(_alert_mail(h.ctx.policy, "<clock@example.gov.uk>", T0.date()))
    h.run()
    assert h.run(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone.utc)).clock_events == 1  # 1 working day before
    reminder = h.find("remind-stage1", "jo.bloggs@")
    assert "response due 07/12/2026" in str(reminder["Subject"])
    assert h.run(dt.datetime(2026, 12, 4, 11, 0, tzinfo=dt.timezone.utc)).clock_events == 0
    h.run(dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.timezone.utc))
    with h.ctx.database.reading() as reads:
        kinds = [e.event_type for e in reads.events("PA-2026-0001")]
    assert kinds == ["form_filed", "raised", "reminder_due", "deadline_missed"]
    assert any("Practice Alert response overdue" in str(m["Subject"]) or "-decide-" in str(m["Message-ID"])
               for m in h.sent())
    from practice_alerts.commands.status import status_lines

    lines = status_lines(h.ctx, dt.datetime(2026, 12, 8, 9, 5, tzinfo=dt.timezone.utc))
    assert "Open alerts: 1 (awaiting_decision 1)" in lines and "Overdue: 1" in lines
    assert "  PA-2026-0001 at Stage 1, response was due 07/12/2026 (awaiting_decision)" in lines
    assert lines[-1] == "Last successful poll: 08/12/2026 09:00:00 (UK time)"


def test_sigterm_stops_the_loop_cleanly_and_frees_the_mailbox(harness):
    import json
    import signal
    import time

    h = harness("rutland")
    h.drop(_alert_mail(h.ctx.policy, "<term@example.gov.uk>", dt.date.today()))
    h.close()
    config = h.config_file
    config.write_text(config.read_text().replace("poll_seconds: 60", "poll_seconds: 0.2"))
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET}
    process = subprocess.Popen([sys.executable, "-m", "practice_alerts", "run", "--config", str(config)], env=env,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (h.mail / ".processed" / "cur").exists() or not list((h.mail / ".processed" / "cur").iterdir()):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    events = [json.loads(line)["event"] for line in process.stderr.read().splitlines() if line.startswith("{")]
    assert events[0] == "started" and events[-1] == "stopped" and "message" in events
    again = _cli("run", "--once", "--config", str(config))  # the lease was released: no wait for it to expire
    assert again.returncode == 0, again.stderr


def test_a_handled_message_put_back_in_the_inbox_changes_nothing(harness):
    h = harness("rutland")
    data = _alert_mail(h.ctx.policy, "<again@example.gov.uk>", T0.date())
    h.drop(data)
    h.run()
    with h.ctx.database.reading() as reads:
        before = [(e.sequence, e.event_type) for e in reads.events("PA-2026-0001")]
    h.drop(data)  # e.g. restored from a backup of the mailbox, under a new file name
    report = h.run(T0 + dt.timedelta(minutes=5))
    assert report.fetched == 0 and report.handled == 0
    with h.ctx.database.reading() as reads:
        assert [(e.sequence, e.event_type) for e in reads.events("PA-2026-0001")] == before
        assert [a.reference for a in reads.list_alerts()] == ["PA-2026-0001"]
    assert len(h.sent()) == 3 and not list((h.mail / "new").iterdir())
    assert len(list((h.mail / ".processed" / "cur").iterdir())) == 2


def test_init_then_an_eml_in_the_maildir_then_run_status_and_show(tmp_path):
    from practice_alerts.policies.load import load_policy

    assert _cli("init", str(tmp_path / "site")).returncode == 0
    config = tmp_path / "site" / "practice-alerts.yaml"
    text = config.read_text()
    assert text.count("\n#") >= 10 and "PRACTICE_ALERTS_SECRET" in text and "secret:" not in text
    assert _cli("init", str(tmp_path / "site")).returncode == 1  # never overwrites
    now = dt.datetime.now(dt.timezone.utc)
    form = demo_mail.filled_form(load_policy("rutland"), demo_mail.form_values(
        load_policy("rutland"), iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None,
        raised=now.date()))
    raw = demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=now, message_id="<init-1@example.gov.uk>")
    # The starter believes no Exchange header over its Maildir (issue 12): the boundary's result is named.
    assert "# boundary_authserv_ids: [mx.example.gov.uk]" in text
    config.write_text(text.replace("# boundary_authserv_ids:", "boundary_authserv_ids:"))
    raw = b"Authentication-Results: mx.example.gov.uk; dmarc=pass header.from=example.gov.uk\r\n" + raw
    (tmp_path / "site" / "mail" / "new" / "alert.eml").write_bytes(raw)
    done = _cli("run", "--once", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert '"outcome": "form accepted as PA-' in done.stderr
    reference = f"PA-{now.year}-0001"
    letters = list((tmp_path / "site" / "documents" / reference).glob("*.docx"))
    # Rutland's Independent Chair keeps the single case note: it comes with the acknowledgement (case_record)
    assert {p.name for p in letters} == {f"{reference} Stage 1 letter.docx", f"{reference} acknowledgement.docx",
                                         f"{reference} case note.docx"}
    status = _cli("status", "--config", str(config))
    assert "Open alerts: 1 (awaiting_response 1)" in status.stdout and "Last successful poll: never" not in status.stdout
    show = _cli("alert", "show", reference, "--config", str(config))
    assert show.returncode == 0 and "Practice alert raised - Dana Reviewer" in show.stdout
