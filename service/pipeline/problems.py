"""What an operator needs from a failed connection: where, doing what, and what the server said.

A log line such as ``"error": "TransientTransportError"`` tells an IT officer nothing. Every
transport or database failure is logged with the host (and account) it was talking to, the
operation the pass was doing, and the server's answer — scrubbed: a password in a URL and any
e-mail address other than the service's own account are replaced, so no credential or personal
data reaches the log.
"""

from __future__ import annotations

import re
from typing import Any

from practice_alerts.config import Config
from practice_alerts.mailflow.transports import TransportError
from practice_alerts.store import DatabaseUnavailableError

_URL_PASSWORD = re.compile(r"(://[^:/@\s]+):[^@\s]+@")
_ADDRESS = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
ANSWER_CHARS = 500


def transport_endpoint(config: Config) -> tuple[str, str]:
    """The host (or folder) the transport talks to, and the account it logs in as."""
    settings: Any = config.transport
    kind = settings.kind
    if kind == "maildir":
        return str(settings.path), config.mail.shared_mailbox
    if kind == "imap_smtp":
        imap, smtp = settings.imap, settings.smtp
        return f"imap {imap.host}:{imap.port}, smtp {smtp.host}:{smtp.port}", str(imap.username or "")
    if kind == "ews":
        return str(settings.service_endpoint), str(settings.mailbox)
    return str(settings.graph_url), str(settings.mailbox)


def database_endpoint(config: Config) -> str:
    """The database server (host:port/name) or SQLite file, never its password."""
    url = config.database
    if "://" not in url:
        return url
    return _URL_PASSWORD.sub(r"\1:***@", url).split("?", 1)[0]


def scrubbed(text: str, keep: tuple[str, ...] = ()) -> str:
    """The text without URL passwords or e-mail addresses (bar ``keep``), cut to a log-sized length."""
    kept = {k.lower() for k in keep if k}
    text = _URL_PASSWORD.sub(r"\1:***@", text)
    text = _ADDRESS.sub(lambda m: m.group(0) if m.group(0).lower() in kept else "<address>", text)
    return text[:ANSWER_CHARS]


def error_fields(exc: BaseException, config: Config, operation: str) -> dict[str, str]:
    """Log fields for a failure: error type, host, account, operation and the server's answer."""
    fields = {"error": type(exc).__name__, "operation": operation}
    if isinstance(exc, TransportError):
        host, account = transport_endpoint(config)
        fields.update(host=host, account=account)
        keep: tuple[str, ...] = (account, *config.own_addresses)
    elif isinstance(exc, DatabaseUnavailableError):
        fields["host"] = database_endpoint(config)
        keep = ()
    else:
        return fields  # a defect: its message might quote mail, so only the type is logged
    cause = exc.__cause__ or exc.__context__
    answer = str(exc) or (str(cause) if cause is not None else "")
    fields["answer"] = scrubbed(answer, keep)
    return fields
