"""Mail transports: fetch raw messages, mark them handled, send raw messages.

``make_transport(settings, environ)`` builds the transport the settings choose, importing the EWS and Graph
modules only when chosen, so exchangelib, msal and httpx are loaded only when EWS or Graph is chosen.
The IMAP and folder transports load when built too: the configuration imports the settings from
this package, and a command that never touches the mailbox need not load imaplib, smtplib and ssl.
"""

from __future__ import annotations

from collections.abc import Mapping

from practice_alerts.mailflow.transports.base import OUTCOMES, Outcome, RawMessage, Transport
from practice_alerts.mailflow.transports.errors import (
    MissingExtraError,
    PartlyDeliveredError,
    PermanentRefusalError,
    TransientTransportError,
    TransportAuthError,
    TransportError,
)
from practice_alerts.mailflow.transports.settings import (
    EwsSettings,
    GraphSettings,
    ImapSmtpSettings,
    MaildirSettings,
    TransportSettings,
)

__all__ = [
    "OUTCOMES",
    "MissingExtraError",
    "Outcome",
    "PartlyDeliveredError",
    "PermanentRefusalError",
    "RawMessage",
    "TransientTransportError",
    "Transport",
    "TransportAuthError",
    "TransportError",
    "TransportSettings",
    "make_transport",
]

# The optional top-level packages each extra brings in.
_EXTRA_MODULES = {
    "exchange": {"exchangelib", "requests", "requests_ntlm", "requests_oauthlib", "oauthlib", "lxml"},
    "graph": {"msal", "httpx", "requests"},
}


def make_transport(settings: TransportSettings, environ: Mapping[str, str]) -> Transport:
    """The transport ``settings`` describe, with secrets read from ``environ``."""
    if isinstance(settings, MaildirSettings):
        from practice_alerts.mailflow.transports.maildir import MaildirTransport  # noqa: PLC0415 - loaded when chosen

        return MaildirTransport(settings, environ)
    if isinstance(settings, ImapSmtpSettings):
        from practice_alerts.mailflow.transports.imap_smtp import ImapSmtpTransport  # noqa: PLC0415 - loaded when chosen

        return ImapSmtpTransport(settings, environ)
    if isinstance(settings, EwsSettings):
        try:
            from practice_alerts.mailflow.transports.ews import EwsTransport  # noqa: PLC0415 - optional extra [exchange]
        except ModuleNotFoundError as exc:
            raise _missing("ews", "exchange", exc) from None
        return EwsTransport(settings, environ)
    if isinstance(settings, GraphSettings):
        try:
            from practice_alerts.mailflow.transports.graph import GraphTransport  # noqa: PLC0415 - optional extra [graph]
        except ModuleNotFoundError as exc:
            raise _missing("graph", "graph", exc) from None
        return GraphTransport(settings, environ)
    raise TransportError(f"Unknown transport settings {type(settings).__name__}.")


def _missing(transport: str, extra: str, exc: ModuleNotFoundError) -> Exception:
    top = (exc.name or "").split(".")[0]
    if top not in _EXTRA_MODULES[extra]:
        return exc  # Not a missing extra: a real bug, let it show.
    return MissingExtraError(transport, extra, top)
