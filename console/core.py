"""What every page of the console shares: the settings, and one ``Console`` holding the service
context, the clock and the templates. Pages read the store; actions go through ``pipeline.admin``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from practice_alerts.console.access import Viewer, viewer_for
from practice_alerts.console.security import RateLimit, csrf_token
from practice_alerts.pipeline.alerts import LoadedAlert
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.policies.time_zone import uk_day

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class WebSettings:
    council: str
    session_key: str
    dev_login: bool = False
    secure_cookies: bool = True
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    public_url: str | None = None
    sign_in_attempts: int = 10
    """Sign-in attempts allowed per client address in any five minutes."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Console:
    ctx: ServiceContext
    settings: WebSettings
    clock: Callable[[], dt.datetime] = utcnow
    sign_in_limit: RateLimit = field(default_factory=RateLimit)
    templates: Jinja2Templates = field(default_factory=lambda: Jinja2Templates(directory=str(HERE / "templates")))
    oauth: Any = None

    @property
    def today(self) -> dt.date:
        return uk_day(self.clock())

    def viewer(self, request: Request) -> Viewer | None:
        return viewer_for(self.ctx.directory, request.session.get("email"))

    def loaded(self) -> list[LoadedAlert]:
        with self.ctx.database.reading() as reads:
            return [self.ctx.cache.load(reads, a.reference, self.ctx) for a in reads.list_alerts()]

    def one(self, reference: str) -> LoadedAlert | None:
        with self.ctx.database.reading() as reads:
            loaded = self.ctx.cache.load(reads, reference, self.ctx)
        return loaded if loaded.state is not None else None

    def render(self, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        viewer = self.viewer(request)
        flash = request.session.pop("flash", None)
        return self.templates.TemplateResponse(request, template, {
            "council": self.settings.council, "viewer": viewer, "csrf": csrf_token(request), "flash": flash,
            "dev_login": self.settings.dev_login, "oidc": bool(self.settings.oidc_issuer), **values,
        }, status_code=status)


def console_of(request: Request) -> Console:
    return request.app.state.console


def sign_in_first(request: Request) -> Response:
    return RedirectResponse("/sign-in", status_code=303)
