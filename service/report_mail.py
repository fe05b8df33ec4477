"""E-mailing the quarterly report: compose it with its files attached and put it in the outbox.

    enqueue_quarterly_report(config, quarter, files, now) -> ReportMail

The next ``practice-alerts run`` sends it, like every other message (rate limit, retries, the
Sent copy). It goes to whoever holds the report's roles in the directory
(``reports.recipients.report_recipients``). The Message-ID is signed and keyed on the quarter
and a hash of the files, so asking twice for the same report enqueues it once, while a corrected
report is a new message. The subject holds only the marking and the quarter: no personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from practice_alerts.config import Config
from practice_alerts.mailflow.compose import Addressee, OutgoingAttachment
from practice_alerts.pipeline.actions import enqueue_unreferenced
from practice_alerts.pipeline.context import open_service
from practice_alerts.policies.roles import Role
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.recipients import report_recipients
from practice_alerts.store import unit_of_work

MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".png": "image/png", ".pdf": "application/pdf", ".csv": "text/csv"}


class ReportMailError(Exception):
    """The report cannot be e-mailed; the message says what to fix."""


@dataclass(frozen=True)
class ReportMail:
    message_id: str
    recipients: tuple[str, ...]
    missing_roles: tuple[Role, ...]
    """Report roles nobody in the directory holds (tell the operator)."""


def enqueue_quarterly_report(config: Config, quarter: Quarter, files: Sequence[Path], now: dt.datetime, *,
                             environ: Mapping[str, str] = os.environ) -> ReportMail:
    """Put the report mail in the outbox; ``files`` are the Word report and its figures (and charts)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    attachments = tuple(_attachment(Path(f)) for f in files)
    if not attachments:
        raise ReportMailError("There is nothing to send: no report files were given.")
    ctx = open_service(config, environ, reading_only=True, check_templates=False)
    try:
        addresses, missing = report_recipients(ctx.policy, ctx.directory)
        if not addresses:
            raise ReportMailError(f"Nobody in the directory ({config.directory}) holds a role that receives the "
                                  "quarterly report; add the QA manager or head of service there and try again.")
        digest = hashlib.sha256(b"".join(hashlib.sha256(a.content).digest() for a in attachments)).hexdigest()[:12]
        text = (f"The practice alerts report for {quarter.key} ({quarter.start:%d/%m/%Y} to {quarter.end:%d/%m/%Y}) "
                "is attached, with its figures.\n\nIt holds personal data about children: keep it within the "
                "service and do not forward it outside the organisation.")
        with unit_of_work(ctx.database, now=now) as work:
            message_id = enqueue_unreferenced(
                ctx, work, f"report-{quarter.key.lower()}-{digest}",
                subject=f"Practice alerts report {quarter.key}",
                to=tuple(Addressee(email=a, name=ctx.name_of(a)) for a in addresses), text=text, in_reply_to=None,
                now=now, purpose="quarterly_report", attachments=attachments)
    finally:
        ctx.close()
    return ReportMail(message_id=message_id, recipients=tuple(addresses), missing_roles=tuple(missing))


def _attachment(path: Path) -> OutgoingAttachment:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ReportMailError(f"Cannot read the report file {path}: {exc.strerror or exc}") from None
    mime = MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return OutgoingAttachment(filename=path.name, content=content, mime_type=mime)
