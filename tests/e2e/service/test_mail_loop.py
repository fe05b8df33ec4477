"""A mail loop: the IRO's mailbox has a rule that answers every message, without marking its answer as
automatic. Each answer reads as an unclear decision, which we answer again... The per-recipient rate
limit must slow this to its pace, keep every held message in the outbox, and tell LAC admin once.
"""

from __future__ import annotations

import datetime as dt

import yaml

from practice_alerts import demo_mail
from practice_alerts.config import load_config
from practice_alerts.pipeline.context import open_service
from practice_alerts.pipeline.limits import HELD_SUBJECT
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.runloop import Runner

from .conftest import MAILBOX

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
ADMIN = "lac.admin@example.gov.uk"
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)
PER_HOUR, PER_DAY = 5, 8


def _with_low_limits(h) -> None:
    h.ctx.close()
    data = yaml.safe_load(h.config_file.read_text())
    data["service"] = {**data.get("service", {}), "rate_limit_per_hour": PER_HOUR, "rate_limit_per_day": PER_DAY}
    h.config_file.write_text(yaml.safe_dump(data))
    h.ctx = open_service(load_config(h.config_file, h.environ), h.environ)
    h.runner = Runner(h.ctx, clock=lambda: h.now, log=JsonLog(quiet=True))


def _to_iro(h):
    return [m for m in h.sent() if IRO[1] in str(m["To"]).lower()]


def test_an_auto_responder_loop_is_slowed_to_the_limit_and_lac_admin_is_told_once(harness):
    h = harness("rutland")
    _with_low_limits(h)
    form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
        h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date()))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<loop-0@example.gov.uk>"))
    h.run(T0)
    answered: set[str] = set()
    for minute in range(1, 31):  # half an hour of the responder answering everything we send the IRO
        at = T0 + dt.timedelta(minutes=minute)
        for ours in _to_iro(h):
            if str(ours["Message-ID"]) in answered:
                continue
            answered.add(str(ours["Message-ID"]))
            h.drop(demo_mail.reply(ours.as_bytes(), sender=IRO, mailbox=MAILBOX, at=at,
                                   message_id=f"<loop-{len(answered)}@example.gov.uk>",
                                   text="Thank you for your email. I am in meetings all day."))
        h.run(at)

    assert len(_to_iro(h)) == PER_HOUR  # the loop went round only as often as the limit allows
    held_notices = [m for m in h.sent() if HELD_SUBJECT in str(m["Subject"])]
    assert len(held_notices) == 1 and str(held_notices[0]["To"]).lower().endswith(f"<{ADMIN}>")
    assert IRO[1] in held_notices[0].get_body(("plain",)).get_content()
    assert IRO[1] not in str(held_notices[0]["Subject"])
    with h.ctx.database.reading() as reads:
        waiting = [(m.status, m.attempts, m.next_attempt_at) for m in reads.outbox_items() if m.status != "sent"]
    assert waiting and all(status == "pending" and attempts == 0 for status, attempts, _ in waiting)
    assert all(due > T0 + dt.timedelta(minutes=30) for _, _, due in waiting)  # held, not lost, not given up

    # An hour later the held message goes out (the loop had stalled on it: nothing new was answered).
    h.run(T0 + dt.timedelta(hours=2))
    assert len(_to_iro(h)) == PER_HOUR + len(waiting)
    assert len([m for m in h.sent() if HELD_SUBJECT in str(m["Subject"])]) == 1
