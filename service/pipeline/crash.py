"""A test hook: die with SIGKILL at random points, to prove nothing is lost or done twice.

Only when the environment variable ``PRACTICE_ALERTS_TEST_CRASH`` holds a probability (e.g.
``0.02``); ``PRACTICE_ALERTS_TEST_CRASH_SEED`` makes the points repeatable and
``PRACTICE_ALERTS_TEST_CRASH_LOG`` names a file that gets the point's name before each kill.
Off otherwise.
"""

from __future__ import annotations

import os
import random
import signal

_CHANCE = float(os.environ.get("PRACTICE_ALERTS_TEST_CRASH", "0") or 0)
_RANDOM = random.Random(os.environ.get("PRACTICE_ALERTS_TEST_CRASH_SEED"))
_LOG = os.environ.get("PRACTICE_ALERTS_TEST_CRASH_LOG")


def crashpoint(where: str, detail: str = "") -> None:
    """Maybe die here (test hook; does nothing unless switched on). ``detail`` (no personal data,
    e.g. our Message-ID) is logged after the point's name, so a test can tell what was cut off."""
    if _CHANCE and _RANDOM.random() < _CHANCE:
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{where} {detail}".rstrip() + "\n")
                log.flush()
                os.fsync(log.fileno())
        os.kill(os.getpid(), signal.SIGKILL)
