"""Issue 12, point 6: files and folders holding personal data are created owner-only, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .hostile import good_form


def _loose(root: Path) -> list[str]:
    found = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            found.append(f"{path.relative_to(root.parent)} {oct(mode)}")
    return found


def test_database_wal_letters_and_mail_are_owner_only(tmp_path, harness) -> None:
    before = os.umask(0o022)
    try:
        h = harness("rutland")
        h.drop(good_form(h, "<form-modes@example.gov.uk>"))
        h.run()
        assert list((h.folder / "documents").rglob("*.docx")), "a letter was written"
        database = h.folder / "data" / "practice-alerts.db"
        for name in (database, Path(f"{database}-wal")):
            assert stat.S_IMODE(name.stat().st_mode) == 0o600, name
        assert _loose(h.folder / "documents") == []
        assert _loose(h.folder / "mail" / ".sent") == []
    finally:
        os.umask(before)
