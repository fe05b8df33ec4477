"""The console's own table: who looked at what and which administrative action they took.

Alert actions are events in the alert's log; this table records what has no alert of its own
(a held message released or dismissed, an outbox message retried) and every page view of an
alert, so a reviewer can see who saw a child's details and when.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .tables import Base, UtcDateTime


class ConsoleEntry(Base):
    """One thing a signed-in person did or looked at; never changed or deleted by the console."""

    __tablename__ = "console_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor_email: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
