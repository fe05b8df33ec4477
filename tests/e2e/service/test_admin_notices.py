"""What LAC admin, QA and the IROs' managers hear: held mail (at once and each morning), the
weekly digest, and ``status`` naming each held message's sender and subject (issue 14)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from practice_alerts import demo_mail
from practice_alerts.commands.status import status_lines
from practice_alerts.mailflow.compose import Notice
from practice_alerts.pipeline import actions as performing

from .conftest import MAILBOX
from .test_answers import IRO, SW, body, mail, raise_alert

LAC = "lac.admin@example.gov.uk"
QA = "qa.service@example.gov.uk"
IRO_MANAGER = "lee.overseer@example.gov.uk"
MONDAY = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def test_held_mail_reaches_lac_admin_in_the_morning_digest_once(harness):
    h = harness("rutland", digests=True)
    h.drop(mail(("Someone Else", "someone@elsewhere.example"), "Concern about a child", "Please look at this.",
                at=MONDAY, message_id="<stranger@elsewhere.example>", internal=False))
    h.run(MONDAY)
    assert h.sent() == []  # nobody unknown is answered
    lines = status_lines(h.ctx, MONDAY)
    assert any('from Someone Else <someone@elsewhere.example>, subject "Concern about a child"' in line
               for line in lines), lines
    for hour in (6, 8, 9):  # before the digest hour nothing; then once
        h.run(dt.datetime(2026, 12, 1, hour, 0, tzinfo=dt.timezone.utc))
    (digest,) = h.sent()
    assert str(digest["To"]).endswith(f"<{LAC}>")
    assert str(digest["Subject"]).strip() == "OFFICIAL-SENSITIVE: Messages held for review on 30/11/2026"
    text = body(digest)
    assert "1. From: Someone Else <someone@elsewhere.example> Subject: Concern about a child" in text
    assert "Received: 30/11/2026 09:30" in text and "Why it was held:" in text
    assert "sender is not in the directory" in text
    assert "What you can do: If the sender is council staff" in text


def test_the_weekly_digest_says_where_every_open_alert_stands(harness):
    h = harness("rutland", digests=True)
    values = demo_mail.form_values(h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                   team_manager=None, raised=MONDAY.date())
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=demo_mail.filled_form(h.ctx.policy, values),
                               at=MONDAY, message_id="<weekly-1@example.gov.uk>"))
    h.run(MONDAY)
    assert not [m for m in h.sent() if "weekly summary" in str(m["Subject"])]
    next_monday = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.timezone.utc)
    h.run(next_monday)
    h.run(next_monday + dt.timedelta(hours=2))
    (digest,) = [m for m in h.sent() if "weekly summary" in str(m["Subject"])]
    assert str(digest["Subject"]).strip() == "OFFICIAL-SENSITIVE: Practice Alerts: weekly summary, week of 07/12/2026"
    to = str(digest["To"])
    assert LAC in to and QA in to and IRO_MANAGER in to
    text = body(digest)
    assert "1 open" in text and "- PA-2026-0001 (case MOS-200101):" in text and "IRO Dana Reviewer" in text
    assert "Overdue (" in text and "Stuck without a due date (" in text
    assert "Riley" not in text and "Riley" not in str(digest["Subject"])


def _with_external_link(form: bytes) -> bytes:
    """The form with a linked (not embedded) picture, as Word writes one: a link to check, never followed."""
    source, out = zipfile.ZipFile(io.BytesIO(form)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdLinked" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/image" Target="http://images.example.net/logo.png" TargetMode="External"/>'
                    b"</Relationships>"))
            target.writestr(item, data)
    return out.getvalue()


def test_lac_admin_hears_of_a_forms_links_to_other_files(harness):
    h = harness("rutland")
    values = demo_mail.form_values(h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                   team_manager=None, raised=MONDAY.date())
    form = _with_external_link(demo_mail.filled_form(h.ctx.policy, values))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=MONDAY, message_id="<linked@example.gov.uk>"))
    h.run(MONDAY)
    (flags,) = [m for m in h.sent() if "has links to check" in str(m["Subject"])]
    assert str(flags["To"]).endswith(f"<{LAC}>") and "[PA-2026-0001]" in str(flags["Subject"])
    text = body(flags)
    assert "http://images.example.net/logo.png" in text and "They were not followed" in text
    assert "What you can do: open the filed form" in text


def test_each_follow_up_is_enqueued_under_the_message_id_made_to_check_the_outbox(harness, monkeypatch):
    """The close reminder and both digests make their Message-ID once, to see whether the outbox has it,
    and enqueue under that id: ``pipeline.actions`` never makes it again."""
    made_again: list[str] = []
    unreferenced, referenced = performing.make_unreferenced_message_id, performing.message_id_for
    monkeypatch.setattr(performing, "make_unreferenced_message_id",
                        lambda key, **kw: made_again.append(key) or unreferenced(key, **kw))
    monkeypatch.setattr(performing, "message_id_for",
                        lambda outgoing, *args, **kw: made_again.append(outgoing.action) or referenced(outgoing, *args, **kw))
    h = harness("rutland", digests=True)
    ack = raise_alert(h, at=MONDAY)
    h.drop(mail(("Someone Else", "someone@elsewhere.example"), "Concern about a child", "Please look at this.",
                at=MONDAY, message_id="<held-once@elsewhere.example>", internal=False))
    h.drop(demo_mail.reply(ack.as_bytes(), sender=IRO, mailbox=MAILBOX, at=MONDAY + dt.timedelta(hours=1),
                           message_id="<satisfied-once@example.gov.uk>", text="SATISFIED\nAll done."))
    for day in (0, 1, 3, 7):  # the day it is resolved, the morning digest, the close reminder, the next week
        h.run(dt.datetime(2026, 11, 30, 11, 0, tzinfo=dt.timezone.utc) + dt.timedelta(days=day))
    subjects = [str(m["Subject"]) for m in h.sent()]
    for wanted in ("Messages held for review on 30/11/2026", "weekly summary, week of 07/12/2026",
                   Notice.PLEASE_CLOSE.value):
        assert any(wanted in s for s in subjects), (wanted, subjects)
    assert not [k for k in made_again if "digest" in k or k.startswith("close-reminder")], made_again
