"""``practice-alerts simulate SCENARIO``: play a what-if scenario through the workflow, print JSON.

A scenario is YAML:

    policy: rutland                 # a built-in policy's name, or a path (relative to this file)
    directory: ../directory.yaml    # optional; else examples/directory.yaml beside/above, else placeholders
    alert: {reference: PA-2026-0001, ...}   # the form's fields, as the form parser gives them
    events:
      - {at: 2026-03-02T10:00, type: raised}
      - {at: 2026-03-06T15:00, type: response, from: jo.bloggs@example.gov.uk, text: "..."}
      - {at: 2026-03-09T09:30, type: not_satisfied}
    until: 2026-03-31T17:00         # run the clock to here

Times without an offset are UK time. Exit 0 with the JSON timeline; a scenario that cannot be
read gives a sentence naming what to fix, and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from practice_alerts.directory_file import DirectoryError, load_directory
from practice_alerts.policies.load import PolicyError, load_policy
from practice_alerts.policies.time_zone import as_uk_time, uk_day
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.events import EVENT_TYPES, parse_event
from practice_alerts.workflow.facts import AlertFacts
from practice_alerts.workflow.placeholders import PLACEHOLDER_DOMAIN, PlaceholderDirectory
from practice_alerts.workflow.simulate import final_summary, simulate

SIMPLE_FIELDS = {"start_stage", "bypass_reason"}
PLACEHOLDER_REFERENCE = "PA-0000-0000"
"""A filled form has no reference yet (the service gives one when it accepts the form): the same stand-in."""
DEFAULT_OUTCOME = "closed by the IRO"
"""What a 'close' without an outcome records, as a CLOSE reply does."""


class ScenarioError(Exception):
    """The scenario file cannot be used; the message names the file, the place and what to fix."""


def run_scenario(args: argparse.Namespace) -> int:
    try:
        result = play(Path(args.scenario))
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped early; that is not an error
        sys.stdout = None
    return 0


def _when(value: Any, where: str, file: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(9, 0))
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise ScenarioError(f"{file}: {where}: '{value}' is not a date and time; write it like 2026-03-02T10:00") from None
    return as_uk_time(moment)


def _find_directory(scenario: Path, given: str | None) -> tuple[Any, str]:
    path: Path | None
    if given:
        path = (scenario.parent / given) if not Path(given).is_absolute() else Path(given)
    else:
        path = next((folder / "examples" / "directory.yaml" for folder in [scenario.parent, *scenario.parent.parents]
                     if (folder / "examples" / "directory.yaml").is_file()), None)
        if path is None:
            path = next((folder / "directory.yaml" for folder in [scenario.parent, *scenario.parent.parents]
                         if (folder / "directory.yaml").is_file()), None)
    if path is None:
        return PlaceholderDirectory(), (f"no directory given or found: addresses @{PLACEHOLDER_DOMAIN} stand for "
                                        "whoever holds the role")
    try:
        return load_directory(path), str(path)
    except DirectoryError as exc:
        raise ScenarioError(f"{scenario}: directory: {exc}") from None


def _events(data: dict, alert: Any, file: str) -> list[Any]:
    raw = data.get("events") or []
    if not isinstance(raw, list):
        raise ScenarioError(f"{file}: events: must be a list of events, each with 'at' and 'type'")
    events = []
    for index, item in enumerate(raw):
        where = f"events[{index}]"
        if not isinstance(item, dict) or "type" not in item or "at" not in item:
            raise ScenarioError(f"{file}: {where}: each event needs 'at' (a date and time) and 'type'")
        fields = dict(item)
        kind = fields["type"]
        if kind not in EVENT_TYPES:
            raise ScenarioError(f"{file}: {where}: unknown type '{kind}'; use one of {', '.join(EVENT_TYPES)}")
        fields["at"] = _when(fields["at"], f"{where}.at", file)
        if "from" in fields:
            fields["by"] = fields.pop("from")
        if kind == "raised":
            fields["facts"] = alert
        if kind == "close" and not fields.get("outcome"):
            fields["outcome"] = DEFAULT_OUTCOME
        try:
            events.append(parse_event(fields))
        except ValidationError as exc:
            problem = exc.errors()[0]
            place = ".".join(str(p) for p in problem["loc"][1:]) or "fields"
            raise ScenarioError(f"{file}: {where} ({kind}): {place}: {problem['msg']}") from None
    if not any(e.type == "raised" for e in events):
        raise ScenarioError(f"{file}: events: the first event must be 'raised' (when the form was received)")
    return events


def play(path: Path) -> dict[str, Any]:
    """Read the scenario at ``path`` and return the timeline and final state as JSON-ready data."""
    file = str(path)
    path = path.resolve()  # a bare file name still finds the example directory in the folders above it
    if not path.is_file():
        raise ScenarioError(f"{file}: no such scenario file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{file}: is not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{file}: must be a YAML mapping with policy, alert, events and until")
    for key in ("policy", "alert", "events"):
        if key not in data:
            raise ScenarioError(f"{file}: '{key}' is missing; a scenario needs policy, alert and events")
    policy_name = str(data["policy"])
    local = path.parent / policy_name
    try:
        policy = load_policy(local if local.suffix in {".yaml", ".yml"} and local.is_file() else policy_name)
    except PolicyError as exc:
        raise ScenarioError(f"{file}: policy: {exc}") from None
    if not isinstance(data["alert"], dict):
        raise ScenarioError(f"{file}: alert: must be the form's fields, e.g. child_id, case_type, iro_email")
    try:
        alert = AlertFacts.model_validate({"reference": PLACEHOLDER_REFERENCE, **data["alert"]})
    except ValidationError as exc:
        problem = exc.errors()[0]
        place = ".".join(str(p) for p in problem["loc"]) or "alert"
        raise ScenarioError(f"{file}: alert.{place}: {problem['msg']}") from None
    directory, directory_note = _find_directory(path, data.get("directory"))
    calendar = WorkingCalendar.for_policy(policy)
    events = _events(data, alert, file)
    until = _when(data["until"], "until", file) if data.get("until") is not None else None
    result = simulate(events, policy, directory, calendar, until)
    end = until or max(e.at for e in events)
    final = final_summary(result.state, policy, calendar, uk_day(end))
    return {
        "scenario": file,
        "policy": policy.key,
        "directory": directory_note,
        "timeline": [entry.model_dump(mode="json") for entry in result.timeline],
        "final": final,
    }
