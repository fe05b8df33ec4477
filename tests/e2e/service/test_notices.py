"""Notices people can act on (issue 14): copies that say what they are about, thanks to the
manager, an out-of-office notice with only the allowed choices, the late manager's line manager,
external letters to a named person and a CAFCASS draft that prints each section once."""

from __future__ import annotations

import datetime as dt

from practice_alerts import demo_mail
from practice_alerts.config import load_config
from practice_alerts.pipeline.context import open_service
from practice_alerts.runloop import Runner

from .conftest import MAILBOX, attachments, docx_text
from .test_answers import HOUR, IRO, LAC, SW, T0, body, events, raise_alert

QA = "qa.service@example.gov.uk"


def _letter(h):
    return [m for m in h.sent() if "-letter-" in str(m["Message-ID"])][0]


def test_a_copy_says_what_it_is_about_and_carries_the_letter_for_filing(harness):
    h = harness("rutland")  # Rutland tells the QA Service "to record the alert on the practice alert tracker"
    ack = raise_alert(h)
    (copy,) = [m for m in h.sent() if QA in str(m["To"])]
    subject = str(copy["Subject"]).strip()
    assert subject.startswith("OFFICIAL-SENSITIVE: [PA-2026-0001] Practice Alert copy - Stage 1 - response due")
    assert "Riley" not in subject
    text = body(copy)
    for fact in ("Reference: PA-2026-0001", "Case number: MOS-200101", "Stage: Stage 1", "With: Jo Bloggs",
                 "Response due: 7 December 2026", "You are told to record the alert on the practice alert tracker"):
        assert fact in text, fact
    assert list(attachments(copy)) == ["PA-2026-0001 Stage 1 letter.docx"]
    # The acknowledgement names who was copied.
    ack_text = docx_text(attachments(ack)["PA-2026-0001 acknowledgement.docx"])
    assert "Alex Example" in ack_text and "Quality Assurance Service" in ack_text
    assert "Copies:       Alex Example (Copy); Quality Assurance Service" in ack.get_body(("plain",)).get_content()


def test_the_manager_is_thanked_with_the_iros_note(harness):
    h = harness("rutland")
    ack = raise_alert(h)
    h.drop(demo_mail.reply(ack.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + HOUR,
                           message_id="<thanks@example.gov.uk>", text="SATISFIED\nThe visit happened on time."))
    h.run(T0 + HOUR)
    (thanks,) = [m for m in h.sent() if "jo.bloggs@" in str(m["To"]) and "resolved" in str(m["Subject"])]
    text = body(thanks)
    assert "Thank you for your response to practice alert PA-2026-0001" in text
    assert "Nothing more is needed from you." in text and "Dana Reviewer's note: The visit happened on time." in text
    assert "tracker" not in text
    (qa,) = [m for m in h.sent() if QA in str(m["To"]) and "resolved" in str(m["Subject"])]
    assert "You are told to update the practice alert tracker" in body(qa)


def test_the_out_of_office_notice_offers_only_what_the_procedure_allows(harness):
    h = harness("rutland")  # no time-outs in Rutland's procedure; the response is not yet due
    raise_alert(h)
    letter = _letter(h)
    h.drop(demo_mail.reply(letter.as_bytes(), sender=("Jo Bloggs", "jo.bloggs@example.gov.uk"), mailbox=MAILBOX,
                           at=T0 + HOUR, message_id="<ooo@example.gov.uk>", out_of_office=True,
                           text="I am out of the office until 14 December 2026."))
    h.run(T0 + HOUR)
    (notice,) = [m for m in h.sent() if "out of the office" in str(m["Subject"])]
    assert "dana.reviewer@" in str(notice["To"]) and LAC in str(notice["To"])
    text = body(notice)
    assert "Jo Bloggs, who has alert PA-2026-0001, sent an out-of-office reply." in text
    assert "What the IRO can do now" in text and "ESCALATE TO" in text
    assert "TIME OUT" not in text and "- NOT SATISFIED" not in text


def test_the_late_managers_line_manager_is_told_where_the_council_chose_it(harness):
    h = harness("rutland")
    with h.config_file.open("a", encoding="utf-8") as config:
        config.write("  tell_line_manager_when_overdue: true\n")
    h.close()
    h.ctx = open_service(load_config(h.config_file, h.environ), h.environ)
    h.runner = Runner(h.ctx, clock=lambda: h.now, log=h.runner.log)
    raise_alert(h)
    h.run(dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.timezone.utc))  # due 7 December: now overdue
    (told,) = [m for m in h.sent() if "overdue in your team" in str(m["Subject"])]
    assert str(told["To"]).endswith("<sam.sample@example.gov.uk>")
    text = body(told)
    assert "Jo Bloggs, who reports to you, has not responded to practice alert PA-2026-0001" in text
    assert "What to do: please make sure Jo Bloggs" in text


def test_an_external_agency_letter_is_addressed_to_the_named_person(harness):
    h = harness("rutland")
    values = demo_mail.form_values(h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                   team_manager=None, raised=T0.date(),
                                   external_agency="Ms A Patel, Head Teacher, Oakham Primary School, 1 School Lane, "
                                                   "Oakham")
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=demo_mail.filled_form(h.ctx.policy, values), at=T0,
                               message_id="<agency@example.gov.uk>"))
    h.run()
    draft = h.find("agency-letter-1", IRO[1])
    text = docx_text(next(v for k, v in attachments(draft).items() if k.endswith(".docx")))
    assert "Dear Ms Patel," in text and "Ms A Patel, Head Teacher" in text
    assert "the part Oakham Primary School plays" in text
    assert "The Manager" not in text and "part Head Teacher plays" not in text


def test_the_cafcass_draft_prints_each_section_once_with_true_outcomes(harness):
    h = harness("professional_challenge")  # CAFCASS at any time
    ack = raise_alert(h)
    h.drop(demo_mail.reply(ack.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + HOUR,
                           message_id="<cafcass@example.gov.uk>", text="REFER TO CAFCASS\nNo progress at all."))
    h.run(T0 + HOUR)
    draft = h.find("cafcass-draft", IRO[1])
    text = docx_text(next(v for k, v in attachments(draft).items() if k.endswith(".docx")))
    assert text.count("Legal status") == 1
    assert text.count("The child is unsettled and does not know what will happen next.") == 1
    # seed 003: the referral runs in parallel with the ladder, so the stage's true outcome is still open
    assert "Awaiting response" in text and "Referred to CAFCASS before a response" not in text
    assert [e.event_type for e in events(h)][-1] == "refer_to_cafcass"
