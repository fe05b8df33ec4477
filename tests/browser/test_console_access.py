"""Who sees what, by page, by URL and by API; CSRF; OIDC sign-in through the local issuer; keyboard use."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

import pytest
from conftest import LAC_ADMIN, Site
from starlette.testclient import TestClient

from practice_alerts.commands.web import build_app
from practice_alerts.console.app import create_app

FRANKIE = "frankie.fictional@example.gov.uk"  # team manager, Children in Care South
JO = "jo.bloggs@example.gov.uk"  # team manager, Children in Care North (had PA-2026-0001 at Stage 1)
CASEY = "casey.chair@example.gov.uk"  # IRO of PA-2026-0002 and 0003
DANA = "dana.reviewer@example.gov.uk"  # IRO of PA-2026-0001


def _references(page: Any) -> set[str]:
    return {a["reference"] for a in page.request.get("/api/alerts").json()["alerts"]}


def test_a_manager_sees_only_alerts_that_are_or_were_with_their_team(site: Site, new_page: Any,
                                                                     helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, FRANKIE)
    caseload = page.locator("table").inner_text()
    assert "PA-2026-0001" not in caseload and "PA-2026-0002" in caseload
    response = page.goto("/alerts/PA-2026-0001")
    assert response is not None and response.status == 404
    assert "PA-2026-0001" not in _references(page)
    assert "PA-2026-0002" in _references(page)
    for admin_page in ("/quarantine", "/outbox", "/directory", "/reports"):
        response = page.goto(admin_page)
        assert response is not None and response.status == 403, admin_page
    page.goto("/alerts/PA-2026-0002")
    assert page.locator("text=Actions").count() == 0  # managers look; LAC admin and QA act
    other = new_page()
    helpers.sign_in_as(other, JO)
    assert "PA-2026-0001" in _references(other)
    assert "PA-2026-0002" not in _references(other)


def test_an_iro_sees_their_own_alerts(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, DANA)
    assert _references(page) == {"PA-2026-0001"}
    response = page.goto("/alerts/PA-2026-0002")
    assert response is not None and response.status == 404
    page = new_page()
    helpers.sign_in_as(page, CASEY)
    assert {"PA-2026-0002", "PA-2026-0003"} <= _references(page)
    assert "PA-2026-0001" not in _references(page)


def test_posts_without_the_csrf_token_are_refused_and_change_nothing(site: Site, new_page: Any,
                                                                     helpers: Any) -> None:
    page = new_page()
    helpers.sign_in_as(page, LAC_ADMIN)
    before = site.state("PA-2026-0002").events_applied
    response = page.request.post("/alerts/PA-2026-0002/actions/withdraw", form={"reason": "forged"})
    assert response.status == 403 and "expired" in response.text()
    response = page.request.post("/alerts/PA-2026-0002/actions/withdraw",
                                 form={"reason": "forged", "csrf_token": "not-the-token"})
    assert response.status == 403
    assert site.state("PA-2026-0002").events_applied == before
    signed_out = new_page()
    response = signed_out.request.post("/alerts/PA-2026-0002/actions/withdraw", form={"reason": "forged"},
                                       max_redirects=0)
    assert response.status == 303 and response.headers["location"] == "/sign-in"


def test_every_page_sends_a_strict_content_security_policy(site: Site, new_page: Any) -> None:
    page = new_page()
    response = page.goto("/sign-in")
    assert response is not None
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    cookie = next(c for c in page.context.cookies() if c["name"] == "pa_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"


def test_sign_in_through_the_oidc_provider(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    page.goto("/sign-in")
    issued = site.issuer.tokens_issued  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in with your council account").click()
    page.wait_for_url(f"{site.issuer.url}/authorize**")  # type: ignore[attr-defined]
    page.get_by_label("E-mail address").fill("Kim.Checker@example.gov.uk")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/caseload")
    assert "Kim Checker" in page.locator("header, .govuk-service-navigation").first.inner_text() or \
        "Kim Checker" in page.content()
    assert site.issuer.tokens_issued == issued + 1  # type: ignore[attr-defined]
    assert {"PA-2026-0001", "PA-2026-0002"} <= _references(page)  # QA sees every alert
    stranger = new_page()
    stranger.goto("/sign-in/oidc")
    stranger.get_by_label("E-mail address").fill("someone@elsewhere.example")
    stranger.get_by_role("button", name="Continue").click()
    assert "not in the organisation directory" in stranger.content()
    assert stranger.request.get("/api/alerts").status == 401


def test_dev_login_is_refused_unless_bound_to_loopback() -> None:
    args = argparse.Namespace(config=None, host="0.0.0.0", port=8080, dev_login=True)
    with pytest.raises(SystemExit) as stopped:
        build_app(args, {})
    assert stopped.value.code == 2


def _tab_through(page: Any, limit: int = 200) -> list[str]:
    """Press Tab until focus returns to the start; the focused elements' descriptions, in order."""
    seen: list[str] = []
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        described = page.evaluate("""() => { const e = document.activeElement;
            if (!e || e === document.body) return '';
            const style = getComputedStyle(e);
            const visible = style.outlineStyle !== 'none' || style.boxShadow !== 'none' || style.backgroundColor !== 'rgba(0, 0, 0, 0)';
            return (visible ? '' : 'NO-FOCUS-STYLE ') + e.tagName + ':' + (e.id || e.getAttribute('href') || e.textContent.trim().slice(0, 40)); }""")
        if not described or (seen and described == seen[0]):
            break
        seen.append(described)
    return seen


