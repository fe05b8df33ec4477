"""Who we believe, and which alert a message is about."""

from __future__ import annotations

import email
import email.policy

import pytest

from practice_alerts.mailflow.authenticity import AuthenticitySettings, check
from practice_alerts.mailflow.match import match_alert, subject_references
from practice_alerts.mailflow.msgid import MessageIdError, make_message_id, verify_message_id

from .conftest import SECRET, fixture_alerts

SETTINGS = AuthenticitySettings(internal_domains=("council.example",), boundary_authserv_ids=("mx.council.example",))


def verdict(headers: str, sender: str = "a.okafor@council.example", settings: AuthenticitySettings = SETTINGS,
            via_exchange: bool = True):
    message = email.message_from_string(f"From: {sender}\n{headers}\n\nbody\n", policy=email.policy.default)
    return check(message, sender, settings, via_exchange=via_exchange)


def test_exchange_internal_mail_from_our_domain_is_authentic():
    got = verdict("X-MS-Exchange-Organization-AuthAs: Internal")
    assert got.authentic and got.method == "exchange-internal"


def test_exchange_internal_claim_for_another_domain_is_not_enough():
    assert not verdict("X-MS-Exchange-Organization-AuthAs: Internal", sender="x@outside.example").authentic


def test_exchange_anonymous_is_not_authentic():
    got = verdict("X-MS-Exchange-Organization-AuthAs: Anonymous")
    assert not got.authentic and "Anonymous".lower() in got.reason.lower()


def test_exchange_header_ignored_when_not_trusted():
    settings = SETTINGS.model_copy(update={"trust_exchange_auth_as": False})
    assert not verdict("X-MS-Exchange-Organization-AuthAs: Internal", settings=settings).authentic


def test_exchange_header_means_nothing_when_no_exchange_stripped_it():
    """Issue 12: through a Maildir or IMAP that Exchange does not feed, anyone can write AuthAs."""
    assert not verdict("X-MS-Exchange-Organization-AuthAs: Internal", via_exchange=False).authentic
    upstream = SETTINGS.model_copy(update={"exchange_upstream": True})
    assert verdict("X-MS-Exchange-Organization-AuthAs: Internal", settings=upstream, via_exchange=False).authentic


def test_a_dmarc_pass_that_does_not_name_the_from_domain_is_not_aligned():
    assert not verdict("Authentication-Results: mx.council.example; dmarc=pass", sender="k@partner.example").authentic


def test_the_starter_configuration_believes_no_exchange_header_over_its_maildir():
    import yaml

    from practice_alerts.starter import starter_text

    data = yaml.safe_load(starter_text())
    assert data["transport"]["kind"] == "maildir"
    settings = AuthenticitySettings(**data["mail"]["authenticity"])
    assert not settings.exchange_upstream
    assert not verdict("X-MS-Exchange-Organization-AuthAs: Internal", sender="a@example.gov.uk", settings=settings,
                       via_exchange=False).authentic


def test_partner_dmarc_pass_from_our_boundary_is_authentic():
    got = verdict("Authentication-Results: mx.council.example; dmarc=pass header.from=partner.example",
                  sender="k@partner.example")
    assert got.authentic and got.method == "dmarc-pass"


@pytest.mark.parametrize("headers", [
    "Authentication-Results: mx.council.example; dmarc=fail header.from=partner.example",
    "Authentication-Results: mx.council.example; dmarc=none",
    "Authentication-Results: evil.example; dmarc=pass header.from=partner.example",
    "Authentication-Results: mx.council.example; dmarc=pass header.from=other.example",
    # a forged result below the boundary's own is ignored: only the top-most counts
    "Authentication-Results: mx.council.example; dmarc=fail header.from=partner.example\n"
    "Authentication-Results: mx.council.example; dmarc=pass header.from=partner.example",
    "",
])
def test_everything_else_is_not_authentic(headers):
    assert not verdict(headers, sender="k@partner.example").authentic


def test_partner_list_restricts_dmarc_pass():
    settings = SETTINGS.model_copy(update={"partner_domains": ("nhs.example",)})
    header = "Authentication-Results: mx.council.example; dmarc=pass header.from=partner.example"
    assert not verdict(header, sender="k@partner.example", settings=settings).authentic
    header = header.replace("partner.example", "trust.nhs.example")
    assert verdict(header, sender="k@trust.nhs.example", settings=settings).authentic


