"""Signing in: OpenID Connect (any provider; Microsoft Entra ID in councils) or, for the demo and
development only, a "sign in as" list that is refused unless the console listens on loopback.

Either way the person's e-mail address must be in the organisation directory: their roles there
decide what they see. Sign-in attempts are rate-limited per client address.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from practice_alerts.console.core import Console, WebSettings, console_of
from practice_alerts.console.security import csrf_ok


def oidc_client(settings: WebSettings) -> Any:
    from authlib.integrations.starlette_client import OAuth  # type: ignore[import-untyped]  # noqa: PLC0415 - only when OIDC is configured

    oauth = OAuth()
    oauth.register(
        name="oidc", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
        server_metadata_url=f"{str(settings.oidc_issuer).rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"},
    )
    return oauth


def _client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _start_session(request: Request, email: str) -> None:
    request.session.clear()
    request.session["email"] = email.strip().lower()


def _limited(console: Console, request: Request) -> Response | None:
    if console.sign_in_limit.allow(_client_key(request)):
        return None
    return console.render(request, "sign_in.html", 429, people=_people(console), error=(
        "Too many sign-in attempts from this computer. Wait five minutes, then try again."))


def _people(console: Console) -> list[Any]:
    if not console.settings.dev_login:
        return []
    return sorted(console.ctx.directory.people, key=lambda p: p.name)


async def sign_in(request: Request) -> Response:
    console = console_of(request)
    return console.render(request, "sign_in.html", people=_people(console), error=None)


async def dev_sign_in(request: Request) -> Response:
    console = console_of(request)
    if not console.settings.dev_login:
        return console.render(request, "error.html", 404, title="Page not found", message="")
    limited = _limited(console, request)
    if limited is not None:
        return limited
    form = await request.form()
    if not csrf_ok(request, form.get("csrf_token")):
        return console.render(request, "error.html", 403, title="Your form has expired",
                              message="Go back, reload the page and try again.")
    email = str(form.get("email") or "")
    if console.ctx.directory.person(email) is None:
        return console.render(request, "sign_in.html", 400, people=_people(console),
                              error="Choose who to sign in as.")
    _start_session(request, email)
    return RedirectResponse("/", status_code=303)


async def oidc_start(request: Request) -> Response:
    console = console_of(request)
    if console.oauth is None:
        return console.render(request, "error.html", 404, title="Page not found", message="")
    limited = _limited(console, request)
    if limited is not None:
        return limited
    base = (console.settings.public_url or str(request.base_url)).rstrip("/")
    return await console.oauth.oidc.authorize_redirect(request, f"{base}/auth/callback")


async def oidc_callback(request: Request) -> Response:
    from authlib.integrations.starlette_client import OAuthError  # noqa: PLC0415 - only when OIDC is configured

    console = console_of(request)
    if console.oauth is None:
        return console.render(request, "error.html", 404, title="Page not found", message="")
    try:
        token = await console.oauth.oidc.authorize_access_token(request)
    except OAuthError:
        return console.render(request, "sign_in.html", 400, people=_people(console),
                              error="Sign-in did not complete. Try again.")
    claims = token.get("userinfo") or {}
    email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    if console.ctx.directory.person(email) is None:
        request.session.clear()
        return console.render(request, "error.html", 403, title="You cannot use this service", message=(
            "Your account is not in the organisation directory. Ask LAC admin to add you, then sign in again."))
    _start_session(request, email)
    return RedirectResponse("/", status_code=303)


async def sign_out(request: Request) -> Response:
    form = await request.form()
    if csrf_ok(request, form.get("csrf_token")):
        request.session.clear()
    return RedirectResponse("/sign-in", status_code=303)


ROUTES = [
    Route("/sign-in", sign_in, methods=["GET"]),
    Route("/sign-in/dev", dev_sign_in, methods=["POST"]),
    Route("/sign-in/oidc", oidc_start, methods=["GET"]),
    Route("/auth/callback", oidc_callback, methods=["GET"]),
    Route("/sign-out", sign_out, methods=["POST"]),
]
