"""Prometheus metrics: counts and ages in the text exposition format, read back strictly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .conftest import alert_mail, cli, drop


def _samples(text: str) -> dict[str, float]:
    """A strict reading of the exposition format: HELP and TYPE before samples, one value per line."""
    samples: dict[str, float] = {}
    declared: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            name, kind = line.split()[2:4]
            assert kind == "gauge"
            declared.add(name)
        elif line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            assert name.split("{")[0] in declared, line
            samples[name] = float(value)
    return samples


def test_metrics_count_alerts_mail_and_ages(service: Path, tmp_path: Path) -> None:
    drop(service.parent, alert_mail("<m-1@example.gov.uk>", dt.datetime.now(dt.timezone.utc)), 1)
    drop(service.parent, b"From: someone@elsewhere.example\r\nTo: practice.alerts@example.gov.uk\r\n"
                         b"Subject: hello\r\nMessage-ID: <m-2@elsewhere.example>\r\n\r\nhi\r\n", 2)
    assert cli("run", "--once", "--config", str(service)).returncode == 0
    done = cli("metrics", "--config", str(service))
    assert done.returncode == 0, done.stderr
    samples = _samples(done.stdout)
    assert samples['practice_alerts_alerts{status="awaiting_response"}'] == 1
    assert samples["practice_alerts_alerts_overdue"] == 0
    assert samples["practice_alerts_quarantine_size"] == 1
    assert samples['practice_alerts_inbound_messages{status="processed"}'] == 1
    assert samples["practice_alerts_outbox_waiting"] == 0 and samples["practice_alerts_outbox_oldest_age_seconds"] == 0
    assert 0 <= samples["practice_alerts_last_poll_age_seconds"] < 600
    assert samples["practice_alerts_healthy"] == 1
    assert "Riley" not in done.stdout and "@" not in done.stdout
    out = tmp_path / "practice_alerts.prom"
    assert cli("metrics", "--config", str(service), "--out", str(out)).returncode == 0
    assert _samples(out.read_text())["practice_alerts_quarantine_size"] == 1


def test_metrics_and_status_count_the_same_overdue_alert(service: Path) -> None:
    """One meaning of overdue: a month on, the unanswered alert is overdue in the metrics and in ``status``."""
    from practice_alerts.commands.opening import open_for_reading
    from practice_alerts.commands.status import status_counts
    from practice_alerts.metrics import metrics_text

    drop(service.parent, alert_mail("<m-3@example.gov.uk>", dt.datetime.now(dt.timezone.utc)), 1)
    assert cli("run", "--once", "--config", str(service)).returncode == 0
    ctx = open_for_reading(service)
    assert ctx is not None
    try:
        for days, expected in ((0, 0), (30, 1)):
            later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)
            assert _samples(metrics_text(ctx, later))["practice_alerts_alerts_overdue"] == expected
            assert status_counts(ctx, later)["overdue"] == expected
    finally:
        ctx.close()
