"""Time from a message landing to its stage letter being sent, with push and with polling, in one run.

    .venv/bin/python bench/bench_push.py [--messages 8] [--poll 10] [--no-imap]

Runs the real service (``practice-alerts run`` in a subprocess) on
  (i)  the local folder (Maildir): an alert form is written into mail/new, done when the stage
       letter, the QA copy and the acknowledgement are in mail/.sent;
  (ii) IMAP + SMTP: real Dovecot and aiosmtpd on loopback (as the transport tests start them);
       the form is APPENDed to the inbox, done when the SMTP server has accepted the three messages.
Each transport is run twice: with push (IMAP IDLE, the inotify watch) and a one-hour poll, and
with push off and a ``--poll`` second poll interval (the baseline: the median wait there is about
half the interval plus a pass; with the default 60 s poll it is about 30 s). Messages land at
random moments. The aim: median under 5 s with push.
"""

from __future__ import annotations

import argparse
import datetime as dt
import imaplib
import os
import random
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration" / "transports"))

from practice_alerts import demo_mail  # noqa: E402
from practice_alerts.commands.demo import prepare  # noqa: E402
from practice_alerts.policies.load import load_policy  # noqa: E402

SECRET = "bench-push-message-id-key-0123456789"
IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")


def _alert(n: int) -> bytes:
    policy = load_policy("rutland")
    at = dt.datetime.now(dt.timezone.utc)
    form = demo_mail.filled_form(policy, demo_mail.form_values(policy, iro_name=IRO[0], iro_email=IRO[1],
                                                               social_worker=SW, team_manager=None, raised=at.date()))
    return demo_mail.new_alert(sender=IRO, mailbox="practice.alerts@example.gov.uk", form=form, at=at,
                               message_id=f"<bench-push-{n}-{time.time_ns()}@example.gov.uk>")


def _measure(config: Path, count: int, land: Callable[[bytes], None], sent: Callable[[], int],
             env: dict[str, str]) -> list[float]:
    process = subprocess.Popen([sys.executable, "-m", "practice_alerts", "run", "--config", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 120
        while not (config.parent / "data" / "practice-alerts.db").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(3)  # the first pass
        forms = [_alert(n) for n in range(count)]
        times = []
        for data in forms:
            time.sleep(random.uniform(0.5, 3.0))
            before = sent()
            started = time.monotonic()
            land(data)
            while sent() < before + 3:
                if time.monotonic() - started > 600:
                    raise SystemExit("no letter within 10 minutes: is the service running?")
                time.sleep(0.02)
            times.append(time.monotonic() - started)
        return times
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            print("  (the service did not stop within 60 s of SIGTERM; killed)", file=sys.stderr)
            process.kill()
            process.wait()


def _configure(config: Path, *, push: bool, poll: float, transport: str | None = None) -> None:
    text = config.read_text().replace("poll_seconds: 60", f"poll_seconds: {poll}\n  push: {str(push).lower()}")
    if transport is not None:
        text = text.replace("transport:\n  kind: maildir\n  path: mail\n", transport)
    config.write_text(text)


def _line(name: str, times: list[float], baseline: list[float] | None) -> str:
    median = statistics.median(times)
    ratio = f"  ({statistics.median(baseline) / median:.1f}x faster than polling)" if baseline else ""
    return f"{name:<34} median {median:6.2f} s   max {max(times):6.2f} s   n={len(times)}{ratio}"


def bench_maildir(count: int, poll: float, env: dict[str, str]) -> list[str]:
    lines = []
    baseline: list[float] | None = None
    for push in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            config = prepare(Path(folder) / "svc")
            _configure(config, push=push, poll=3600 if push else poll)
            mail = config.parent / "mail"
            counter = iter(range(1, 10**6))

            def land(data: bytes, mail: Path = mail, counter: Iterator[int] = counter) -> None:
                n = next(counter)
                tmp = mail / "tmp" / f"{time.time_ns()}.M{n}P1.bench"
                tmp.write_bytes(data)
                os.rename(tmp, mail / "new" / tmp.name)  # as a delivery agent does

            sent_folder = mail / ".sent" / "cur"
            times = _measure(config, count, land,
                             lambda folder=sent_folder: len(os.listdir(folder)) if folder.is_dir() else 0, env)
        lines.append(_line(f"local folder, {'push (inotify)' if push else f'poll every {poll:g} s'}", times,
                           baseline if push else None))
        baseline = times
    return lines


def bench_imap(count: int, poll: float, env: dict[str, str]) -> list[str]:
    from _transports_servers import HAVE_DOVECOT, PASSWORD, USER, SmtpSink, make_test_ca, start_dovecot, start_smtp

    if not HAVE_DOVECOT:
        return ["IMAP: skipped (Dovecot is not installed)"]
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        ca_dir = Path(folder) / "ca"
        ca_dir.mkdir()
        ca_dir.chmod(0o755)
        ca = make_test_ca(ca_dir)
        dovecot = start_dovecot(ca)
        sink = SmtpSink()
        smtp = start_smtp(sink, ca, implicit_tls=False)
        context = ssl.create_default_context(cafile=str(ca.ca_file))
        admin = imaplib.IMAP4_SSL("127.0.0.1", dovecot.imaps_port, ssl_context=context)
        admin.login(USER, PASSWORD)
        transport = (f"transport:\n  kind: imap_smtp\n"
                     f"  imap: {{host: 127.0.0.1, port: {dovecot.imaps_port}, security: tls, username: '{USER}', "
                     f"password_env: BENCH_PW, ca_file: '{ca.ca_file}'}}\n"
                     f"  smtp: {{host: 127.0.0.1, port: {smtp.port}, security: starttls, username: '{USER}', "
                     f"password_env: BENCH_PW, ca_file: '{ca.ca_file}'}}\n")
        baseline: list[float] | None = None
        try:
            for push in (False, True):
                config = prepare(Path(folder) / f"svc-{push}")
                _configure(config, push=push, poll=3600 if push else poll, transport=transport)
                times = _measure(config, count, lambda data: admin.append("INBOX", None, None, data),
                                 lambda: len(sink.received), {**env, "BENCH_PW": PASSWORD})
                lines.append(_line(f"IMAP, {'push (IDLE)' if push else f'poll every {poll:g} s'}", times,
                                   baseline if push else None))
                baseline = times
        finally:
            admin.logout()
            smtp.stop()
            dovecot.stop()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=8)
    parser.add_argument("--poll", type=float, default=10.0, help="the baseline's poll interval (seconds)")
    parser.add_argument("--no-imap", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="Session.login_data")  # aiosmtpd, in the SMTP sink
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET}
    lines = bench_maildir(args.messages, args.poll, env)
    if not args.no_imap:
        lines += bench_imap(args.messages, args.poll, env)
    print("Time from a message landing to its stage letter being sent (the real service, this machine):")
    for line in lines:
        print("  " + line)


if __name__ == "__main__":
    main()
