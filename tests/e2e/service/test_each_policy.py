"""End to end, for each built-in policy: .eml files in the inbox, one pass each, then what came out.

A new alert with a real filled form, the stage manager's reply, the IRO's "satisfied" and
"close": the stage letter, acknowledgement, decision request and closure notice are checked
(recipients, subjects without personal data, threading, the .docx re-opened and read), and
so are the events and the alert's state in the database.
"""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts import demo_mail
from practice_alerts.pipeline.alerts import AlertCache
from practice_alerts.policies.load import policy_names

from .conftest import MAILBOX, attachments, docx_text

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
CHILD = "Riley Example"
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def _state(h, reference):
    with h.ctx.database.reading() as reads:
        loaded = AlertCache().load(reads, reference, h.ctx)
    return loaded


@pytest.mark.parametrize("name", policy_names())
def test_alert_from_form_to_closure(harness, name):
    h = harness(name)
    policy = h.ctx.policy
    first = policy.stage(policy.start_stage)
    manager = SW if first.informal else ("Jo Bloggs", "jo.bloggs@example.gov.uk")
    form = demo_mail.filled_form(policy, demo_mail.form_values(
        policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date(), child=CHILD))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<new-1@example.gov.uk>"))
    report = h.run()
    assert report.handled == 1 and report.kinds == {"new_alert": 1}
    assert list((h.mail / "new").iterdir()) == [] and len(list((h.mail / ".processed" / "cur").iterdir())) == 1

    letter = h.find(f"{first.key.replace('_', '-')}-letter", manager[1])
    ack = h.find("ack", IRO[1])
    for message in h.sent():
        assert "[PA-2026-0001]" in str(message["Subject"])
        assert "Riley" not in str(message["Subject"]) and str(message["Subject"]).startswith("OFFICIAL-SENSITIVE:")
    assert first.name in str(letter["Subject"])
    assert str(ack["In-Reply-To"]) == "<new-1@example.gov.uk>"
    files = attachments(letter)
    name_ = f"PA-2026-0001 {first.name} letter.docx"
    data = files[name_]
    # where the record keeper is copied (seed 000's LAC admin), the case note so far comes too
    assert set(files) - {name_} <= {"PA-2026-0001 case note.docx"}
    text = docx_text(data)
    assert "PA-2026-0001" in text and CHILD in text and "No statutory visit for ten weeks" in text
    assert (h.folder / "documents" / "PA-2026-0001" / name_).read_bytes() == data
    loaded = _state(h, "PA-2026-0001")
    assert [e.event_type for e in loaded.stored] == ["form_filed", "raised"]
    assert loaded.state.stage == first.key and loaded.state.current.recipient_email == manager[1]

    h.drop(demo_mail.reply(letter.as_bytes(), sender=manager, mailbox=MAILBOX, at=T0 + dt.timedelta(days=1),
                           message_id="<reply-1@example.gov.uk>", text="A visit is booked for Friday."))
    assert h.run(T0 + dt.timedelta(days=1)).kinds == {"response": 1}
    request = h.find("decide", IRO[1])
    assert str(letter["Message-ID"]) in str(request["References"])
    assert "A visit is booked for Friday." in docx_text(next(iter(attachments(request).values())))
    assert "mailto:" in request.get_body(("plain",)).get_content()
    assert _state(h, "PA-2026-0001").state.status.value == "awaiting_decision"

    h.drop(demo_mail.reply(request.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(days=2),
                           message_id="<decision-1@example.gov.uk>", text="SATISFIED\nThe visit happened."))
    h.drop(demo_mail.reply(request.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(days=2, hours=1),
                           message_id="<decision-2@example.gov.uk>", text="CLOSE\nResolved at the first stage."))
    assert h.run(T0 + dt.timedelta(days=2, hours=2)).kinds == {"decision": 2}
    loaded = _state(h, "PA-2026-0001")
    assert loaded.state.status.value == "closed"
    assert [e.event_type for e in loaded.stored] == ["form_filed", "raised", "response", "satisfied", "close"]
    closure = [m for m in h.sent() if "-closed-" in str(m["Message-ID"])]
    assert closure, "no closure notice sent"
    files = attachments(closure[0])
    assert {"PA-2026-0001 closure notice.docx", "PA-2026-0001 case note.docx"} <= set(files)
    assert "Resolved at the first stage." in docx_text(files["PA-2026-0001 closure notice.docx"])
    assert "Response received" in docx_text(files["PA-2026-0001 case note.docx"])
    with h.ctx.database.reading() as reads:
        assert all(e.inbound_id is not None for e in reads.events("PA-2026-0001"))