def test_each_page_can_be_used_by_keyboard_alone(site: Site, new_page: Any, helpers: Any) -> None:
    page = new_page()
    page.goto("/sign-in")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    for _ in range(10):  # to the person list, then the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    page.select_option("#email", LAC_ADMIN)  # a select is changed by arrow keys; the value is what matters here
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/caseload")
    for path in ("/caseload", "/alerts/PA-2026-0001", "/quarantine", "/outbox", "/directory", "/reports"):
        page.goto(path)
        stops = _tab_through(page)
        assert stops and not [s for s in stops if s.startswith("NO-FOCUS-STYLE")], (path, stops)
        links = page.evaluate("Array.from(document.querySelectorAll('main a[href], main button, main summary, "
                              "main input:not([type=hidden]), main select, main textarea'))"
                              ".filter(e => e.checkVisibility() && !(e.type === 'radio' && !e.checked)).length")
        assert len(stops) >= links, (path, links, "|".join(stops))
    # An action by keyboard alone: search the caseload by reference.
    page.goto("/caseload")
    page.focus("#search")
    page.keyboard.type("PA-2026-0001")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator("table tbody tr").all_inner_texts()
    assert len(rows) == 1 and "PA-2026-0001" in rows[0]
    # And a form on an alert page: open the action with Enter, type, submit with Enter.
    page.goto("/alerts/PA-2026-0002")
    _tab_until(page, "SUMMARY", "Record a response given by phone or in a meeting")
    page.keyboard.press("Enter")
    assert page.locator("details", has_text="Record a response given by phone").get_attribute("open") is not None
    _tab_until(page, "BUTTON", "Record a response given by phone or in a meeting")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # no reason given: the error summary says so
    assert "say why" in page.locator(".govuk-error-summary").inner_text()


def _tab_until(page: Any, tag: str, text: str, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("[document.activeElement.tagName, document.activeElement.textContent.trim()]") == [tag, text]:
            return
    raise AssertionError(f"{tag} '{text}' was never reached by Tab")


def test_sign_in_attempts_are_rate_limited(site: Site) -> None:
    settings = dataclasses.replace(site.app_settings, sign_in_attempts=3)  # type: ignore[attr-defined]
    with TestClient(create_app(site.web_ctx, settings), base_url="http://127.0.0.1") as client:  # type: ignore[attr-defined]
        token = client.get("/sign-in").text.split('name="csrf_token" value="')[1].split('"')[0]
        codes = [client.post("/sign-in/dev", data={"csrf_token": token, "email": "nobody@example.gov.uk"}).status_code
                 for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_session_cookies_are_secure_when_the_console_is_not_on_loopback(site: Site) -> None:
    settings = dataclasses.replace(site.app_settings, secure_cookies=True)  # type: ignore[attr-defined]
    with TestClient(create_app(site.web_ctx, settings), base_url="https://pa.example.gov.uk") as client:  # type: ignore[attr-defined]
        cookie = client.get("/sign-in").headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
