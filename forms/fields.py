"""The form's field catalogue: the public contract between the Word form and the parser.

Every field's key is the Tag of its content control (and the bookmark name of a legacy form
field); its label is the control's Title and the text printed beside it. The reason check
boxes and the stage list depend on the policy, so `catalogue(policy)` builds the whole list.
docs/form-fields.md documents the same keys for people.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from practice_alerts.policies.entry import start_stages
from practice_alerts.policies.schema import CaseType, Policy

FORM_VERSION = "1"
"""Bumped whenever a key, kind or choice changes; printed in every form's footer."""

REASON_PREFIX = "reason_"


class Kind(StrEnum):
    TEXT = "text"
    """One line of plain text."""
    RICH = "rich"
    """A long answer: paragraphs and line breaks are kept."""
    DATE = "date"
    CHOICE = "choice"
    """A drop-down list: the shown text maps back to the item's value."""
    CHECK = "check"


class Choice(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: str
    shown: str


class Field(BaseModel):
    """One field of the form."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    kind: Kind
    section: str
    prompt: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    hint: str = ""
    """What to write when it is missing, said to the IRO."""


CHILD_INFORMED = (
    Choice(value="yes", shown="Yes"),
    Choice(value="no", shown="No"),
    Choice(value="not_appropriate", shown="Not appropriate"),
)
IRO_OUTCOMES = (
    Choice(value="satisfied", shown="Satisfied: the concern is resolved"),
    Choice(value="not_satisfied", shown="Not satisfied: escalate to the next stage"),
)

S_CHILD = "1. The child"
S_IRO = "2. Who is raising the alert"
S_ABOUT = "3. The child's social worker and team"
S_REASON = "4. Reason for the alert"
S_CONCERN = "5. The concern"
S_STAGE = "6. Where the alert starts"
S_VOICE = "7. The child's voice"
S_AGENCY = "8. Another agency"
S_RESPONSE = "9. Management response (filled in by the manager)"
S_OUTCOME = "10. Outcome (filled in by the IRO / CP chair)"
S_TOP = "Reference"


def _f(key: str, label: str, kind: Kind, section: str, prompt: str, required: bool = False,
       hint: str = "", choices: tuple[Choice, ...] = ()) -> Field:
    return Field(key=key, label=label, kind=kind, section=section, prompt=prompt,
                 required=required, hint=hint, choices=choices)


def case_type_choices(policy: Policy | None) -> tuple[Choice, ...]:
    types = policy.case_types if policy else list(CaseType)
    return tuple(Choice(value=t.value, shown=f"{t.label} ({t.value})") for t in types)


def stage_choices(policy: Policy | None) -> tuple[Choice, ...]:
    if policy is None:
        return ()
    return tuple(Choice(value=s.key, shown=f"{s.name}: {s.recipient_label}") for s in start_stages(policy))


_CACHE: dict[int, tuple[Policy | None, list[Field]]] = {}


def catalogue(policy: Policy | None) -> list[Field]:
    """All fields in form order. Without a policy there are no reason boxes and no stage list.

    Policies are frozen, so each one's catalogue is built once (the cache keeps the policy alive,
    so its id cannot be reused by another object).
    """
    cached = _CACHE.get(id(policy))
    if cached is None or cached[0] is not policy:
        if len(_CACHE) > 64:
            _CACHE.clear()
        cached = _CACHE[id(policy)] = (policy, _build_catalogue(policy))
    return list(cached[1])


def _build_catalogue(policy: Policy | None) -> list[Field]:
    T, R, D, C = Kind.TEXT, Kind.RICH, Kind.DATE, Kind.CHOICE
    fields = [
        _f("reference", "Practice Alert reference", T, S_TOP, "Filled in by the Practice Alerts service"),
        _f("child_name", "Child's name", T, S_CHILD, "Type the child's full name", True,
           "write the child's full name"),
        _f("child_id", "Child's case number", T, S_CHILD, "Type the case-management number", True,
           "write the child's number from the case-management system"),
        _f("child_dob", "Child's date of birth", D, S_CHILD, "Choose the date of birth", True,
           "choose the child's date of birth"),
        _f("case_type", "Case type", C, S_CHILD, "Choose the case type", True,
           "choose Child looked after, Child protection or Care leaver", case_type_choices(policy)),
        _f("legal_status", "Legal status", T, S_CHILD, "Type the legal status, e.g. section 31 care order"),
        _f("iro_name", "IRO / CP chair name", T, S_IRO, "Type your name", True, "write your name"),
        _f("iro_email", "IRO / CP chair e-mail", T, S_IRO, "Type your e-mail address", True,
           "write your e-mail address"),
        _f("date_raised", "Date raised", D, S_IRO, "Choose today's date", True, "choose the date you raise it"),
        _f("social_worker_name", "Social worker's name", T, S_ABOUT, "Type the social worker's name", True,
           "write the allocated social worker's name"),
        _f("social_worker_email", "Social worker's e-mail", T, S_ABOUT, "Type the social worker's e-mail address",
           True, "write the social worker's e-mail address"),
        _f("team_manager_name", "Team manager's name", T, S_ABOUT, "Type the team manager's name"),
        _f("team_manager_email", "Team manager's e-mail", T, S_ABOUT, "Type the team manager's e-mail address"),
        _f("team", "Team", T, S_ABOUT, "Type the social worker's team", True, "write the social worker's team"),
    ]
    for reason in policy.reason_codes if policy else []:
        fields.append(_f(REASON_PREFIX + reason.code, reason.label, Kind.CHECK, S_REASON, ""))
    fields += [
        _f("other_reason", "Other reason: details", R, S_REASON, "If you ticked Other, describe the reason"),
        _f("concern", "The concern", R, S_CONCERN, "Describe what has not happened or is not right", True,
           "describe what has not happened or is not right"),
        _f("impact_on_child", "Impact on the child", R, S_CONCERN, "Say how this affects the child", True,
           "say how the delay affects the child"),
        _f("resolution_sought", "Resolution sought", R, S_CONCERN, "Say what must happen to resolve it", True,
           "say what must happen to resolve it"),
        _f("resolve_by", "Resolve by", D, S_CONCERN, "Choose the date it should be resolved by"),
        _f("start_stage", "Stage to start at", C, S_STAGE, "Choose the stage (leave empty for the first stage)",
           choices=stage_choices(policy)),
        _f("bypass_reason", "Reason for starting at a later stage", R, S_STAGE,
           "If you start after the first stage, say why (serious or urgent)"),
        _f("informal_attempts", "What you have done to resolve it informally", R, S_STAGE,
           "Say whom you spoke to and when"),
        _f("child_informed", "Has the child been told about this alert?", C, S_VOICE, "Choose Yes, No or Not appropriate",
           True, "choose Yes, No or Not appropriate", CHILD_INFORMED),
        _f("child_views", "The child's views", R, S_VOICE, "Write the child's views in their own words if you can"),
        _f("external_agency", "Other agency: name and address", R, S_AGENCY,
           "Only if the concern is about another agency: its name and address"),
        _f("management_response", "Management response", R, S_RESPONSE, "The manager writes the response here"),
        _f("agreed_actions", "Agreed actions and timescales", R, S_RESPONSE, "Actions, who will do them, and by when"),
        _f("response_by_name", "Response given by", T, S_RESPONSE, "The manager's name and role"),
        _f("response_date", "Date of response", D, S_RESPONSE, "Choose the date of the response"),
        _f("iro_outcome", "IRO / CP chair outcome", C, S_OUTCOME, "Choose the outcome", choices=IRO_OUTCOMES),
        _f("iro_outcome_notes", "Outcome notes", R, S_OUTCOME, "Notes on the outcome"),
    ]
    return fields


def by_key(fields: list[Field]) -> dict[str, Field]:
    return {f.key: f for f in fields}
