"""A service in a temporary folder: its own config, example directory, Maildir and SQLite file.

``Harness`` drops .eml files into the inbox, runs passes on a simulated clock and reads what
came out: the sent mail (parsed), the documents (re-opened with python-docx) and the store.
"""

from __future__ import annotations

import datetime as dt
import io
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path

import docx
import pytest

from practice_alerts.commands.demo import prepare
from practice_alerts.config import load_config
from practice_alerts.pipeline.context import open_service
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.runloop import Runner

SECRET = "e2e-test-message-id-key-0123456789"
MAILBOX = "practice.alerts@example.gov.uk"


class Harness:
    def __init__(self, folder: Path, policy: str, start: dt.datetime, digests: bool = False, *,
                 keep_config: bool = False) -> None:
        self.folder = folder
        self.config_file = folder / "practice-alerts.yaml" if keep_config else prepare(folder, policy)
        if not digests and not keep_config:  # most tests count the mail that comes out; the digests have their own tests
            with self.config_file.open("a", encoding="utf-8") as config:
                config.write("\nnotices:\n  quarantine_digest: false\n  weekly_digest: false\n")
        self.environ = {"PRACTICE_ALERTS_SECRET": SECRET}
        self.ctx = open_service(load_config(self.config_file, self.environ), self.environ)
        self.now = start
        self.runner = Runner(self.ctx, clock=lambda: self.now, log=JsonLog(quiet=True))
        self.mail = folder / "mail"
        self.counter = 0

    def drop(self, data: bytes) -> Path:
        """Write an .eml into the inbox as a delivery agent would."""
        self.counter += 1
        path = self.mail / "new" / f"{1700000000 + self.counter}.M{self.counter}P1.test.eml"
        path.write_bytes(data)
        return path

    def run(self, at: dt.datetime | None = None):
        if at is not None:
            self.now = at
        return self.runner.one_pass()

    def sent(self) -> list[EmailMessage]:
        messages = [BytesParser(policy=default).parsebytes(p.read_bytes()) for p in (self.mail / ".sent" / "cur").glob("*")]
        return sorted(messages, key=lambda m: (parsedate_to_datetime(str(m["Date"])), str(m["Message-ID"])))

    def sent_bytes(self, message: EmailMessage) -> bytes:
        return message.as_bytes()

    def find(self, action: str, to: str) -> EmailMessage:
        found = [m for m in self.sent() if f"-{action}-" in str(m["Message-ID"]) and to in str(m["To"]).lower()]
        assert found, f"no {action} to {to}; sent: {[(str(m['Message-ID']), str(m['To'])) for m in self.sent()]}"
        return found[-1]

    def close(self) -> None:
        self.ctx.close()


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def attachments(message: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


@pytest.fixture()
def harness(tmp_path):
    made: list[Harness] = []

    def make(policy: str = "rutland", start: dt.datetime = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc),
             digests: bool = False):
        h = Harness(tmp_path / policy, policy, start, digests)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()
