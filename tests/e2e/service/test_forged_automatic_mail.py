"""Out-of-office replies and bounces are believed only from an authenticated sender.

Automatic mail is recognised before the authenticity check; a forged one must neither reach
the alert's chronology nor make the service write to the IRO and LAC admin: it is quarantined
with the reason.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTP

from practice_alerts import demo_mail

from .conftest import MAILBOX

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def _raise_alert(h):
    form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
        h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date()))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<f-1@example.gov.uk>"))
    h.run()
    letter = next(m for m in h.sent() if "-letter-" in str(m["Message-ID"]))
    recipient = letter["To"].addresses[0]
    return letter, (recipient.display_name, recipient.addr_spec)


def _unauthenticated(data: bytes) -> bytes:
    return data.replace(b"X-MS-Exchange-Organization-AuthAs: Internal\r\n", b"")


def _bounce(letter: EmailMessage, *, authenticated: bool) -> bytes:
    report = EmailMessage()
    report["From"] = "Mail Delivery System <mailer-daemon@example.gov.uk>"
    report["To"] = MAILBOX
    report["Subject"] = "Undeliverable: " + str(letter["Subject"])
    report["Date"] = "Mon, 30 Nov 2026 10:00:00 +0000"
    report["Message-ID"] = "<ndr-1@example.gov.uk>"
    if authenticated:
        report["X-MS-Exchange-Organization-AuthAs"] = "Internal"
    report.set_content(f"Delivery has failed to these recipients: {letter['To'].addresses[0].addr_spec}")
    original = EmailMessage()
    for name in ("From", "To", "Subject", "Message-ID"):
        original[name] = str(letter[name])
    original.set_content("(original)")
    report.add_attachment(original)
    return report.as_bytes(policy=SMTP)


def _notes(h, reference="PA-2026-0001"):
    with h.ctx.database.reading() as reads:
        return [e.event_type for e in reads.events(reference)]


def test_a_forged_out_of_office_is_quarantined_and_tells_nobody(harness):
    h = harness("rutland")
    letter, recipient = _raise_alert(h)
    before = len(h.sent())
    h.drop(_unauthenticated(demo_mail.reply(letter.as_bytes(), sender=recipient, mailbox=MAILBOX, out_of_office=True,
                                              text="I am away until 14 December.", at=T0 + dt.timedelta(hours=1),
                                              message_id="<ooo-forged@elsewhere.example>")))
    assert h.run(T0 + dt.timedelta(hours=1)).kinds == {"auto_reply": 1}
    assert "out_of_office" not in _notes(h)
    assert len(h.sent()) == before  # neither the IRO nor LAC admin is written to
    with h.ctx.database.reading() as reads:
        stored = reads.inbound(2)
    assert stored.status == "quarantined"
    assert "sender not authenticated" in (stored.outcome or "")
    assert list((h.mail / ".quarantine" / "cur").iterdir())

    genuine = demo_mail.reply(letter.as_bytes(), sender=recipient, mailbox=MAILBOX, out_of_office=True,
                              text="I am away until 14 December.", at=T0 + dt.timedelta(hours=2),
                              message_id="<ooo-genuine@example.gov.uk>")
    h.drop(genuine)
    h.run(T0 + dt.timedelta(hours=2))
    assert "out_of_office" in _notes(h)
    assert any("out of the office" in str(m["Subject"]) for m in h.sent()[before:])


def test_a_forged_bounce_is_quarantined_but_an_authenticated_one_is_noted(harness):
    h = harness("rutland")
    letter, _ = _raise_alert(h)
    before = len(h.sent())
    h.drop(_bounce(letter, authenticated=False))
    assert h.run(T0 + dt.timedelta(hours=1)).kinds == {"bounce": 1}
    assert "bounce" not in _notes(h) and len(h.sent()) == before
    with h.ctx.database.reading() as reads:
        assert reads.inbound(2).status == "quarantined"

    h.drop(_bounce(letter, authenticated=True).replace(b"<ndr-1@", b"<ndr-2@"))
    h.run(T0 + dt.timedelta(hours=2))
    assert "bounce" in _notes(h)
    assert any("recipient problem" in str(m["Subject"]) for m in h.sent()[before:])
