"""The retention rule: which closed alerts are past it, and removing their personal data.

The rule is the council's (``retention:`` in the configuration; docs/governance.md):
``years_after_closure`` keeps a closed alert's record that many years after it closed;
``until_age`` keeps it until the child reaches that age. When both are set the later date wins,
so neither promise is broken. Open alerts are never touched. Removing means anonymising
(store/retention.py): the personal data goes, the shape of the history and a record remain.
Inbound mail that never became part of an alert is emptied after ``mail_days``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from practice_alerts.config import RetentionRule
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.policies.time_zone import uk_day
from practice_alerts.store import unit_of_work


@dataclass(frozen=True)
class Candidate:
    reference: str
    closed: dt.date
    keep_until: dt.date
    because: str


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def keep_until(closed: dt.date, dob: dt.date | None, rule: RetentionRule) -> tuple[dt.date, str] | None:
    """The last day the record is kept, and why; None when the rule cannot say (keep it)."""
    dates: list[tuple[dt.date, str]] = []
    if rule.years_after_closure is not None:
        dates.append((_years_after(closed, rule.years_after_closure),
                      f"{rule.years_after_closure} years after closure"))
    if rule.until_age is not None:
        if dob is None:
            return None  # the child's age is not known: keep the record
        dates.append((_years_after(dob, rule.until_age), f"the child's {rule.until_age}th birthday"))
    return max(dates) if dates else None


def past_retention(ctx: ServiceContext, rule: RetentionRule, today: dt.date) -> list[Candidate]:
    found = []
    with ctx.database.reading() as reads:
        references = [a.reference for a in reads.list_alerts()]
        for reference in references:
            loaded = ctx.cache.load(reads, reference, ctx)
            state = loaded.state
            if state is None or state.is_open:
                continue
            closed_at = state.closed_at or (loaded.stored[-1].occurred_at if loaded.stored else None)
            if closed_at is None:
                continue
            until = keep_until(uk_day(closed_at), loaded.form.child_dob if loaded.form else None, rule)
            if until is not None and today > until[0]:
                found.append(Candidate(reference, uk_day(closed_at), until[0], until[1]))
    return found


def describe_rule(rule: RetentionRule) -> str:
    parts = [f"{rule.years_after_closure} years after closure"] if rule.years_after_closure else []
    parts += [f"until the child is {rule.until_age}"] if rule.until_age else []
    return " or ".join(parts) + (" (the later)" if len(parts) > 1 else "") + f"; other mail {rule.mail_days} days"


def apply_retention(ctx: ServiceContext, rule: RetentionRule, now: dt.datetime, *, apply: bool) -> list[str]:
    """Lines saying what is (or would be) removed; with ``apply`` it is removed and recorded."""
    today = uk_day(now)
    lines = []
    text = describe_rule(rule)
    for c in past_retention(ctx, rule, today):
        folder = Path(ctx.config.documents) / c.reference
        documents = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
        verb = "anonymised" if apply else "would be anonymised"
        lines.append(f"{c.reference}: closed {c.closed:%d/%m/%Y}, kept until {c.keep_until:%d/%m/%Y} ({c.because}): "
                     f"{verb}, and its {documents} document(s) deleted")
        if apply:
            with unit_of_work(ctx.database, now=now) as work:
                work.anonymise_alert(c.reference, rule=text,
                                     extra={"documents": documents, "closed": c.closed.isoformat()})
            shutil.rmtree(folder, ignore_errors=True)
    before = now - dt.timedelta(days=rule.mail_days)
    if apply:
        with unit_of_work(ctx.database, now=now) as work:
            entry = work.anonymise_old_mail(before=before, rule=text)
        mail = entry.removed["inbound_messages"] if entry else 0
    else:
        with ctx.database.reading() as reads:
            mail = reads.old_mail_count(before=before)
    if mail:
        lines.append(f"{mail} other inbound message(s) older than {rule.mail_days} days "
                     f"{'emptied' if apply else 'would be emptied'} (their outcome and date are kept)")
    return lines
