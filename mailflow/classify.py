"""Steps 1 to 5 for one stored message: decode, classify, match, extract, check the sender.

``classify`` takes the raw bytes (already stored by the service) and its context as
arguments and returns a ``Classification``; it sends nothing and changes nothing. The
service then hands new alerts' forms to ``practice_alerts.forms``, responses and
decisions to the workflow, and quarantined messages to LAC admin's list.

Order matters: bounces first (they look like auto-replies), then automatic replies (never
a response), then people. ``reasons`` are for the log and for LAC admin: they never hold
addresses, names, subjects or message text.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from practice_alerts.mailflow import attachments, autoreply, bounce, reply_text
from practice_alerts.mailflow.authenticity import Authenticity, AuthenticitySettings, check
from practice_alerts.mailflow.decisions import RECORDS_AFTER_CLOSURE, ReplyDecision, parse_decision
from practice_alerts.mailflow.decode import (
    Envelope,
    UnreadableMessage,
    body_text,
    envelope,
    header_text,
    parse,
    parse_bytes,
)
from practice_alerts.mailflow.limits import (
    InboundLimits,
    attachments_over_limit,
    forms_over_limit,
    header_block,
    raw_over_limit,
)
from practice_alerts.mailflow.match import Match, match_alert
from practice_alerts.mailflow.protocols import AlertIndex, AlertSummary, StaffDirectory
from practice_alerts.policies.roles import RAISING_ROLES
from practice_alerts.policies.schema import Policy
from practice_alerts.policies.time_zone import uk_day

Kind = Literal["new_alert", "response", "decision", "auto_reply", "bounce", "comment", "quarantine"]
SenderStanding = Literal["iro", "stage_recipient", "staff", "unknown"]
ACTING_KINDS = {"new_alert", "response", "decision", "comment"}


class InboundSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    own_addresses: tuple[str, ...]
    """The shared mailbox and its aliases (never taken for a failed recipient or a sender)."""
    authenticity: AuthenticitySettings = AuthenticitySettings()
    limits: InboundLimits = InboundLimits()
    via_exchange: bool = False
    """Read through EWS or Graph from our own tenant: Exchange's organisation headers can be believed."""


