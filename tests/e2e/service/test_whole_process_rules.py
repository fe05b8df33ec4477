"""End to end (Maildir in, passes on a simulated clock, mail out): the whole-process rules of issue 13.

Each test is named after the seed whose rule it shows, and drives the service as the IROs and
managers do: a filled form, then replies to the messages the service sent.
"""

from __future__ import annotations

import datetime as dt

from practice_alerts import demo_mail
from practice_alerts.pipeline.alerts import AlertCache

from .conftest import MAILBOX, attachments, docx_text

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
PM = ("Jo Bloggs", "jo.bloggs@example.gov.uk")
AD = ("Morgan Mock", "morgan.mock@example.gov.uk")
CORP = ("Robin Dummy", "robin.dummy@example.gov.uk")
IRO_TM, PRINCIPAL, AD_SQP, DCE = ("lee.overseer@example.gov.uk", "kim.checker@example.gov.uk",
                                  "val.quality@example.gov.uk", "taylor.test@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)       # Monday 30 November 2026
REF = "PA-2026-0001"


def _state(h):
    with h.ctx.database.reading() as reads:
        return AlertCache().load(reads, REF, h.ctx).state


def _raise(h, at=T0, case_type=None, **values):
    policy = h.ctx.policy
    fields = demo_mail.form_values(policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None,
                                   raised=at.date(), **values)
    if case_type:
        fields["case_type"] = case_type
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=demo_mail.filled_form(policy, fields), at=at,
                               message_id="<raise-1@example.gov.uk>"))
    assert h.run(at + dt.timedelta(minutes=5)).kinds == {"new_alert": 1}, "the form was not accepted"


def _reply(h, to_message, sender, text, at, n, cc=()):
    h.drop(demo_mail.reply(to_message.as_bytes(), sender=sender, mailbox=MAILBOX, at=at, text=text,
                           message_id=f"<reply-{n}@example.gov.uk>", cc=cc))
    return h.run(at + dt.timedelta(minutes=5))


def _with_subject(h, to: str, words: str):
    found = [m for m in h.sent() if to in str(m["To"]).lower() and words in str(m["Subject"])]
    assert found, f"no '{words}' to {to}: {[(str(m['To']), str(m['Subject'])) for m in h.sent()]}"
    return found[-1]


def test_seed004_cafcass_referral_runs_in_parallel(harness):
    h = harness("west_sussex")
    _raise(h)
    letter = h.find("stage1-letter", PM[1])
    ack = h.find("ack", IRO[1])
    _reply(h, ack, IRO, "REFER TO CAFCASS\nThe placement is breaking down.", T0 + dt.timedelta(hours=2), 1)
    state = _state(h)
    assert state.cafcass_referred_at is not None and state.status.value == "awaiting_response"
    told = h.find("notify-cafcass-parallel", PM[1])
    assert "stays with you at Stage 1" in told.get_body(("plain",)).get_content()
    assert h.find("cafcass-draft", IRO[1])
    outcome = _reply(h, letter, PM, "A visit is booked for Thursday.", T0 + dt.timedelta(hours=4), 2)
    assert outcome.kinds == {"response": 1}, "the manager's reply is still taken"
    assert _state(h).current.responded_at is not None
    ask = h.find("decide", IRO[1])
    _reply(h, ask, IRO, "NOT SATISFIED\nNo plan.", T0 + dt.timedelta(hours=6), 3)
    assert _state(h).stage == "stage2", "the IRO can still escalate"


def test_seed004_overall_limit_notices_and_letters_say_the_working_day(harness):
    h = harness("west_sussex")
    _raise(h)                                            # day 0: Mon 30 Nov; the 20th working day: Wed 30 Dec
    day = T0.date()
    while day <= dt.date(2026, 12, 31):
        day += dt.timedelta(days=1)
        h.run(dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.timezone.utc))
    notices = [m for m in h.sent() if "overall time limit" in str(m["Subject"])]
    assert len(notices) == 2
    warning, on_the_day = (m.get_body(("plain",)).get_content() for m in notices)
    assert "30 December 2026" in warning and "3 working days from now" in warning
    assert "reaches today, 30 December 2026" in on_the_day
    assert all(a in str(notices[0]["To"]).lower() for a in (IRO[1], IRO_TM, PRINCIPAL))
    stage4 = h.find("stage4-letter", AD[1])
    (_, data), = attachments(stage4).items()
    text = docx_text(data)
    assert "of the 20-working-day limit for the whole process, which falls on 30 December 2026" in text


def test_seed004_cp_child_unresolved_at_the_top_goes_to_the_dce(harness):
    h = harness("west_sussex")
    _raise(h, start_stage="stage4", bypass_reason="Serious and urgent", case_type="CP")
    letter = h.find("stage4-letter", AD[1])
    duty = h.find("notify-duty", AD_SQP)
    assert "Notify the DCE" in duty.get_body(("plain",)).get_content() and DCE in duty.get_body(("plain",)).get_content()
    assert "DCE" not in docx_text(next(iter(attachments(letter).values())))
    _reply(h, letter, AD, "We cannot fund it.", T0 + dt.timedelta(hours=3), 1)
    ask = h.find("decide", IRO[1])
    assert "unresolved at the top of the procedure" in ask.get_body(("plain",)).get_content()
    _reply(h, ask, IRO, "NOT SATISFIED\nThe plan is still not progressed.", T0 + dt.timedelta(hours=5), 2)
    assert _state(h).status.value == "unresolved"
    assert h.find("notify-unresolved", IRO_TM)
    route = h.find("notify-top-of-ladder", DCE)
    assert "unresolved at the top" in str(route["Subject"])


