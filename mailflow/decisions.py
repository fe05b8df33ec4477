"""The IRO's decision, read from the first meaningful line of their reply.

Case and punctuation do not matter ("Satisfied.", "**not satisfied**", "Escalate to level 3!").
The kinds are exactly the workflow's event types; the lines after the first are the reason
or notes. Anything unclear becomes ``unclear`` with the options to offer in the reply.
The decision request carries ``mailto:`` links (RFC 6068) pre-filled with each option, so
deciding is one click and a send.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict

from practice_alerts.mailflow.protocols import AlertSummary
from practice_alerts.mailflow.when import parse_date
from practice_alerts.policies.schema import Policy, Stage

DecisionKind = Literal[
    "satisfied", "not_satisfied", "escalate_to", "time_out", "resume", "refer_to_cafcass", "close", "unclear",
    "cafcass_not_referred", "consulted", "child_informed",
]
RECORDS_AFTER_CLOSURE = frozenset({"consulted", "child_informed"})
"""Records the IRO may still send once the alert is closed (the outcome is often told to the child later)."""
_GREETING = re.compile(r"^(hi|hello|hey|dear|good (morning|afternoon|evening)|morning|afternoon)\b[^.!?]{0,40}[,!.]?$",
                       re.IGNORECASE)


class Option(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: DecisionKind
    label: str
    """What the IRO sees, e.g. 'Escalate to Stage 4'."""
    first_line: str
    """What the reply's first line must say, e.g. 'ESCALATE TO STAGE 4'."""
    hint: str = ""
    """A line the pre-filled reply adds for the IRO to complete (a reason, a date)."""


