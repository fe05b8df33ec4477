"""Every person whose mail was not acted on gets an answer that says what to do (issue 14).

Each test drops real mail into the Maildir, runs the service and reads the mail that came out
(recipients, subject, the sentence telling the person what to do) and the alert's record.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from practice_alerts import demo_mail
from practice_alerts.policies.load import load_policy

from .conftest import MAILBOX, attachments

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
OTHER_IRO = ("Casey Chair", "casey.chair@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
TM = ("Jo Bloggs", "jo.bloggs@example.gov.uk")
LAC = "lac.admin@example.gov.uk"
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)
HOUR = dt.timedelta(hours=1)


def body(message: EmailMessage) -> str:
    return " ".join(message.get_body(("plain",)).get_content().split())


def mail(sender: tuple[str, str], subject: str, text: str, *, at: dt.datetime, message_id: str,
         files: tuple[tuple[str, str, bytes], ...] = (), internal: bool = True,
         answering: EmailMessage | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = f"{sender[0]} <{sender[1]}>"
    message["To"] = MAILBOX
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = message_id
    if internal:
        message["X-MS-Exchange-Organization-AuthAs"] = "Internal"
    if answering is not None:
        message["In-Reply-To"] = str(answering["Message-ID"])
        message["References"] = str(answering["Message-ID"])
    message.set_content(text)
    for name, mime, data in files:
        maintype, _, subtype = mime.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes(policy=SMTP)


def answers_to(h, message_id: str) -> list[EmailMessage]:
    return [m for m in h.sent() if str(m["In-Reply-To"]) == message_id]


def raise_alert(h, *, n: int = 1, child_id: str = "MOS-200101", concern: str | None = None,
                at: dt.datetime = T0) -> EmailMessage:
    values = demo_mail.form_values(h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                   team_manager=None, raised=at.date(), child_id=child_id)
    if concern:
        values["concern"] = concern
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=demo_mail.filled_form(h.ctx.policy, values), at=at,
                               message_id=f"<raise-{n}@example.gov.uk>"))
    h.run(at)
    return h.find("ack", IRO[1])


def events(h, reference: str = "PA-2026-0001") -> list:
    with h.ctx.database.reading() as reads:
        return reads.events(reference)


def test_a_pdf_a_doc_no_attachment_and_form_to_follow_each_get_what_to_do(harness):
    h = harness("rutland")
    cases = [
        ("<pdf@example.gov.uk>", (("Practice Alert.pdf", "application/pdf", b"%PDF-1.4 fake"),), "a PDF attached"),
        ("<doc@example.gov.uk>", (("Practice Alert.doc", "application/msword", b"\xd0\xcf\x11\xe0 old"),), ".doc"),
        ("<none@example.gov.uk>", (), "no form attached"),
    ]
    for message_id, files, _ in cases:
        h.drop(mail(IRO, "Practice alert", "Form to follow." if not files else "Attached.", at=T0,
                    message_id=message_id, files=files))
    h.run()
    for message_id, _, says in cases:
        (answer,) = answers_to(h, message_id)
        assert str(answer["To"]) == f"{IRO[0]} <{IRO[1]}>"
        assert str(answer["Subject"]).strip() == "OFFICIAL-SENSITIVE: Practice Alert form not received: send a .docx"
        text = body(answer)
        assert says in text and "no alert has been raised" in text
        assert "What to do: Save the form as a Word document (.docx)" in text
    with h.ctx.database.reading() as reads:
        assert reads.list_alerts() == []


def test_a_form_made_for_another_procedure_is_refused_with_the_reason(harness):
    h = harness("rutland")
    sussex = load_policy("west_sussex")
    values = demo_mail.form_values(sussex, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None,
                                   raised=T0.date())
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=demo_mail.filled_form(sussex, values), at=T0,
                               message_id="<sussex@example.gov.uk>"))
    h.run()
    (answer,) = answers_to(h, "<sussex@example.gov.uk>")
    assert "OFFICIAL-SENSITIVE: Form for another procedure: not accepted" in str(answer["Subject"])
    text = body(answer)
    assert f"made for {sussex.authority}'s procedure, not {h.ctx.policy.authority}'s" in text
    assert "What to do: copy your answers into" in text
    with h.ctx.database.reading() as reads:
        assert reads.list_alerts() == []


def test_the_same_form_twice_asks_the_iro_and_raises_only_when_confirmed(harness):
    h = harness("rutland")
    raise_alert(h, n=1)
    letters = len([m for m in h.sent() if "-letter-" in str(m["Message-ID"])])
    raise_alert(h, n=2, at=T0 + HOUR)  # the same child and concern, sent again
    (ask,) = answers_to(h, "<raise-2@example.gov.uk>")
    assert "Possible duplicate Practice Alert: please confirm" in str(ask["Subject"])
    assert "[PA-2026-0001]" in str(ask["Subject"]) and str(ask["To"]).endswith(f"<{IRO[1]}>")
    assert "reply to this message with RAISE AS NEW" in body(ask)
    assert len([m for m in h.sent() if "-letter-" in str(m["Message-ID"])]) == letters  # no second letter
    with h.ctx.database.reading() as reads:
        assert [a.reference for a in reads.list_alerts()] == ["PA-2026-0001"]
    assert events(h)[-1].event_type == "duplicate_held"
    # A different concern about the same child is not a duplicate.
    raise_alert(h, n=3, concern="The placement plan has not been reviewed.", at=T0 + 2 * HOUR)
    with h.ctx.database.reading() as reads:
        assert [a.reference for a in reads.list_alerts()] == ["PA-2026-0001", "PA-2026-0002"]
    # The IRO confirms the held one: it is raised then, once.
    for n in (1, 2):
        h.drop(demo_mail.reply(ask.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + 3 * HOUR,
                               message_id=f"<confirm-{n}@example.gov.uk>", text="RAISE AS NEW\nIt is a new visit."))
        h.run(T0 + 3 * HOUR)
    with h.ctx.database.reading() as reads:
        assert [a.reference for a in reads.list_alerts()] == ["PA-2026-0001", "PA-2026-0002", "PA-2026-0003"]
    assert [e.event_type for e in events(h, "PA-2026-0003")] == ["form_filed", "raised"]


def test_a_decision_from_another_iro_is_kept_and_the_sender_told_who_can_decide(harness):
    h = harness("rutland")
    ack = raise_alert(h)
    h.drop(mail(OTHER_IRO, f"RE: {ack['Subject']}", "SATISFIED\nI am covering for Dana.", at=T0 + HOUR,
                message_id="<cover@example.gov.uk>", answering=ack))
    h.run(T0 + HOUR)
    (answer,) = answers_to(h, "<cover@example.gov.uk>")
    assert str(answer["To"]) == f"{OTHER_IRO[0]} <{OTHER_IRO[1]}>" and IRO[1] in str(answer["Cc"])
    assert "[PA-2026-0001] Your message was not acted on" in str(answer["Subject"])
    text = body(answer)
    assert "only Dana Reviewer or their recorded cover can decide" in text
    assert "What to do: ask Dana Reviewer to send the decision" in text and "ask LAC admin to record the cover" in text
    comment = events(h)[-1]
    assert comment.event_type == "comment" and "I am covering for Dana." in comment.payload["text"]


def test_replies_on_resolved_and_closed_alerts_are_kept_and_answered(harness):
    h = harness("rutland")
    ack = raise_alert(h)
    h.drop(demo_mail.reply(ack.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + HOUR,
                           message_id="<sat@example.gov.uk>", text="SATISFIED\nThe visit happened."))
    h.run(T0 + HOUR)
    letter = h.find("stage1-letter", TM[1]) if any("stage1-letter" in str(m["Message-ID"]) for m in h.sent()) \
        else [m for m in h.sent() if "-letter-" in str(m["Message-ID"])][0]
    manager = str(letter["To"]).split("<")[1].rstrip(">")
    name = str(letter["To"]).split(" <")[0]
    h.drop(mail((name, manager), f"RE: {letter['Subject']}", "We have now arranged the visit for Friday.",
                at=T0 + 2 * HOUR, message_id="<late@example.gov.uk>", answering=letter))
    h.run(T0 + 2 * HOUR)
    (answer,) = answers_to(h, "<late@example.gov.uk>")
    assert manager in str(answer["To"]) and IRO[1] in str(answer["Cc"])
    text = body(answer)
    assert "has been kept on the alert's record, but it was not acted on" in text and "resolved" in text
    kept = events(h)[-1]
    assert kept.event_type == "refused" and "arranged the visit for Friday" in kept.payload["text"]
    # Closed: the IRO's later reply is kept as a comment and answered.
    h.drop(demo_mail.reply(ack.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + 3 * HOUR,
                           message_id="<close@example.gov.uk>", text="CLOSE\nResolved."))
    h.run(T0 + 3 * HOUR)
    h.drop(demo_mail.reply(ack.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + 4 * HOUR,
                           message_id="<after@example.gov.uk>", text="NOT SATISFIED\nIt happened again."))
    h.run(T0 + 4 * HOUR)
    (answer,) = answers_to(h, "<after@example.gov.uk>")
    assert "It was closed on 30 November 2026, so nothing more can be done on it" in body(answer)
    assert "Dana Reviewer can raise a new alert" in body(answer)
    assert events(h)[-1].event_type == "comment" and "It happened again." in events(h)[-1].payload["text"]


def test_a_manager_writing_from_a_personal_address_is_told_and_lac_admin_hears_at_once(harness):
    h = harness("rutland")
    raise_alert(h)
    letter = [m for m in h.sent() if "-letter-" in str(m["Message-ID"])][0]
    h.drop(mail(("Jo Bloggs", "jo.bloggs.home@gmail.example"), f"RE: {letter['Subject']}",
                "Sorry, on leave; the visit is booked.", at=T0 + HOUR, message_id="<home@gmail.example>",
                internal=False, answering=letter))
    h.run(T0 + HOUR)
    (answer,) = answers_to(h, "<home@gmail.example>")
    assert "jo.bloggs.home@gmail.example" in str(answer["To"])
    assert "What to do: send it again from your council e-mail account" in body(answer)
    held = [m for m in h.sent() if LAC in str(m["To"]) and "held for review" in str(m["Subject"])]
    assert len(held) == 1 and "[PA-2026-0001]" in str(held[0]["Subject"])
    text = body(held[0])
    assert "From: Jo Bloggs <jo.bloggs.home@gmail.example>" in text and "Why it was held:" in text
    assert "What you can do:" in text and "Received: 30/11/2026" in text
    note = events(h)[-1]
    assert note.event_type == "held_message" and "the visit is booked" in note.payload["text"]


def test_every_decision_is_confirmed_to_the_iro_with_what_happens_next(harness):
    h = harness("rutland")
    ack = raise_alert(h)
    h.drop(demo_mail.reply(ack.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + HOUR,
                           message_id="<ok@example.gov.uk>", text="SATISFIED\nThe visit happened."))
    h.run(T0 + HOUR)
    (confirm,) = [m for m in answers_to(h, "<ok@example.gov.uk>") if "Decision recorded" in str(m["Subject"])]
    assert str(confirm["To"]).endswith(f"<{IRO[1]}>")
    text = body(confirm)
    assert "Your decision on alert PA-2026-0001 has been recorded: you are satisfied with the response." in text
    assert "What to do: close it when you are ready, by replying CLOSE" in text
    # Not closed after three working days: a reminder, once.
    for day in (3, 4, 5):  # Thursday 3, Friday 4 and the next run the same day
        h.run(dt.datetime(2026, 12, day, 10, 0, tzinfo=dt.timezone.utc))
    reminders = [m for m in h.sent() if "please close the resolved Practice Alert" in str(m["Subject"])]
    assert len(reminders) == 1 and str(reminders[0]["To"]).endswith(f"<{IRO[1]}>")
    assert "reply CLOSE" in body(reminders[0])


def test_a_returned_form_is_read_as_the_response_and_goes_to_the_iro(harness):
    h = harness("rutland")
    raise_alert(h)
    letter = [m for m in h.sent() if "-letter-" in str(m["Message-ID"])][0]
    manager = (str(letter["To"]).split(" <")[0], str(letter["To"]).split("<")[1].rstrip(">"))
    values = demo_mail.form_values(h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                   team_manager=None, raised=T0.date())
    values["management_response"] = "A visit is booked for 3 December and the plan will be updated by the 10th."
    values["response_by_name"] = f"{manager[0]}, Team Manager"
    form = demo_mail.filled_form(h.ctx.policy, values)
    h.drop(mail(manager, f"RE: {letter['Subject']}", "Please see the attached form.", at=T0 + HOUR,
                message_id="<returned@example.gov.uk>", answering=letter,
                files=(("Practice Alert - response.docx", demo_mail.DOCX, form),)))
    h.run(T0 + HOUR)
    request = h.find("decide", IRO[1])
    text = body(request)
    assert "written in section 9 of the Practice Alert form" in text
    assert "Practice Alert - response.docx" in attachments(request)
    response = [e for e in events(h) if e.event_type == "response"][-1]
    assert "A visit is booked for 3 December" in response.payload["text"]
    assert "Please see the attached form." in response.payload["text"]


def test_the_decision_request_after_a_missed_deadline_says_so(harness):
    h = harness("rutland")
    raise_alert(h)
    later = dt.datetime(2027, 1, 20, 10, 0, tzinfo=dt.timezone.utc)
    h.run(later)
    asks = [m for m in h.sent() if "-decide-" in str(m["Message-ID"])]
    assert asks, [str(m["Subject"]) for m in h.sent()]
    assert all("No response by the due date: your decision is needed" in str(m["Subject"]) for m in asks)
    assert not any("Response received" in str(m["Subject"]) for m in asks)
