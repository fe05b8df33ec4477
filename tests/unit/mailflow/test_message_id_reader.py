"""One Message-ID reader (``practice_alerts.rawmail.message_id``) for the store and the transports.

The transports used to read the Message-ID with the standard library's header parser; they now use
the store's bounded, header-only reader. On every message we send (the only mail a transport reads
a Message-ID from) both readings agree, which these tests show against the parser-based reading.
"""

from __future__ import annotations

import datetime as dt
import re
from email.parser import BytesHeaderParser

from hypothesis import given, settings
from hypothesis import strategies as st

from practice_alerts.mailflow.compose import Addressee, MailSettings, Notice, Outgoing, compose_bytes, message_id_for
from practice_alerts.mailflow.msgid import make_message_id, make_unreferenced_message_id
from practice_alerts.mailflow.transports.maildir import sent_copy_name
from practice_alerts.rawmail.message_id import (
    MAX_MESSAGE_IDS,
    message_id_of,
    message_ids,
    normalise_message_id,
)

from .conftest import SECRET

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone.utc)


def parser_reading(data: bytes) -> str | None:
    """How the transports read a Message-ID before issue 10 (the standard library's header parser)."""
    value = BytesHeaderParser().parsebytes(data).get("Message-ID")
    if value is None:
        return None
    match = re.search(r"<[^<>\s]+>", str(value))
    return match.group(0) if match else str(value).strip() or None


references = st.builds(lambda year, n: f"PA-{year}-{n:04d}", st.integers(2020, 2099), st.integers(1, 9999))
actions = st.from_regex(r"[a-z0-9][a-z0-9-]{0,40}", fullmatch=True)
domains = st.from_regex(r"[a-z0-9]{1,30}(\.[a-z0-9]{1,20}){0,3}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(reference=references, action=actions, domain=domains)
def test_both_readings_agree_on_every_message_we_send(reference: str, action: str, domain: str) -> None:
    mail = MailSettings(shared_mailbox="practice.alerts@council.example", message_id_domain=domain)
    outgoing = Outgoing(reference=reference, action=action, notice=Notice.STAGE_LETTER,
                        to=(Addressee(email="d.price@council.example", name="Dana Price"),), text="Dear Dana,")
    ours = make_message_id(reference, action, secret=SECRET, domain=domain)
    assert message_id_for(outgoing, mail, secret=SECRET) == ours
    data = compose_bytes(outgoing, mail, message_id=ours, now=NOW)
    assert message_id_of(data) == parser_reading(data) == ours


def test_the_maildir_sent_copy_keeps_its_name() -> None:
    """A Sent copy written before the change is still found: its name hashes the same Message-ID."""
    unreferenced = make_unreferenced_message_id("form-problem-42", secret=SECRET, domain="pa.council.example")
    data = f"From: a@b.example\r\nMessage-ID: {unreferenced}\r\n\r\nbody\r\n".encode()
    assert message_id_of(data) == parser_reading(data) == unreferenced
    assert sent_copy_name(data) == sent_copy_name(data.replace(b"body", b"other body"))


def test_one_normal_form() -> None:
    assert normalise_message_id("  <abc@host>\r\n ") == "<abc@host>"
    assert normalise_message_id("abc@host") == "<abc@host>"
    assert normalise_message_id("<ab\x00c@host>") is None
    assert normalise_message_id("<" + "x" * 997 + ">") is None
    assert normalise_message_id("") is None and normalise_message_id(None) is None


def test_threading_headers_give_bare_ids_bounded_in_number() -> None:
    assert message_ids("<a@x> junk < b@y >") == ("a@x", "b@y")
    many = " ".join(f"<id{n}@x>" for n in range(MAX_MESSAGE_IDS + 50))
    kept = message_ids(many)
    assert len(kept) == MAX_MESSAGE_IDS
    assert kept[0] == "id0@x" and kept[-1] == f"id{MAX_MESSAGE_IDS + 49}@x"
