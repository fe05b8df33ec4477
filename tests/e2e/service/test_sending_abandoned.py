"""A sender that stopped during a message's last allowed attempt: the message may have gone out, so it
is not sent again; it is given up, and LAC admin and the IRO are told (before, it was given up silently)."""

from __future__ import annotations

import datetime as dt
from email.parser import BytesParser
from email.policy import default

from practice_alerts import demo_mail
from practice_alerts.store import OutgoingMail, RetryPolicy, unit_of_work

from .conftest import MAILBOX, Harness

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def test_a_message_whose_last_attempt_was_never_reported_is_given_up_and_people_are_told(tmp_path) -> None:
    h = Harness(tmp_path / "service", "rutland", T0)
    try:
        form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
            h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date()))
        h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<abandoned-1@example.gov.uk>"))
        h.run()
        service = h.ctx.config.service
        retry = RetryPolicy(claim_for=dt.timedelta(seconds=service.send_claim_seconds),
                            max_attempts=service.send_max_attempts)
        note = OutgoingMail(message_id="<abandoned-note@pa.example.gov.uk>", purpose="notify",
                            envelope_from=MAILBOX, envelope_to=("jo.bloggs@example.gov.uk",),
                            raw=b"Subject: x\r\n\r\nx\r\n", alert_reference="PA-2026-0001")
        # Every attempt claimed and none reported: the sender stopped each time, the last time for good.
        now = T0 + dt.timedelta(minutes=1)
        with unit_of_work(h.ctx.database, now=now) as work:
            work.enqueue(note)
        for _ in range(retry.max_attempts):
            with unit_of_work(h.ctx.database, now=now) as work:
                assert len(work.claim_due(limit=10, policy=retry)) == 1
            now += retry.claim_for + dt.timedelta(seconds=1)
        with unit_of_work(h.ctx.database, now=now) as work:  # used up: never claimed (so never sent) again
            assert work.claim_due(limit=10, policy=retry) == []

        h.run(now)
        rows = {r.message_id: r for r in _outbox(h)}
        given_up = rows["<abandoned-note@pa.example.gov.uk>"]
        assert given_up.status == "gave_up" and given_up.attempts == retry.max_attempts
        assert "the service stopped during the last attempt" in (given_up.last_error or "")
        notices = [r for r in rows.values() if r.purpose == "undelivered_notice"]
        assert len(notices) == 1 and IRO[1] in notices[0].envelope_to
        assert set(h.ctx.lac_admin) <= set(notices[0].envelope_to)
        body = BytesParser(policy=default).parsebytes(notices[0].raw).get_body(preferencelist=("plain",))
        assert body is not None
        text = " ".join(body.get_content().split())
        assert "may or may not have gone out" in text and "mail retry outbound" in text
        h.run(now + dt.timedelta(hours=1))  # told once, however many passes follow
        assert len([r for r in _outbox(h) if r.purpose == "undelivered_notice"]) == 1
    finally:
        h.close()


def _outbox(h) -> list:
    with h.ctx.database.reading() as reads:
        return reads.outbox_items()
