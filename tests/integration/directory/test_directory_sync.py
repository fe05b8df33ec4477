"""``directory sync`` against a local HTTP server answering recorded Microsoft Graph responses.

Entra ID cannot run here: the server (on loopback) answers the token request and the Graph
queries with the recorded bodies in tests/fixtures/entra/, following Graph's paging
(``@odata.nextLink``), and checks that each request carries the bearer token and asks for the
fields and the ``manager`` expansion the sync needs. The command line is run for real.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "entra"
TENANT = "11111111-2222-3333-4444-555555555555"
HEADS = "6d1f6a1e-0005-4c1a-9b1e-000000000005"


def _recorded(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


class _Graph(BaseHTTPRequestHandler):
    base = ""
    seen: list[str] = []

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).replace("https://graph.microsoft.com", self.base).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        if self.path != f"/{TENANT}/oauth2/v2.0/token" or form.get("grant_type") != ["client_credentials"]:
            return self._send(400, {"error": "invalid_request"})
        if form.get("client_secret") != ["right-secret"]:
            return self._send(401, _recorded("token-error"))
        self._send(200, _recorded("token"))

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        self.seen.append(self.path)
        if self.headers.get("Authorization") != f"Bearer {_recorded('token')['access_token']}":
            return self._send(401, {"error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}})
        if url.path == "/v1.0/groups":
            name = query["$filter"][0].removeprefix("displayName eq '").removesuffix("'")
            file = f"group-{name.lower().replace(' ', '-')}"
            return self._send(200, _recorded(file if (FIXTURES / f"{file}.json").exists() else "group-none"))
        if url.path.startswith("/v1.0/groups/") and url.path.endswith("/transitiveMembers/microsoft.graph.user"):
            return self._send(200, _recorded(f"members-{url.path.split('/')[3]}"))
        if url.path == "/v1.0/users":
            assert query.get("$expand") == ["manager($select=id)"], query
            assert "department" in query["$select"][0]
            return self._send(200, _recorded("users-page2" if "$skiptoken" in query else "users-page1"))
        self._send(404, {"error": {"code": "Request_ResourceNotFound", "message": "Resource not found."}})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def graph() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Graph)
    _Graph.base = f"http://127.0.0.1:{server.server_address[1]}"
    _Graph.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield _Graph.base
    server.shutdown()


BEFORE = {
    "people": [
        {"name": "Alex Example", "email": "alex.example@example.gov.uk", "roles": ["social_worker"],
         "team": "Children in Care North", "reports_to": "jo.bloggs@example.gov.uk",
         "absences": [{"start": "2027-01-04", "end": "2027-01-08", "cover": "robin.newstarter@example.gov.uk"}]},
        {"name": "Jo Bloggs", "email": "jo.bloggs@example.gov.uk", "roles": ["team_manager"],
         "team": "Children in Care North"},
        {"name": "Old Leaver", "email": "old.leaver@example.gov.uk", "roles": ["social_worker"]},
        {"name": "Duty Team Mailbox", "email": "duty.team@example.gov.uk", "roles": ["social_worker"]},
    ],
    "external": [{"name": "CAFCASS Legal", "email": "legal@cafcass.example", "roles": ["cafcass_legal"],
                  "organisation": "CAFCASS"}],
}


def _service(tmp: Path, base: str) -> Path:
    (tmp / "directory.yaml").write_text(yaml.safe_dump(BEFORE))
    (tmp / "directory.yaml.entra.json").write_text(json.dumps({"synced": ["old.leaver@example.gov.uk",
                                                                         "alex.example@example.gov.uk"]}))
    config = tmp / "practice-alerts.yaml"
    config.write_text(f"""
