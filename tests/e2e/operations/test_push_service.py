"""The running service sees new mail in the local folder at once, though it polls only hourly."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import SECRET, alert_mail, drop

WAIT = 90.0


def _sent(config: Path) -> list[Path]:
    folder = config.parent / "mail" / ".sent" / "cur"
    return list(folder.iterdir()) if folder.is_dir() else []


def test_a_message_landing_is_handled_without_waiting_for_the_poll(service: Path) -> None:
    service.write_text(service.read_text().replace("poll_seconds: 60", "poll_seconds: 3600"))
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET}
    process = subprocess.Popen([sys.executable, "-m", "practice_alerts", "run", "--config", str(service)],
                               stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and not (service.parent / "data" / "practice-alerts.db").exists():
            time.sleep(0.2)
        time.sleep(2)  # the first pass is over and the service waits (for an hour, unless woken)
        drop(service.parent, alert_mail("<push@example.gov.uk>", dt.datetime.now(dt.timezone.utc)), 1)
        while time.monotonic() < deadline and len(_sent(service)) < 3:
            time.sleep(0.2)
        assert len(_sent(service)) == 3  # stage letter, QA copy, acknowledgement: long before the hour
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0
    assert '"event": "mail_landed"' in stderr and '"event": "stopped"' in stderr
