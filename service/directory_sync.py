"""``directory sync``: the organisation directory rebuilt from Entra ID, keeping what the council adds.

From Entra: everyone in a mapped group (roles from the ``directory_sync.groups`` mapping, a
person in several groups holding every role they give), and everyone up their manager chains
(so ``reports_to`` always leads somewhere), with their name, address and department. Disabled
accounts are left out.

Kept from the directory file: every external contact; each person's absences and covers; and
people who did not come from Entra (local additions such as a team mailbox). Which people came
from Entra is remembered beside the directory (``<file>.entra.json``), so someone who leaves
Entra is removed while a local addition is not. The new directory is checked before it replaces
the old one (kept as ``<file>.bak``), and what changed is reported.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from practice_alerts.config import DirectorySyncSettings
from practice_alerts.directory_file import DirectoryError, build_directory
from practice_alerts.entra import EntraPeople
from practice_alerts.policies.roles import Role

HEADER = ("# Organisation directory, written by 'practice-alerts directory sync' on {at} from Microsoft Entra ID.\n"
          "# Edits to people from Entra are replaced at the next sync (change them in Entra); absences and covers,\n"
          "# external contacts and people added here by hand are kept.\n")


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    kept_local: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"added: {e}" for e in self.added] + [f"changed: {c}" for c in self.changed]
        out += [f"removed (no longer in Entra or its groups): {e}" for e in self.removed]
        out += [f"kept (added locally): {e}" for e in self.kept_local]
        return out


def state_file(directory: Path) -> Path:
    return directory.with_name(directory.name + ".entra.json")


def _entra_rows(settings: DirectorySyncSettings, people: EntraPeople, report: SyncReport) -> dict[str, dict[str, Any]]:
    known = {r.value for r in Role}
    roles_of: dict[str, set[str]] = {}
    for group, roles in settings.groups.items():
        for role in roles:
            if role not in known:
                report.problems.append(f"directory_sync.groups.{group}: {role!r} is not a role; use one of "
                                       f"{', '.join(sorted(known))}")
        for user_id in people.group_members.get(group, set()):
            roles_of.setdefault(user_id, set()).update(r for r in roles if r in known)
    chosen: set[str] = set()
    for user_id in roles_of:
        current: str | None = user_id
        while current and current not in chosen and current in people.users:  # up the manager chain
            if not people.users[current].enabled:
                break
            chosen.add(current)
            current = people.users[current].manager_id
    rows: dict[str, dict[str, Any]] = {}
    for user_id in sorted(chosen, key=lambda i: people.users[i].email):
        user = people.users[user_id]
        manager = people.users.get(user.manager_id or "")
        row: dict[str, Any] = {"name": user.name, "email": user.email, "roles": sorted(roles_of.get(user_id, set()))}
        if user.team:
            row["team"] = user.team
        if manager is not None and manager.id in chosen:
            row["reports_to"] = manager.email
        rows[user.email] = row
    return rows


def _describe(old: dict[str, Any], new: dict[str, Any]) -> str:
    parts = []
    for key, label in (("name", "name"), ("roles", "roles"), ("team", "team"), ("reports_to", "line manager")):
        if old.get(key) != new.get(key) and not (key == "roles" and sorted(old.get(key) or []) == new.get(key)):
            parts.append(f"{label} {old.get(key) or '(none)'} -> {new.get(key) or '(none)'}")
    return "; ".join(parts)


def merge(settings: DirectorySyncSettings, people: EntraPeople, current: dict[str, Any],
          previously_synced: set[str]) -> tuple[dict[str, Any], SyncReport]:
    """The new directory data and what changed; pure, so it is tested without a server."""
    report = SyncReport()
    entra = _entra_rows(settings, people, report)
    old_people = {str(p.get("email", "")).lower(): p for p in current.get("people") or [] if isinstance(p, dict)}
    merged = []
    for email, row in entra.items():
        old = old_people.get(email)
        if old is None:
            report.added.append(email)
        else:
            if old.get("absences"):
                row["absences"] = old["absences"]
            change = _describe(old, row)
            if change:
                report.changed.append(f"{email}: {change}")
        merged.append(row)
    for email, old in old_people.items():
        if email in entra:
            continue
        if email in previously_synced:
            report.removed.append(email)
        else:
            report.kept_local.append(email)
            merged.append(old)
    return {"people": merged, "external": list(current.get("external") or [])}, report


def _rows(data: dict[str, Any], section: str) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{section} {i + 1} ({r.get('email', '')})", r) for i, r in enumerate(data[section])]


def sync_directory(settings: DirectorySyncSettings, people: EntraPeople, directory: Path, *, now: dt.datetime,
                   write: bool) -> SyncReport:
    current: dict[str, Any] = {}
    if directory.is_file():
        loaded = yaml.safe_load(directory.read_text(encoding="utf-8")) or {}
        current = loaded if isinstance(loaded, dict) else {}
    previously: set[str] = set()
    if state_file(directory).is_file():
        previously = set(json.loads(state_file(directory).read_text(encoding="utf-8")).get("synced", []))
    data, report = merge(settings, people, current, previously)
    try:
        build_directory(str(directory), _rows(data, "people"), _rows(data, "external"))
    except DirectoryError as exc:
        report.problems += exc.problems
    if report.problems or not write:
        return report
    text = HEADER.format(at=f"{now:%Y-%m-%d %H:%M} UTC") + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if directory.is_file():
        os.replace(directory, directory.with_name(directory.name + ".bak"))
    partial = directory.with_name(directory.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, directory)
    synced = sorted(r["email"] for r in data["people"] if r["email"] not in report.kept_local)
    state_file(directory).write_text(json.dumps({"synced": synced, "at": now.isoformat()}, indent=1), encoding="utf-8")
    return report