def test_seed001_time_out_agreed_by_copying_the_line_manager(harness):
    h = harness("integrated_childrens_services")
    _raise(h, start_stage="level1")
    consulted = h.find("notify-consulted", IRO_TM)
    assert "consults you about Level 1" in consulted.get_body(("plain",)).get_content()
    ack = h.find("ack", IRO[1])
    refused = _reply(h, ack, IRO, "TIME OUT UNTIL 14/12/2026\nWaiting for the family meeting.",
                     T0 + dt.timedelta(hours=2), 1)
    assert _state(h).status.value == "awaiting_response", refused
    answer = [m for m in h.sent() if "Decision not understood" in str(m["Subject"])][-1]
    assert "Agreed by" in answer.get_body(("plain",)).get_content()
    _reply(h, ack, IRO, "TIME OUT UNTIL 14/12/2026\nWaiting for the family meeting.", T0 + dt.timedelta(hours=3), 2,
           cc=(f"Lee Overseer <{IRO_TM}>",))
    state = _state(h)
    assert state.status.value == "timed_out" and state.time_outs[-1].agreed_by == IRO_TM


def test_seed001_level6_consults_before_the_referral(harness):
    h = harness("integrated_childrens_services")
    _raise(h, start_stage="level5", bypass_reason="Only the Corporate Director can agree the funding")
    letter = h.find("level5-letter", CORP[1])
    _reply(h, letter, CORP, "Not agreed.", T0 + dt.timedelta(hours=3), 1)
    ask = h.find("decide", IRO[1])
    _reply(h, ask, IRO, "NOT SATISFIED", T0 + dt.timedelta(hours=5), 2)
    asked = h.find("notify-cafcass-consultation", "legal.children@example.gov.uk")
    assert "with legal advice" in asked.get_body(("plain",)).get_content()
    assert _state(h).status.value == "considering_cafcass"
    decide = h.find("decide", IRO[1])
    _reply(h, decide, IRO, "REFER TO CAFCASS", T0 + dt.timedelta(days=1), 3)
    draft = h.find("cafcass-draft", IRO[1])
    text = docx_text(next(iter(attachments(draft).values())))
    assert "None recorded" not in text and "Legal Services" in text


def test_seed000_lac_admin_gets_what_to_file_at_every_step_and_every_closure(harness):
    h = harness("practice_learning_alert")
    _raise(h, start_stage="stage3")                       # a later stage, and no reason asked (seed 000)
    admin = "lac.admin@example.gov.uk"
    raised = h.find("notify-raised", admin)
    files = attachments(raised)
    assert {"PA-2026-0001 Stage 3 letter.docx"} <= set(files) and any("case note" in n.lower() for n in files)
    body = raised.get_body(("plain",)).get_content()
    assert "To file on Mosaic: the case note so far" in body and "PA-2026-0001" in body
    ack = h.find("ack", IRO[1])
    _reply(h, ack, IRO, "CLOSE\nwithdrawn: the plan was agreed at the review", T0 + dt.timedelta(hours=3), 1)
    closed = h.find("closed", IRO[1])
    assert admin in str(closed["Cc"]).lower() or admin in str(closed["To"]).lower(), "every closure tells LAC admin"


def test_seed003_cumulative_mark_letter_shows_both_dates(harness):
    h = harness("professional_challenge")
    _raise(h, start_stage="stage1")                       # day 0: Mon 30 November
    letter = h.find("stage1-letter", PM[1])
    _reply(h, letter, PM, "We are still looking.", dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone.utc), 1)  # day 5
    ask = h.find("decide", IRO[1])
    _reply(h, ask, IRO, "NOT SATISFIED\nNo plan.", dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.timezone.utc), 2)  # day 7
    stage2 = h.find("stage2-letter", "sam.sample@example.gov.uk")
    text = docx_text(attachments(stage2)["PA-2026-0001 Stage 2 letter.docx"])
    assert "Please respond by" in text and "14 December 2026" in text
    assert ("its own working days (due 16 December 2026) and a mark of 10 working days from the start of the "
            "challenge (due 14 December 2026); the earlier, the mark, applies") in text
    assert "working day 7 of the 20-working-day limit" in text
    assert h.find("notify-consulted", "morgan.mock@example.gov.uk"), "the IRO's own Service Manager before Stage 2"


def test_seed003_cafcass_referral_runs_in_parallel(harness):
    h = harness("professional_challenge")
    _raise(h, start_stage="stage1")
    letter = h.find("stage1-letter", PM[1])
    _reply(h, h.find("ack", IRO[1]), IRO, "REFER TO CAFCASS", T0 + dt.timedelta(hours=2), 1)
    assert h.find("before-cafcass", AD[1]), "the Nominated Officer is told before the referral"
    assert "stays with you at Stage 1" in h.find("notify-cafcass-parallel", PM[1]).get_body(("plain",)).get_content()
    assert _reply(h, letter, PM, "Plan agreed with the family.", T0 + dt.timedelta(hours=4), 2).kinds == {"response": 1}
    state = _state(h)
    assert state.stage == "stage1" and state.current.responded_at is not None and state.cafcass_referred_at
