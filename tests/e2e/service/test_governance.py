"""Information governance: a subject-access export for one child, and the retention rule applied."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from practice_alerts import demo_mail

from .conftest import MAILBOX, SECRET

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
TM = ("Jo Bloggs", "jo.bloggs@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET}
    return subprocess.run([sys.executable, "-m", "practice_alerts", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def _two_alerts(h) -> None:  # type: ignore[no-untyped-def]
    """PA-2026-0001 for MOS-200101, taken to closure; PA-2026-0002 for another child, left open."""
    policy = h.ctx.policy
    for n, child_id in ((1, "MOS-200101"), (2, "OTHER-7")):
        form = demo_mail.filled_form(policy, demo_mail.form_values(
            policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date(),
            child_id=child_id))
        h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id=f"<new-{n}@example.gov.uk>"))
    h.run()
    letter = h.find("letter", TM[1])
    first = [m for m in h.sent() if "PA-2026-0001" in str(m["Subject"]) and "letter" in str(m["Message-ID"])][0]
    assert letter is not None
    h.drop(demo_mail.reply(first.as_bytes(), sender=TM, mailbox=MAILBOX, at=T0 + dt.timedelta(days=1),
                           message_id="<reply-1@example.gov.uk>", text="A visit is booked for Friday."))
    h.run(T0 + dt.timedelta(days=1))
    request = [m for m in h.sent() if "-decide-" in str(m["Message-ID"]) and "PA-2026-0001" in str(m["Subject"])][0]
    h.drop(demo_mail.reply(request.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(days=2),
                           message_id="<decision-1@example.gov.uk>", text="SATISFIED\nThe visit happened."))
    h.drop(demo_mail.reply(request.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(days=2, hours=1),
                           message_id="<decision-2@example.gov.uk>", text="CLOSE\nResolved at the first stage."))
    h.run(T0 + dt.timedelta(days=2, hours=2))


def test_export_gathers_one_childs_record_and_retention_anonymises_it(harness, tmp_path: Path) -> None:
    h = harness("rutland")
    _two_alerts(h)
    config = str(h.config_file)
    with h.ctx.database.reading() as reads:
        assert [e.event_type for e in reads.events("PA-2026-0001")][-1] == "close"

    out = tmp_path / "sar"
    done = _cli("export", "--case-number", "mos-200101", "--out", str(out), "--config", config)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["PA-2026-0001", "README.txt"]
    folder = out / "PA-2026-0001"
    assert "Practice alert raised - Dana Reviewer" in (folder / "chronology.txt").read_text()
    events = json.loads((folder / "events.json").read_text())
    assert [e["event_type"] for e in events][-1] == "close"
    received = sorted(p.read_bytes() for p in (folder / "received").iterdir())
    assert len(received) == 4 and any(b"A visit is booked for Friday." in r for r in received)
    assert len(list((folder / "sent").iterdir())) >= 3
    assert (folder / "documents").is_dir() and any((folder / "documents").iterdir())
    assert "MOS-200101" not in (out / "README.txt").read_text().replace("Case number: mos-200101", "")
    assert _cli("export", "--case-number", "NOBODY", "--out", str(tmp_path / "none"), "--config",
                config).returncode == 1

    h.config_file.write_text(h.config_file.read_text() + "\nretention:\n  years_after_closure: 1\n  mail_days: 30\n")
    too_soon = _cli("retention", "--dry-run", "--as-of", "2027-06-01", "--config", config)
    assert too_soon.returncode == 0 and "Nothing is past the rule." in too_soon.stdout
    dry = _cli("retention", "--dry-run", "--as-of", "2028-01-10", "--config", config)
    assert dry.returncode == 0, dry.stderr
    assert "PA-2026-0001: closed 02/12/2026, kept until 02/12/2027 (1 years after closure): would be anonymised" in dry.stdout
    assert "PA-2026-0002" not in dry.stdout  # still open
    with h.ctx.database.reading() as reads:
        assert reads.events("PA-2026-0001")[0].payload != {"redacted": True}

    applied = _cli("retention", "--apply", "--as-of", "2028-01-10", "--config", config)
    assert applied.returncode == 0, applied.stderr
    with h.ctx.database.reading() as reads:
        assert all(e.payload == {"redacted": True} and e.actor_email is None
                   for e in reads.events("PA-2026-0001"))
        assert reads.events("PA-2026-0002")[0].payload != {"redacted": True}
        (record,) = reads.retention_records()
    assert record.alert_reference == "PA-2026-0001" and record.removed["inbound_messages"] == 4
    assert record.removed["states"] == 1 and record.removed["decisions"] >= 1
    assert not (h.folder / "documents" / "PA-2026-0001").exists()
    assert (h.folder / "documents" / "PA-2026-0002").exists()
    shown = _cli("alert", "show", "PA-2026-0001", "--config", config)
    assert "was anonymised under the retention rule" in shown.stdout + shown.stderr
    assert "Dana" not in shown.stdout + shown.stderr
    status = _cli("status", "--config", config)
    assert "Open alerts: 1" in status.stdout, status.stdout + status.stderr
    again = _cli("export", "--case-number", "MOS-200101", "--out", str(tmp_path / "after"), "--config", config)
    assert again.returncode == 1  # nothing is held about the child any more
