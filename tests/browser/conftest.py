"""The console served for real (uvicorn on a loopback port, in a thread) over a real SQLite
database made by the demo, a local OIDC issuer, and one Chromium (Debian's) for the session.

Alerts after setting up (clock: Wednesday 9 December 2026):
* PA-2026-0001 — the demo's: Children in Care North, at Stage 2 with Sam Sample; a reply from
  Sam that could not be authenticated is held in the quarantine.
* PA-2026-0002, PA-2026-0003 — Casey Chair's, about Billie Blank's child (Children in Care
  South), at Stage 1 with Frankie Fictional.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import uvicorn
from oidc_issuer import Issuer  # noqa: E402
from playwright.sync_api import sync_playwright

from practice_alerts import demo_mail
from practice_alerts.commands.demo import DEMO_SECRET, find_sent, run_demo
from practice_alerts.config import load_config
from practice_alerts.console.app import create_app
from practice_alerts.console.core import WebSettings
from practice_alerts.pipeline.context import open_service
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.runloop import Runner

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe.min.js"
SHOTS = HERE.parents[1] / "docs" / "console"
START = dt.datetime(2026, 12, 9, 9, 10, tzinfo=dt.timezone.utc)
LAC_ADMIN = "lac.admin@example.gov.uk"
CASEY = ("Casey Chair", "casey.chair@example.gov.uk")
BILLIE = ("Billie Blank", "billie.blank@example.gov.uk")
OIDC_CLIENT = ("practice-alerts-console", "test-client-secret-0123456789")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="needs Debian's chromium (/usr/bin/chromium); "
                                                        "apt-get install chromium"))


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Site:
    def __init__(self, folder: Path, config_file: Path, environ: dict[str, str], clock: Clock) -> None:
        self.folder, self.config_file, self.environ, self.clock = folder, config_file, environ, clock
        self.config = load_config(config_file, environ)
        self.ctx = open_service(self.config, environ)
        self.runner = Runner(self.ctx, clock=clock, log=JsonLog(quiet=True))
        self.mail = folder / "mail"
        self.url = ""
        self.counter = 0

    def one_pass(self) -> Any:
        self.clock.now += dt.timedelta(minutes=1)
        return self.runner.one_pass()

    def deliver(self, data: bytes) -> None:
        self.ctx.transport.deliver(data)  # type: ignore[attr-defined]

    def state(self, reference: str) -> Any:
        with self.ctx.database.reading() as reads:
            return self.ctx.cache.load(reads, reference, self.ctx).state

    def sent(self) -> list[Any]:
        return [BytesParser(policy=default).parsebytes(p.read_bytes())
                for p in sorted((self.mail / ".sent" / "cur").glob("*"))]

    def sent_to(self, address: str, contains: str) -> list[Any]:
        return [m for m in self.sent() if address in str(m["To"]).lower() and contains in str(m["Message-ID"])]

    def raw_sent(self, action: str, to: str) -> bytes:
        return find_sent(self.mail, action, to)

    def message_id(self) -> str:
        self.counter += 1
        return f"<console-test-{self.counter}@example.gov.uk>"


def _setting_up(site: Site) -> None:
    policy = site.ctx.policy
    for child_id in ("MOS-300001", "MOS-300002"):
        form = demo_mail.filled_form(policy, demo_mail.form_values(
            policy, iro_name=CASEY[0], iro_email=CASEY[1], social_worker=BILLIE, team_manager=None,
            raised=site.clock.now.date(), child="Sam Test", child_id=child_id))
        site.deliver(demo_mail.new_alert(sender=CASEY, mailbox="practice.alerts@example.gov.uk", form=form,
                                         at=site.clock.now, message_id=site.message_id()))
        site.one_pass()
    letter = site.raw_sent("stage2-letter", "sam.sample@")
    reply = demo_mail.reply(letter, sender=("Sam Sample", "sam.sample@example.gov.uk"), at=site.clock.now,
                            mailbox="practice.alerts@example.gov.uk", message_id=site.message_id(),
                            text="We have agreed the placement plan; the review is booked for next week.")
    unauthenticated = reply.replace(b"X-MS-Exchange-Organization-AuthAs: Internal\r\n", b"") \
        .replace(b"X-MS-Exchange-Organization-AuthAs: Internal\n", b"")
    assert b"AuthAs" not in unauthenticated
    site.deliver(unauthenticated)
    site.one_pass()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("console") / "demo"
    environ = {**os.environ, "PRACTICE_ALERTS_SECRET": DEMO_SECRET, "PRACTICE_ALERTS_OIDC_SECRET": OIDC_CLIENT[1]}
    with contextlib.redirect_stdout(io.StringIO()):
        old = os.environ.get("PRACTICE_ALERTS_SECRET")
        os.environ["PRACTICE_ALERTS_SECRET"] = DEMO_SECRET
        try:
            run_demo(argparse.Namespace(dir=str(folder)))
        finally:
            if old is None:
                os.environ.pop("PRACTICE_ALERTS_SECRET", None)
            else:
                os.environ["PRACTICE_ALERTS_SECRET"] = old
    config_file = folder / "practice-alerts.yaml"
    with Issuer(*OIDC_CLIENT) as issuer:
        config_file.write_text(config_file.read_text() + (
            f"console:\n  council_name: Exampleshire County Council\n  oidc_issuer: {issuer.url}\n"
            f"  oidc_client_id: {OIDC_CLIENT[0]}\n"), encoding="utf-8")
        clock = Clock(START)
        site = Site(folder, config_file, environ, clock)
        _setting_up(site)
        config = load_config(config_file, environ)
        web_ctx = open_service(config, environ, check_templates=False, reading_only=True)
        settings = WebSettings(council="Exampleshire County Council", session_key="k" * 64, dev_login=True,
                               secure_cookies=False, oidc_issuer=issuer.url, oidc_client_id=OIDC_CLIENT[0],
                               oidc_client_secret=OIDC_CLIENT[1], sign_in_attempts=10_000)
        app = create_app(web_ctx, settings, clock=clock)
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "the console did not start"
        site.url = f"http://127.0.0.1:{port}"
        site.issuer = issuer  # type: ignore[attr-defined]
        site.web_ctx = web_ctx  # type: ignore[attr-defined]
        site.app_settings = settings  # type: ignore[attr-defined]
        try:
            yield site
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            web_ctx.close()
            site.ctx.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-extensions", "--no-first-run"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh, signed-out page (its own cookies) for each test."""
    contexts = []

    def make() -> Any:
        context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900},
                                      accept_downloads=True)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in_as(page: Any, email: str) -> None:
    page.goto("/sign-in")
    page.select_option("#email", email)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/caseload")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.x A/AA and best-practice findings on the page as it is now."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return list(result)


def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def helpers() -> Any:
    return argparse.Namespace(sign_in_as=sign_in_as, axe_violations=axe_violations, screenshot=screenshot)


def hold_reply(site: Site, letter_action: str, sender: tuple[str, str], text: str) -> int:
    """A reply to one of our letters whose sender cannot be authenticated: held. Returns its message number."""
    letter = site.raw_sent(letter_action, sender[1].split("@")[0] + "@")
    reply = demo_mail.reply(letter, sender=sender, at=site.clock.now, mailbox="practice.alerts@example.gov.uk",
                            message_id=site.message_id(), text=text)
    site.deliver(reply.replace(b"X-MS-Exchange-Organization-AuthAs: Internal\r\n", b"")
                 .replace(b"X-MS-Exchange-Organization-AuthAs: Internal\n", b""))
    site.one_pass()
    with site.ctx.database.reading() as reads:
        return reads.held_messages()[0].id
