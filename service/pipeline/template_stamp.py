"""The templates' start-up check, done once per change rather than at every start.

Trial-rendering every letter takes seconds; with ``run --once`` from a timer that was paid on
every pass. After a clean check a stamp is written into the documents folder holding a digest of
what the check depended on: every template file (name, size, modification time), the policy, and
the code that renders them. The check runs again whenever any of these changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import practice_alerts.documents as documents_code
from practice_alerts import __version__
from practice_alerts.documents.template_set import TemplateSet
from practice_alerts.policies.schema import Policy

STAMP_NAME = ".templates-checked"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def templates_key(templates: TemplateSet, policy: Policy) -> str:
    digest = hashlib.sha256(__version__.encode())
    code = Path(documents_code.__file__ or ".").parent
    for folder in (*templates.folders, code):
        for path in _files(Path(folder)):
            info = path.stat()
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    digest.update(policy.model_dump_json().encode())
    return digest.hexdigest()


def already_checked(documents: Path, key: str) -> bool:
    try:
        return (documents / STAMP_NAME).read_text(encoding="ascii").strip() == key
    except (OSError, UnicodeDecodeError):
        return False


def remember_checked(documents: Path, key: str) -> None:
    try:
        (documents / STAMP_NAME).write_text(key + "\n", encoding="ascii")
    except OSError:
        pass  # the check simply runs again next time
