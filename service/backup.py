"""``backup`` and ``restore``: the database (SQLite) and the documents folder in one archive.

The archive (a .tar.gz, readable only by its owner) holds::

    manifest.json            when, which version, what is inside
    database.sqlite3         a consistent online copy of the SQLite database (not for PostgreSQL)
    documents/...            every generated letter and form, as kept by the service
    config/...               the configuration and directory files (they hold no secrets)

For PostgreSQL the database is dumped with the server's own ``pg_dump``: the archive then holds
the documents and configuration, and the command says what to run for the database. The signing
key and the mail passwords are never in the archive: keep them with the council's secrets.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from practice_alerts import __version__
from practice_alerts.config import Config
from practice_alerts.store import (
    backup_sqlite,
    check_sqlite_copy,
    pg_dump_command,
    pg_restore_command,
    sqlite_file,
)

DATABASE_MEMBER = "database.sqlite3"


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why and what to do."""


@dataclass
class BackupReport:
    archive: Path
    documents: int = 0
    database: bool = False
    instructions: list[str] = field(default_factory=list)


def make_backup(config: Config, out: Path) -> BackupReport:
    report = BackupReport(archive=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    db_file = sqlite_file(config.database)
    with tempfile.TemporaryDirectory(prefix="pa-backup-") as work:
        manifest: dict[str, object] = {"made_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "version": __version__, "database": "sqlite" if db_file else "postgresql"}
        partial = out.with_name(out.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            if db_file is not None:
                copy = Path(work) / DATABASE_MEMBER
                backup_sqlite(config.database, copy)
                tar.add(copy, arcname=DATABASE_MEMBER)
                report.database = True
            else:
                dump = str(out.with_suffix("").with_suffix(".pgdump"))
                report.instructions.append("Back up the PostgreSQL database with the server's own tool, e.g.:\n  "
                                           + " ".join(_shell(a) for a in pg_dump_command(config.database, dump)))
            documents = Path(config.documents)
            if documents.is_dir():
                for path in sorted(documents.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=f"documents/{path.relative_to(documents).as_posix()}")
                        report.documents += 1
            for kept in (config.source, config.directory):
                if kept is not None and Path(kept).is_file():
                    tar.add(kept, arcname=f"config/{Path(kept).name}")
            manifest["documents"] = report.documents
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, out)
    return report


def _shell(arg: str) -> str:
    return f"'{arg}'" if any(c in arg for c in " &?;$") else arg


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for member in members:
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"The archive holds an unsafe entry ({member.name!r}); it was not made by "
                              "'practice-alerts backup'. Nothing was restored.")
    return members


def restore_backup(config: Config, archive: Path, *, force: bool = False) -> BackupReport:
    """Put the database and documents from ``archive`` back where ``config`` keeps them.

    Refuses to replace existing data without ``force``; what is replaced is kept beside it
    (``.before-restore``), so a mistaken restore can be undone. Stop the service first.
    """
    report = BackupReport(archive=archive)
    if not archive.is_file():
        raise BackupError(f"There is no backup file {archive}.")
    db_file = sqlite_file(config.database)
    documents = Path(config.documents)
    with tempfile.TemporaryDirectory(prefix="pa-restore-") as work, tarfile.open(archive, "r:gz") as tar:
        members = _safe_members(tar)
        names = {m.name for m in members}
        if "manifest.json" not in names:
            raise BackupError(f"{archive} is not a Practice Alerts backup (it has no manifest.json).")
        tar.extractall(work, members=members)
        unpacked = Path(work)
        existing = [p for p in ((db_file,) if db_file else ()) if p is not None and p.exists()]
        if documents.is_dir() and any(documents.iterdir()):
            existing.append(documents)
        if existing and not force:
            raise BackupError("There is data already: " + ", ".join(str(p) for p in existing) + ". Stop the service, "
                              "then run restore again with --force (what is there now is kept as .before-restore).")
        if DATABASE_MEMBER in names:
            if db_file is None:
                raise BackupError("The backup holds a SQLite database but the configuration names PostgreSQL; "
                                  "restore it into a SQLite setting, or migrate the data separately.")
            problem = check_sqlite_copy(unpacked / DATABASE_MEMBER)
            if problem:
                raise BackupError(f"The database in {archive} cannot be used: {problem}. Nothing was restored.")
            db_file.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                old = Path(f"{db_file}{suffix}")
                if old.exists():
                    os.replace(old, f"{old}.before-restore")
            shutil.copyfile(unpacked / DATABASE_MEMBER, db_file)
            os.chmod(db_file, 0o600)
            report.database = True
        elif db_file is None:
            dump = archive.with_suffix("").with_suffix(".pgdump")
            report.instructions.append("Restore the PostgreSQL database with the server's own tool, e.g.:\n  "
                                       + " ".join(_shell(a) for a in pg_restore_command(config.database, str(dump))))
        if (unpacked / "documents").is_dir():
            if documents.exists():
                before = documents.with_name(documents.name + ".before-restore")
                shutil.rmtree(before, ignore_errors=True)
                os.replace(documents, before)
            shutil.copytree(unpacked / "documents", documents)
            report.documents = sum(1 for p in documents.rglob("*") if p.is_file())
        else:
            documents.mkdir(parents=True, exist_ok=True)
    return report
