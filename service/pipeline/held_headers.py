"""Who sent a held message and about what, from its header lines alone.

Kept apart from ``pipeline.held`` (which answers and files held mail, and so loads the whole
pipeline) because ``status`` lists the quarantine and must stay a quick, read-only look.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default

from practice_alerts.mailflow.compose import one_line


@dataclass(frozen=True)
class Headers:
    sender: str
    subject: str


def headers_of(raw: bytes) -> Headers:
    """The From and Subject of a raw message, on one line each (for LAC admin and ``status``)."""
    try:
        parsed = BytesHeaderParser(policy=default).parsebytes(raw)
        sender, subject = str(parsed.get("From", "") or ""), str(parsed.get("Subject", "") or "")
    except (IndexError, ValueError, TypeError):
        sender, subject = "", ""
    return Headers(sender=one_line(sender, 200) or "(no sender)", subject=one_line(subject, 200) or "(no subject)")
