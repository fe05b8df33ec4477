"""End to end, for each built-in policy: a missed deadline, then "NOT SATISFIED" to the next stage.

The first stage's deadline passes without a response; the clock records it and tells the IRO.
The IRO answers "NOT SATISFIED": the next stage's letter goes to whoever the directory names for
that stage's role, carrying a .docx (re-opened and read) with the child, the new stage and the
reference, and threaded under the alert's first stage letter.
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


def _loaded(h):
    with h.ctx.database.reading() as reads:
        return AlertCache().load(reads, "PA-2026-0001", h.ctx)


@pytest.mark.parametrize("name", policy_names())
def test_missed_deadline_then_not_satisfied_goes_to_the_next_stage(harness, name):
    h = harness(name)
    policy = h.ctx.policy
    form = demo_mail.filled_form(policy, demo_mail.form_values(
        policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date(), child=CHILD))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<esc-1@example.gov.uk>"))
    assert h.run().kinds == {"new_alert": 1}
    first = _loaded(h).state
    first_stage = policy.stage(first.stage)
    if first.current.due is None:
        pytest.skip(f"{name}: the first stage has no fixed deadline (the IRO sets it)")
    after_due = dt.datetime.combine(first.current.due + dt.timedelta(days=3), dt.time(10, 0), tzinfo=dt.timezone.utc)
    h.run(after_due)
    kinds = [e.event_type for e in _loaded(h).stored]
    assert "deadline_missed" in kinds, kinds
    with h.ctx.database.reading() as reads:
        told = [o for o in reads.outbox_for_alert("PA-2026-0001") if o.created_at >= after_due]
    assert told and any(IRO[1] in o.envelope_to for o in told)

    state = _loaded(h).state
    if state.stage != first.stage:  # this policy escalates by itself on a missed deadline
        assert first_stage.next == state.stage
    else:
        assert state.status.value == "awaiting_decision", state.status
        asks = [m for m in h.sent() if IRO[1] in str(m["To"]).lower() and "Reminder" not in str(m["Subject"])]
        h.drop(demo_mail.reply(asks[-1].as_bytes(), sender=IRO, mailbox=MAILBOX, at=after_due + dt.timedelta(hours=1),
                               message_id="<esc-decision@example.gov.uk>", text="NOT SATISFIED\nStill no visit."))
        assert h.run(after_due + dt.timedelta(hours=2)).kinds == {"decision": 1}
        state = _loaded(h).state
    second = policy.stage(state.stage)
    assert second.key == first_stage.next and state.status.value == "awaiting_response"
    recipient = state.current.recipient_email
    holders = {c.email for c in h.ctx.directory.holders(second.recipient)}
    assert recipient in holders, (recipient, second.recipient)
    letter = h.find(f"{second.key.replace('_', '-')}-letter", recipient)
    assert second.name in str(letter["Subject"]) and "Riley" not in str(letter["Subject"])
    first_letter = h.find(f"{first_stage.key.replace('_', '-')}-letter", first.current.recipient_email)
    assert str(first_letter["Message-ID"]) in str(letter["References"])  # threaded under the alert's first letter
    (filename, data), = attachments(letter).items()
    assert filename == f"PA-2026-0001 {second.name} letter.docx"
    text = docx_text(data)
    assert "PA-2026-0001" in text and CHILD in text and second.name in text
    assert (h.folder / "documents" / "PA-2026-0001" / filename).read_bytes() == data
    with h.ctx.database.reading() as reads:
        assert [e.sequence for e in reads.events("PA-2026-0001")] == list(range(1, len(_loaded(h).stored) + 1))
