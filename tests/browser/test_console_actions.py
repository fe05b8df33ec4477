"""Each action end to end: done in the browser, decided by the workflow, and (after a service pass)
the mail it causes is in the Maildir's sent folder. Tests here share the session's alerts, in order."""

from __future__ import annotations

from typing import Any

from conftest import CASEY, LAC_ADMIN, Site, hold_reply

from practice_alerts.store import OutgoingMail, RetryPolicy, unit_of_work
from practice_alerts.workflow.state import Status

SAM = ("Sam Sample", "sam.sample@example.gov.uk")
DANA = "dana.reviewer@example.gov.uk"


def _open_action(page: Any, title: str) -> Any:
    details = page.locator("details", has_text=title)
    details.locator("summary").click()
    return details


def test_releasing_a_held_reply_makes_it_the_response_and_asks_the_iro(site: Site, new_page: Any,
                                                                       helpers: Any) -> None:
    held = hold_reply(site, "stage2-letter", SAM, "Placement plan agreed; review booked.")
    assert site.state("PA-2026-0001").status is Status.AWAITING_RESPONSE
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.goto(f"/quarantine/{held}")
    details = _open_action(page, "Release it to be handled again")
    details.get_by_role("button", name="Release").click()  # no reason: refused, nothing changes
    assert "say why" in page.locator(".govuk-error-summary").inner_text()
    assert helpers.axe_violations(page) == []
    details = page.locator("details", has_text="Release it to be handled again")
    details.get_by_label("Why").fill("I phoned Sam Sample: the reply is genuine.")
    details.get_by_role("button", name="Release").click()
    page.wait_for_url("**/quarantine")
    assert "released" in page.locator(".govuk-notification-banner").inner_text()
    asked_before = len(site.sent_to(DANA, "decide"))
    site.one_pass()
    state = site.state("PA-2026-0001")
    assert state.status is Status.AWAITING_DECISION
    assert state.current.responded_at is not None
    assert len(site.sent_to(DANA, "decide")) == asked_before + 1