class ReplyDecision(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: DecisionKind
    stage: str | None = None
    until: dt.date | None = None
    reason: str = ""
    notes: str = ""
    who: str = ""
    """For ``consulted``: who was consulted (a name or an e-mail address)."""
    what: str = ""
    """For ``child_informed``: 'rights' or 'outcome'."""
    on: dt.date | None = None
    agreed_by: str = ""
    """For a time-out: who agreed it, from an 'Agreed by: ...' line (a name or an e-mail address)."""
    problem: str = ""
    """For ``unclear``: what was not understood, in plain words for the IRO."""
    options: tuple[Option, ...] = ()


def _clean(line: str) -> str:
    line = re.sub(r"[*_:!,;\"'()\[\]{}<>?]", " ", line)
    line = re.sub(r"(?<=[A-Za-z])[-\u2010-\u2014](?=[A-Za-z])", " ", line)
    return " ".join(line.split()).upper().rstrip(".")


def _aliases(stage: Stage) -> list[str]:
    name = _clean(stage.name)
    aliases = {name, _clean(stage.key.replace("_", " ")), _clean(stage.recipient.label), _clean(stage.recipient_label)}
    number = re.search(r"\d+", stage.name)
    if number:
        aliases |= {f"STAGE {number[0]}", f"LEVEL {number[0]}", number[0]}
    return sorted(aliases, key=len, reverse=True)


def stage_from_words(words: str, policy: Policy) -> Stage | None:
    """The stage ``words`` begins with ('stage 3', 'Level 3', 'head of service'), or None."""
    target = _clean(words)
    target = re.sub(r"^(THE\s+)", "", target)
    best: tuple[int, Stage] | None = None
    for stage in policy.stages:
        for alias in _aliases(stage):
            if re.match(re.escape(alias) + r"\b", target) and (best is None or len(alias) > best[0]):
                best = (len(alias), stage)
    return best[1] if best else None


def options_for(policy: Policy, alert: AlertSummary) -> tuple[Option, ...]:
    """The decisions that make sense for this alert now, in the order they are offered."""
    stage = policy.stage(alert.stage_key) if alert.stage_key and alert.stage_key in {s.key for s in policy.stages} else None
    case_ok = alert.case_type is None or alert.case_type in policy.cafcass.case_types
    if alert.status == "considering_cafcass":
        return (Option(kind="refer_to_cafcass", label="Refer to CAFCASS", first_line="REFER TO CAFCASS"),
                Option(kind="cafcass_not_referred", label="Do not refer to CAFCASS", first_line="NOT REFERRING",
                       hint="Why:"),
                Option(kind="consulted", label="Record who you consulted", first_line="CONSULTED name or e-mail",
                       hint="Their view:"),
                Option(kind="close", label="Close the alert", first_line="CLOSE", hint="Notes:"))
    options = [Option(kind="satisfied", label="Satisfied (resolved)", first_line="SATISFIED")]
    at_top = stage is not None and stage.next is None and alert.status != "unresolved"
    top_route = at_top and (policy.top_of_ladder is not None or (case_ok and policy.cafcass.consider_first))
    if stage is None and alert.status != "unresolved" or stage is not None and stage.next or top_route:
        label = "Not satisfied: escalate to the next stage"
        if top_route and case_ok and policy.cafcass.consider_first:
            label = "Not satisfied: consider a referral to CAFCASS with the people the procedure names"
        elif top_route and not (case_ok and policy.cafcass.after_last_stage) and policy.top_of_ladder is not None:
            label = (f"Not satisfied: the alert stays open as unresolved at the top of the procedure and goes to "
                     f"{policy.top_of_ladder.route}")
        elif top_route:
            label = "Not satisfied: refer to CAFCASS"
        options.append(Option(kind="not_satisfied", label=label, first_line="NOT SATISFIED", hint="Why:"))
    if stage is not None:
        later = policy.stages[policy.stages.index(stage) + 2:]
        for target in later:
            if target.may_bypass_to:
                options.append(Option(kind="escalate_to", label=f"Escalate to {target.name}",
                                      first_line=f"ESCALATE TO {target.name.upper()}", hint="Reason:"))
    if policy.time_out.allowed and not alert.paused:
        agreed = policy.time_out.agreed_by
        hint = f"Reason:\nAgreed by: (your {agreed.label}'s name or e-mail, or copy them in)" if agreed else "Reason:"
        options.append(Option(kind="time_out", label="Time out (pause the clock)",
                              first_line="TIME OUT UNTIL DD/MM/YYYY", hint=hint))
    if alert.paused:
        options.append(Option(kind="resume", label="Resume (restart the clock)", first_line="RESUME"))
    at_top = stage is None or stage.next is None
    if case_ok and (policy.cafcass.at_any_time or at_top) and alert.status != "unresolved":
        options.append(Option(kind="refer_to_cafcass", label="Refer to CAFCASS", first_line="REFER TO CAFCASS"))
    options.append(Option(kind="close", label="Close the alert", first_line="CLOSE", hint="Notes:"))
    return tuple(options)


def _meaningful(text: str) -> tuple[str, str]:
    lines = text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if not _clean(line) or _GREETING.match(line.strip()):
            continue
        return line.strip(), "\n".join(lines[i + 1:]).strip()
    return "", ""


def _after(line: str, words: tuple[str, ...]) -> str:
    """What follows the keyword(s) on the original line, punctuation around them dropped."""
    pattern = r"^[\W_]*" + r"[\W_]*".join(re.escape(w) for w in words) + r"\b[\W_]*"
    match = re.match(pattern, line, re.IGNORECASE)
    return line[match.end():].strip() if match else ""


def _unclear(problem: str, options: tuple[Option, ...]) -> ReplyDecision:
    return ReplyDecision(kind="unclear", problem=problem, options=options)


def parse_decision(text: str, *, policy: Policy, alert: AlertSummary, today: dt.date) -> ReplyDecision:
    """The decision in ``text`` (the reply's new text), or ``unclear`` with the options."""
    options = options_for(policy, alert)
    first, rest = _meaningful(text)
    line = _clean(first)
    if not line:
        return _unclear("Your reply was empty, so no decision was recorded.", options)

    def notes(*words: str) -> str:
        return "\n".join(p for p in (_after(first, words), rest) if p).strip()

    if re.match(r"^(NOT SATISFIED|UNSATISFIED|DISSATISFIED)\b", line):
        return ReplyDecision(kind="not_satisfied", notes=notes("not", "satisfied") or notes("unsatisfied")
                        or notes("dissatisfied"))
    if m := re.match(r"^ESCALATE(?: IT)?(?: TO)?\b(.*)$", line):
        target = m[1].strip()
        if not target or re.match(r"^(THE )?NEXT (STAGE|LEVEL)\b", target):
            return ReplyDecision(kind="not_satisfied", notes=rest)
        stage = stage_from_words(target, policy)
        if stage is None:
            return _unclear(f"'{first}' does not name a stage of this procedure "
                            f"({', '.join(s.name for s in policy.stages)}).", options)
        return ReplyDecision(kind="escalate_to", stage=stage.key, reason=rest)
    if re.match(r"^(SATISFIED|RESOLVED)\b", line):
        return ReplyDecision(kind="satisfied", notes=notes("satisfied") or notes("resolved"))
    if re.match(r"^TIME ?-?OUT\b", line):
        when = re.sub(r"^(until|till|to|from now until)\b[\W_]*", "", _after(first, ("time", "out"))
                      or _after(first, ("timeout",)), flags=re.IGNORECASE)
        until = parse_date(when, today)
        if until is None:
            return _unclear("A time-out needs the date the clock restarts, for example "
                            "'TIME OUT UNTIL 12/01/2027' (day/month/year).", options)
        if until <= today:
            return _unclear(f"The time-out date {until:%d/%m/%Y} is not in the future.", options)
        agreed, reason = _agreed_by(rest)
        return ReplyDecision(kind="time_out", until=until, reason=reason, agreed_by=agreed)
    if re.match(r"^RESUME\b", line):
        return ReplyDecision(kind="resume", notes=rest)
    if re.match(r"^REFER(RAL)?( IT)?( TO)? CAFCASS\b", line):
        return ReplyDecision(kind="refer_to_cafcass", notes=rest)
    if re.match(r"^(NOT REFERRING|DO NOT REFER|DON T REFER|NO REFERRAL)\b", line):
        return ReplyDecision(kind="cafcass_not_referred", notes=rest)
    if re.match(r"^CONSULTED\b", line):
        who = _after(first, ("consulted",))
        if not who:
            return _unclear("Say who you consulted on the same line, for example 'CONSULTED Tam Overseer'.", options)
        return ReplyDecision(kind="consulted", who=who, notes=rest)
    if m := re.match(r"^CHILD (?:WAS )?(?:TOLD|INFORMED)(?: OF| ABOUT)?(?: THE| THEIR)? (OUTCOME|RIGHTS?)\b", line):
        tail = re.sub(r"^.*?\b(outcome|rights?)\b[\W_]*", "", first, count=1, flags=re.IGNORECASE)
        on_match = re.match(r"^(?:on\s+)?(\S+)\s*(.*)$", tail, re.IGNORECASE)
        on = parse_date(on_match[1], today) if on_match else None
        how = (on_match[2] if on and on_match else tail).strip()
        return ReplyDecision(kind="child_informed", what="outcome" if m[1] == "OUTCOME" else "rights", on=on,
                        notes="\n".join(p for p in (how, rest) if p))
    if re.match(r"^CLOSE(D)?\b", line):
        return ReplyDecision(kind="close", notes=rest)
    return _unclear("The first line of your reply did not say what you decided.", options)


_AGREED = re.compile(r"^\W*agreed\s+(?:by|with)\b[\s:\-]*(.*)$", re.IGNORECASE)


def _agreed_by(rest: str) -> tuple[str, str]:
    """The 'Agreed by: ...' line (seed 001's line manager) and the other lines (the reason)."""
    agreed, kept = "", []
    for line in rest.splitlines():
        match = _AGREED.match(line)
        if match and not agreed:
            agreed = match[1].strip().strip("<>()").strip()
            if agreed.startswith("(") or agreed.lower().startswith("your "):
                agreed = ""
            continue
        kept.append(line)
    return agreed, "\n".join(kept).strip()


def mailto(address: str, *, subject: str, body: str) -> str:
    """An RFC 6068 ``mailto:`` URL: UTF-8 percent-encoded, CRLF line breaks."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return (f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
            f"&body={quote(body, safe='')}")


def decision_mailto_links(
    shared_mailbox: str, reference: str, subject: str, policy: Policy, state: AlertSummary,
) -> list[tuple[str, str]]:
    """(label, mailto URL) for each decision open to the IRO, for the decision request.

    ``subject`` is the decision request's subject; the links reply to it with ``RE:``.
    ``state`` is the alert's summary (its stage, whether it is paused, its case type).
    """
    reply_subject = subject if subject.upper().startswith("RE:") else f"RE: {subject}"
    if reference not in reply_subject:
        reply_subject = f"{reply_subject} [{reference}]"
    links = []
    for option in options_for(policy, state):
        body = option.first_line + (f"\n{option.hint}\n" if option.hint else "\n")
        links.append((option.label, mailto(shared_mailbox, subject=reply_subject, body=body)))
    return links
