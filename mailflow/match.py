"""Step 2: which alert is a message about? Layers, first hit wins:

1. ``In-Reply-To``, then ``References`` (newest first): a Message-ID we signed (``msgid``).
2. The reference in the subject, ``[PA-YYYY-NNNN]``, wherever it ended up after ``RE:``,
   ``AW:``, ``FW:``, a protective-marking prefix, an ``[EXTERNAL]`` tag or Outlook's
   re-spacing (brackets lost, spaces or dashes changed). Two different references in one
   subject match nothing.
3. Nothing: the message is unmatched.

A match is only a hint: ``classify`` still checks that the sender may act on the alert.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from practice_alerts.mailflow.msgid import verify_message_id
from practice_alerts.mailflow.protocols import AlertIndex, AlertSummary

_DASH = r"\s*[-\u2010-\u2015_\u2212 ]\s*"
SUBJECT_REFERENCE = re.compile(r"(?<![A-Za-z0-9])PA" + _DASH + r"(\d{4})" + _DASH + r"(\d{4,6})(?!\d)", re.IGNORECASE)


class Match(BaseModel):
    model_config = ConfigDict(frozen=True)

    alert: AlertSummary | None
    reference: str | None
    how: Literal["in-reply-to", "references", "subject", "none"]
    action: str | None = None
    """The action key of the message of ours that was replied to, when known."""
    note: str = ""


def subject_references(subject: str) -> list[str]:
    """Every distinct reference in a subject, normalised to ``PA-YYYY-NNNN``."""
    found = [f"PA-{m[1]}-{m[2]}" for m in SUBJECT_REFERENCE.finditer(subject)]
    return list(dict.fromkeys(found))


def match_alert(
    *,
    in_reply_to: Iterable[str],
    references: Iterable[str],
    subject: str,
    alerts: AlertIndex,
    secret: bytes,
) -> Match:
    unknown: list[str] = []
    for how, ids in (("in-reply-to", list(in_reply_to)), ("references", list(references)[::-1])):
        for message_id in ids:
            ours = verify_message_id(message_id, secret=secret)
            if ours is None:
                continue
            reference, action = ours
            alert = alerts.by_reference(reference)
            if alert is not None:
                return Match(alert=alert, reference=reference, how=how, action=action)
            unknown.append(reference)
    found = subject_references(subject)
    if len(found) == 1:
        alert = alerts.by_reference(found[0])
        if alert is not None:
            return Match(alert=alert, reference=found[0], how="subject")
        return Match(alert=None, reference=found[0], how="none", note="the subject's reference is not a known alert")
    if len(found) > 1:
        return Match(alert=None, reference=None, how="none", note="the subject names more than one alert")
    note = "a replied-to message of ours names an alert that no longer exists" if unknown else ""
    return Match(alert=None, reference=None, how="none", note=note)
