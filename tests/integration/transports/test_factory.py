"""Choosing a transport: settings parsing, secrets from the environment, lazy heavy imports and
the message that names the extra to install."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from pydantic import TypeAdapter, ValidationError

from practice_alerts.mailflow.transports import TransportError, TransportSettings
from practice_alerts.mailflow.transports.settings import GraphSettings, ImapSmtpSettings, MaildirSettings


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60)


def test_settings_pick_the_transport_by_kind():
    adapter = TypeAdapter(TransportSettings)
    assert isinstance(adapter.validate_python({"kind": "maildir", "path": "/srv/mail"}), MaildirSettings)
    parsed = adapter.validate_python(
        {
            "kind": "imap_smtp",
            "imap": {"host": "imap.example.test", "username": "u", "password_env": "IMAP_PW"},
            "smtp": {"host": "smtp.example.test", "username": "u", "password_env": "SMTP_PW"},
        }
    )
    assert isinstance(parsed, ImapSmtpSettings)
    assert (parsed.imap.port, parsed.imap.security, parsed.smtp.port, parsed.smtp.security) == (
        993,
        "tls",
        587,
        "starttls",
    )


def test_secrets_cannot_be_written_into_the_settings():
    with pytest.raises(ValidationError, match="password"):
        TypeAdapter(TransportSettings).validate_python(
            {
                "kind": "imap_smtp",
                "imap": {"host": "h", "password": "hunter2"},
                "smtp": {"host": "h"},
            }
        )


def test_graph_concurrency_cannot_exceed_exchange_onlines_limit():
    with pytest.raises(ValidationError):
        GraphSettings(
            tenant_id="t", client_id="c", client_secret_env="S", mailbox="a@b.test", max_concurrent_requests=5
        )


def test_a_missing_secret_stops_start_up_naming_the_variable():
    from practice_alerts.mailflow.transports import make_transport

    settings = GraphSettings(tenant_id="t", client_id="c", client_secret_env="PA_GRAPH_SECRET", mailbox="a@b.test")
    with pytest.raises(TransportError, match="PA_GRAPH_SECRET, which is not set"):
        make_transport(settings, {})


def test_importing_and_using_the_maildir_transport_loads_no_heavy_client(tmp_path):
    result = _run(f"""
        import sys
        from practice_alerts.mailflow.transports import make_transport
        from practice_alerts.mailflow.transports.settings import MaildirSettings
        make_transport(MaildirSettings(path={str(tmp_path)!r}), {{}})
        print(sorted(m for m in ("exchangelib", "msal", "httpx", "requests") if m in sys.modules))
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("kind", "blocked", "extra"), [("ews", "exchangelib", "exchange"), ("graph", "msal", "graph")])
def test_a_missing_extra_names_the_extra_to_install(kind, blocked, extra):
    result = _run(f"""
        import sys
        sys.modules[{blocked!r}] = None  # as if the package were not installed
        from practice_alerts.mailflow.transports import MissingExtraError, make_transport
        from practice_alerts.mailflow.transports.settings import EwsSettings, GraphSettings
        settings = {{
            "ews": EwsSettings(service_endpoint="https://mail.example.test/EWS/Exchange.asmx", mailbox="a@b.test",
                               username="D\\\\u", password_env="PW"),
            "graph": GraphSettings(tenant_id="t", client_id="c", client_secret_env="S", mailbox="a@b.test"),
        }}[{kind!r}]
        try:
            make_transport(settings, {{"PW": "x", "S": "x"}})
        except MissingExtraError as exc:
            print(exc)
    """)
    assert result.returncode == 0, result.stderr
    assert f"pip install 'practice-alerts[{extra}]'" in result.stdout
    assert blocked in result.stdout
