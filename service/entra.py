"""Reading people, their managers and their groups from Microsoft Entra ID through Microsoft Graph.

App-only (client credentials) with the application permissions ``User.Read.All`` and
``GroupMember.Read.All``. Three kinds of request, each followed through ``@odata.nextLink``:
the mapped groups by name, each group's members (transitively, users only), and every user with
their ``manager`` expanded, from which the manager chains are built. httpx comes with the
``graph`` extra and is imported only when a sync runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from practice_alerts.config import DirectorySyncSettings

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
USER_FIELDS = "id,displayName,mail,userPrincipalName,department,accountEnabled"


class EntraError(Exception):
    """Entra ID or Graph refused or could not be reached; the message names the host and the answer."""


@dataclass(frozen=True)
class EntraUser:
    id: str
    name: str
    email: str
    team: str
    manager_id: str | None
    enabled: bool


@dataclass
class EntraPeople:
    users: dict[str, EntraUser] = field(default_factory=dict)
    """Every user of the tenant, by id."""
    group_members: dict[str, set[str]] = field(default_factory=dict)
    """The user ids in each mapped group, by the group's name as the configuration gives it."""


class GraphReader:
    def __init__(self, settings: DirectorySyncSettings, environ: Mapping[str, str], *, transport: Any = None) -> None:
        try:
            import httpx  # noqa: PLC0415 - the graph extra, needed only here
        except ModuleNotFoundError:
            raise EntraError("directory sync needs the optional 'httpx' package: "
                             "pip install 'practice-alerts[graph]'") from None
        secret = environ.get(settings.client_secret_env, "")
        if not secret:
            raise EntraError(f"directory_sync.client_secret_env names the environment variable "
                             f"{settings.client_secret_env}, which is not set or empty.")
        self._settings, self._secret = settings, secret
        self._httpx = httpx
        self._client = httpx.Client(transport=transport, timeout=settings.timeout_seconds)
        self._token: str | None = None

    def close(self) -> None:
        self._client.close()

    def _get_token(self) -> str:
        s = self._settings
        url = f"{s.authority_host.rstrip('/')}/{s.tenant_id}/oauth2/v2.0/token"
        try:
            response = self._client.post(url, data={"grant_type": "client_credentials", "client_id": s.client_id,
                                                    "client_secret": self._secret, "scope": GRAPH_SCOPE})
        except self._httpx.HTTPError as exc:
            raise EntraError(f"Could not reach the sign-in service {s.authority_host}: {exc}") from None
        body = _json(response)
        if response.status_code != 200 or "access_token" not in body:
            raise EntraError(f"Microsoft Entra ({s.authority_host}) refused the app {s.client_id}: "
                             f"{body.get('error', response.status_code)}: "
                             f"{str(body.get('error_description', '')).splitlines()[:1]}")
        return str(body["access_token"])

    def _pages(self, url: str, params: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        self._token = self._token or self._get_token()
        next_url: str | None = url
        while next_url:
            try:
                headers = {"Authorization": f"Bearer {self._token}", "ConsistencyLevel": "eventual"}
                response = self._client.get(next_url, params=params, headers=headers)
            except self._httpx.HTTPError as exc:
                raise EntraError(f"Could not reach Microsoft Graph at {self._settings.graph_url}: {exc}") from None
            body = _json(response)
            if response.status_code >= 400:
                error = body.get("error", {}) if isinstance(body.get("error"), dict) else {}
                raise EntraError(f"Microsoft Graph ({self._settings.graph_url}) answered {response.status_code} "
                                 f"({error.get('code', 'unknown')}): {error.get('message', '')}")
            yield from body.get("value", [])
            next_url, params = body.get("@odata.nextLink"), None

    def _group_id(self, name: str) -> str:
        if _GUID.match(name):
            return name
        literal = name.replace("'", "''")
        found = list(self._pages(f"{self._settings.graph_url}/groups",
                                 {"$filter": f"displayName eq '{literal}'", "$select": "id,displayName"}))
        if len(found) != 1:
            raise EntraError(f"directory_sync.groups: {'no' if not found else 'more than one'} Entra group is called "
                             f"{name!r}; give its object id instead.")
        return str(found[0]["id"])

    def read(self) -> EntraPeople:
        graph = self._settings.graph_url
        people = EntraPeople()
        for name in self._settings.groups:
            group = quote(self._group_id(name))
            people.group_members[name] = {str(u["id"]) for u in self._pages(
                f"{graph}/groups/{group}/transitiveMembers/microsoft.graph.user", {"$select": "id", "$top": "999"})}
        for raw in self._pages(f"{graph}/users", {"$select": USER_FIELDS, "$top": "999",
                                                  "$expand": "manager($select=id)"}):
            email = str(raw.get("mail") or raw.get("userPrincipalName") or "").strip().lower()
            if not email:
                continue
            manager = raw.get("manager") or {}
            people.users[str(raw["id"])] = EntraUser(
                id=str(raw["id"]), name=str(raw.get("displayName") or email), email=email,
                team=str(raw.get("department") or ""), manager_id=str(manager["id"]) if manager.get("id") else None,
                enabled=raw.get("accountEnabled", True) is not False)
        return people


def _json(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
