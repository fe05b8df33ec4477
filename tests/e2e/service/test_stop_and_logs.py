"""Stopping between messages, a mistyped mailbox named at start-up, and logs without personal data."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections import Counter

from practice_alerts import demo_mail
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.runloop import Runner

from .conftest import MAILBOX, SECRET

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
TM = ("Jo Bloggs", "jo.bloggs@example.gov.uk")
CHILD, CHILD_ID = "Riley Example", "MOS-200101"
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def _alert(policy, n: int, *, filename: str = "Practice Alert.docx", concern: bool = True) -> bytes:
    values = demo_mail.form_values(policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None,
                                   raised=T0.date(), child=CHILD, child_id=CHILD_ID)
    values["concern"] = f"{values['concern']} Occasion {n}."  # three different concerns, not duplicates
    if not concern:
        del values["concern"]
    return demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=demo_mail.filled_form(policy, values), at=T0,
                               message_id=f"<stop-{n}@example.gov.uk>", filename=filename)


def _counts(h) -> tuple[dict[str, int], dict[str, int]]:
    with h.ctx.database.reading() as reads:
        inbound = reads.inbound_counts()
        outbox = dict(Counter(m.status for m in reads.outbox_items()))
    return inbound, outbox


class _StopAfter:
    """A log that asks the runner to stop once it has logged ``count`` handled messages (as SIGTERM would)."""

    def __init__(self, runner_box: list, count: int) -> None:
        self.box, self.count, self.seen = runner_box, count, 0

    def __call__(self, event: str, level: str = "info", **fields) -> None:
        if event == "message":
            self.seen += 1
            if self.seen >= self.count:
                self.box[0].stop.set()


def test_a_stop_request_ends_the_pass_between_messages_and_a_restart_finishes(harness):
    h = harness("rutland")
    for n in range(3):
        h.drop(_alert(h.ctx.policy, n))
    box: list = []
    stopping = Runner(h.ctx, clock=lambda: h.now, log=_StopAfter(box, 1))
    box.append(stopping)
    report = stopping.one_pass()
    assert report.leader and report.handled == 1 and report.sent == 0  # nothing after the stop request
    inbound, outbox = _counts(h)
    assert inbound == {"processed": 1, "received": 2} and outbox == {"pending": 3}
    assert len(list((h.mail / "new").iterdir())) == 2  # stored, not yet handled: still in the inbox
    stopping.release()

    assert h.run().handled == 2  # another process (or a restart) carries on at once: the lease was released
    inbound, outbox = _counts(h)
    assert inbound == {"processed": 3} and outbox == {"sent": 9}
    with h.ctx.database.reading() as reads:
        assert [a.reference for a in reads.list_alerts()] == ["PA-2026-0001", "PA-2026-0002", "PA-2026-0003"]


class _StoppingTransport:
    """The real Maildir transport; the runner is asked to stop after the first message it sends."""

    def __init__(self, real, runner_box: list) -> None:
        self.real, self.box = real, runner_box

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None:
        self.real.send(data, sender=sender, recipients=recipients)
        self.box[0].stop.set()

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_stop_while_sending_gives_the_rest_of_the_batch_back_unclaimed(harness):
    h = harness("rutland")
    h.drop(_alert(h.ctx.policy, 1))
    box: list = []
    real = h.ctx.transport
    h.ctx.transport = _StoppingTransport(real, box)
    runner = Runner(h.ctx, clock=lambda: h.now, log=JsonLog(quiet=True))
    box.append(runner)
    assert runner.one_pass().sent == 1
    runner.release()
    h.ctx.transport = real
    with h.ctx.database.reading() as reads:
        rows = reads.outbox_items()
    waiting = [r for r in rows if r.status == "pending"]
    assert len(waiting) == 2 and all(r.attempts == 0 and r.claimed_until is None for r in waiting)
    assert h.run().sent == 2 and len(h.sent()) == 3  # at once, not after the claim would have expired


def test_a_mistyped_maildir_path_stops_start_up_naming_the_setting(harness):
    h = harness("rutland")
    h.close()
    h.config_file.write_text(h.config_file.read_text().replace("path: mail", "path: mial"))
    done = subprocess.run([sys.executable, "-m", "practice_alerts", "run", "--once", "--config", str(h.config_file)],
                          capture_output=True, text=True, env={**os.environ, "PRACTICE_ALERTS_SECRET": SECRET},
                          timeout=120)
    assert done.returncode == 2
    assert "transport.path: there is no folder" in done.stderr and "mial" in done.stderr
    assert not (h.folder / "mial").exists()


def test_the_logs_of_a_whole_flow_hold_no_personal_data(harness):
    h = harness("rutland")
    stream = io.StringIO()
    h.runner = Runner(h.ctx, clock=lambda: h.now, log=JsonLog(stream))
    policy = h.ctx.policy
    h.drop(_alert(policy, 1, filename=f"{CHILD} practice alert.docx"))
    h.drop(_alert(policy, 2, filename=f"{CHILD} corrected.docx", concern=False))
    stranger = _alert(policy, 3).replace(b"dana.reviewer@example.gov.uk>", b"riley.parent@elsewhere.example>", 1)
    h.drop(stranger)
    h.run()
    letter = h.find("stage1-letter", TM[1])
    h.drop(demo_mail.reply(letter.as_bytes(), sender=TM, mailbox=MAILBOX, at=T0 + dt.timedelta(days=1),
                           message_id="<log-reply@example.gov.uk>", text=f"{CHILD} will be visited on Friday."))
    h.run(T0 + dt.timedelta(days=1))
    request = h.find("decide", IRO[1])
    h.drop(demo_mail.reply(request.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(days=2),
                           message_id="<log-unclear@example.gov.uk>", text=f"Maybe? {CHILD} needs more."))
    h.drop(demo_mail.reply(request.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(days=2, hours=1),
                           message_id="<log-decision@example.gov.uk>", text="NOT SATISFIED\nNo visit yet."))
    h.run(T0 + dt.timedelta(days=2, hours=2))
    stage2 = h.find("stage2-letter", "sam.sample@")
    h.drop(demo_mail.reply(stage2.as_bytes(), sender=("Sam Sample", "sam.sample@example.gov.uk"), mailbox=MAILBOX,
                           at=T0 + dt.timedelta(days=2, hours=3), message_id="<log-ooo@example.gov.uk>",
                           text="I am away until 14/12/2026.", out_of_office=True))
    h.run(T0 + dt.timedelta(days=2, hours=4))
    h.run(T0 + dt.timedelta(days=14))  # reminders and the missed deadline
    with h.ctx.database.reading() as reads:
        kinds = [e.event_type for e in reads.events("PA-2026-0001")]
    assert {"raised", "response", "not_satisfied", "out_of_office", "deadline_missed"} <= set(kinds), kinds

    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    events = {r["event"] for r in records}
    assert {"message", "pass"} <= events
    assert {r["kind"] for r in records if r["event"] == "message"} >= {"new_alert", "quarantine", "response",
                                                                       "decision", "auto_reply"}
    text = stream.getvalue()
    for personal in ("Riley", CHILD_ID, "Dana", "Reviewer", "Bloggs", "Sam Sample", "Alex", "@", "elsewhere",
                     "visited on Friday", "No visit yet", "statutory visit", "2015-06-01", "01/06/2015"):
        assert personal not in text, f"{personal!r} in the log"


def test_sigterm_during_run_once_stops_between_messages_and_frees_the_mailbox(harness):
    import signal

    h = harness("rutland")
    for n in range(40):
        h.drop(_alert(h.ctx.policy, 100 + n))
    h.close()
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET}
    command = [sys.executable, "-m", "practice_alerts", "run", "--once", "--config", str(h.config_file)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    first = process.stderr.readline()  # the first handled message: the pass is under way
    assert '"event": "message"' in first, first
    process.send_signal(signal.SIGTERM)
    rest = process.stderr.read()
    assert process.wait(timeout=60) == 0, rest  # not killed by the signal (that would be -15)
    handled = 1 + sum('"event": "message"' in line for line in rest.splitlines())
    assert handled < 40 and '"event": "pass"' in rest
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr  # the lease was released: no "another process holds the mailbox"
    assert len(list((h.mail / ".processed" / "cur").iterdir())) == 40 and not list((h.mail / "new").iterdir())


def test_a_stop_requested_before_the_mailbox_is_read_leaves_the_mail_in_the_inbox(harness):
    h = harness("rutland")
    h.drop(_alert(h.ctx.policy, 1))
    runner = Runner(h.ctx, clock=lambda: h.now, log=JsonLog(quiet=True))
    runner.stop.set()
    report = runner.one_pass()
    assert report.leader and report.fetched == 0 and report.handled == 0 and report.clock_events == 0
    assert _counts(h) == ({}, {}) and len(list((h.mail / "new").iterdir())) == 1
    runner.release()
    assert h.run().handled == 1
