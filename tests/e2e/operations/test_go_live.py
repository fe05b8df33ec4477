"""Go-live on a mailbox with old mail: ``run --dry-run`` and ``ignore_mail_before``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .conftest import alert_mail, cli, drop

OLD = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)
NEW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _inbox(config: Path) -> list[str]:
    return sorted(p.name for p in (config.parent / "mail" / "new").iterdir())


def test_dry_run_describes_each_message_and_changes_nothing(service: Path) -> None:
    drop(service.parent, alert_mail("<dry-1@example.gov.uk>", NEW), 1)
    drop(service.parent, b"From: someone@elsewhere.example\r\nTo: practice.alerts@example.gov.uk\r\n"
                         b"Subject: hello\r\nMessage-ID: <dry-2@elsewhere.example>\r\n\r\nhi\r\n", 2)
    before = _inbox(service)
    done = cli("run", "--dry-run", "--config", str(service))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("1. message 1700000001.M1P1.test") and "a new practice alert" in lines[0]
    assert "from dana.reviewer@example.gov.uk" in lines[0]
    assert lines[1].startswith("2. message") and "quarantine" in lines[1]
    assert lines[-1] == "2 message(s) in the inbox; nothing was changed (dry run)."
    assert _inbox(service) == before  # nothing moved
    assert not list((service.parent / "mail" / ".sent" / "cur").iterdir())  # nothing sent
    status = cli("alert", "show", "PA-2026-0001", "--config", str(service))
    assert status.returncode == 1  # no alert was created


def test_mail_before_the_go_live_day_stays_in_the_inbox(service: Path) -> None:
    text = service.read_text()
    service.write_text(text + f"\nignore_mail_before: {NEW.date().isoformat()}\n")
    old = drop(service.parent, alert_mail("<old@example.gov.uk>", OLD), 1)
    drop(service.parent, alert_mail("<new@example.gov.uk>", NEW), 2)
    dry = cli("run", "--dry-run", "--config", str(service))
    assert "older than ignore_mail_before" in dry.stdout.splitlines()[0], dry.stdout
    done = cli("run", "--once", "--config", str(service))
    assert done.returncode == 0, done.stderr
    assert _inbox(service) == [old.name]  # untouched, still in the inbox
    handled = [json.loads(line) for line in done.stderr.splitlines() if '"event": "message"' in line]
    assert len(handled) == 1 and handled[0]["kind"] == "new_alert"
    again = cli("run", "--once", "--config", str(service))
    assert again.returncode == 0 and _inbox(service) == [old.name]


def test_received_header_of_our_server_wins_over_the_date_header() -> None:
    from practice_alerts.pipeline.cutoff import is_before

    raw = (b"Received: from mx.example.gov.uk by mail.example.gov.uk; Tue, 5 Jan 2027 10:00:00 +0000\r\n"
           b"Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nSubject: x\r\n\r\nbody")
    assert not is_before(raw, dt.date(2027, 1, 4))
    assert is_before(raw.split(b"\r\n", 1)[1], dt.date(2027, 1, 4))
    assert not is_before(b"Subject: no date\r\n\r\nbody", dt.date(2027, 1, 4))
