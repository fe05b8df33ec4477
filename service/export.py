"""Everything held about one child, gathered for a subject-access request.

    export_case(ctx, "CASE-123", Path("sar-CASE-123"))

For each alert whose child has that case number: the chronology (as ``alert show`` prints it),
the whole event log as JSON, every message received that the alert was built from and every
message sent about it (.eml, exactly as received or sent), and the documents kept for it. A
README says what is included and what is not (see docs/governance.md), so the council's
information-governance lead can review and redact before anything is disclosed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from practice_alerts.commands.alert import chronology_lines
from practice_alerts.pipeline.context import ServiceContext

README = """Subject-access export from Practice Alerts
Case number: {case}
Made: {made} (UTC)
Alerts found: {alerts}

For each alert, in a folder named by its reference:
  chronology.txt       what happened, when and by whom
  events.json          the alert's whole recorded history (the service's own record)
  received/*.eml       the messages the alert was built from, exactly as received
  sent/*.eml           every message sent about the alert, exactly as sent
  documents/           the letters and forms kept for the alert

Not included: mail that never became part of an alert (for example messages held in quarantine
that could not be matched), which is kept for {mail_days} days; ask the LAC admin team to search
the quarantine for the child's case number if that matters. Review and redact third-party
information before disclosure.
"""


class ExportError(Exception):
    """The export cannot be made; the message says why."""


@dataclass
class ExportReport:
    alerts: list[str] = field(default_factory=list)
    files: int = 0


def matching_alerts(ctx: ServiceContext, case_number: str) -> list[str]:
    wanted = case_number.strip().upper()
    found = []
    with ctx.database.reading() as reads:
        for alert in reads.list_alerts():
            state = ctx.cache.load(reads, alert.reference, ctx).state
            if state is not None and state.facts.child_id.strip().upper() == wanted:
                found.append(alert.reference)
    return found


def export_case(ctx: ServiceContext, case_number: str, out: Path, *, made: str) -> ExportReport:
    if out.exists() and any(out.iterdir()):
        raise ExportError(f"{out} is not empty; choose a new folder for the export.")
    references = matching_alerts(ctx, case_number)
    report = ExportReport(alerts=references)
    if not references:
        return report
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    for reference in references:
        folder = out / reference
        (folder / "received").mkdir(parents=True)
        (folder / "sent").mkdir()
        (folder / "chronology.txt").write_text("\n".join(chronology_lines(ctx, reference)) + "\n", encoding="utf-8")
        with ctx.database.reading() as reads:
            events = reads.events(reference)
            inbound = sorted({e.inbound_id for e in events if e.inbound_id is not None})
            received = {i: reads.inbound_raw(i) for i in inbound}
            sent = reads.outbox_for_alert(reference)
        (folder / "events.json").write_text(json.dumps([e.model_dump(mode="json") for e in events], indent=2),
                                            encoding="utf-8")
        for inbound_id, raw in received.items():
            (folder / "received" / f"message-{inbound_id}.eml").write_bytes(raw)
        for item in sent:
            (folder / "sent" / f"{item.id:05d}-{item.purpose}.eml").write_bytes(item.raw)
        documents = Path(ctx.config.documents) / reference
        if documents.is_dir():
            shutil.copytree(documents, folder / "documents")
        report.files += 2 + len(received) + len(sent) + (
            sum(1 for p in (folder / "documents").rglob("*") if p.is_file()) if documents.is_dir() else 0)
    mail_days = ctx.config.retention.mail_days if ctx.config.retention else 90
    (out / "README.txt").write_text(README.format(case=case_number, made=made, alerts=", ".join(references),
                                                  mail_days=mail_days), encoding="utf-8")
    return report