class Classification(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Kind
    reasons: tuple[str, ...]
    held_kind: Kind | None = None
    """For mail quarantined only because the sender was not authenticated: what it would be."""
    reference: str | None = None
    matched_by: str = "none"
    replied_to_action: str | None = None
    sender: str | None = None
    sender_standing: SenderStanding = "unknown"
    message_id: str | None = None
    forms: tuple[attachments.FormAttachment, ...] = ()
    other_attachments: tuple[str, ...] = ()
    text: str = ""
    decision: ReplyDecision | None = None
    out_of_office: bool = False
    from_stage_recipient: bool = False
    return_date: dt.date | None = None
    bounced: tuple[str, ...] = ()
    authenticity: Authenticity | None = None
    over_limit: str | None = None
    """Why the message was not read (over a documented limit), in words for its sender."""
    may_reply: bool = False
    """Whether an automatic reply (form problem, unclear decision) may go to the sender:
    never to unknown outside senders, automatic mail, bounces or unauthenticated mail."""


def _sent_day(message_date: str, fallback: dt.date) -> dt.date:
    try:
        return parsedate_to_datetime(message_date).date()
    except (TypeError, ValueError, IndexError):
        return fallback


def _standing(sender: str | None, alert: AlertSummary | None, directory: StaffDirectory,
              today: dt.date) -> SenderStanding:
    if sender is None:
        return "unknown"
    if alert is not None and sender == alert.iro_email:
        return "iro"
    if alert is not None and any(sender == r or directory.may_act_for(sender, r, today) for r in alert.recipients):
        return "stage_recipient"
    return "staff" if directory.contact(sender) is not None else "unknown"


def classify(
    raw: bytes,
    *,
    directory: StaffDirectory,
    alerts: AlertIndex,
    policy: Policy,
    settings: InboundSettings,
    secret: bytes,
    received: AwareDatetime,
) -> Classification:
    """What this message is, which alert it is about, and what it carries."""
    too_big = raw_over_limit(raw, settings.limits)
    if too_big is not None:
        return _over_limit(raw, too_big, directory, settings)
    try:
        message = parse(raw)
    except UnreadableMessage as exc:
        return Classification(kind="quarantine", reasons=(f"unreadable: {exc}",))
    today = uk_day(received)
    env = envelope(message)
    own = tuple(a.lower() for a in settings.own_addresses)
    verdict = check(message, env.sender, settings.authenticity, via_exchange=settings.via_exchange)
    base: dict[str, object] = {"message_id": env.message_id, "sender": env.sender, "authenticity": verdict}
    if env.sender_problem is not None:
        return Classification(kind="quarantine", reasons=(f"sender unclear: {env.sender_problem}; held for review",),
                              **base)
    too_many = attachments_over_limit(_attachment_count(message), settings.limits)
    if too_many is not None:
        return _refused(too_many, env.sender, verdict, directory, base)
    body = body_text(message)[:settings.limits.max_text_chars]

    report = bounce.detect(message, own)
    if report.is_bounce:
        return _bounce(report, env, alerts, secret, base)

    auto = autoreply.detect(message, body)
    match = match_alert(in_reply_to=env.in_reply_to, references=env.references, subject=env.subject,
                        alerts=alerts, secret=secret)
    standing = _standing(env.sender, match.alert, directory, today)
    if auto.automatic or (env.sender is not None and env.sender in own):
        back = autoreply.return_date(body, _sent_day(header_text(message, "Date"), today)) \
            if auto.out_of_office else None
        return _automatic(auto, match, standing, back, base)

    found = attachments.find_forms(message)
    too_many = forms_over_limit(len(found.forms), settings.limits)
    if too_many is not None:
        return _refused(too_many, env.sender, verdict, directory, base)
    text = reply_text.new_text(body)
    extracted = {"forms": found.forms, "other_attachments": found.other_names, "text": text,
                 "sender_standing": standing}
    reasons = [_match_reason(match), *(f"attachment problem: {p}" for p in found.problems)]
    person = directory.person(env.sender) if env.sender else None
    known = env.sender is not None and directory.contact(env.sender) is not None
    raiser = person is not None and any(r in RAISING_ROLES for r in person.roles)
    kind, decision, why = _who_and_what(match, standing, raiser, known, found, text, policy, today)
    reasons.extend(why)
    held: Kind | None = None
    if kind in ACTING_KINDS and not verdict.authentic:
        held, kind = kind, "quarantine"
        reasons.append(f"sender not authenticated ({verdict.reason}); held for review")
    may_reply = verdict.authentic and known
    return Classification(kind=kind, reasons=tuple(r for r in reasons if r), held_kind=held,
                          decision=decision if kind == "decision" or held == "decision" else None,
                          may_reply=may_reply, **extracted, **_matched(match), **base)


def _attachment_count(message: EmailMessage) -> int:
    return sum(1 for part in message.walk()
               if not part.is_multipart() and (part.get_content_disposition() == "attachment" or part.get_filename()))


def _refused(why: str, sender: str | None, verdict: Authenticity, directory: StaffDirectory,
             base: dict[str, object]) -> Classification:
    """Over a limit: kept and set aside unread; a known, authenticated sender is told why."""
    known = sender is not None and directory.contact(sender) is not None
    return Classification(kind="quarantine", reasons=(f"over a limit: {why}",), over_limit=why,
                          may_reply=bool(verdict.authentic and known), **base)


def _over_limit(raw: bytes, why: str, directory: StaffDirectory, settings: InboundSettings) -> Classification:
    """Only the header block is read (when it is itself within the limit), to know whom to tell."""
    head = header_block(raw, settings.limits)
    if head is None:
        return Classification(kind="quarantine", reasons=(f"over a limit: {why}",), over_limit=why)
    message = parse_bytes(head + b"\r\n\r\n")
    env = envelope(message)
    verdict = check(message, env.sender, settings.authenticity, via_exchange=settings.via_exchange)
    base: dict[str, object] = {"message_id": env.message_id, "sender": env.sender, "authenticity": verdict}
    if env.sender_problem is not None:
        return Classification(kind="quarantine", reasons=(f"over a limit: {why}",), over_limit=why, **base)
    return _refused(why, env.sender, verdict, directory, base)


def _bounce(report: bounce.Bounce, env: Envelope, alerts: AlertIndex, secret: bytes,
            base: dict[str, object]) -> Classification:
    """A bounce is matched by the failed message's own (signed) Message-ID first."""
    match = match_alert(
        in_reply_to=[report.original_message_id] if report.original_message_id else [],
        references=[*report.original_references, *env.in_reply_to, *env.references],
        subject=report.original_subject or env.subject, alerts=alerts, secret=secret)
    reasons = [f"bounce: {', '.join(report.signs)}", _match_reason(match)]
    if report.delayed_only:
        return Classification(kind="auto_reply", reasons=("delivery delayed notice; nothing failed yet", *reasons),
                              **_matched(match), **base)
    if not report.failed:
        reasons.append("could not tell which recipient failed")
    return Classification(kind="bounce", reasons=tuple(reasons), bounced=report.failed, **_matched(match), **base)


def _automatic(auto: autoreply.AutoReply, match: Match, standing: SenderStanding, back: dt.date | None,
               base: dict[str, object]) -> Classification:
    """Never a response; an out-of-office from the stage recipient is flagged for the IRO and LAC admin."""
    reasons = [f"automatic: {', '.join(auto.signs) or 'sent by our own mailbox'}", _match_reason(match)]
    from_recipient = standing == "stage_recipient"
    if auto.out_of_office:
        reasons.append("out of office" + (" from the stage recipient" if from_recipient else ""))
    return Classification(kind="auto_reply", reasons=tuple(reasons), out_of_office=auto.out_of_office,
                          from_stage_recipient=from_recipient, return_date=back, sender_standing=standing,
                          **_matched(match), **base)


def _who_and_what(match: Match, standing: SenderStanding, raiser: bool, known: bool,
                  found: attachments.Found, text: str, policy: Policy,
                  today: dt.date) -> tuple[Kind, ReplyDecision | None, list[str]]:
    """The kind of a message from a person, by who sent it and what it is about."""
    alert = match.alert
    if alert is not None and standing == "iro":
        decision = parse_decision(text, policy=policy, alert=alert, today=today)
        if not (found.forms and decision.kind == "unclear" and raiser):
            if not alert.open and decision.kind not in RECORDS_AFTER_CLOSURE:
                return "comment", None, ["from the alert's IRO, but the alert is closed; kept as a comment"]
            return "decision", decision, [f"decision from the alert's IRO: {decision.kind}"]
        # A form and no decision: the IRO is raising a new alert in the same thread.
    if alert is not None and standing == "stage_recipient":
        why = ["from the stage recipient or their cover"]
        if found.forms:
            why.append(f"{len(found.forms)} returned form(s) attached")
        if not alert.open:
            return "comment", None, [*why, "the alert is closed; kept as a comment"]
        return "response", None, why
    if found.forms and raiser:
        return "new_alert", None, [f"{len(found.forms)} form(s) from a person who may raise alerts"]
    if alert is not None and known:
        return "comment", None, ["from staff who are neither the stage recipient nor the IRO; kept as a comment"]
    if found.forms and known:
        return "quarantine", None, ["form sent by someone without an IRO or CP chair role"]
    if not known:
        return "quarantine", None, ["sender is not in the directory"]
    return "quarantine", None, ["not about a known alert and no form attached"]


def _matched(match: Match) -> dict[str, object]:
    return {"reference": match.alert.reference if match.alert else match.reference if match.how != "none" else None,
            "matched_by": match.how, "replied_to_action": match.action}


def _match_reason(match: Match) -> str:
    if match.alert is not None:
        return f"matched {match.alert.reference} by {match.how}"
    return f"no alert matched{': ' + match.note if match.note else ''}"
