"""Operations tests run the real command line against a service folder made by ``demo``'s prepare."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from practice_alerts import demo_mail
from practice_alerts.commands.demo import prepare
from practice_alerts.policies.load import load_policy

SECRET = "operations-test-message-id-key-0123"
MAILBOX = "practice.alerts@example.gov.uk"
IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")


def cli(*args: str, env_extra: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRACTICE_ALERTS_SECRET": SECRET, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "practice_alerts", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def alert_mail(message_id: str, at: dt.datetime, policy: str = "rutland") -> bytes:
    loaded = load_policy(policy)
    form = demo_mail.filled_form(loaded, demo_mail.form_values(
        loaded, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=at.date()))
    return demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=at, message_id=message_id)


def drop(folder: Path, data: bytes, n: int) -> Path:
    path = folder / "mail" / "new" / f"{1700000000 + n}.M{n}P1.test"
    path.write_bytes(data)
    return path


@pytest.fixture()
def service(tmp_path: Path) -> Path:
    """A service folder (configuration, directory, Maildir, data); returns the configuration file."""
    return prepare(tmp_path / "svc", "rutland")
