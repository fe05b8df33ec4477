"""Two service processes, one PostgreSQL database, one mailbox: one works, the other stands by.

Both run ``practice-alerts run`` (the loop). Only the lease holder handles mail; the test kills
it with SIGKILL part-way and the standby takes over once the lease expires. In the end every
message is handled once, every alert has exactly its events, and every outgoing message is in
the Sent folder once. Needs PRACTICE_ALERTS_TEST_POSTGRES_URL (each run gets its own schema).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml

from practice_alerts import demo_mail
from practice_alerts.commands.demo import prepare
from practice_alerts.policies.load import load_policy

POSTGRES_ENV = "PRACTICE_ALERTS_TEST_POSTGRES_URL"
SECRET = "two-process-message-id-key-0123456789"
MAILBOX = "practice.alerts@example.gov.uk"
IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
TM = ("Jo Bloggs", "jo.bloggs@example.gov.uk")
ALERTS = 15


def _libpq(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+')[0]}://{rest}"


def _skip_reason() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return f"{POSTGRES_ENV} is not set; this test needs a PostgreSQL server"
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'practice-alerts[postgres]')"
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return None
    except psycopg.OperationalError as error:
        return f"PostgreSQL at {POSTGRES_ENV} is unreachable: {str(error).strip().splitlines()[0] if str(error).strip() else error}"


pytestmark = [pytest.mark.postgres, pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")]


@pytest.fixture()
def postgres_url():
    import psycopg

    server = _libpq(os.environ[POSTGRES_ENV])
    schema = f"pa_svc_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _mailbox() -> list[bytes]:
    policy = load_policy("rutland")
    year = dt.datetime.now(dt.timezone.utc).year
    out = []
    for i in range(1, ALERTS + 1):
        form = demo_mail.filled_form(policy, demo_mail.form_values(
            policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=("Alex Example", "alex.example@example.gov.uk"),
            team_manager=None, raised=dt.date.today(), child=f"Child {i}", child_id=f"MOS-{i:06d}"))
        out.append(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=dt.datetime.now(dt.timezone.utc),
                                       message_id=f"<pg-alert-{i}@example.gov.uk>"))
    for i in range(1, ALERTS + 1):
        from email.message import EmailMessage

        m = EmailMessage()
        m["From"], m["To"], m["Message-ID"] = f"{TM[0]} <{TM[1]}>", MAILBOX, f"<pg-reply-{i}@example.gov.uk>"
        m["Subject"], m["X-MS-Exchange-Organization-AuthAs"] = f"RE: [PA-{year}-{i:04d}] Practice Alert", "Internal"
        m.set_content("Visit booked.")
        out.append(m.as_bytes())
    return out


def _start(config: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET}
    return subprocess.Popen([sys.executable, "-m", "practice_alerts", "run", "--config", str(config)], env=env,
                            stdout=subprocess.DEVNULL, stderr=open(log, "w"))


def _records(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def test_only_one_works_and_the_other_takes_over(tmp_path, postgres_url):
    from practice_alerts.store import open_database
    from practice_alerts.store.events import alert_events
    from practice_alerts.store.references import list_alerts
    from practice_alerts.store.tables import InboundMessage, OutboxMessage

    config = prepare(tmp_path, "rutland")
    data = yaml.safe_load(config.read_text())
    data["database"] = postgres_url
    data["service"] = {"poll_seconds": 0.3, "lease_seconds": 2, "send_claim_seconds": 1,
                       "rate_limit_per_hour": 100000, "rate_limit_per_day": 100000}  # one IRO gets everything here
    config.write_text(yaml.safe_dump(data))
    for n, raw in enumerate(_mailbox()):
        (tmp_path / "mail" / "new" / f"{1700000000 + n}.M{n}P1Q{n}.pg").write_bytes(raw)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    first = _start(config, logs[0])
    time.sleep(1.5)
    second = _start(config, logs[1])
    killed_at = None
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            handled = [r for r in _records(logs[0]) if r["event"] == "message"]
            if killed_at is None and len(handled) >= 5:
                first.send_signal(signal.SIGKILL)
                first.wait()
                killed_at = dt.datetime.now(dt.timezone.utc)
            if killed_at is not None and not list((tmp_path / "mail" / "new").iterdir()) and any(
                    r["event"] == "pass" and r.get("sent", 0) == 0 and r["handled"] == 0 for r in _records(logs[1])
                    if dt.datetime.fromisoformat(r["ts"]) > killed_at):
                break
            time.sleep(0.3)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
    assert killed_at is not None, "the first process never started handling mail"
    b_messages = [r for r in _records(logs[1]) if r["event"] == "message"]
    assert b_messages, "the standby never took over"
    assert all(dt.datetime.fromisoformat(r["ts"]) > killed_at for r in b_messages)  # never both at once
    assert any(r["event"] == "standby" for r in _records(logs[1]))

    database = open_database(postgres_url)
    try:
        with database._read_session() as session:  # raw rows: the store's own hook, for tests
            alerts = {a.reference: [e.event_type for e in alert_events(session, a.reference)] for a in list_alerts(session)}
            inbound = [r.status for r in session.query(InboundMessage)]
            outbox = [(r.message_id, r.status) for r in session.query(OutboxMessage)]
    finally:
        database.dispose()
    assert len(alerts) == ALERTS
    assert all(events == ["form_filed", "raised", "response"] for events in alerts.values()), alerts
    assert inbound.count("processed") == 2 * ALERTS and len(inbound) == 2 * ALERTS
    assert all(status == "sent" for _, status in outbox)
    from email.parser import BytesHeaderParser

    sent_ids = [str(BytesHeaderParser().parsebytes(p.read_bytes())["Message-ID"]).strip()
                for p in (tmp_path / "mail" / ".sent" / "cur").iterdir()]
    assert sorted(sent_ids) == sorted(m for m, _ in outbox)
