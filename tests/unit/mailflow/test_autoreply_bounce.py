"""Automatic replies and bounces are recognised by each of their signs, and only by them."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest

from practice_alerts.mailflow import autoreply, bounce

from .conftest import FIXTURES


def message(headers: str, body: str = "Hello") -> email.message.EmailMessage:
    raw = f"From: Dana Price <d.price@council.example>\nTo: pa@council.example\n{headers}\n\n{body}\n"
    return email.message_from_string(raw, policy=email.policy.default)


@pytest.mark.parametrize("headers", [
    "Subject: hi\nAuto-Submitted: auto-replied",
    "Subject: hi\nAuto-Submitted: auto-generated",
    "Subject: hi\nPrecedence: bulk",
    "Subject: hi\nPrecedence: auto_reply",
    "Subject: hi\nX-Autoreply: yes",
    "Subject: hi\nX-Autorespond: vacation",
    "Subject: hi\nReturn-Path: <>",
    "Subject: Automatic reply: [PA-2026-0001] Practice Alert",
    "Subject: Out of Office: [PA-2026-0001]",
    "Subject: RE: x\nX-MS-Exchange-Inbox-Rules-Loop: d.price@council.example",
    "Subject: RE: x\nX-MS-Exchange-Organization-MessageClass: IPM.Note.Rules.OofTemplate.Microsoft",
])
def test_each_sign_alone_marks_an_automatic_reply(headers):
    assert autoreply.detect(message(headers)).automatic


@pytest.mark.parametrize("headers", [
    "Subject: RE: [PA-2026-0001]\nX-Auto-Response-Suppress: All",  # asks others; not itself automatic
    "Subject: RE: [PA-2026-0001]\nAuto-Submitted: no",
    "Subject: Automation of the review process",
    "Subject: Out of office cover for [PA-2026-0001]",
    "Subject: Automatic replies are switched off",
    "Subject: RE: x\nReturn-Path: <d.price@council.example>",
])
def test_ordinary_replies_are_not_automatic(headers):
    assert not autoreply.detect(message(headers)).automatic


def test_out_of_office_is_told_apart_from_other_automatic_mail():
    assert autoreply.detect(message("Subject: Automatic reply: x")).out_of_office
    assert autoreply.detect(message("Subject: x\nAuto-Submitted: auto-replied")).out_of_office
    assert not autoreply.detect(message("Subject: Your ticket\nAuto-Submitted: auto-generated", "Ticket 12 opened")).out_of_office
    assert autoreply.detect(message("Subject: x\nPrecedence: bulk", "I am on annual leave")).out_of_office


@pytest.mark.parametrize("body, back", [
    ("I am out of the office until Monday 14 December 2026.", dt.date(2026, 12, 14)),
    ("Returning on 04/01/2027, limited access to email.", dt.date(2027, 1, 4)),
    ("I'm back in the office on 4th January.", dt.date(2027, 1, 4)),
    ("On leave. I will be back 2027-01-05.", dt.date(2027, 1, 5)),
    ("On leave until 14 Dec.", dt.date(2026, 12, 14)),
    ("I am away from my desk.", None),
    ("I was back on 1 November 2026 and am away again.", None),
])
def test_return_date_is_read_from_the_text(body, back):
    assert autoreply.return_date(body, dt.date(2026, 12, 2)) == back


def test_dsn_lists_failed_recipients_and_the_original_message():
    raw = (FIXTURES / "bounce_dsn.eml").read_bytes()
    report = bounce.detect(email.message_from_bytes(raw, policy=email.policy.default))
    assert report.is_bounce and report.failed == ("k.patel.chair@lscb-partner.example",)
    assert report.original_message_id.startswith("pa.PA-2026-0002.stage5-letter.")


def test_delayed_dsn_is_not_a_failure():
    raw = (FIXTURES / "bounce_dsn.eml").read_bytes().replace(b"Action: failed", b"Action: delayed") \
        .replace(b"Status: 5.1.1", b"Status: 4.4.1")
    report = bounce.detect(email.message_from_bytes(raw, policy=email.policy.default))
    assert report.is_bounce and report.delayed_only and report.failed == ()


def test_plain_ndr_only_names_original_recipients():
    raw = (FIXTURES / "bounce_gateway_plain.eml").read_bytes()
    report = bounce.detect(email.message_from_bytes(raw, policy=email.policy.default), ("practice.alerts@council.example",))
    assert report.failed == ("d.price@council.example",)


def test_read_receipts_and_ordinary_mail_are_not_bounces():
    mdn = message('Subject: Read: x\nContent-Type: multipart/report; report-type=disposition-notification; boundary="b"',
                  "--b\nContent-Type: text/plain\n\nread\n--b--")
    assert not bounce.detect(mdn).is_bounce
    assert autoreply.detect(mdn).automatic and not autoreply.detect(mdn).out_of_office
    assert not bounce.detect(message("Subject: Question about returned forms")).is_bounce


def test_a_subject_alone_does_not_make_a_bounce():
    assert not bounce.detect(message("Subject: Undeliverable items in the plan")).is_bounce
    assert bounce.detect(message("Subject: Undeliverable: x\nReturn-Path: <>")).is_bounce
