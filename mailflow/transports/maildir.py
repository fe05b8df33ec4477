"""The local folder transport: a Maildir, the embedded default that needs no server.

Layout (Maildir++, as Dovecot and Courier use, so a mail server can serve the same folder)::

    <path>/new, cur, tmp           the inbox: messages not yet handled
    <path>/.processed/{new,cur,tmp}  handled messages
    <path>/.quarantine/...          messages set aside for a person to look at
    <path>/.sent/...                a copy of every message sent

The transport id is the Maildir unique name (the file name before ``:2,``). ``send`` writes the
Sent copy first, named after a hash of the Message-ID (so sending the same message again does not
add a second copy), then relays it through SMTP if a relay is configured. Envelope recipients are
not kept in the Sent copy; the headers are.

Every call costs the same however full the folders are: ``mark_handled`` finds the message by
its path (``new/<id>``, or the ``cur/`` name ``fetch`` saw, or ``cur/<id>:2,<flags>`` for the
usual flags), and ``send`` checks for the Sent copy by its name (``<hash>.pa:2,S``). Only an
id found nowhere is looked for by listing the folder, once, before it is reported as unknown.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from itertools import count
from pathlib import Path

from practice_alerts.mailflow.transports.base import OUTCOMES, Outcome, RawMessage
from practice_alerts.mailflow.transports.errors import TransientTransportError, TransportError
from practice_alerts.mailflow.transports.settings import MaildirSettings
from practice_alerts.mailflow.transports.smtp_relay import SmtpSender
from practice_alerts.mailflow.transports.watch import FolderWatch
from practice_alerts.rawmail.message_id import message_id_of

FOLDERS: tuple[str, ...] = (*OUTCOMES, "sent")
_NAME_ORDER = re.compile(r"^(\d+)\.(?:M(\d+))?(?:P\d+)?(?:Q(\d+))?")
_counter = count(1)


_USUAL_FLAGS = ("", "S", "RS", "FS", "FRS", "R", "F")


class MaildirTransport:
    def __init__(self, settings: MaildirSettings, environ: Mapping[str, str]) -> None:
        self.root = settings.path
        self._seen: dict[str, Path] = {}
        """Where ``fetch`` last saw each message; forgotten once it is moved."""
        self._listed: set[str] = set()
        """The names in ``new/`` when ``fetch`` last listed it (so a wait knows what is new)."""
        self._watch: FolderWatch | None = None
        self._relay = SmtpSender(settings.relay, environ, "transport.relay") if settings.relay else None
        try:
            for folder in (self.root, *(self.folder_path(name) for name in FOLDERS)):
                for sub in ("new", "cur", "tmp"):
                    (folder / sub).mkdir(parents=True, exist_ok=True)
                if folder != self.root:
                    (folder / "maildirfolder").touch()
        except OSError as exc:
            raise TransportError(f"Cannot create the Maildir at {self.root} (transport.path): {exc}") from None

    def folder_path(self, name: str) -> Path:
        """The directory of a Maildir++ subfolder (``processed``, ``quarantine``, ``sent``)."""
        return self.root / f".{name}"

    def deliver(self, data: bytes) -> str:
        """Put a message into the inbox as a mail server would; returns its transport id."""
        key = _unique_name()
        _write_atomically(self.root, key, "new", key, data)
        return key

    def fetch(self) -> Iterator[RawMessage]:
        listed = sorted(_messages(self.root), key=lambda pair: _order(pair[0]))
        self._listed = {path.name for _key, path in listed if path.parent.name == "new"}
        for key, path in listed:
            try:
                data = path.read_bytes()
            except FileNotFoundError:  # Moved by another process since we listed it.
                continue
            except OSError as exc:
                raise TransientTransportError(f"Cannot read {path}: {exc}") from None
            self._seen[key] = path
            yield RawMessage(transport_id=key, data=data)

    def mark_handled(self, transport_id: str, outcome: Outcome) -> None:
        if outcome not in OUTCOMES:
            raise TransportError(f"Unknown outcome {outcome!r}; expected one of {OUTCOMES}.")
        if "/" in transport_id or transport_id.startswith("."):
            raise TransportError(f"There is no message {transport_id!r} in the Maildir {self.root}.")
        target = self.folder_path(outcome) / "cur" / f"{transport_id}:2,S"
        if self._move(self._direct_paths(transport_id), target):
            return
        if any((self.folder_path(name) / "cur" / f"{transport_id}:2,S").exists() for name in OUTCOMES):
            return  # Already handled by us: marking again is harmless.
        # Last resort (an id with unusual flags, or one moved by a person): list the folders once.
        if self._move((path for key, path in _messages(self.root) if key == transport_id), target):
            return
        if any(key == transport_id for name in OUTCOMES for key, _ in _messages(self.folder_path(name))):
            return
        raise TransportError(f"There is no message {transport_id!r} in the Maildir {self.root}.")

    def _move(self, sources: Iterable[Path], target: Path) -> bool:
        for source in sources:
            try:
                os.replace(source, target)
            except FileNotFoundError:
                continue  # not there (or moved meanwhile): try the next place
            except OSError as exc:
                raise TransientTransportError(f"Cannot move {source} to {target}: {exc}") from None
            self._seen.pop(target.name.split(":", 1)[0], None)
            return True
        return False

    def _direct_paths(self, transport_id: str) -> Iterator[Path]:
        """Where the message may be without listing anything: where fetch saw it, new/, cur/ with usual flags."""
        if transport_id in self._seen:
            yield self._seen.pop(transport_id)
        yield self.root / "new" / transport_id
        for flags in _USUAL_FLAGS:
            yield self.root / "cur" / f"{transport_id}:2,{flags}"
        yield self.root / "cur" / transport_id

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None:
        if not recipients:
            raise TransportError("A message needs at least one recipient.")
        sent = self.folder_path("sent")
        name = sent_copy_name(data)
        if not (sent / "cur" / f"{name}:2,S").exists():
            _write_atomically(sent, f"{name}.{_unique_name()}", "cur", f"{name}:2,S", data)
        if self._relay is not None:
            self._relay.send(data, sender=sender, recipients=recipients)

    def probe(self, sender: str) -> list[str]:
        """For ``practice-alerts check``: every folder exists and this process may write to it."""
        problems = [f"The Maildir folder {folder} cannot be written to by this user; give it write permission."
                    for folder in (self.root, *(self.folder_path(name) for name in FOLDERS))
                    for sub in ("new", "cur", "tmp") if not os.access(folder / sub, os.W_OK | os.X_OK)]
        if self._relay is not None:
            try:
                self._relay.probe(sender)
            except TransportError as exc:
                problems.append(str(exc))
        return problems

    def wait_for_mail(self, seconds: float, stop: threading.Event) -> bool:
        """Block until a message lands in the inbox (True), ``seconds`` pass or ``stop`` is set (False)."""
        if self._watch is None:
            self._watch = FolderWatch(self.root / "new")
        return self._watch.wait(seconds, stop, self._listed)

    def close(self) -> None:
        """Stop watching the inbox; every other operation opens and closes its own files."""
        if self._watch is not None:
            self._watch.close()
            self._watch = None


def sent_copy_name(data: bytes) -> str:
    """The Sent copy's unique name: a hash of the Message-ID (of the bytes if there is none)."""
    digest = hashlib.sha256((message_id_of(data) or "").encode() or data).hexdigest()[:40]
    return f"{digest}.pa"


