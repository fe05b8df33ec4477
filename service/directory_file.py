"""Read the organisation directory from a YAML or CSV file.

YAML has two lists, ``people`` and ``external`` (see examples/directory.yaml), and any number of
absences per person. CSV has one row per person or external contact, with the columns
name, email, roles (separated by ';'), team, reports_to, kind (person or external),
organisation, address and, optionally, phone; and, for one absence of a person, away_from and
away_until (the first and last day away, YYYY-MM-DD) and cover (who acts for them; empty: their
line manager).

Every problem is reported at once, each naming the file, the row or person, and what to fix.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from practice_alerts.policies.roles import Role
from practice_alerts.policies.yaml_files import load_safely
from practice_alerts.workflow.directory import Directory, ExternalContact, Person

CSV_COLUMNS = ("name", "email", "roles", "team", "reports_to", "kind", "organisation", "address", "phone",
               "away_from", "away_until", "cover")
ABSENCE_COLUMNS = ("away_from", "away_until", "cover")
REQUIRED_CSV_COLUMNS = ("name", "email")
KNOWN_ROLES = ", ".join(r.value for r in Role)


class DirectoryError(Exception):
    """The directory file cannot be used. Operator-facing: names the file, the row and what to fix."""

    def __init__(self, file: str, problems: list[str]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}: {p}" for p in problems))


Row = tuple[str, dict[str, Any]]
"""Where a row is (for messages) and its values."""


def load_directory(path: str | Path) -> Directory:
    """The validated directory in ``path`` (.yaml/.yml or .csv); raises DirectoryError listing every problem."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise DirectoryError(name, ["no such file; give the path of the organisation directory (.yaml or .csv)"])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DirectoryError(name, [f"cannot be read as UTF-8 text ({exc}); save it as UTF-8"]) from None
    suffix = path.suffix.lower()
    problems: list[str] = []
    if suffix in {".yaml", ".yml"}:
        people, external = _yaml_rows(name, text)
    elif suffix == ".csv":
        people, external = _csv_rows(name, text, problems)
    else:
        raise DirectoryError(name, [f"is a '{suffix or 'no extension'}' file; the directory must be .yaml, .yml or .csv"])
    return build_directory(name, people, external, problems)


def build_directory(
    file: str, people_rows: list[Row], external_rows: list[Row], problems: list[str] | None = None
) -> Directory:
    """Build and check the directory from rows, adding to the problems already found in the file."""
    problems = list(problems or [])
    people = [p for p in (_build(Person, row, problems) for row in people_rows) if p is not None]
    external = [c for c in (_build(ExternalContact, row, problems) for row in external_rows) if c is not None]
    if problems:
        raise DirectoryError(file, problems)
    try:
        return Directory(people=people, external=external)
    except ValidationError as exc:
        lines = [line for err in exc.errors() for line in str(err.get("ctx", {}).get("error", err["msg"])).splitlines()]
        raise DirectoryError(file, lines) from None


def _build(model: type[BaseModel], row: Row, problems: list[str]) -> Any:
    where, values = row
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems.extend(f"{where}: {_csv_names(where, _explain(model, err))}" for err in exc.errors())
        return None


CSV_ABSENCE_NAMES = {"absences.0.start": "away_from", "absences.0.end": "away_until", "absences.0.cover": "cover",
                     "absences.0: ": ""}


def _csv_names(where: str, message: str) -> str:
    """A CSV row's absence has its own column names; say those, not the YAML's."""
    if where.startswith("line "):
        for yaml_name, column in CSV_ABSENCE_NAMES.items():
            message = message.replace(yaml_name, column)
    return message


def _explain(model: type[BaseModel], err: Any) -> str:
    loc = [str(part) for part in err["loc"]]
    field = ".".join(loc)
    kind = err["type"]
    if kind == "enum" and loc and loc[0] == "roles":
        return f"unknown role '{err['input']}'; the known roles are: {KNOWN_ROLES}"
    if kind == "missing":
        return f"'{field}' is missing; every entry needs it"
    if kind == "extra_forbidden":
        allowed = ", ".join(model.model_fields)
        return f"unknown setting '{field}'; the settings allowed here are: {allowed}"
    if kind.startswith("date"):
        return f"{field}: '{err['input']}' is not a date; write it as YYYY-MM-DD"
    message = str(err.get("ctx", {}).get("error", err["msg"]))
    return f"{field}: {message}" if field else message


def _yaml_rows(file: str, text: str) -> tuple[list[Row], list[Row]]:
    try:
        data = load_safely(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or "cannot be read"
        raise DirectoryError(file, [f"is not valid YAML{where}: {what}"]) from None
    if not isinstance(data, dict):
        raise DirectoryError(file, ["must be a YAML mapping with the lists 'people' and 'external'"])
    unknown = sorted(set(data) - {"people", "external"})
    if unknown:
        raise DirectoryError(file, [f"unknown section(s) {', '.join(map(str, unknown))}; only 'people' and 'external' are allowed"])
    rows: dict[str, list[Row]] = {}
    for section, label in (("people", "person"), ("external", "external contact")):
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise DirectoryError(file, [f"'{section}' must be a list of entries, each starting with '- name:'"])
        rows[section] = []
        for number, entry in enumerate(entries, start=1):
            name = entry.get("name") if isinstance(entry, dict) else None
            where = f"{section}: {label} {number}" + (f" ({name})" if name else "")
            if not isinstance(entry, dict):
                raise DirectoryError(file, [f"{where} must be a mapping (name:, email:, roles: ...)"])
            rows[section].append((where, entry))
    return rows["people"], rows["external"]


def _csv_rows(file: str, text: str, problems: list[str]) -> tuple[list[Row], list[Row]]:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_CSV_COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if missing or unknown:
        problems = [f"the header row lacks the column(s) {', '.join(missing)}"] if missing else []
        problems += [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        raise DirectoryError(file, [*problems, f"the columns are: {', '.join(CSV_COLUMNS)}"])
    people: list[Row] = []
    external: list[Row] = []
    for raw in reader:
        line = reader.line_num
        cells = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cells.values()):
            continue
        where = f"line {line}" + (f" ({cells['name']})" if cells.get("name") else "")
        kind = (cells.pop("kind", "") or "person").lower()
        values: dict[str, Any] = {k: v for k, v in cells.items() if v}
        values["roles"] = [r.strip() for r in cells.get("roles", "").split(";") if r.strip()]
        if kind == "person":
            for field in ("organisation", "address", "phone"):
                if values.pop(field, None):
                    problems.append(f"{where}: '{field}' is only for external contacts; set kind to 'external' or clear it")
            _csv_absence(where, values, problems)
            people.append((where, values))
        elif kind == "external":
            for field in ("team", "reports_to", *ABSENCE_COLUMNS):
                if values.pop(field, None):
                    problems.append(f"{where}: '{field}' is only for people in the authority; clear it for an external contact")
            external.append((where, values))
        else:
            problems.append(f"{where}: kind '{kind}' is not known; write 'person' or 'external'")
    return people, external


def _csv_absence(where: str, values: dict[str, Any], problems: list[str]) -> None:
    """Turn a row's away_from / away_until / cover cells into the person's one absence."""
    start, end, cover = (values.pop(c, None) for c in ABSENCE_COLUMNS)
    if not (start or end or cover):
        return
    if not start or not end:
        problems.append(f"{where}: an absence needs both away_from and away_until (the first and last day away, "
                        "YYYY-MM-DD); fill in the missing one or clear cover")
        return
    values["absences"] = [{"start": start, "end": end, "cover": cover or None}]
