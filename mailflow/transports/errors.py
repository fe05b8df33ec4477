"""The only exceptions a transport lets out.

Every transport translates its client library's exceptions at its edge into one of these, so the
service can decide what to do (retry later, stop and tell the operator) without knowing which
library was talking to the server.
"""

from __future__ import annotations


class TransportError(Exception):
    """A mail operation failed and retrying as-is will not help (bad setting, refused message)."""


class TransientTransportError(TransportError):
    """The server is busy, throttling or unreachable: try again later.

    ``retry_after`` is the server's own hint in seconds when it gave one, else ``None``.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PartlyDeliveredError(TransientTransportError):
    """The server took the message for some recipients and deferred the rest (4xx only): try again
    later, to ``undelivered`` only, or those who have it get it twice."""

    def __init__(self, message: str, *, undelivered: tuple[str, ...]) -> None:
        super().__init__(message)
        self.undelivered = undelivered


class PermanentRefusalError(TransportError):
    """The server refused this message for good: an SMTP 5xx reply to MAIL, RCPT or DATA, which
    RFC 5321 (4.2.1) calls a permanent negative completion. Sent again as it is, it would be refused
    again, so it is given up at once, not retried.

    ``undelivered`` names who does not have it; ``delivered`` is empty unless the server took it for
    some recipients (those must not be sent it again).
    """

    def __init__(self, message: str, *, undelivered: tuple[str, ...], delivered: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.undelivered = undelivered
        self.delivered = delivered


class TransportAuthError(TransportError):
    """The server refused our credentials or our permission to the mailbox."""


class MissingExtraError(TransportError):
    """The chosen transport needs an optional dependency that is not installed."""

    def __init__(self, transport: str, extra: str, missing_module: str) -> None:
        super().__init__(
            f"The {transport!r} transport needs the optional {missing_module!r} package, "
            f"which is not installed. Install it with: pip install 'practice-alerts[{extra}]'"
        )
        self.transport = transport
        self.extra = extra
        self.missing_module = missing_module