def _messages(folder: Path) -> Iterator[tuple[str, Path]]:
    for sub in ("new", "cur"):
        try:
            entries = list(os.scandir(folder / sub))
        except FileNotFoundError:
            continue
        for entry in entries:
            if not entry.name.startswith(".") and entry.is_file():
                yield entry.name.split(":", 1)[0], Path(entry.path)


def _order(key: str) -> tuple[int, int, int, str]:
    match = _NAME_ORDER.match(key)
    if not match:
        return (0, 0, 0, key)
    seconds, micros, serial = match.groups()
    return (int(seconds), int(micros or 0), int(serial or 0), key)


def _hostname() -> str:
    return socket.gethostname().replace("/", r"\057").replace(":", r"\072") or "localhost"


def _unique_name() -> str:
    now = time.time()
    return f"{int(now)}.M{int((now % 1) * 1e6):06d}P{os.getpid()}Q{next(_counter)}.{_hostname()}"


def _write_atomically(folder: Path, tmp_name: str, sub: str, final_name: str, data: bytes) -> None:
    """Write into tmp/, flush to disk, then link into place: readers never see half a message."""
    tmp = folder / "tmp" / tmp_name
    target = folder / sub / final_name
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError:
            pass  # The same message was written before: keep the first copy.
        finally:
            tmp.unlink()
    except OSError as exc:
        raise TransientTransportError(f"Cannot write a message into {folder}: {exc}") from None
