"""Is the service well? The one place that decides, for ``practice-alerts health``, ``status``'s exit
code and the console's ``/healthz``.

    health = check_health(database, config.health, now)
    health.ok, health.problems   # each problem a sentence an IT officer can act on

Unwell when: the last complete pass is older than ``health.max_poll_age_seconds`` (the service
stopped, or every pass fails); a message has waited in the outbox longer than
``health.max_outbox_age_seconds``; more messages are failing to send, or were given up, than
``health.max_failing_sends``; more inbound messages failed in handling than ``max_failed_inbound``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from practice_alerts.config import HealthLimits
from practice_alerts.store import HealthFacts

EXIT_HEALTHY = 0
EXIT_UNHEALTHY = 1


@dataclass(frozen=True)
class Health:
    facts: HealthFacts
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exit_code(self) -> int:
        return EXIT_HEALTHY if self.ok else EXIT_UNHEALTHY

    def as_json(self) -> dict[str, Any]:
        f = self.facts
        return {"ok": self.ok, "problems": self.problems,
                "last_successful_poll": f.last_poll.isoformat() if f.last_poll else None,
                "outbox_waiting": f.outbox_pending,
                "outbox_oldest": f.oldest_pending.isoformat() if f.oldest_pending else None,
                "failing_sends": f.failing_sends, "given_up": f.given_up, "inbound": f.inbound}


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def evaluate(facts: HealthFacts, limits: HealthLimits, now: dt.datetime) -> Health:
    """The verdict on ``facts``; pure, so the console and the tests can call it with any numbers."""
    problems: list[str] = []
    if facts.last_poll is None:
        problems.append("The service has never completed a pass: start it ('practice-alerts run') and check its log.")
    elif (age := (now - facts.last_poll).total_seconds()) > limits.max_poll_age_seconds:
        problems.append(f"The last complete pass was {_age(age)} ago (limit {_age(limits.max_poll_age_seconds)}): "
                        "the service has stopped or every pass is failing; check its log.")
    if facts.oldest_pending is not None:
        waited = (now - facts.oldest_pending).total_seconds()
        if waited > limits.max_outbox_age_seconds:
            problems.append(f"A message has waited {_age(waited)} in the outbox (limit "
                            f"{_age(limits.max_outbox_age_seconds)}): see 'practice-alerts status' for why.")
    failing = facts.failing_sends + facts.given_up
    if failing > limits.max_failing_sends:
        problems.append(f"{facts.failing_sends} message(s) are failing to send and {facts.given_up} were given up: "
                        "see 'practice-alerts status' for the mail server's answers.")
    failed_in = facts.inbound.get("failed", 0)
    if failed_in > limits.max_failed_inbound:
        problems.append(f"{failed_in} inbound message(s) failed in handling and are set aside: see "
                        "'practice-alerts status'.")
    return Health(facts=facts, problems=problems)


def check_health(database: Any, limits: HealthLimits, now: dt.datetime) -> Health:
    """Read the facts from ``database`` (a store Database) and judge them."""
    with database.reading() as reads:
        facts = reads.health_facts()
    return evaluate(facts, limits, now)
