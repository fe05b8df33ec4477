"""A manager's returned Practice Alert form: its management section read as the response.

Managers often type their response into section 9 of the form and send it back with a one-line
covering note ("Please see the attached form"). The response is then what the form says, the
covering note is kept beside it, and the form itself goes with the IRO's decision request, so
the IRO decides on what the manager actually wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practice_alerts.forms.gate import FileRefused
from practice_alerts.forms.reader import read_form
from practice_alerts.mailflow.attachments import FormAttachment
from practice_alerts.mailflow.compose import OutgoingAttachment
from practice_alerts.policies.schema import Policy

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SECTION = (("management_response", "Management response"), ("agreed_actions", "Agreed actions and timescales"),
           ("response_by_name", "Response given by"))


@dataclass(frozen=True)
class ReturnedForm:
    text: str
    """The response as recorded: the form's management section, then the covering note."""
    filename: str
    content: bytes

    @property
    def attachment(self) -> OutgoingAttachment:
        return OutgoingAttachment(filename=self.filename, content=self.content, mime_type=DOCX)


def read_returned(forms: tuple[FormAttachment, ...], covering: str, policy: Policy,
                  today: dt.date) -> ReturnedForm | None:
    """The first attached form whose management section is filled, or None."""
    for attachment in forms:
        try:
            reading = read_form(attachment.content, filename=attachment.filename, policy=policy, today=today)
        except FileRefused:
            continue
        parts = []
        for key, label in SECTION:
            field = reading.fields.get(key)
            value = (field.text or "").strip() if field is not None else ""
            if value:
                parts.append(f"{label}:\n{value}")
        if not any(p.startswith(SECTION[0][1]) for p in parts):
            continue
        text = "From the returned form (section 9):\n\n" + "\n\n".join(parts)
        if covering.strip():
            text += f"\n\nCovering message:\n{covering.strip()}"
        return ReturnedForm(text=text, filename=attachment.filename or "Returned form.docx", content=attachment.content)
    return None
