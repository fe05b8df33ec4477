"""The whole service on a backlog: messages per second, where the time goes, and peak memory.

    .venv/bin/python bench/bench_service.py [--messages 1000] [--sizes 250,1000]

Builds a Maildir backlog of mixed mail (new alerts with real filled forms, the managers'
replies, the IROs' decisions, out-of-office replies, a few strangers), then runs ONE pass of the
service in a fresh process per size, end to end (store, classify, read forms, decide, render,
compose, outbox, send to the local Sent folder), on SQLite. It prints messages per second, the
share of time in parsing (classify + form reading), workflow (decide + recording what was decided + clock),
rendering (documents + composing mail), the mailbox (the Maildir transport moving and sending
files) and the rest (storage: SQL transactions, the outbox, the event log, reading the inbox),
and the process's peak resident memory. Peak memory must not grow with the backlog's size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from functools import wraps
from pathlib import Path

SECRET = "bench-message-id-key-0123456789"


def build_backlog(folder: Path, messages: int) -> Path:
    from email.message import EmailMessage

    import yaml

    from practice_alerts import demo_mail
    from practice_alerts.commands.demo import prepare
    from practice_alerts.forms.build import build_form
    from practice_alerts.forms.fill import fill_form
    from practice_alerts.policies.load import load_policy

    config = prepare(folder, "rutland")
    data = yaml.safe_load(config.read_text())
    data["service"] = {"send_batch": 100, "rate_limit_per_hour": 100000, "rate_limit_per_day": 100000}
    config.write_text(yaml.safe_dump(data))
    policy = load_policy("rutland")
    blank = build_form(policy)
    mailbox, iro, tm, sm = "practice.alerts@example.gov.uk", ("Dana Reviewer", "dana.reviewer@example.gov.uk"), \
        ("Jo Bloggs", "jo.bloggs@example.gov.uk"), ("Sam Sample", "sam.sample@example.gov.uk")
    year, today = dt.datetime.now(dt.timezone.utc).year, dt.date.today()

    def plain(sender, subject, text, mid, auto=False) -> bytes:
        m = EmailMessage()
        m["From"], m["To"], m["Subject"], m["Message-ID"] = f"{sender[0]} <{sender[1]}>", mailbox, subject, mid
        m["Date"], m["X-MS-Exchange-Organization-AuthAs"] = "Mon, 30 Nov 2026 09:30:00 +0000", "Internal"
        if auto:
            m["Auto-Submitted"] = "auto-replied"
        m.set_content(text)
        return m.as_bytes()

    alerts = messages // 4
    out: list[bytes] = []
    for i in range(1, alerts + 1):
        values = demo_mail.form_values(policy, iro_name=iro[0], iro_email=iro[1],
                                       social_worker=("Alex Example", "alex.example@example.gov.uk"),
                                       team_manager=None, raised=today, child=f"Child {i}", child_id=f"MOS-{i:06d}")
        out.append(demo_mail.new_alert(sender=iro, mailbox=mailbox, form=fill_form(blank, values),
                                       at=dt.datetime.now(dt.timezone.utc), message_id=f"<a{i}@example.gov.uk>"))
        ref = f"PA-{year}-{i:04d}"
        out.append(plain(tm, f"RE: [{ref}] Practice Alert - Stage 1", "Visit booked for Friday.", f"<r{i}@example.gov.uk>"))
        out.append(plain(iro, f"RE: [{ref}] Response received", "NOT SATISFIED\nNo dates.", f"<d{i}@example.gov.uk>"))
        out.append(plain(sm, f"Automatic reply: [{ref}] Practice Alert - Stage 2", "Away until Monday.",
                         f"<o{i}@example.gov.uk>", auto=True))
    while len(out) < messages:
        out.append(plain(("Someone", "x@elsewhere.example"), "hello", "hi", f"<x{len(out)}@elsewhere.example>"))
    # Interleave so replies follow their alerts but the kinds are mixed.
    for n, raw in enumerate(out):
        (folder / "mail" / "new" / f"{1700000000 + n}.M{n}P1Q{n}.bench").write_bytes(raw)
    return config


def timed_pass(config: Path) -> dict:
    """One pass in this process, with each stage's time added up."""
    import practice_alerts.documents.render as render
    import practice_alerts.pipeline.actions as actions
    import practice_alerts.pipeline.handle as handle
    import practice_alerts.pipeline.record as record
    import practice_alerts.pipeline.ticks as ticks
    from practice_alerts.config import load_config
    from practice_alerts.pipeline.context import open_service
    from practice_alerts.pipeline.log import JsonLog
    from practice_alerts.runloop import Runner

    spent: dict[str, float] = defaultdict(float)

    def wrap(module, name, bucket):
        original = getattr(module, name)

        @wraps(original)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[bucket] += time.perf_counter() - start
        setattr(module, name, timed)

    wrap(handle, "classify", "parsing")
    wrap(handle, "read_form", "parsing")
    wrap(handle, "decide", "workflow")
    wrap(record, "decide", "workflow")
    wrap(record, "decided", "workflow")
    wrap(record, "next_clock_at", "workflow")
    wrap(ticks, "due_clock_events", "workflow")
    wrap(actions, "compose_bytes", "rendering")
    from practice_alerts.mailflow.transports.maildir import MaildirTransport

    wrap(MaildirTransport, "mark_handled", "mailbox")
    wrap(MaildirTransport, "send", "mailbox")
    for name in ("stage_letter", "acknowledgement", "decision_request", "closure", "case_note",
                 "external_agency_letter", "cafcass_referral"):
        wrap(render, name, "rendering")
    environ = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET}
    ctx = open_service(load_config(config, environ), environ)
    runner = Runner(ctx, log=JsonLog(quiet=True))
    start = time.perf_counter()
    report = runner.one_pass()
    total = time.perf_counter() - start
    ctx.close()
    rest = total - sum(spent.values())
    return {"handled": report.handled, "sent": report.sent, "seconds": total,
            "shares": {k: spent[k] / total for k in ("parsing", "workflow", "rendering", "mailbox")} | {"storage": rest / total},
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,1000", help="backlog sizes, comma-separated")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(timed_pass(Path(args.child))))
        return
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            config = build_backlog(Path(tmp) / "bench", size)
            done = subprocess.run([sys.executable, __file__, "--child", str(config)], capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(done.stderr)
            result = json.loads(done.stdout.strip().splitlines()[-1])
        shares = ", ".join(f"{k} {v:.0%}" for k, v in result["shares"].items())
        print(f"{size:5d} messages: {result['handled']} handled, {result['sent']} sent in {result['seconds']:.1f} s = "
              f"{result['handled'] / result['seconds']:.0f} messages/s; {shares}; peak memory {result['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
