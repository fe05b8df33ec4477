"""The one small interface every mail transport offers.

A transport moves raw RFC 5322 bytes and nothing else: it does not parse, build or decide.
The service fetches what is in the inbox, records it, then marks it handled (which moves it out of
the inbox, so the next fetch does not see it again), and hands finished messages to ``send``.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from practice_alerts.mailflow.transports.errors import TransportError

Outcome = Literal["processed", "quarantine"]
OUTCOMES: tuple[Outcome, ...] = ("processed", "quarantine")


class RawMessage(BaseModel):
    """One message as the server holds it, with the id the transport needs to move it later."""

    model_config = ConfigDict(frozen=True)

    transport_id: str
    data: bytes


@runtime_checkable
class Transport(Protocol):
    """Fetch unhandled messages, mark them handled, send raw messages.

    Contract (checked by ``tests/integration/transports/test_contract.py`` for every transport):
    - ``fetch`` yields every message still in the inbox, oldest first, byte-for-byte as stored.
    - ``mark_handled`` moves the message to the ``processed`` or ``quarantine`` folder; calling it
      again for a message already moved is harmless.
    - ``send`` submits ``data`` unchanged (our Message-ID survives) and keeps a copy in Sent;
      calling it again for the same Message-ID does not add a second Sent copy.
    - Failures raise only the exceptions in ``errors.py``.
    """

    def fetch(self) -> Iterator[RawMessage]: ...

    def mark_handled(self, transport_id: str, outcome: Outcome) -> None: ...

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None: ...

    def close(self) -> None: ...


def header_recipients(data: bytes) -> set[str]:
    """Lower-cased addresses in the To, Cc and Bcc headers of a raw message."""
    headers = BytesHeaderParser().parsebytes(data)
    fields = [str(v) for name in ("To", "Cc", "Bcc") for v in headers.get_all(name, [])]
    return {address.lower() for _, address in getaddresses(fields) if address}


def require_header_recipients(data: bytes, recipients: list[str], transport: str) -> None:
    """Refuse a send the transport cannot honour: APIs that deliver by header, not by envelope."""
    missing = sorted({r.lower() for r in recipients} - header_recipients(data))
    if missing:
        raise TransportError(
            f"The {transport} transport delivers to the To, Cc and Bcc headers only, but these "
            f"recipients are not in them: {', '.join(missing)}. Put them in a header before sending."
        )
