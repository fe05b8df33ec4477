"""Issue 12, point 6: a child's details go only to people in the directory or the council's own
domains, and only the IRO named on the form (or their cover) can raise it."""

from __future__ import annotations

from practice_alerts import demo_mail

from .conftest import MAILBOX
from .hostile import IRO, SW, T0


def _send(h, *, sender=IRO, iro=IRO, social_worker=SW, message_id: str) -> None:
    values = demo_mail.form_values(h.ctx.policy, iro_name=iro[0], iro_email=iro[1], social_worker=social_worker,
                                   team_manager=None, raised=T0.date())
    form = demo_mail.filled_form(h.ctx.policy, values)
    h.drop(demo_mail.new_alert(sender=sender, mailbox=MAILBOX, form=form, at=T0, message_id=message_id))


def test_an_address_outside_the_council_is_refused_with_the_field_named(harness) -> None:
    h = harness("rutland")
    _send(h, social_worker=("Alex Example", "alex.example@example.gov.uk.evil.example"), message_id="<typo@x>")
    h.run()
    with h.ctx.database.reading() as reads:
        assert reads.list_alerts() == []
    (reply,) = h.sent()
    assert str(reply["To"]).endswith(f"<{IRO[1]}>")
    text = reply.get_body(("plain",)).get_content()
    assert "The social worker's e-mail address on the form, alex.example@example.gov.uk.evil.example" in text
    assert not any("evil.example" in str(m["To"]) + str(m["Cc"] or "") for m in h.sent())


def test_a_form_naming_another_iro_is_refused(harness) -> None:
    h = harness("rutland")
    other = ("Someone Else", "someone.else@example.gov.uk")
    _send(h, iro=other, message_id="<other-iro@x>")
    h.run()
    with h.ctx.database.reading() as reads:
        assert reads.list_alerts() == []
    (reply,) = h.sent()
    assert "names someone.else@example.gov.uk as the IRO" in reply.get_body(("plain",)).get_content()
