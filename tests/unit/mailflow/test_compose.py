"""What goes out, composed for real and parsed back as a recipient's client would."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest

from practice_alerts.mailflow.classify import classify
from practice_alerts.mailflow.compose import (
    Addressee,
    MailSettings,
    Notice,
    Outgoing,
    OutgoingAttachment,
    build_subject,
    compose_bytes,
    marked_subject,
    message_id_for,
)
from practice_alerts.mailflow.decisions import decision_mailto_links
from practice_alerts.mailflow.msgid import make_message_id, verify_message_id

from .conftest import SECRET, SETTINGS, fixture_alerts, fixture_directory

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone.utc)
MAIL = MailSettings(shared_mailbox="practice.alerts@council.example", message_id_domain="pa.council.example")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letter(**changes) -> Outgoing:
    values = dict(
        reference="PA-2026-0001", action="stage1-letter", notice=Notice.STAGE_LETTER,
        to=(Addressee(email="d.price@council.example", name="Dana Price"),),
        cc=(Addressee(email="r.evans@council.example", name="Rhys Evans"),),
        stage_name="Stage 1", due=dt.date(2026, 12, 8),
        text="Dear Dana,\n\nA Practice Alert has been raised.\nPlease respond by 08/12/2026.",
        attachments=(OutgoingAttachment(filename="Stage 1 letter.docx", content=b"PK\x03\x04letter", mime_type=DOCX),),
    )
    values.update(changes)
    return Outgoing(**values)


def sent_bytes(outgoing: Outgoing, now: dt.datetime = NOW) -> bytes:
    return compose_bytes(outgoing, MAIL, message_id=message_id_for(outgoing, MAIL, secret=SECRET), now=now)


def parsed(outgoing: Outgoing) -> email.message.EmailMessage:
    return email.message_from_bytes(sent_bytes(outgoing), policy=email.policy.default)


def test_headers_threading_and_parts():
    parent = make_message_id("PA-2026-0001", "acknowledgement", secret=SECRET, domain="pa.council.example")
    message = parsed(letter(in_reply_to=parent, references=("<first@council.example>",)))
    assert message["From"].addresses[0].addr_spec == "practice.alerts@council.example"
    assert message["Reply-To"] == "practice.alerts@council.example"
    assert [a.addr_spec for a in message["To"].addresses] == ["d.price@council.example"]
    assert [a.addr_spec for a in message["Cc"].addresses] == ["r.evans@council.example"]
    assert message["Subject"] == "OFFICIAL-SENSITIVE: [PA-2026-0001] Practice Alert - Stage 1 - response due 08/12/2026"
    assert verify_message_id(message["Message-ID"], secret=SECRET) == ("PA-2026-0001", "stage1-letter")
    assert message["In-Reply-To"].strip() == parent
    assert message["References"].split() == ["<first@council.example>", parent]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Auto-Response-Suppress"] == "DR, RN, NRN, AutoReply"
    assert "OOF" not in message["X-Auto-Response-Suppress"]
    assert message.get_body(("plain",)).get_content().startswith("Dear Dana,")
    assert "<p>Dear Dana,</p>" in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "Stage 1 letter.docx"
    assert attachment.get_content() == b"PK\x03\x04letter"


def test_resend_has_the_same_message_id():
    assert parsed(letter())["Message-ID"] == parsed(letter(text="changed"))["Message-ID"]
    assert parsed(letter())["Message-ID"] != parsed(letter(action="stage1-reminder-2026-12-07"))["Message-ID"]


def test_the_message_id_and_subject_given_are_the_ones_sent_once():
    given = "<pa.noref.form-problem-7.0123456789abcdef@pa.council.example>"
    raw = compose_bytes(letter(), MAIL, message_id=given, now=NOW, subject=marked_subject("Form not accepted"))
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message.get_all("Message-ID") == [given]
    assert message.get_all("Subject") == ["OFFICIAL-SENSITIVE: Form not accepted"]
    assert marked_subject("Form not accepted", marking=" ") == "Form not accepted"


def test_personal_notices_can_turn_off_auto_submitted():
    assert parsed(letter(system_notice=False))["Auto-Submitted"] is None


@pytest.mark.parametrize("evil", [
    "Jo Bloggs\r\nBcc: attacker@evil.example",
    "Jo\nSubject: changed",
    "Jo\x00\x0b Bloggs\u2028X-Injected: 1",
])
def test_header_injection_from_form_data_is_neutralised(evil):
    message = parsed(letter(
        to=(Addressee(email="d.price@council.example", name=evil),),
        stage_name=evil, attachments=(OutgoingAttachment(filename=evil + ".docx", content=b"x"),)))
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert len(message.get_all("Subject")) == 1
    assert message["To"].addresses[0].addr_spec == "d.price@council.example"
    for name, value in message.items():
        assert "\n" not in str(value) and "\r" not in str(value), name
    [attachment] = list(message.iter_attachments())
    assert "\n" not in attachment.get_filename()


def test_subject_carries_only_reference_notice_stage_due_and_marking():
    subject = build_subject("PA-2026-0001", Notice.REMINDER, marking="OFFICIAL", stage_name="Level 2",
                            due=dt.date(2027, 1, 4))
    assert subject == "OFFICIAL: [PA-2026-0001] Reminder: Practice Alert response due - Level 2 - response due 04/01/2027"
    assert build_subject("PA-2026-0001", Notice.CLOSED, marking="") == "[PA-2026-0001] Practice Alert closed"


def test_no_personal_data_reaches_a_subject():
    """Whatever the letter says, the subject is built from the reference, notice, stage and date only."""
    message = parsed(letter(text="About Child Name Here, born 01/01/2015, at 1 High Street",
                            to=(Addressee(email="d.price@council.example", name="Dana Price"),)))
    for word in ("Child", "2015", "High Street", "Dana"):
        assert word not in message["Subject"]


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        sent_bytes(letter(), now=dt.datetime(2026, 12, 1))


def test_decision_links_render_in_both_parts(rutland):
    alert = fixture_alerts().by_reference("PA-2026-0001")
    subject = build_subject("PA-2026-0001", Notice.DECISION_REQUEST)
    links = tuple(decision_mailto_links(MAIL.shared_mailbox, "PA-2026-0001", subject, rutland, alert))
    message = parsed(letter(notice=Notice.DECISION_REQUEST, to=(Addressee(email="a.okafor@council.example"),),
                            action="decision-request-1", links=links, attachments=()))
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    for label, url in links:
        assert f'href="{url.replace("&", "&amp;")}"' in html
        assert f"- {label}: {url}" in text


def test_a_reply_to_our_message_is_matched_by_its_signed_id(rutland):
    """Compose a stage letter, write the manager's Outlook reply to it, classify the reply."""
    sent = parsed(letter())
    reply = (
        f"From: Dana Price <d.price@council.example>\r\nTo: {MAIL.shared_mailbox}\r\n"
        f"Subject: RE: Something Outlook rewrote entirely\r\nDate: Wed, 2 Dec 2026 10:00:00 +0000\r\n"
        f"Message-ID: <reply-1@council.example>\r\nIn-Reply-To: {sent['Message-ID']}\r\n"
        f"References: {sent['Message-ID']}\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\nVisit done on 1 December.\r\n"
    ).encode()
    got = classify(reply, directory=fixture_directory(), alerts=fixture_alerts(), policy=rutland,
                   settings=SETTINGS, secret=SECRET, received=dt.datetime(2026, 12, 2, 10, tzinfo=dt.timezone.utc))
    assert got.kind == "response" and got.reference == "PA-2026-0001" and got.replied_to_action == "stage1-letter"
    assert got.text == "Visit done on 1 December."


def test_our_own_notice_coming_back_is_never_a_response(rutland):
    """A loop guard: our own message (or a copy of it) arriving in the mailbox is automatic."""
    raw = sent_bytes(letter(to=(Addressee(email="practice.alerts@council.example"),)))
    got = classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=rutland,
                   settings=SETTINGS, secret=SECRET, received=NOW)
    assert got.kind == "auto_reply"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=60), stage=st.text(max_size=40), filename=st.text(max_size=40))
def test_no_form_text_can_add_a_header(name, stage, filename):
    outgoing = letter(to=(Addressee(email="d.price@council.example", name=name),), stage_name=stage or None,
                      attachments=(OutgoingAttachment(filename=filename + ".docx", content=b"x"),))
    raw = sent_bytes(outgoing)
    head = raw.split(b"\r\n\r\n", 1)[0]
    names = [line.split(b":", 1)[0] for line in head.split(b"\r\n") if line and not line[:1].isspace()]
    assert names == [b"From", b"To", b"Cc", b"Reply-To", b"Subject", b"Date", b"Message-ID",
                     b"X-Auto-Response-Suppress", b"Auto-Submitted", b"MIME-Version", b"Content-Type"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert [a.addr_spec for a in message["To"].addresses] == ["d.price@council.example"]
