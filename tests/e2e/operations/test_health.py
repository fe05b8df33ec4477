"""The health check: last poll, stuck outbox and failing mail, through ``health`` and ``status`` exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from practice_alerts.config import HealthLimits, load_config
from practice_alerts.health import evaluate
from practice_alerts.store import DEFAULT_RETRY, HealthFacts, OutgoingMail, open_database, unit_of_work

from .conftest import SECRET, cli

NOW = dt.datetime(2027, 1, 5, 10, 0, tzinfo=dt.timezone.utc)
LIMITS = HealthLimits(max_poll_age_seconds=600, max_outbox_age_seconds=3600)


def _facts(**changes: object) -> HealthFacts:
    base = {"last_poll": NOW - dt.timedelta(minutes=2), "outbox_pending": 0, "oldest_pending": None,
            "failing_sends": 0, "given_up": 0, "inbound": {"processed": 3}}
    return HealthFacts.model_validate({**base, **changes})


def test_each_reason_to_be_unwell_is_named() -> None:
    assert evaluate(_facts(), LIMITS, NOW).ok
    never = evaluate(_facts(last_poll=None), LIMITS, NOW)
    assert never.problems == ["The service has never completed a pass: start it ('practice-alerts run') and "
                              "check its log."]
    stale = evaluate(_facts(last_poll=NOW - dt.timedelta(minutes=75)), LIMITS, NOW)
    assert stale.problems[0].startswith("The last complete pass was 1 h 15 min ago (limit 10 min)")
    stuck = evaluate(_facts(outbox_pending=1, oldest_pending=NOW - dt.timedelta(hours=2)), LIMITS, NOW)
    assert stuck.problems[0].startswith("A message has waited 2 h 0 min in the outbox (limit 1 h 0 min)")
    failing = evaluate(_facts(failing_sends=2, given_up=1, inbound={"failed": 1}), LIMITS, NOW)
    assert len(failing.problems) == 2 and failing.exit_code == 1
    assert failing.problems[0].startswith("2 message(s) are failing to send and 1 were given up")
    assert failing.problems[1].startswith("1 inbound message(s) failed in handling")


def test_health_and_status_exit_codes_follow_the_service(service: Path) -> None:
    before = cli("health", "--config", str(service))
    assert before.returncode == 1 and "never completed a pass" in before.stdout
    assert cli("run", "--once", "--config", str(service)).returncode == 0
    well = cli("health", "--config", str(service), "--json")
    assert well.returncode == 0, well.stdout
    assert json.loads(well.stdout)["ok"] is True
    status = cli("status", "--config", str(service))
    assert status.returncode == 0 and status.stdout.splitlines()[-1] == "Health: ok"

    config = load_config(service, {"PRACTICE_ALERTS_SECRET": SECRET})
    database = open_database(config.database)
    now = dt.datetime.now(dt.timezone.utc)
    with unit_of_work(database, now=now - dt.timedelta(hours=3)) as work:
        item = work.enqueue(OutgoingMail(message_id="<stuck@practice-alerts.invalid>", purpose="stage_letter",
                                         envelope_from="practice.alerts@example.gov.uk",
                                         envelope_to=["jo.bloggs@example.gov.uk"], raw=b"Subject: x\r\n\r\nx"))
    with unit_of_work(database, now=now) as work:
        work.mark_failed(item.id, error="try again later: Could not reach the SMTP server", policy=DEFAULT_RETRY)
    database.dispose()
    unwell = cli("status", "--config", str(service))
    assert cli("health", "--config", str(service)).returncode == 1
    assert "A message has waited 3 h 0 min in the outbox" in unwell.stdout.splitlines()[-1]
    assert "1 message(s) are failing to send" in unwell.stdout
    facts = json.loads(cli("health", "--config", str(service), "--json").stdout)
    assert facts["ok"] is False and facts["outbox_waiting"] == 1 and facts["failing_sends"] == 1
