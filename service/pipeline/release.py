"""A held message a person released from the quarantine is handled as what it would have been.

Mail is held when its sender could not be authenticated (``Classification.held_kind`` says what
it would otherwise be). A person who knows the sender (LAC admin, from the console) may release
it; the service then handles it on its next pass with the sender trusted, and the release, with
who and why, stays in the console log.
"""

from __future__ import annotations

from practice_alerts.mailflow.classify import Classification
from practice_alerts.store import UnitOfWork


def released_as(work: UnitOfWork, inbound_id: int, found: Classification) -> Classification:
    """``found``, or (for a released message held only for authentication) the kind it would be."""
    if found.kind != "quarantine" or found.held_kind is None or not work.was_released(inbound_id):
        return found
    return found.model_copy(update={"kind": found.held_kind, "may_reply": True,
                                    "reasons": (*found.reasons, "released from the quarantine by a person")})