def test_allow_unverified_is_explicit():
    settings = SETTINGS.model_copy(update={"allow_unverified": True})
    got = verdict("", sender="x@anywhere.example", settings=settings)
    assert got.authentic and got.method == "unverified-allowed"


def test_message_ids_are_deterministic_signed_and_verified():
    first = make_message_id("PA-2026-0001", "stage2-letter", secret=SECRET, domain="pa.council.example")
    assert first == make_message_id("PA-2026-0001", "stage2-letter", secret=SECRET, domain="pa.council.example")
    assert first != make_message_id("PA-2026-0001", "stage3-letter", secret=SECRET, domain="pa.council.example")
    assert first.startswith("<pa.PA-2026-0001.stage2-letter.") and first.endswith("@pa.council.example>")
    assert verify_message_id(first, secret=SECRET) == ("PA-2026-0001", "stage2-letter")
    assert verify_message_id(first, secret=b"another key") is None
    forged = first.replace("PA-2026-0001", "PA-2026-0002")
    assert verify_message_id(forged, secret=SECRET) is None
    assert verify_message_id("<random@example>", secret=SECRET) is None


@pytest.mark.parametrize("reference, action", [("PA-26-1", "x"), ("PA-2026-0001", "Has Spaces"),
                                               ("PA-2026-0001", "child.name"), ("PA-2026-0001", "")])
def test_message_id_parts_are_checked(reference, action):
    with pytest.raises(MessageIdError):
        make_message_id(reference, action, secret=SECRET, domain="pa.council.example")


def test_empty_secret_is_refused():
    with pytest.raises(MessageIdError, match="secret"):
        make_message_id("PA-2026-0001", "x", secret=b"", domain="pa.council.example")


@pytest.mark.parametrize("subject", [
    "RE: OFFICIAL-SENSITIVE: [PA-2026-0001] Practice Alert - Stage 1",
    "AW: FW: [PA-2026-0001] Practice Alert",
    "[EXTERNAL] RE: OFFICIAL: PA-2026-0001",
    "RE: PA 2026 0001 Practice Alert",
    "SV: PA\u20132026\u20130001",
    "RE: [pa-2026-0001]",
    "Re: Re: Practice Alert (PA-2026-0001)",
])
def test_subject_references_survive_prefixes_and_mangling(subject):
    assert subject_references(subject) == ["PA-2026-0001"]


@pytest.mark.parametrize("subject", ["RE: SPA-2026-0001", "PA-2026-0000001", "RE: 2026-0001", "PA-20260001",
                                     "PA-2026-001"])
def test_lookalikes_are_not_references(subject):
    assert subject_references(subject) == []


def test_match_layers_in_order():
    alerts = fixture_alerts()
    ours = make_message_id("PA-2026-0002", "stage5-letter", secret=SECRET, domain="d.example")
    got = match_alert(in_reply_to=[ours], references=[], subject="RE: [PA-2026-0001]", alerts=alerts, secret=SECRET)
    assert got.reference == "PA-2026-0002" and got.how == "in-reply-to" and got.action == "stage5-letter"
    got = match_alert(in_reply_to=["<x@y>"], references=["<a@b>", ours.strip("<>")], subject="", alerts=alerts,
                      secret=SECRET)
    assert got.how == "references" and got.reference == "PA-2026-0002"
    got = match_alert(in_reply_to=[], references=[], subject="RE: [PA-2026-0001]", alerts=alerts, secret=SECRET)
    assert got.how == "subject" and got.alert.reference == "PA-2026-0001"
    got = match_alert(in_reply_to=[], references=[], subject="[PA-2026-0001] and [PA-2026-0002]", alerts=alerts,
                      secret=SECRET)
    assert got.alert is None and "more than one" in got.note
    got = match_alert(in_reply_to=[], references=[], subject="[PA-2026-0999]", alerts=alerts, secret=SECRET)
    assert got.alert is None and got.reference == "PA-2026-0999"


def test_forged_in_reply_to_is_ignored():
    alerts = fixture_alerts()
    forged = "<pa.PA-2026-0002.stage5-letter.0123456789abcdef@d.example>"
    got = match_alert(in_reply_to=[forged], references=[], subject="nothing", alerts=alerts, secret=SECRET)
    assert got.alert is None and alerts.asked == []
