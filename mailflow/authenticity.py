"""Can we believe the From address? Sender addresses are easy to forge.

Two configurable ways to count a message as authentic (anything else is not, and is
never acted on automatically):

* **Same organisation through Exchange**: ``X-MS-Exchange-Organization-AuthAs: Internal``
  and the From domain is one of ours. Exchange strips ``X-MS-Exchange-Organization-*``
  headers from mail arriving from outside, so an outsider cannot supply it; it is believed
  only when the shared mailbox is read through EWS or Graph from our own tenant, or when the
  configuration says the Maildir or IMAP mailbox is delivered by our own Exchange
  (``exchange_upstream``). Anything else (a Dovecot fed by another MTA) strips nothing.
* **Partners**: the top-most ``Authentication-Results`` header (the one our boundary added
  last) names our boundary's ``authserv-id`` and says ``dmarc=pass`` with ``header.from``
  equal to the From domain (a result that does not name the domain is not aligned).
  Headers from anyone else's server are ignored. The boundary must remove any incoming
  ``Authentication-Results`` that claim its own id (RFC 8601 section 5).

``allow_unverified`` exists for demonstrations and local folders only; it is off by default.
"""

from __future__ import annotations

import re
from email.message import Message

from pydantic import BaseModel, ConfigDict, Field, field_validator

_DMARC = re.compile(r"\bdmarc\s*=\s*(\w+)(?P<rest>[^;]*)", re.IGNORECASE)
_HEADER_FROM = re.compile(r"header\.from\s*=\s*([^\s;]+)", re.IGNORECASE)


class AuthenticitySettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    internal_domains: tuple[str, ...] = Field(default=(), description="our organisation's mail domains")
    trust_exchange_auth_as: bool = Field(default=True, description="believe X-MS-Exchange-Organization-AuthAs "
                                         "(only through EWS/Graph, or with exchange_upstream)")
    exchange_upstream: bool = Field(default=False, description="the Maildir/IMAP mailbox is delivered by our own "
                                    "Exchange, which strips X-MS-Exchange-Organization-* from outside mail")
    boundary_authserv_ids: tuple[str, ...] = Field(
        default=(), description="authserv-id(s) our own boundary writes into Authentication-Results")
    partner_domains: tuple[str, ...] | None = Field(
        default=None, description="partner domains accepted on dmarc=pass; empty means any domain")
    allow_unverified: bool = Field(default=False, description="demonstrations only: accept every sender")

    @field_validator("internal_domains", "boundary_authserv_ids", "partner_domains")
    @classmethod
    def _lower(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else tuple(v.strip().lower() for v in value if v.strip())


class Authenticity(BaseModel):
    model_config = ConfigDict(frozen=True)

    authentic: bool
    method: str
    """'exchange-internal', 'dmarc-pass', 'unverified-allowed' or 'none'."""
    reason: str


def _domain(address: str | None) -> str:
    return (address or "").rpartition("@")[2].lower()


def _in(domain: str, domains: tuple[str, ...]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in domains)


def check(message: Message, sender: str | None, settings: AuthenticitySettings, *,
          via_exchange: bool = False) -> Authenticity:
    """``via_exchange``: the message was read through EWS or Graph from our own tenant."""
    domain = _domain(sender)
    if not domain:
        return Authenticity(authentic=False, method="none", reason="no usable From address")
    from practice_alerts.mailflow.decode import header_text  # noqa: PLC0415 - the configuration imports the settings above; the decoder loads for mail only

    auth_as = header_text(message, "X-MS-Exchange-Organization-AuthAs").lower()
    exchange_stripped = via_exchange or settings.exchange_upstream
    if not exchange_stripped:
        auth_as = ""  # nothing upstream removed a forged one: the header means nothing
    if settings.trust_exchange_auth_as and auth_as == "internal" and _in(domain, settings.internal_domains):
        return Authenticity(authentic=True, method="exchange-internal",
                            reason="Exchange authenticated the sender inside the organisation")
    results = message.get_all("Authentication-Results") or []
    if results and settings.boundary_authserv_ids:
        top = " ".join(str(results[0]).split())
        authserv_id = top.split(";", 1)[0].strip().split()[0].lower() if top else ""
        if authserv_id in settings.boundary_authserv_ids:
            dmarc = _DMARC.search(top)
            header_from = _HEADER_FROM.search(dmarc["rest"]) if dmarc else None
            aligned = header_from is not None and header_from[1].lower() == domain
            partner_ok = not settings.partner_domains or _in(domain, settings.partner_domains) \
                or _in(domain, settings.internal_domains)
            if dmarc and dmarc[1].lower() == "pass" and aligned and partner_ok:
                return Authenticity(authentic=True, method="dmarc-pass",
                                    reason="our mail boundary recorded dmarc=pass for the sender's domain")
            verdict = dmarc[1].lower() if dmarc else "absent"
            if dmarc and not aligned:
                verdict = "pass for a different domain"
            if not partner_ok:
                verdict = "pass, but the domain is not a listed partner"
            return Authenticity(authentic=False, method="none",
                                reason=f"our mail boundary recorded dmarc {verdict}")
    if settings.allow_unverified:
        return Authenticity(authentic=True, method="unverified-allowed",
                            reason="sender not verified; accepted because allow_unverified is set")
    if auth_as and auth_as != "internal":
        return Authenticity(authentic=False, method="none", reason=f"Exchange marked the sender {auth_as}")
    return Authenticity(authentic=False, method="none",
                        reason="no trusted authentication result for the sender's domain")
