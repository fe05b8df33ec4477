"""Structured logs: one JSON object per line on standard error, without personal data.

Only fixed words, ids, kinds, counts, references and outcomes (which the pipeline writes
without names, addresses, subjects or message text) are ever passed here.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, TextIO


class JsonLog:
    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet

    def __call__(self, event: str, level: str = "info", **fields: Any) -> None:
        if self.quiet and level == "info":
            return
        record = {"ts": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"), "level": level,
                  "event": event, **fields}
        stream = self.stream or sys.stderr
        stream.write(json.dumps(record, default=str) + "\n")
        stream.flush()
