"""Nothing lost, nothing twice: SIGKILL at random points while a mailbox of mixed mail is handled.

The service runs as a subprocess (``run --once``) with the test hook that kills it at random
points (after storing a message, before a commit, after a commit, after claiming or sending
outgoing mail). It is restarted until a pass finishes with nothing left to do. The end state
must equal an uninterrupted run's: every message handled once with the same outcome, the same
alerts and events, the same outbox, and every outgoing message delivered to a real SMTP server
(aiosmtpd on loopback). A message can reach the server twice only when the kill fell between
the server accepting it and the outbox recording it: each repeat is checked against the kill log,
which names the Message-ID whose send was cut off there.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest
import yaml

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

from practice_alerts import demo_mail  # noqa: E402
from practice_alerts.commands.demo import prepare  # noqa: E402
from practice_alerts.policies.load import load_policy  # noqa: E402
from practice_alerts.store import open_database  # noqa: E402
from practice_alerts.store.events import alert_events  # noqa: E402
from practice_alerts.store.references import list_alerts  # noqa: E402
from practice_alerts.store.tables import InboundMessage, OutboxMessage  # noqa: E402

pytestmark = pytest.mark.mailserver
SECRET = "crash-test-message-id-key-0123456789"
MAILBOX = "practice.alerts@example.gov.uk"
IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
TM = ("Jo Bloggs", "jo.bloggs@example.gov.uk")
SM = ("Sam Sample", "sam.sample@example.gov.uk")
ALERTS = 56  # 4 messages per alert and a few strangers and repeats: about 250 in all


class Collector:
    def __init__(self) -> None:
        self.ids: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = BytesParser(policy=default).parsebytes(envelope.content)
        self.ids.append(str(message["Message-ID"]).strip())
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _message(sender, subject: str, text: str, message_id: str, *, auto: bool = False) -> bytes:
    from email.message import EmailMessage

    m = EmailMessage()
    m["From"] = f"{sender[0]} <{sender[1]}>"
    m["To"] = MAILBOX
    m["Subject"] = subject
    m["Message-ID"] = message_id
    m["Date"] = "Mon, 30 Nov 2026 09:30:00 +0000"
    m["X-MS-Exchange-Organization-AuthAs"] = "Internal"
    if auto:
        m["Auto-Submitted"] = "auto-replied"
    m.set_content(text)
    return m.as_bytes()


def mailbox() -> list[bytes]:
    """A few hundred mixed messages: alerts, replies, decisions, automatic replies, strangers, repeats."""
    policy = load_policy("rutland")
    today = dt.date.today()
    out: list[bytes] = []
    for i in range(1, ALERTS + 1):
        form = demo_mail.filled_form(policy, demo_mail.form_values(
            policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=today,
            child=f"Child {i}", child_id=f"MOS-{i:06d}"))
        out.append(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=dt.datetime.now(dt.timezone.utc),
                                       message_id=f"<alert-{i}@example.gov.uk>"))
    for i in range(1, ALERTS + 1):
        ref = f"PA-{dt.datetime.now(dt.timezone.utc).year}-{i:04d}"
        out.append(_message(TM, f"RE: OFFICIAL-SENSITIVE: [{ref}] Practice Alert - Stage 1", "Visit booked.",
                            f"<reply-{i}@example.gov.uk>"))
        out.append(_message(IRO, f"RE: [{ref}] Response received", "NOT SATISFIED\nNo dates yet.",
                            f"<decision-{i}@example.gov.uk>"))
        out.append(_message(SM, f"Automatic reply: [{ref}] Practice Alert - Stage 2", "I am away until Monday.",
                            f"<ooo-{i}@example.gov.uk>", auto=True))
        if i % 5 == 0:
            out.append(_message(("Someone", "someone@elsewhere.example"), f"[{ref}] hello", "Hi", f"<x-{i}@elsewhere.example>"))
        if i % 6 == 0:
            out.append(_message(TM, f"RE: [{ref}] Practice Alert - Stage 1", "Visit booked.", f"<reply-{i}@example.gov.uk>"))
    return out


def _setup(folder: Path, port: int, messages: list[bytes]) -> Path:
    config = prepare(folder, "rutland")
    data = yaml.safe_load(config.read_text())
    data["transport"]["relay"] = {"host": "127.0.0.1", "port": port, "security": "none", "auth": "none"}
    data["service"] = {"poll_seconds": 1, "lease_seconds": 0.5, "send_claim_seconds": 0.2,
                       "rate_limit_per_hour": 100000, "rate_limit_per_day": 100000}  # one IRO gets everything here
    # The digests go out by the wall clock (Monday mornings): the two runs would differ if one ran before
    # the hour and the other after it.
    data["notices"] = {"quarantine_digest": False, "weekly_digest": False}
    config.write_text(yaml.safe_dump(data))
    for n, raw in enumerate(messages):
        (folder / "mail" / "new" / f"{1700000000 + n}.M{n}P1Q{n}.test").write_bytes(raw)
    return config


def _run(config: Path, crash: float = 0.0, seed: int = 0, log: Path | None = None) -> tuple[int, str]:
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET}
    if crash:
        env.update(PRACTICE_ALERTS_TEST_CRASH=str(crash), PRACTICE_ALERTS_TEST_CRASH_SEED=str(seed),
                   PRACTICE_ALERTS_TEST_CRASH_LOG=str(log))
    done = subprocess.run([sys.executable, "-m", "practice_alerts", "run", "--once", "--config", str(config)],
                          env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stderr[-2000:]


def _end_state(folder: Path) -> dict:
    database = open_database(str(folder / "data" / "practice-alerts.db"))
    try:
        with database._read_session() as session:  # raw rows: the store's own hook, for tests
            alerts = {a.reference: [e.event_type for e in alert_events(session, a.reference)]
                      for a in list_alerts(session)}
            inbound = sorted((r.message_id, r.status, r.outcome) for r in session.query(InboundMessage))
            outbox = sorted((r.message_id, r.status) for r in session.query(OutboxMessage))
    finally:
        database.dispose()
    inbox_left = list((folder / "mail" / "new").iterdir()) + list((folder / "mail" / "cur").iterdir())
    return {"alerts": alerts, "inbound": inbound, "outbox": outbox, "inbox_left": len(inbox_left)}


def test_sigkill_at_random_points_loses_nothing_and_doubles_nothing(tmp_path):
    from aiosmtpd.controller import Controller

    messages = mailbox()
    assert len(messages) >= 240
    plain, crashy = Collector(), Collector()
    ports = (_free_port(), _free_port())
    servers = [Controller(plain, hostname="127.0.0.1", port=ports[0]), Controller(crashy, hostname="127.0.0.1", port=ports[1])]
    for server in servers:
        server.start()
    try:
        reference = _setup(tmp_path / "plain", ports[0], messages)
        code, errors = _run(reference)
        assert code == 0, errors
        expected = _end_state(tmp_path / "plain")

        config = _setup(tmp_path / "crashy", ports[1], messages)
        log = tmp_path / "kills.log"
        kills, seed = 0, 1
        while True:
            code, errors = _run(config, crash=0.004, seed=seed, log=log)
            seed += 1
            if code == 0 and _end_state(tmp_path / "crashy")["outbox"] and all(
                    status == "sent" for _, status in _end_state(tmp_path / "crashy")["outbox"]) \
                    and _end_state(tmp_path / "crashy")["inbox_left"] == 0:
                break
            if code in (3,):  # the killed process's lease has not expired yet
                time.sleep(0.5)
                continue
            assert code == -9, f"the service failed with exit code {code}: {errors}"
            kills += 1
            assert kills < 60, "too many restarts"
        got = _end_state(tmp_path / "crashy")
    finally:
        for server in servers:
            server.stop()

    assert kills >= 3, "the hook should have killed the service a few times"
    assert got == expected
    assert all(status == "sent" for _, status in expected["outbox"])
    sent_ids = {m for m, _ in expected["outbox"]}
    assert Counter(plain.ids) == Counter(sent_ids)  # uninterrupted: each exactly once
    assert set(crashy.ids) == sent_ids  # nothing lost
    kill_log = [line.split() for line in log.read_text().splitlines()]
    killed_after_send = Counter(parts[1] for parts in kill_log if parts[0] == "after-send")
    repeats = {message_id: n - 1 for message_id, n in Counter(crashy.ids).items() if n > 1}
    # A message reaches the server twice only when the kill fell in the one window SMTP cannot close:
    # after the server's 250 and before the outbox's "sent" commit. Each repeat is such a kill, of that message.
    for message_id, extra in repeats.items():
        assert extra <= killed_after_send[message_id], f"{message_id} repeated without a kill after sending it"
    points = Counter(parts[0] for parts in kill_log)
    print(f"\n{len(messages)} messages, {len(sent_ids)} sent, {kills} kills ({points}), "
          f"{sum(repeats.values())} repeated delivery(ies)")
