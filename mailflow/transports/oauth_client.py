"""App-only OAuth2 access tokens from Microsoft Entra (msal client credentials).

Used by the Graph transport, and by IMAP/SMTP XOAUTH2 against Exchange Online, where a token
lasts about an hour: msal caches it and fetches a new one when it is about to expire, so a
long-running service always presents a current token. msal is imported only here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import msal

from practice_alerts.mailflow.transports.errors import TransientTransportError, TransportAuthError

_AUTH_ERRORS = {"invalid_client", "unauthorized_client", "invalid_grant", "invalid_scope", "invalid_request"}


class ClientCredentialsTokens:
    """Call it to get a current access token for ``scope``.

    ``http_client`` is anything with requests-style ``get``/``post`` (msal's own interface); an
    ``httpx.Client`` works, which lets Graph share one connection pool and one test transport.
    """

    def __init__(
        self,
        *,
        authority_host: str,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        scope: str,
        setting: str,
        http_client: Any = None,
    ) -> None:
        self._authority = f"{authority_host.rstrip('/')}/{tenant_id}"
        self._custom_host = urlsplit(authority_host).hostname != "login.microsoftonline.com"
        self._client_id, self._secret, self._scope = client_id, client_secret, scope
        self._setting, self._http_client = setting, http_client
        self._app: msal.ConfidentialClientApplication | None = None

    def __call__(self) -> str:
        try:
            if self._app is None:
                self._app = msal.ConfidentialClientApplication(
                    self._client_id,
                    client_credential=self._secret,
                    authority=self._authority,
                    http_client=self._http_client,
                    instance_discovery=False if self._custom_host else None,
                )
            result = self._app.acquire_token_for_client(scopes=[self._scope])
        except ValueError as exc:  # msal: the authority (tenant) could not be discovered.
            raise TransportAuthError(
                f"The sign-in service refused {self._authority} ({self._setting}): {exc}"
            ) from None
        except Exception as exc:  # noqa: BLE001 - requests or httpx network errors, whichever client msal uses
            raise TransientTransportError(f"Could not reach the sign-in service {self._authority}: {exc}") from None
        if "access_token" in result:
            return result["access_token"]
        error = result.get("error", "unknown_error")
        detail = f"{error}: {(result.get('error_description') or '').splitlines()[:1]}"
        if error in _AUTH_ERRORS:
            raise TransportAuthError(
                f"Microsoft Entra refused the app {self._client_id} ({self._setting}.client_id / "
                f"client_secret_env): {detail}"
            )
        raise TransientTransportError(f"Could not get an access token: {detail}")
