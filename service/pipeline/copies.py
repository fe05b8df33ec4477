"""What copies and thanks say: enough to act on without opening anything else.

A copy to QA or LAC admin names the alert's reference, the child's case number (never the
child's name), the stage, who the alert is with and when the response is due, and why the
reader is told. A copy for filing carries the letter it is about. The manager whose response
resolved the alert is thanked and given the IRO's note, rather than a copy's wording.
"""

from __future__ import annotations

from practice_alerts.mailflow.compose import OutgoingAttachment
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.workflow.actions import Notify
from practice_alerts.workflow.context import long_date
from practice_alerts.workflow.state import AlertState

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILING_WORDS = ("file", "filing", "record")


def facts_lines(ctx: ServiceContext, state: AlertState, stage_name: str | None, due: object) -> list[str]:
    visit = state.current
    rows = [f"Reference: {state.reference}", f"Case number: {state.facts.child_id}"]
    if stage_name or visit is not None:
        rows.append(f"Stage: {stage_name or (visit.name if visit else '')}")
    if visit is not None:
        role = visit.recipient_role.replace("_", " ")
        rows.append(f"With: {visit.recipient_name or 'nobody yet (no recipient found)'} ({role})")
    due_day = due or state.due
    rows.append(f"Response due: {long_date(due_day)}" if due_day else "Response due: no due date now")  # type: ignore[arg-type]
    rows.append(f"IRO: {ctx.name_of(state.facts.iro_email) or state.facts.iro_email}")
    return ["\n".join(rows)]


def for_filing(ctx: ServiceContext, action: Notify) -> bool:
    purpose = action.purpose.lower()
    return any(e in ctx.lac_admin for e in action.to) or any(w in purpose for w in FILING_WORDS)


def letters_written(paths: list) -> tuple[OutgoingAttachment, ...]:
    """The letters written earlier in the same step (a copy for filing carries them)."""
    out = []
    for path in paths:
        if "letter" in path.name.lower() and path.suffix == ".docx" and path.is_file():
            out.append(OutgoingAttachment(filename=path.name, content=path.read_bytes(), mime_type=DOCX))
    return tuple(out)


def thanks_lines(ctx: ServiceContext, state: AlertState, notes: str) -> list[str]:
    iro = ctx.name_of(state.facts.iro_email) or "The IRO"
    lines = [f"Thank you for your response to practice alert {state.reference} (case {state.facts.child_id}).",
             f"{iro} is satisfied with it, so the alert is resolved. Nothing more is needed from you."]
    if notes.strip():
        lines.append(f"{iro}'s note:\n{notes.strip()}")
    return lines


def managers_of(state: AlertState) -> tuple[str, ...]:
    visit = state.current
    return tuple(a for a in (visit.recipient_email, visit.holder_email) if a) if visit else ()
