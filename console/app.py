"""The console application: ``create_app(ctx, settings)`` returns the ASGI app uvicorn serves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from practice_alerts.console import auth, pages, posts
from practice_alerts.console.core import HERE, Console, WebSettings, console_of, utcnow
from practice_alerts.console.security import RateLimit, SecurityHeaders
from practice_alerts.pipeline.context import ServiceContext

SESSION_COOKIE = "pa_session"
SESSION_HOURS = 8


def create_app(ctx: ServiceContext, settings: WebSettings, *,
               clock: Callable[[], dt.datetime] = utcnow) -> Starlette:
    console = Console(ctx=ctx, settings=settings, clock=clock, sign_in_limit=RateLimit(settings.sign_in_attempts))
    if settings.oidc_issuer:
        console.oauth = auth.oidc_client(settings)
    routes = [
        *auth.ROUTES, *pages.ROUTES, *posts.ROUTES,
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=settings.session_key, session_cookie=SESSION_COOKIE,
                   max_age=SESSION_HOURS * 3600, same_site="lax", https_only=settings.secure_cookies),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={404: _not_found, 500: _failed})
    app.state.console = console
    return app


async def _not_found(request: Request, exc: Exception) -> Response:
    return console_of(request).render(request, "error.html", 404, title="Page not found",
                                      message="If you typed the web address, check it is correct.")


async def _failed(request: Request, exc: Exception) -> Response:
    # Outside the session middleware: a plain page, no personal data, no details of the fault.
    return HTMLResponse("<!DOCTYPE html><html lang=\"en\"><head><title>Sorry, there is a problem</title></head>"
                        "<body><main><h1>Sorry, there is a problem</h1><p>Try again later. If it keeps happening, "
                        "tell the system administrator.</p></main></body></html>", status_code=500)

