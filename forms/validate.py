"""Check a form's values against the field catalogue and the authority's policy.

Every problem is a sentence for the IRO that names the field and says what to do.
CAFCASS at form level: the form has no CAFCASS field, so the check here is that a start
stage addressed to CAFCASS is only chosen for case types the policy refers to CAFCASS
(children looked after); a referral later in the process is the workflow's to check.
"""

from __future__ import annotations

import datetime as dt
import re

from practice_alerts.forms.fields import REASON_PREFIX, Field, Kind
from practice_alerts.forms.record import FormProblem
from practice_alerts.forms.values import Value
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import CaseType, Policy

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
RAISED_AHEAD_DAYS = 7
OLDEST_CHILD_YEARS = 26


def _problem(fields: dict[str, Field], key: str, message: str) -> FormProblem:
    field = fields.get(key)
    return FormProblem(field=key, label=field.label if field else None, message=message)


def _date_problems(values: dict[str, Value], today: dt.date) -> list[tuple[str, str]]:
    out = []
    dob, raised, resolve_by = values.get("child_dob"), values.get("date_raised"), values.get("resolve_by")
    if isinstance(dob, dt.date) and dob > today:
        out.append(("child_dob", f"Child's date of birth {dob:%d/%m/%Y} is in the future: check the date."))
    if isinstance(raised, dt.date) and raised > today + dt.timedelta(days=RAISED_AHEAD_DAYS):
        out.append(("date_raised", f"Date raised {raised:%d/%m/%Y} is more than a week ahead: use the date you send the alert."))
    if isinstance(dob, dt.date) and isinstance(raised, dt.date):
        if dob > raised and not dob > today:
            out.append(("child_dob", "Child's date of birth is after the date raised: check both dates."))
        elif (raised - dob).days > OLDEST_CHILD_YEARS * 366:
            out.append(("child_dob", f"Child's date of birth {dob:%d/%m/%Y} makes them older than {OLDEST_CHILD_YEARS}: check the date."))
    if isinstance(resolve_by, dt.date) and isinstance(raised, dt.date) and resolve_by < raised:
        out.append(("resolve_by", "Resolve by is before the date raised: choose a later date."))
    return out


def _policy_problems(values: dict[str, Value], policy: Policy, reason_codes: list[str]) -> list[tuple[str, str]]:
    out = []
    known = {r.code: r for r in policy.reason_codes}
    for code in reason_codes:
        if code not in known:
            out.append((REASON_PREFIX + code, f"The form has a reason '{code}' that {policy.authority} does not use: "
                        "fill in the current Practice Alert form."))
    if any(known[c].other for c in reason_codes if c in known) and not values.get("other_reason"):
        out.append(("other_reason", "You ticked Other but did not describe the reason: write it in 'Other reason: details'."))
    case_type = str(values.get("case_type") or "")
    if case_type and case_type not in {t.value for t in policy.case_types}:
        out.append(("case_type", f"{policy.authority}'s procedure does not cover {CaseType(case_type).label.lower()} cases."
                    if case_type in CaseType.__members__ else f"Case type '{case_type}' is not one we know."))
    stage_key = str(values.get("start_stage") or "")
    if stage_key:
        stages = {s.key: s for s in policy.stages}
        stage = stages.get(stage_key)
        allowed = [s for s in policy.stages if s.key == policy.start_stage or s.may_start_here]
        names = ", ".join(s.name for s in allowed)
        if stage is None:
            out.append(("start_stage", f"Stage '{stage_key}' is not in {policy.authority}'s procedure: choose one of {names}."))
        elif stage not in allowed:
            out.append(("start_stage", f"An alert cannot start at {stage.name}: choose one of {names}."))
        else:
            if stage.key != policy.start_stage and policy.bypass_requires_reason and not values.get("bypass_reason"):
                out.append(("bypass_reason", f"You chose to start at {stage.name}: say why in 'Reason for starting at a later stage'."))
            cafcass = stage.recipient is Role.CAFCASS_LEGAL or "cafcass" in stage.name.lower()
            if cafcass and case_type and case_type not in {t.value for t in policy.cafcass.case_types}:
                out.append(("start_stage", "Only a child looked after can be referred to CAFCASS: choose another stage."))
    return out


def problems(fields: dict[str, Field], values: dict[str, Value], reason_codes: list[str], policy: Policy | None,
             today: dt.date) -> list[FormProblem]:
    """Everything wrong with the values, in form order where it can be."""
    found: list[tuple[str, str]] = []
    text = Kind.TEXT
    for key, field in fields.items():
        value = values.get(key)
        if value is None or value == "":
            if field.required:
                found.append((key, f"{field.label} is empty: {field.hint}."))
        elif field.kind is text and key.endswith("_email") and value and not EMAIL.match(str(value)):
            found.append((key, f"{field.label} '{value}' is not an e-mail address: check it, e.g. name@council.gov.uk."))
    if not reason_codes:
        found.append(("reason_codes", "No reason is ticked: tick at least one reason for the alert."))
    found += _date_problems(values, today)
    if policy is not None:
        found += _policy_problems(values, policy, reason_codes)
    out = [_problem(fields, key, message) for key, message in found]
    return [p if p.field != "reason_codes" else p.model_copy(update={"label": "Reason for the alert"}) for p in out]
