"""A small, real OpenID Connect issuer on loopback for the sign-in tests.

Discovery, JWKS, an authorize endpoint with a plain "sign in as" form, and a token endpoint that
checks the client's secret, the code and the redirect address and returns an RS256-signed
id_token carrying the nonce. Not a test double of the console: the console's authlib client
talks to it over HTTP exactly as it would to Microsoft Entra ID.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from authlib.jose import JsonWebKey, jwt


class Issuer:
    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
        self.kid = "test-key-1"
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens_issued = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Issuer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def metadata(self) -> dict[str, Any]:
        return {"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"], "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}

    def jwks(self) -> dict[str, Any]:
        public = self.key.as_dict(is_private=False)
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "sub": grant["email"], "aud": self.client_id, "iat": now, "exp": now + 300,
                  "nonce": grant["nonce"], "email": grant["email"], "name": grant["email"]}
        return jwt.encode({"alg": "RS256", "kid": self.kid}, claims, self.key).decode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: bytes, kind: str = "application/json",
                      headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _json(self, data: object, status: int = 200) -> None:
                self._send(status, json.dumps(data).encode())

            def _form(self) -> dict[str, str]:
                length = int(self.headers.get("Content-Length") or 0)
                return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                url = urlparse(self.path)
                if url.path == "/.well-known/openid-configuration":
                    return self._json(issuer.metadata())
                if url.path == "/jwks":
                    return self._json(issuer.jwks())
                if url.path == "/authorize":
                    q = {k: v[0] for k, v in parse_qs(url.query).items()}
                    if q.get("client_id") != issuer.client_id or q.get("response_type") != "code":
                        return self._send(400, b"bad request", "text/plain")
                    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                                     for k, v in q.items())
                    page = (f'<!DOCTYPE html><html lang="en"><head><title>Test identity provider</title></head><body>'
                            f'<main><h1>Test identity provider</h1><form method="post" action="/authorize">{hidden}'
                            f'<label for="login">E-mail address</label><input id="login" name="login" type="email">'
                            f'<button type="submit">Continue</button></form></main></body></html>')
                    return self._send(200, page.encode(), "text/html; charset=utf-8")
                return self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                url = urlparse(self.path)
                form = self._form()
                if url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    issuer.codes[code] = {"email": form.get("login", ""), "nonce": form.get("nonce", ""),
                                          "redirect_uri": form.get("redirect_uri", "")}
                    target = f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form.get('state', '')})}"
                    return self._send(302, b"", "text/plain", {"Location": target})
                if url.path == "/token":
                    client_id, secret = form.get("client_id"), form.get("client_secret")
                    auth = self.headers.get("Authorization", "")
                    if auth.startswith("Basic "):
                        client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                    if client_id != issuer.client_id or secret != issuer.client_secret:
                        return self._json({"error": "invalid_client"}, 401)
                    grant = issuer.codes.pop(form.get("code", ""), None)
                    if grant is None or form.get("grant_type") != "authorization_code" \
                            or form.get("redirect_uri") != grant["redirect_uri"]:
                        return self._json({"error": "invalid_grant"}, 400)
                    issuer.tokens_issued += 1
                    return self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                                       "expires_in": 300, "id_token": issuer.id_token(grant)})
                return self._send(404, b"not found", "text/plain")

        return Handler