def test_recording_a_phone_response_stops_the_clock_and_asks_the_iro(site: Site, new_page: Any,
                                                                     helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.goto("/alerts/PA-2026-0002")
    details = _open_action(page, "Record a response given by phone or in a meeting")
    details.get_by_label("By phone").check()
    details.get_by_label("What they said").fill("Frankie will chair a planning meeting on Friday.")
    details.get_by_label("Why").fill("Frankie phoned LAC admin with the response.")
    details.get_by_role("button", name="Record a response given by phone or in a meeting").click()
    page.wait_for_url("**/alerts/PA-2026-0002")
    assert "response was recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "Response recorded (phone)" in page.locator("table", has_text="Everything that has happened").inner_text()
    state = site.state("PA-2026-0002")
    assert state.status is Status.AWAITING_DECISION
    assert state.current.response_by == "frankie.fictional@example.gov.uk"
    site.one_pass()
    request = site.sent_to(CASEY[1], "decide")
    assert request and "PA-2026-0002" in str(request[-1]["Subject"])


def test_a_decision_recorded_for_the_iro_moves_the_alert_on(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.goto("/alerts/PA-2026-0002")
    details = _open_action(page, "Record the IRO's decision for them")
    details.get_by_label("The IRO's decision").select_option("not_satisfied")
    details.get_by_label("Why").fill("Casey gave the decision by phone; she is in court all day.")
    details.get_by_role("button", name="Record the IRO's decision for them").click()
    page.wait_for_url("**/alerts/PA-2026-0002")
    state = site.state("PA-2026-0002")
    assert state.status is Status.AWAITING_RESPONSE and len(state.stages) == 2
    assert "Decision recorded for the IRO" in page.locator("table", has_text="Everything").inner_text()


def test_correcting_the_social_worker_resends_the_stage_letter_to_the_new_recipient(site: Site, new_page: Any,
                                                                                    helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.goto("/alerts/PA-2026-0003")
    details = _open_action(page, "Correct the form and send the stage letter again")
    details.get_by_label("What to correct").select_option("social_worker_email")
    details.get_by_label("The correct value").fill("charlie.casework@example.gov.uk")
    details.get_by_label("Why").fill("The form named the wrong social worker.")
    details.get_by_role("button", name="Correct the form and send the stage letter again").click()
    page.wait_for_url("**/alerts/PA-2026-0003")
    state = site.state("PA-2026-0003")
    assert state.facts.social_worker_email == "charlie.casework@example.gov.uk"
    assert state.current.recipient_email == "jo.bloggs@example.gov.uk"
    site.one_pass()
    letters = [m for m in site.sent_to("jo.bloggs@", "stage1-letter") if "PA-2026-0003" in str(m["Subject"])]
    assert letters


def test_a_refusal_is_shown_with_its_reason(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.goto("/alerts/PA-2026-0003")
    details = _open_action(page, "Merge into the alert it repeats")
    details.get_by_label("Reference of the alert it repeats").fill("PA-2026-0003")
    details.get_by_label("Why").fill("Duplicate.")
    details.get_by_role("button", name="Merge into the alert it repeats").click()
    assert "cannot be merged into itself" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#merge-into").input_value() == "PA-2026-0003"  # what was typed is kept
    assert page.locator("#merge-reason").input_value() == "Duplicate."
    assert site.state("PA-2026-0003").is_open
    assert helpers.axe_violations(page) == []
    helpers.screenshot(page, "refusal")


def test_withdraw_then_reopen_then_merge(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.goto("/alerts/PA-2026-0003")
    details = _open_action(page, "Withdraw: raised in error")
    details.get_by_label("Why").fill("Raised on the wrong child.")
    details.get_by_role("button", name="Withdraw: raised in error").click()
    page.wait_for_url("**/alerts/PA-2026-0003")
    assert site.state("PA-2026-0003").status is Status.CLOSED
    assert site.state("PA-2026-0003").outcome == "withdrawn: raised in error"
    details = _open_action(page, "Reopen this alert")
    details.get_by_label("Why").fill("It was the right child after all.")
    details.get_by_role("button", name="Reopen this alert").click()
    page.wait_for_url("**/alerts/PA-2026-0003")
    assert site.state("PA-2026-0003").status is Status.AWAITING_DECISION
    site.one_pass()
    assert [m for m in site.sent_to(CASEY[1], "reopened") if "PA-2026-0003" in str(m["Subject"])]
    details = _open_action(page, "Merge into the alert it repeats")
    details.get_by_label("Reference of the alert it repeats").fill("PA-2026-0002")
    details.get_by_label("Why").fill("Same concern as PA-2026-0002.")
    details.get_by_role("button", name="Merge into the alert it repeats").click()
    page.wait_for_url("**/alerts/PA-2026-0003")
    assert site.state("PA-2026-0003").outcome == "merged into PA-2026-0002 (duplicate)"
    page.goto("/alerts/PA-2026-0002")
    assert "A duplicate alert was merged into this one: PA-2026-0003" in page.locator("table", has_text="Everything").inner_text()


def test_attach_and_dismiss_held_mail(site: Site, new_page: Any, helpers: Any) -> None:
    comment = hold_reply(site, "stage2-letter", SAM, "Just to add: the foster carer agrees.")
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.goto(f"/quarantine/{comment}")
    details = _open_action(page, "Attach it to an alert")
    details.get_by_label("Alert reference").fill("PA-2026-0001")
    details.get_by_label("A comment").check()
    details.get_by_label("Why").fill("A genuine follow-up from Sam.")
    details.get_by_role("button", name="Attach").click()
    page.wait_for_url("**/quarantine")
    page.goto("/alerts/PA-2026-0001")
    assert "foster carer agrees" in page.locator("table", has_text="Everything").inner_text()
    junk = hold_reply(site, "stage2-letter", SAM, "Sent twice by mistake.")
    page.goto(f"/quarantine/{junk}")
    details = _open_action(page, "Dismiss it")
    details.get_by_label("Why").fill("A repeat of a message already handled.")
    details.get_by_role("button", name="Dismiss").click()
    page.wait_for_url("**/quarantine")
    with site.ctx.database.reading() as reads:
        assert reads.inbound(junk).status == "processed"
        assert reads.inbound(comment).status == "processed"


def test_retrying_a_given_up_message(site: Site, new_page: Any, helpers: Any) -> None:
    raw = b"From: practice.alerts@example.gov.uk\r\nTo: jo.bloggs@example.gov.uk\r\nSubject: test\r\n" \
          b"Date: Wed, 09 Dec 2026 09:30:00 +0000\r\nMessage-ID: <retry-test@example.gov.uk>\r\n\r\nA test message.\r\n"
    with unit_of_work(site.ctx.database, now=site.clock.now) as work:
        item = work.enqueue(OutgoingMail(message_id="<retry-test@example.gov.uk>", purpose="notice",
                                         envelope_from="practice.alerts@example.gov.uk",
                                         envelope_to=("jo.bloggs@example.gov.uk",), raw=raw,
                                         alert_reference="PA-2026-0001"))
    with unit_of_work(site.ctx.database, now=site.clock.now) as work:
        work.mark_failed(item.id, error="550 mailbox unavailable", policy=RetryPolicy(max_attempts=1))
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.goto("/outbox")
    row = page.locator("tr", has_text="550 mailbox unavailable")
    row.get_by_role("button", name="Try again").click()
    page.wait_for_url("**/outbox")
    with site.ctx.database.reading() as reads:
        assert reads.outbox_item(item.id).status == "pending"
    site.one_pass()
    with site.ctx.database.reading() as reads:
        assert reads.outbox_item(item.id).status == "sent"
