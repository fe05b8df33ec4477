"""Each page of the console in a real browser: what it shows, no axe-core violations, a screenshot for docs/console.md.

Runs first (file name), so the screenshots show the alerts as set up, before the action tests change them."""

from __future__ import annotations

import csv
import io
from typing import Any

import docx
import openpyxl
from conftest import LAC_ADMIN, Site

from practice_alerts.store import CONSOLE_VIEW, OutgoingMail, RetryPolicy, unit_of_work


def test_sign_in_as_lac_admin_shows_every_open_alert_on_the_caseload(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    page.goto("/sign-in")
    assert helpers.axe_violations(page) == []
    helpers.screenshot(page, "sign-in")
    helpers.sign_in_as(page, LAC_ADMIN)
    rows = page.locator("table.govuk-table tbody tr")
    text = rows.all_inner_texts()
    assert any("PA-2026-0001" in r and "Stage 2" in r and "Sam Sample" in r for r in text), text
    assert any("PA-2026-0002" in r for r in text), text
    assert "Exampleshire County Council" in page.locator("header").inner_text()
    assert helpers.axe_violations(page) == []
    helpers.screenshot(page, "caseload")


def test_the_alert_page_shows_the_chronology_documents_and_mail_and_records_the_view(site: Site, new_page: Any,
                                                                                    helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.get_by_role("link", name="PA-2026-0001").click()
    page.wait_for_url("**/alerts/PA-2026-0001")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Alert PA-2026-0001")
    chronology = page.locator("table", has_text="Everything that has happened").inner_text()
    assert "IRO not satisfied" in chronology and "Dana Reviewer" in chronology
    summary = page.locator("dl.govuk-summary-list").inner_text()
    assert "Sam Sample" in summary and "10/12/2026" in summary
    assert "Jo Bloggs (jo.bloggs@example.gov.uk)" in page.locator(".govuk-summary-list__row", has_text="copied to").inner_text()
    mail = page.locator("table", has_text="Mail sent and received").inner_text()
    assert "sam.sample@example.gov.uk" in mail and "Sent" in mail
    with page.expect_download() as download:
        page.locator("a[href*='/documents/']").first.click()
    path = download.value.path()
    assert path is not None and open(path, "rb").read(2) == b"PK"  # a Word document
    assert helpers.axe_violations(page) == []
    helpers.screenshot(page, "alert")
    with site.ctx.database.reading() as reads:
        views = reads.entries_about("PA-2026-0001", action=CONSOLE_VIEW)
    assert any(v.actor_email == LAC_ADMIN for v in views)


def test_the_quarantine_lists_held_mail_and_shows_a_message_as_text(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.get_by_role("link", name="Quarantine").click()
    assert "not authenticated" in page.locator("table").inner_text()
    assert helpers.axe_violations(page) == []
    helpers.screenshot(page, "quarantine")
    page.locator("table a").first.click()
    assert "placement plan" in page.locator("pre.pa-message").inner_text()
    assert "sam.sample@example.gov.uk" in page.locator("dl").inner_text()
    for summary in page.locator("details summary").all():
        summary.click()
    assert helpers.axe_violations(page) == []
    helpers.screenshot(page, "held-message")


def test_directory_health_reports_and_outbox_pages(site: Site, new_page: Any, helpers: Any) -> None:
    raw = b"From: practice.alerts@example.gov.uk\r\nTo: old.address@example.gov.uk\r\nSubject: test\r\nDate: Wed, 09 Dec 2026 09:30:00 +0000\r\n\r\nx\r\n"
    with unit_of_work(site.ctx.database, now=site.clock.now) as work:
        item = work.enqueue(OutgoingMail(message_id="<pages-test@example.gov.uk>", purpose="stage_letter",
                                         envelope_from="practice.alerts@example.gov.uk",
                                         envelope_to=("old.address@example.gov.uk",), raw=raw,
                                         alert_reference="PA-2026-0002"))
    with unit_of_work(site.ctx.database, now=site.clock.now) as work:
        work.mark_failed(item.id, error="550 5.1.1 no such mailbox", policy=RetryPolicy(max_attempts=1))
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    for link, heading, shot in (("Directory health", "Directory health", "directory-health"),
                                ("Reports", "Reports", "reports"), ("Outbox", "Outbox and failures", "outbox")):
        page.get_by_role("link", name=link, exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert helpers.axe_violations(page) == [], link
        helpers.screenshot(page, shot)
    assert "550 5.1.1 no such mailbox" in page.locator("table").inner_text()  # the outbox, last
    page.get_by_role("link", name="Reports", exact=True).click()
    assert "Alerts raised" in page.locator("dl").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="The tracker (Excel, every alert, as it stands now)").click()


    book = openpyxl.load_workbook(io.BytesIO(open(str(download.value.path()), "rb").read()))
    cells = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value]
    assert any("PA-2026-0002" in c for c in cells)


def test_healthz_and_the_api_answer_json(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    assert page.request.get("/healthz").json() == {"status": "ok"}
    assert page.request.get("/api/alerts").status == 401
    helpers.sign_in_as(page, LAC_ADMIN)
    alerts = page.request.get("/api/alerts").json()["alerts"]
    assert {a["reference"] for a in alerts} >= {"PA-2026-0001", "PA-2026-0002", "PA-2026-0003"}


def test_caseload_filters_search_and_csv_export(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.select_option("#iro", "casey.chair@example.gov.uk")
    page.get_by_role("button", name="Show alerts").click()
    shown = " ".join(page.locator("table tbody tr").all_inner_texts())
    assert "PA-2026-0002" in shown and "PA-2026-0003" in shown and "PA-2026-0001" not in shown
    with page.expect_download() as download:
        page.get_by_role("button", name="Export this view as CSV").click()
    rows = list(csv.reader(io.StringIO(open(str(download.value.path()), encoding="utf-8").read())))
    assert rows[0][:4] == ["Reference", "Case number", "Team", "IRO"]
    assert {r[3] for r in rows[1:]} == {"Casey Chair"}
    assert sorted(r[0] for r in rows[1:]) == ["PA-2026-0002", "PA-2026-0003"]
    page.select_option("#iro", "")
    page.fill("#search", "MOS-200101")
    page.get_by_role("button", name="Show alerts").click()
    assert [r.split("\t")[0] for r in page.locator("table tbody tr").all_inner_texts()] == ["PA-2026-0001"]
    assert "MOS-200101" not in page.url  # searched by form post: no case number in the address


def test_the_quarterly_report_downloads_as_a_word_document(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    page.goto("/reports")
    with page.expect_download() as download:
        page.get_by_role("link", name="The quarterly report for", exact=False).click()
    text = "\n".join(p.text for p in docx.Document(str(download.value.path())).paragraphs)
    assert "2026" in text and download.value.suggested_filename.endswith(".docx")
