"""``practice-alerts web``: serve the console over the service's database (beside the service or without it)."""

from __future__ import annotations

import argparse
import hashlib
import hmac
import ipaddress
import os
import secrets
import sys

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_app(args: argparse.Namespace, environ: dict[str, str] | None = None):  # noqa: ANN201 - a Starlette app
    """The console app for these arguments; SystemExit(2) after saying what is wrong."""
    from practice_alerts.commands.demo import DEMO_SECRET  # noqa: PLC0415 - the CLI imports on demand
    from practice_alerts.config import SECRET_ENV, ConfigError, config_path, load_config  # noqa: PLC0415 - the CLI imports on demand
    from practice_alerts.console.app import create_app  # noqa: PLC0415 - the CLI imports on demand
    from practice_alerts.console.core import WebSettings  # noqa: PLC0415 - the CLI imports on demand
    from practice_alerts.pipeline.context import StartupError, open_service  # noqa: PLC0415 - the CLI imports on demand

    environ = dict(os.environ if environ is None else environ)
    if args.dev_login and not is_loopback(args.host):
        print(f"--dev-login lets anyone sign in as anyone, so it only works on this computer: use --host 127.0.0.1 "
              f"(not {args.host}), or set up single sign-on (console.oidc_issuer) instead.", file=sys.stderr)
        raise SystemExit(2)
    if len(environ.get(SECRET_ENV, "")) < 16:
        if not args.dev_login:
            print(f"Set the environment variable {SECRET_ENV} (the service's Message-ID signing key): the console "
                  "signs its messages and sessions with it.", file=sys.stderr)
            raise SystemExit(2)
        environ[SECRET_ENV] = DEMO_SECRET
    try:
        config = load_config(config_path(args.config, environ), environ)
        ctx = open_service(config, environ, check_templates=False, reading_only=True)
    except (ConfigError, StartupError) as exc:
        print(f"Cannot start the console: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    console = config.console
    oidc_secret = environ.get(console.oidc_client_secret_env) if console.oidc_issuer else None
    if console.oidc_issuer and not (console.oidc_client_id and oidc_secret):
        print(f"{config.source}: console.oidc_client_id and the environment variable {console.oidc_client_secret_env} "
              "are needed for single sign-on.", file=sys.stderr)
        raise SystemExit(2)
    session_key = hmac.new(config.secret, b"practice-alerts console sessions", hashlib.sha256).hexdigest()
    if args.dev_login and config.secret == DEMO_SECRET.encode():
        session_key = secrets.token_hex(32)  # the demo's key is public: sessions get a fresh one each start
    public = console.public_url or ""
    settings = WebSettings(
        council=console.council_name or ctx.policy.authority, session_key=session_key, dev_login=args.dev_login,
        secure_cookies=public.startswith("https://") or not is_loopback(args.host),
        oidc_issuer=console.oidc_issuer, oidc_client_id=console.oidc_client_id, oidc_client_secret=oidc_secret,
        public_url=console.public_url,
    )
    return create_app(ctx, settings)


def serve(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415 - the CLI imports on demand

    app = build_app(args)
    print(f"Practice Alerts console on http://{args.host}:{args.port}/ (stop it with Ctrl+C)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False,
                proxy_headers=False)
    return 0
