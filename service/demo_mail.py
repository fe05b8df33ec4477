"""Sample mail for the demonstration and the end-to-end tests: real filled forms, real replies.

The new alert carries a Practice Alert form built by ``forms.build`` and filled by
``forms.fill``, exactly as Word would leave it. Replies answer a message the service sent
(``In-Reply-To``/``References``/``RE:`` subject), as Outlook does. Internal mail carries
``X-MS-Exchange-Organization-AuthAs: Internal``, as the council's Exchange marks it. Every
name and address is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, default
from email.utils import format_datetime

from practice_alerts.forms.build import build_form
from practice_alerts.forms.fill import fill_form
from practice_alerts.policies.schema import Policy

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def form_values(policy: Policy, *, iro_name: str, iro_email: str, social_worker: tuple[str, str],
                team_manager: tuple[str, str] | None, raised: dt.date, child: str = "Riley Example",
                child_id: str = "MOS-200101", start_stage: str | None = None, bypass_reason: str | None = None,
                external_agency: str | None = None) -> dict[str, str | bool | dt.date | None]:
    reason = next(r for r in policy.reason_codes if not r.other)
    values: dict[str, str | bool | dt.date | None] = {
        "child_name": child, "child_id": child_id, "child_dob": dt.date(2015, 6, 1),
        "case_type": policy.case_types[0].value, "legal_status": "Section 31 care order",
        "iro_name": iro_name, "iro_email": iro_email, "date_raised": raised,
        "social_worker_name": social_worker[0], "social_worker_email": social_worker[1], "team": "Children in Care North",
        f"reason_{reason.code}": True,
        "concern": "The care plan agreed at the review has not been progressed.\nNo statutory visit for ten weeks.",
        "impact_on_child": "The child is unsettled and does not know what will happen next.",
        "resolution_sought": "A statutory visit within 5 working days and an updated care plan.",
        "informal_attempts": "Spoke to the social worker twice.", "child_informed": "yes",
        "child_views": "Wants to see the social worker.",
    }
    if team_manager:
        values["team_manager_name"], values["team_manager_email"] = team_manager
    if start_stage:
        values["start_stage"] = start_stage
    if bypass_reason:
        values["bypass_reason"] = bypass_reason
    if external_agency:
        values["external_agency"] = external_agency
    return values


def filled_form(policy: Policy, values: Mapping[str, str | bool | dt.date | None]) -> bytes:
    return fill_form(build_form(policy), values, application="Microsoft Office Word")


def _headers(message: EmailMessage, *, sender: tuple[str, str], to: str, subject: str, at: dt.datetime,
             message_id: str) -> None:
    message["From"] = f"{sender[0]} <{sender[1]}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = message_id
    message["X-MS-Exchange-Organization-AuthAs"] = "Internal"


def new_alert(*, sender: tuple[str, str], mailbox: str, form: bytes, at: dt.datetime, message_id: str,
              filename: str = "Practice Alert.docx") -> bytes:
    message = EmailMessage()
    _headers(message, sender=sender, to=mailbox, subject="Practice alert", at=at, message_id=message_id)
    message.set_content("Please find the practice alert attached.\n\nThanks")
    message.add_attachment(form, maintype="application", subtype=DOCX.split("/")[1], filename=filename)
    return message.as_bytes(policy=SMTP)


def reply(original: bytes, *, sender: tuple[str, str], text: str, at: dt.datetime, message_id: str,
          mailbox: str, out_of_office: bool = False) -> bytes:
    """A reply to one of our messages, quoting it under an Outlook header block."""
    parent = BytesParser(policy=default).parsebytes(original)
    message = EmailMessage()
    prefix = "Automatic reply: " if out_of_office else "RE: "
    _headers(message, sender=sender, to=mailbox, subject=prefix + str(parent["Subject"]), at=at, message_id=message_id)
    message["In-Reply-To"] = str(parent["Message-ID"])
    message["References"] = " ".join(filter(None, [str(parent.get("References", "")), str(parent["Message-ID"])]))
    if out_of_office:
        message["Auto-Submitted"] = "auto-replied"
        message["X-Auto-Response-Suppress"] = "All"
        message.set_content(text)
    else:
        message.set_content(f"{text}\n\nFrom: Practice Alerts <{mailbox}>\nSent: {parent['Date']}\n"
                            f"To: {sender[1]}\nSubject: {parent['Subject']}\n\n(earlier message)\n")
    return message.as_bytes(policy=SMTP)
