"""Each page of the console in a real browser: what it shows, no axe-core violations, a screenshot for docs/console.md."""

from __future__ import annotations

from typing import Any

from conftest import LAC_ADMIN, Site


def test_sign_in_as_lac_admin_shows_every_open_alert_on_the_caseload(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    page.goto("/sign-in")
    assert helpers.axe_violations(page) == []
    helpers.screenshot(page, "sign-in")
    helpers.sign_in_as(page, LAC_ADMIN)
    rows = page.locator("table.govuk-table tbody tr")
    text = rows.all_inner_texts()
    assert any("PA-2026-0001" in r and "Stage 2" in r and "Sam Sample" in r for r in text), text
    assert any("PA-2026-0002" in r and "Frankie Fictional" in r for r in text), text
    assert "Exampleshire County Council" in page.locator("header").inner_text()
    assert helpers.axe_violations(page) == []
    helpers.screenshot(page, "caseload")
