"""Message-IDs we send: deterministic per (alert, action) and signed, so replies can be trusted.

Form: ``<pa.PA-2026-0001.stage2-letter.3f9a0c1b2d4e5f60@DOMAIN>``. The same reference and
action always give the same id, so a re-send is recognisable (and a store can refuse a
duplicate). The last part is the first 16 hex digits (64 bits) of an HMAC-SHA256 over the
reference and action with a secret key the service takes from the environment; a reply's
``In-Reply-To`` / ``References`` is believed only when the HMAC checks, so nobody can aim a
message at an alert by inventing an id. ``In-Reply-To`` is still only a hint: the sender
must be allowed to act on the alert.

What the id reveals: the alert's reference and the kind of action (e.g. ``stage2-letter``).
Neither is personal data: the reference is a sequence number the recipients already see in
the subject. Action keys must never contain a name or other detail of the child.
"""

from __future__ import annotations

import hashlib
import hmac
import re

REFERENCE = re.compile(r"^PA-\d{4}-\d{4,6}$")
ACTION = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_ID = re.compile(r"^pa\.(PA-\d{4}-\d{4,6})\.([a-z0-9][a-z0-9-]{0,63})\.([0-9a-f]{16})@(.+)$")


class MessageIdError(ValueError):
    """A reference or action key that cannot go into a Message-ID (a programming error)."""


def _signature(reference: str, action: str, secret: bytes) -> str:
    if not secret:
        raise MessageIdError("the Message-ID secret is empty; set it in the service's environment")
    return hmac.new(secret, f"{reference}\x00{action}".encode(), hashlib.sha256).hexdigest()[:16]


def make_message_id(reference: str, action: str, *, secret: bytes, domain: str) -> str:
    """The ``<...>`` Message-ID for this alert and action."""
    if not REFERENCE.match(reference):
        raise MessageIdError(f"'{reference}' is not an alert reference (PA-YYYY-NNNN)")
    if not ACTION.match(action):
        raise MessageIdError(f"'{action}' is not an action key (lower-case letters, digits, hyphens)")
    if not re.fullmatch(r"[A-Za-z0-9.-]+", domain):
        raise MessageIdError(f"'{domain}' is not a domain for Message-IDs")
    return f"<pa.{reference}.{action}.{_signature(reference, action, secret)}@{domain}>"


def verify_message_id(message_id: str, *, secret: bytes) -> tuple[str, str] | None:
    """(reference, action) when ``message_id`` is one of ours with a good signature, else None."""
    match = _ID.match(message_id.strip().strip("<>"))
    if not match:
        return None
    reference, action, signature, _domain = match.groups()
    if not hmac.compare_digest(signature, _signature(reference, action, secret)):
        return None
    return reference, action


_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def make_unreferenced_message_id(key: str, *, secret: bytes, domain: str) -> str:
    """The ``<...>`` Message-ID of a message about no alert (a form that raised none).

    Form: ``<pa.noref.form-problem-42.<hmac>@DOMAIN>``, deterministic per ``key`` (e.g. the
    inbound message's id), so handling the same message again gives the same id. It is signed
    like the others but never matches an alert: ``verify_message_id`` returns None for it.
    """
    if not _KEY.match(key):
        raise MessageIdError(f"'{key}' is not a message key (lower-case letters, digits, hyphens)")
    if not re.fullmatch(r"[A-Za-z0-9.-]+", domain):
        raise MessageIdError(f"'{domain}' is not a domain for Message-IDs")
    return f"<pa.noref.{key}.{_signature('noref', key, secret)}@{domain}>"
