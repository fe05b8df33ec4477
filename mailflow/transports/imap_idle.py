"""IMAP IDLE (RFC 2177): the server tells us when mail lands, so it is seen in seconds.

IDLE ties up a connection, so it runs on a second one, kept open between passes. Before idling
the inbox's UIDNEXT is compared with its UIDNEXT when the last fetch opened it: mail that landed
in between wakes us at once. Each IDLE lasts at most the poll interval (and never the 29 minutes
after which servers may drop an idle client), and the stop flag is looked at every half second.
imaplib (before Python 3.14) has no IDLE, so the few lines of protocol are spoken here.
"""

from __future__ import annotations

import imaplib
import re
import select
import ssl
import threading
import time
from collections.abc import Callable

from practice_alerts.mailflow.transports.errors import TransportError

MAX_IDLE_SECONDS = 25 * 60
SLICE_SECONDS = 0.5
_NEW_MAIL = re.compile(rb"^\* \d+ (EXISTS|RECENT)\b", re.IGNORECASE)


class ImapIdle:
    def __init__(self, connect: Callable[[], imaplib.IMAP4], inbox: str, host: str) -> None:
        self._connect, self._inbox, self._host = connect, inbox, host
        self._imap: imaplib.IMAP4 | None = None

    def wait(self, seconds: float, stop: threading.Event, newest: tuple[str, int] | None) -> bool:
        imap = self._imap or self._connect()
        self._imap = imap
        if "IDLE" not in imap.capabilities:
            raise TransportError(f"The IMAP server {self._host} does not offer IDLE; set service.push: false.")
        status, _ = imap.select('"' + self._inbox.replace('"', '\\"') + '"', readonly=True)
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open {self._inbox}")
        if newest is not None and _landed_since(imap, newest):
            return True
        tag = imap._new_tag()  # imaplib's own tag counter
        imap.send(tag + b" IDLE\r\n")
        if not imap.readline().startswith(b"+"):
            raise imaplib.IMAP4.error("the server refused IDLE")
        landed = False
        deadline = time.monotonic() + min(seconds, MAX_IDLE_SECONDS)
        while not landed and not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            if _readable(imap, min(SLICE_SECONDS, left)):
                line = imap.readline()
                if not line:
                    raise imaplib.IMAP4.abort("the server closed the connection")
                landed = bool(_NEW_MAIL.match(line))
        imap.send(b"DONE\r\n")
        while not (line := imap.readline()).startswith(tag):
            if not line:
                raise imaplib.IMAP4.abort("the server closed the connection")
            landed = landed or bool(_NEW_MAIL.match(line))
        return landed

    def close(self) -> None:
        imap, self._imap = self._imap, None
        if imap is not None:
            try:
                imap.logout()
            except (imaplib.IMAP4.error, OSError):
                pass


def _landed_since(imap: imaplib.IMAP4, newest: tuple[str, int]) -> bool:
    validity = imap.response("UIDVALIDITY")[1]
    uidnext = imap.response("UIDNEXT")[1]
    if not validity or not uidnext or validity[0] is None or uidnext[0] is None:
        return False
    if validity[0].decode() != newest[0]:
        return True  # the inbox was rebuilt: look again
    return int(uidnext[0]) > newest[1]


def _readable(imap: imaplib.IMAP4, seconds: float) -> bool:
    sock = imap.sock
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    ready, _, _ = select.select([sock], [], [], seconds)
    return bool(ready)
