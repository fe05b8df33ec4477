"""The README's demo, run twice; and the replies people get when something cannot be used."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from practice_alerts import demo_mail

from .conftest import MAILBOX, attachments

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def test_the_demo_runs_twice_and_says_where_everything_is(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PRACTICE_ALERTS_SECRET"}
    for attempt in range(2):
        done = subprocess.run([sys.executable, "-m", "practice_alerts", "demo", "--dir", str(tmp_path / "demo")],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert ("previous run's mail, data and documents replaced" in done.stdout) == (attempt == 1)
    out = done.stdout
    assert f"Sent mail (one .eml file each) is in {tmp_path / 'demo' / 'mail' / '.sent' / 'cur'}" in out
    assert "documents/PA-2026-0001/PA-2026-0001 Stage 2 letter.docx" in out
    assert "Out-of-office reply from the stage recipient - Sam Sample" in out
    assert "Reminder sent (stage2)" in out
    assert len(list((tmp_path / "demo" / "mail" / ".sent" / "cur").iterdir())) == 10  # with the decision confirmation
    assert len(list((tmp_path / "demo" / "mail" / ".processed" / "cur").iterdir())) == 4


def test_a_form_with_mistakes_is_sent_back_and_raises_nothing(harness):
    h = harness("rutland")
    values = demo_mail.form_values(h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                   team_manager=None, raised=T0.date())
    del values["concern"]
    form = demo_mail.filled_form(h.ctx.policy, values)
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<bad-form@example.gov.uk>"))
    assert h.run().kinds == {"new_alert": 1}
    (reply,) = h.sent()
    assert str(reply["To"]) == "Dana Reviewer <dana.reviewer@example.gov.uk>"
    assert str(reply["Subject"]) == "OFFICIAL-SENSITIVE: Practice Alert form: please correct and resend"
    assert "PA-" not in str(reply["Subject"]) and ".PA-" not in str(reply["Message-ID"])
    assert str(reply["In-Reply-To"]) == "<bad-form@example.gov.uk>"
    assert "concern" in reply.get_body(("plain",)).get_content().lower()
    with h.ctx.database.reading() as reads:
        assert reads.list_alerts() == []
    first_id = str(reply["Message-ID"])
    # The same message again (a re-run after a crash, or the sender's copy) gives the same id: sent once.
    from practice_alerts.mailflow.msgid import make_unreferenced_message_id, verify_message_id

    with h.ctx.database.reading() as reads:
        inbound = reads.inbound(1)
    assert first_id == make_unreferenced_message_id(f"form-problem-{inbound.id}", secret=h.ctx.secret,
                                                    domain=h.ctx.mail.message_id_domain)
    assert verify_message_id(first_id, secret=h.ctx.secret) is None  # signed, but aims at no alert


def test_an_unclear_decision_gets_the_options_and_changes_nothing(harness):
    h = harness("rutland")
    form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
        h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date()))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<u-1@example.gov.uk>"))
    h.run()
    ack = h.find("ack", IRO[1])
    h.drop(demo_mail.reply(ack.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(hours=1),
                           message_id="<u-2@example.gov.uk>", text="Maybe we should wait and see?"))
    assert h.run(T0 + dt.timedelta(hours=1)).kinds == {"decision": 1}
    reply = [m for m in h.sent() if str(m["In-Reply-To"]) == "<u-2@example.gov.uk>"]
    assert len(reply) == 1 and "Decision not understood" in str(reply[0]["Subject"])
    assert "NOT SATISFIED" in reply[0].get_body(("plain",)).get_content()
    with h.ctx.database.reading() as reads:
        assert [e.event_type for e in reads.events("PA-2026-0001")] == ["form_filed", "raised"]


def test_a_bypass_to_a_later_stage_says_why_in_the_letter(harness):
    h = harness("rutland")
    form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
        h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date(),
        start_stage="stage3", bypass_reason="Serious: the third missed visit this year."))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<by-1@example.gov.uk>"))
    h.run()
    letter = h.find("stage3-letter", "pat.placeholder@")
    from .conftest import docx_text

    text = docx_text(attachments(letter)["PA-2026-0001 Stage 3 letter.docx"])
    assert "Serious: the third missed visit this year." in text


def test_a_decision_the_policy_refuses_is_explained_and_recorded(harness):
    h = harness("rutland")  # Rutland's procedure has no time-outs
    form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
        h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date()))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<r-1@example.gov.uk>"))
    h.run()
    ack = h.find("ack", IRO[1])
    h.drop(demo_mail.reply(ack.as_bytes(), sender=IRO, mailbox=MAILBOX, at=T0 + dt.timedelta(hours=1),
                           message_id="<r-2@example.gov.uk>", text="TIME OUT UNTIL 15/12/2026\nWaiting for court."))
    h.run(T0 + dt.timedelta(hours=1))
    (reply,) = [m for m in h.sent() if str(m["In-Reply-To"]) == "<r-2@example.gov.uk>"]
    assert "time" in reply.get_body(("plain",)).get_content().lower()
    with h.ctx.database.reading() as reads:
        kinds = [e.event_type for e in reads.events("PA-2026-0001")]
    assert kinds == ["form_filed", "raised", "refused"]
