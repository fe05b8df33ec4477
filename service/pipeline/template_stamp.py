"""The templates' start-up check, done once per change rather than at every start.

Trial-rendering every letter takes seconds; with ``run --once`` from a timer that was paid on
every pass. After a clean check the database remembers (a row of the lease table, as the last
poll's time is kept) a digest of what the check depended on: every template file (name, size,
modification time), the policy, and the code that renders them. The check runs again whenever
any of these changes, or on a database that has not seen these templates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import practice_alerts.documents as documents_code
from practice_alerts import __version__
from practice_alerts.documents.template_set import TemplateSet
from practice_alerts.policies.schema import Policy
from practice_alerts.store import Database, unit_of_work

STAMP = "templates-checked"


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


def check_templates_once(templates: TemplateSet, policy: Policy, database: Database,
                         check: Callable[[TemplateSet, Policy], None]) -> None:
    """Run ``check`` (which raises on a problem) unless these very templates passed it before."""
    key = templates_key(templates, policy)
    with database.reading() as reads:
        stamp = reads.current_lease(STAMP)
    if stamp is not None and stamp.holder == key:
        return
    check(templates, policy)
    now = dt.datetime.now(dt.timezone.utc)
    with unit_of_work(database, now=now) as work:  # a zero-length lease: anyone may replace it
        work.acquire_lease(name=STAMP, holder=key, ttl=dt.timedelta(0))
