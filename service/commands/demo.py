"""The README's first command: the whole service on the embedded default, in a few seconds.

Sets up a folder (configuration, example directory, a local Maildir and SQLite), drops sample
mail into the inbox — a new alert from an IRO with a real filled form, the manager's reply,
the IRO's decision, an out-of-office — runs the service after each on a simulated clock, and
says where the sent mail and the generated documents are. Run again, it starts afresh.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
from email.message import Message
from email.parser import BytesParser
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path

from practice_alerts import demo_mail
from practice_alerts.commands.alert import chronology_lines
from practice_alerts.commands.init import EXAMPLE_DIRECTORY
from practice_alerts.config import load_config
from practice_alerts.pipeline.context import open_service
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.runloop import Runner
from practice_alerts.starter import starter_text

START = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)
DEMO_SECRET = "demo-only-message-id-key-not-secret"
IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SOCIAL_WORKER = ("Alex Example", "alex.example@example.gov.uk")
MAILBOX = "practice.alerts@example.gov.uk"
MARKER = ".practice-alerts-demo"


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def prepare(folder: Path, policy: str = "rutland") -> Path:
    """A fresh demo folder; returns the configuration file."""
    if folder.exists() and (folder / MARKER).exists():
        for sub in ("mail", "data", "documents"):
            shutil.rmtree(folder / sub, ignore_errors=True)
    for sub in ("data", "documents", "mail/new", "mail/cur", "mail/tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by practice-alerts demo; its mail, data and documents are replaced each run\n")
    config = folder / "practice-alerts.yaml"
    config.write_text(starter_text(policy=policy, mailbox=MAILBOX, demo=True), encoding="utf-8")
    (folder / "directory.yaml").write_text(EXAMPLE_DIRECTORY.read_text(encoding="utf-8"), encoding="utf-8")
    return config


def sent_messages(mail: Path) -> list[tuple[Path, Message]]:
    out = []
    for path in sorted((mail / ".sent" / "cur").glob("*")):
        out.append((path, BytesParser(policy=default).parsebytes(path.read_bytes())))

    return sorted(out, key=lambda pair: (parsedate_to_datetime(str(pair[1]["Date"])), str(pair[1]["Message-ID"])))


def find_sent(mail: Path, action: str, to: str) -> bytes:
    for path, message in sent_messages(mail):
        if f".{action}" in str(message["Message-ID"]) or f"-{action}-" in str(message["Message-ID"]):
            if to in str(message["To"]).lower():
                return path.read_bytes()
    raise LookupError(f"no sent {action} to {to}")


def run_demo(args: argparse.Namespace) -> int:
    folder = Path(args.dir).resolve()
    reused = (folder / MARKER).exists()
    config_file = prepare(folder)
    environ = dict(os.environ)
    if len(environ.get("PRACTICE_ALERTS_SECRET", "")) < 16:
        environ["PRACTICE_ALERTS_SECRET"] = DEMO_SECRET
    ctx = open_service(load_config(config_file, environ), environ)
    clock = Clock(START)
    runner = Runner(ctx, clock=clock, log=JsonLog(quiet=True))
    mail = folder / "mail"
    print(f"Demo folder: {folder}" + (" (previous run's mail, data and documents replaced)" if reused else ""))

    def step(label: str, data: bytes | None, at: dt.datetime) -> None:
        clock.now = at
        if data is not None:
            ctx.transport.deliver(data)  # type: ignore[attr-defined]
        report = runner.one_pass()
        print(f"- {at:%a %d %b %Y %H:%M} UTC  {label}: handled {report.handled}, clock events {report.clock_events}, "
              f"sent {report.sent}")

    try:
        policy = ctx.policy
        form = demo_mail.filled_form(policy, demo_mail.form_values(
            policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SOCIAL_WORKER, team_manager=None,
            raised=START.date()))
        step("IRO sends a new alert with the filled form",
             demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=START, message_id="<demo-1@example.gov.uk>"),
             START)
        letter = find_sent(mail, "stage1-letter", "jo.bloggs@")
        at = START + dt.timedelta(days=2, hours=4)
        step("the team manager replies to the stage letter", demo_mail.reply(
            letter, sender=("Jo Bloggs", "jo.bloggs@example.gov.uk"), at=at, mailbox=MAILBOX,
            message_id="<demo-2@example.gov.uk>", text="A visit is booked for Friday; the plan will be updated."), at)
        request = find_sent(mail, "decide", IRO[1])
        at += dt.timedelta(days=1)
        step("the IRO decides: not satisfied", demo_mail.reply(
            request, sender=IRO, at=at, mailbox=MAILBOX, message_id="<demo-3@example.gov.uk>",
            text="NOT SATISFIED\nThe plan still has no dates."), at)
        letter2 = find_sent(mail, "stage2-letter", "sam.sample@")
        at += dt.timedelta(minutes=5)
        step("the service manager's out-of-office arrives", demo_mail.reply(
            letter2, sender=("Sam Sample", "sam.sample@example.gov.uk"), at=at, mailbox=MAILBOX, out_of_office=True,
            message_id="<demo-4@example.gov.uk>", text="I am out of the office until 7 December 2026."), at)
        at = dt.datetime(2026, 12, 9, 9, 5, tzinfo=dt.timezone.utc)
        step("the clock runs on to the day before the due date", None, at)
        _summary(ctx, folder)
        clock.now = dt.datetime.now(dt.timezone.utc)
        runner.release()  # so 'practice-alerts run' on this folder is not kept waiting by the demo's clock
    finally:
        ctx.close()
    return 0


def _summary(ctx, folder: Path) -> None:
    mail = folder / "mail"
    print(f"\nSent mail (one .eml file each) is in {mail / '.sent' / 'cur'}:")
    for _path, message in sent_messages(mail):
        print(f"  to {str(message['To'])[:60]:60}  {message['Subject']}")
    print(f"\nGenerated documents are in {ctx.config.documents}:")
    for path in sorted(Path(ctx.config.documents).rglob("*.docx")):
        print(f"  {path.relative_to(folder)}")
    print(f"\nHandled mail is in {mail / '.processed' / 'cur'}; the database is {ctx.config.database}.")
    print("\nChronology of PA-2026-0001:")
    for line in chronology_lines(ctx, "PA-2026-0001"):
        print(f"  {line}")
    print(f"\nTry: practice-alerts status --config {folder / 'practice-alerts.yaml'}")
    print(f"The web console (sign in as anyone in the example directory; this computer only):\n"
          f"  practice-alerts web --config {folder / 'practice-alerts.yaml'} --dev-login\n"
          "  then open http://127.0.0.1:8080/ and sign in as 'LAC Admin (team mailbox)'")
