"""Waking the service when mail lands in a Maildir, instead of waiting a whole poll interval.

On Linux the kernel's inotify tells us at once when a delivery agent links or renames a message
into ``new/`` (or finishes writing one there); elsewhere, or if inotify cannot be used, ``new/`` is
listed every half second, which costs one directory read. Either way the caller's stop flag is
looked at at least every half second, so a SIGTERM is never kept waiting.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
import threading
import time
from pathlib import Path

_IN_CLOSE_WRITE = 0x00000008
_IN_CREATE = 0x00000100
_IN_MOVED_TO = 0x00000080
_IN_NONBLOCK = 0o4000
_IN_CLOEXEC = 0o2000000
_EVENT = struct.Struct("iIII")
SLICE_SECONDS = 0.5
SETTLE_SECONDS = 0.05


class _Inotify:
    """A minimal inotify watch of one folder (the standard library has no binding)."""

    def __init__(self, folder: Path) -> None:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        if libc.inotify_add_watch(self.fd, os.fsencode(folder), _IN_CLOSE_WRITE | _IN_MOVED_TO | _IN_CREATE) < 0:
            os.close(self.fd)
            raise OSError(ctypes.get_errno(), f"cannot watch {folder}")

    def wait(self, seconds: float) -> bool:
        """True if something landed within ``seconds``; the queued events are consumed."""
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if not ready:
            return False
        masks = 0
        try:
            while data := os.read(self.fd, 65536):
                offset = 0
                while offset + _EVENT.size <= len(data):
                    _wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
                    masks |= mask
                    offset += _EVENT.size + length
        except BlockingIOError:
            pass
        if seconds and masks & _IN_CREATE and not masks & (_IN_CLOSE_WRITE | _IN_MOVED_TO):
            time.sleep(SETTLE_SECONDS)  # linked in whole (a delivery agent), or still being written
        return bool(masks)

    def close(self) -> None:
        os.close(self.fd)


class FolderWatch:
    """Waits until a new file appears in ``folder`` (a Maildir's ``new/``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._inotify: _Inotify | None = None
        try:
            self._inotify = _Inotify(folder)
        except (OSError, AttributeError):
            self._inotify = None  # not Linux, or no inotify left: list the folder instead
        self.kind = "inotify" if self._inotify is not None else "listing"

    def names(self) -> set[str]:
        try:
            return {entry.name for entry in os.scandir(self.folder) if not entry.name.startswith(".")}
        except FileNotFoundError:
            return set()

    def wait(self, seconds: float, stop: threading.Event, known: set[str]) -> bool:
        """True as soon as a message not in ``known`` is in the folder; False after ``seconds`` or on stop."""
        deadline = time.monotonic() + seconds
        if self._inotify is not None:
            self._inotify.wait(0)  # forget earlier events: the listing below covers them
        if self.names() - known:
            return True  # landed between the last fetch and now
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self._inotify is not None:
                if self._inotify.wait(min(SLICE_SECONDS, left)):
                    return True
            else:
                time.sleep(min(SLICE_SECONDS, left))
                if self.names() - known:
                    return True
        return False

    def close(self) -> None:
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None
