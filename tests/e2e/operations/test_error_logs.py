"""Failed connections are logged with host, account, operation and the server's answer; a held lease names its holder."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

from practice_alerts.config import load_config
from practice_alerts.store import MAILBOX_LEASE, open_database, unit_of_work

from .conftest import SECRET, cli


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _imap_config(service: Path, port: int) -> None:
    text = service.read_text().replace("transport:\n  kind: maildir\n  path: mail\n", (
        "transport:\n  kind: imap_smtp\n"
        f"  imap: {{host: 127.0.0.1, port: {port}, security: none, username: practice.alerts@example.gov.uk,"
        " password_env: TEST_IMAP_PASSWORD, timeout_seconds: 5}\n"
        f"  smtp: {{host: 127.0.0.1, port: {port}, security: none, auth: none}}\n"))
    assert "imap_smtp" in text
    service.write_text(text)


def test_a_refused_imap_connection_names_host_account_operation_and_answer(service: Path) -> None:
    port = _closed_port()
    _imap_config(service, port)
    done = cli("run", "--once", "--config", str(service), env_extra={"TEST_IMAP_PASSWORD": "hunter2-secret"})
    assert done.returncode == 1
    records = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    failed = [r for r in records if r["event"] == "step_failed"]  # the pass goes on with the clock and outbox
    assert failed, done.stderr
    record = failed[0]
    assert record["error"] == "TransientTransportError"
    assert record["host"] == f"imap 127.0.0.1:{port}, smtp 127.0.0.1:{port}"
    assert record["account"] == "practice.alerts@example.gov.uk"
    assert record["operation"] == "fetch the inbox"
    assert "Connection refused" in record["answer"] and "127.0.0.1" in record["answer"]
    assert "hunter2" not in done.stderr


def test_answers_lose_passwords_and_other_peoples_addresses() -> None:
    from practice_alerts.pipeline.problems import scrubbed

    text = scrubbed("postgresql://svc:pw123@db.example/pa refused riley.child@example.org and ops@example.gov.uk",
                    keep=("ops@example.gov.uk",))
    assert text == "postgresql://svc:***@db.example/pa refused <address> and ops@example.gov.uk"


def test_a_held_lease_names_its_holder_and_when_it_lapses(service: Path) -> None:
    config = load_config(service, {"PRACTICE_ALERTS_SECRET": SECRET})
    database = open_database(config.database)
    now = dt.datetime.now(dt.timezone.utc)
    with unit_of_work(database, now=now) as work:
        work.acquire_lease(name=MAILBOX_LEASE, holder="oldhost:4242:abcd", ttl=dt.timedelta(minutes=3))
    database.dispose()
    done = cli("run", "--once", "--config", str(service))
    assert done.returncode == 3
    until = f"{now + dt.timedelta(minutes=3):%Y-%m-%d %H:%M:%S}"
    assert f"(oldhost:4242:abcd) holds the mailbox until {until} UTC" in done.stderr
