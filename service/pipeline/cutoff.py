"""``ignore_mail_before``: mail that was in the inbox before go-live is left where it is.

On a council's real shared mailbox the inbox may hold years of old mail; the first pass must not
sweep it into quarantine. A message counts as received when our own mail server says so (the
topmost ``Received:`` header, which it wrote), else by its ``Date:`` header. A message with
neither date is treated as new: handling it is safer than silently leaving it.
"""

from __future__ import annotations

import datetime as dt
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime

from practice_alerts.policies.time_zone import uk_day

HEADER_BYTES = 64 * 1024
"""Only the headers are read, and at most this much of the message for them."""


def received_at(raw: bytes) -> dt.datetime | None:
    """When the message reached us, as well as its headers tell; None if they do not say."""
    head = raw[:HEADER_BYTES]
    end = head.find(b"\r\n\r\n")
    end = head.find(b"\n\n") if end < 0 else end
    headers = BytesHeaderParser().parsebytes(head[:end] if end >= 0 else head)
    received = headers.get_all("Received", [])
    candidates = [str(received[0]).rpartition(";")[2]] if received else []
    candidates.append(str(headers.get("Date", "")))
    for text in candidates:
        try:
            moment = parsedate_to_datetime(text.strip())
        except (TypeError, ValueError, IndexError):
            continue
        if moment is not None:
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)
    return None


def is_before(raw: bytes, day: dt.date | None) -> bool:
    """True when ``day`` is set and the message arrived before it began (UK time)."""
    if day is None:
        return False
    moment = received_at(raw)
    return moment is not None and uk_day(moment) < day