policy: rutland
directory: directory.yaml
database: pa.db
transport: {{kind: maildir, path: mail}}
mail: {{shared_mailbox: practice.alerts@example.gov.uk}}
directory_sync:
  tenant_id: {TENANT}
  client_id: 00000000-0000-0000-0000-00000000c1e7
  client_secret_env: TEST_GRAPH_SECRET
  authority_host: {base}
  graph_url: {base}/v1.0
  groups:
    IRO Service: [iro]
    CSC Team Managers: [team_manager, practice_manager]
    CSC Social Workers: [social_worker]
    LAC Admin: [lac_admin]
    {HEADS}: [head_of_service, service_lead]
""")
    return config


def _cli(config: Path, *args: str, secret: str = "right-secret") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TEST_GRAPH_SECRET": secret}
    return subprocess.run([sys.executable, "-m", "practice_alerts", "directory", "sync", "--config", str(config), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_sync_builds_people_managers_and_roles_and_keeps_local_additions(tmp_path: Path, graph: str) -> None:
    config = _service(tmp_path, graph)
    dry = _cli(config, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert yaml.safe_load((tmp_path / "directory.yaml").read_text()) == BEFORE  # nothing written
    done = _cli(config)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "added: dana.reviewer@example.gov.uk" in out and "added: robin.newstarter@example.gov.uk" in out
    assert ("changed: jo.bloggs@example.gov.uk: roles ['team_manager'] -> ['practice_manager', 'team_manager']; "
            "team Children in Care North -> Children in Care South; line manager (none) -> sam.sample@example.gov.uk") in out
    assert "removed (no longer in Entra or its groups): old.leaver@example.gov.uk" in out
    assert "kept (added locally): duty.team@example.gov.uk" in out
    assert "Wrote" in out and "5 added, 1 changed, 1 removed, 1 local addition(s) kept" in out
    data = yaml.safe_load((tmp_path / "directory.yaml").read_text())
    people = {p["email"]: p for p in data["people"]}
    assert set(people) == {"alex.example@example.gov.uk", "jo.bloggs@example.gov.uk", "sam.sample@example.gov.uk",
                           "pat.placeholder@example.gov.uk", "dana.reviewer@example.gov.uk", "lee.admin@example.gov.uk",
                           "robin.newstarter@example.gov.uk", "duty.team@example.gov.uk"}
    assert "gone.away@example.gov.uk" not in people and "other.person@example.gov.uk" not in people
    assert people["sam.sample@example.gov.uk"]["roles"] == []  # in the chain, in no mapped group
    assert people["pat.placeholder@example.gov.uk"]["roles"] == ["head_of_service", "service_lead"]
    assert "reports_to" not in people["pat.placeholder@example.gov.uk"]
    assert people["alex.example@example.gov.uk"]["absences"][0]["cover"] == "robin.newstarter@example.gov.uk"
    assert people["lee.admin@example.gov.uk"]["roles"] == ["lac_admin"]
    assert data["external"] == BEFORE["external"]
    assert yaml.safe_load((tmp_path / "directory.yaml.bak").read_text()) == BEFORE
    assert any("$skiptoken" in p for p in _Graph.seen)  # followed the second page

    again = _cli(config)
    assert again.returncode == 0 and "0 added, 0 changed, 0 removed" in again.stdout
    assert "kept (added locally): duty.team@example.gov.uk" in again.stdout


def test_a_wrong_secret_names_the_sign_in_service_and_its_answer(tmp_path: Path, graph: str) -> None:
    config = _service(tmp_path, graph)
    done = _cli(config, secret="wrong")
    assert done.returncode == 1
    assert f"Microsoft Entra ({graph}) refused the app 00000000-0000-0000-0000-00000000c1e7: invalid_client" in done.stderr
    assert "AADSTS7000215" in done.stderr and "wrong" not in done.stderr
    assert yaml.safe_load((tmp_path / "directory.yaml").read_text()) == BEFORE


def test_an_unknown_group_is_named(tmp_path: Path, graph: str) -> None:
    config = _service(tmp_path, graph)
    config.write_text(config.read_text().replace("LAC Admin: [lac_admin]", "LAC Admins: [lac_admin]"))
    done = _cli(config)
    assert done.returncode == 1 and "no Entra group is called 'LAC Admins'" in done.stderr
