"""Prometheus metrics in the text exposition format (version 0.0.4), written without a client library.

    practice-alerts metrics --out /var/lib/node_exporter/textfile/practice_alerts.prom

The file is for node_exporter's textfile collector (written atomically), or ``metrics`` prints it
for any other scraper; the console can serve the same text. Only counts and ages: no personal data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from practice_alerts.health import evaluate

PREFIX = "practice_alerts_"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Exposition:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def gauge(self, name: str, help_text: str, values: dict[tuple[tuple[str, str], ...], float] | float) -> None:
        self.lines += [f"# HELP {PREFIX}{name} {help_text}", f"# TYPE {PREFIX}{name} gauge"]
        samples = values if isinstance(values, dict) else {(): values}
        for labels, value in sorted(samples.items()):
            label_text = ",".join(f'{k}="{_escape(v)}"' for k, v in labels)
            self.lines.append(f"{PREFIX}{name}{'{' + label_text + '}' if label_text else ''} {float(value):g}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def metrics_text(ctx: Any, now: dt.datetime) -> str:
    """The metrics for the service ``ctx`` (a ServiceContext opened for reading) at ``now``."""
    with ctx.database.reading() as reads:
        states = [ctx.cache.load(reads, a.reference, ctx).state for a in reads.list_alerts()]
        facts = reads.health_facts()
    states = [s for s in states if s is not None]
    by_status = Counter(s.status.value for s in states)
    overdue = sum(1 for s in states if s.is_overdue(now, ctx.calendar))  # the same count as ``status`` shows
    out = Exposition()
    out.gauge("alerts", "Alerts by their current status.", {(("status", k),): v for k, v in by_status.items()} or 0)
    out.gauge("alerts_overdue", "Open alerts whose response is overdue.", overdue)
    out.gauge("outbox_waiting", "Messages waiting in the outbox.", facts.outbox_pending)
    out.gauge("outbox_oldest_age_seconds", "Age of the oldest message waiting in the outbox (0 if none).",
              (now - facts.oldest_pending).total_seconds() if facts.oldest_pending else 0)
    out.gauge("outbox_failing", "Messages whose last attempt to send failed.", facts.failing_sends)
    out.gauge("outbox_given_up", "Messages the service gave up sending.", facts.given_up)
    out.gauge("last_poll_age_seconds", "Seconds since the last complete pass (-1 if never).",
              (now - facts.last_poll).total_seconds() if facts.last_poll else -1)
    out.gauge("inbound_messages", "Inbound messages by status (quarantined: held for review).",
              {(("status", k),): v for k, v in facts.inbound.items()} or 0)
    out.gauge("quarantine_size", "Inbound messages held in quarantine.", facts.inbound.get("quarantined", 0))
    out.gauge("healthy", "1 when the health check passes, else 0.",
              1 if evaluate(facts, ctx.config.health, now).ok else 0)
    return out.text()
