"""``backup`` then ``restore``: the alerts, their chronology and every document come back as they were."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
import tarfile
from pathlib import Path

from .conftest import alert_mail, cli, drop


def _documents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_backup_restores_the_database_and_the_documents(service: Path, tmp_path: Path) -> None:
    drop(service.parent, alert_mail("<backup-1@example.gov.uk>", dt.datetime.now(dt.timezone.utc)), 1)
    assert cli("run", "--once", "--config", str(service)).returncode == 0
    documents = service.parent / "documents"
    before = _documents(documents)
    assert before, "the pass made no documents"
    reference = sorted(before)[0].split("/")[0]
    chronology = cli("alert", "show", reference, "--config", str(service)).stdout
    assert "Practice alert raised" in chronology

    archive = tmp_path / "backups" / "pa.tar.gz"
    made = cli("backup", "--out", str(archive), "--config", str(service))
    assert made.returncode == 0, made.stderr
    assert f"the database and {len(before)} document(s)" in made.stdout
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "database.sqlite3", "config/practice-alerts.yaml", "config/directory.yaml"} <= set(names)

    database = service.parent / "data" / "practice-alerts.db"
    database.unlink()
    shutil.rmtree(documents)
    restored = cli("restore", str(archive), "--config", str(service))
    assert restored.returncode == 0, restored.stderr  # nothing there: no --force needed
    assert _documents(documents) == before
    assert cli("alert", "show", reference, "--config", str(service)).stdout == chronology
    again = cli("restore", str(archive), "--config", str(service))
    assert again.returncode == 1 and "--force" in again.stderr
    forced = cli("restore", str(archive), "--config", str(service), "--force")
    assert forced.returncode == 0 and Path(f"{database}.before-restore").exists()


def test_a_damaged_archive_changes_nothing(service: Path, tmp_path: Path) -> None:
    assert cli("run", "--once", "--config", str(service)).returncode == 0
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        tar.add(service, arcname="../escape.yaml")
    done = cli("restore", str(bad), "--config", str(service), "--force")
    assert done.returncode == 1 and "unsafe entry" in done.stderr
    assert (service.parent / "data" / "practice-alerts.db").exists()


def test_postgresql_is_backed_up_with_pg_dump(service: Path, tmp_path: Path) -> None:
    service.write_text(service.read_text().replace("database: data/practice-alerts.db",
                                                   "database: postgresql://pa:secret@db.example:5432/alerts"))
    done = cli("backup", "--out", str(tmp_path / "pa.tar.gz"), "--config", str(service))
    assert done.returncode == 0, done.stderr
    assert f"pg_dump --format=custom --file={tmp_path / 'pa.pgdump'} postgresql://pa@db.example:5432/alerts" in done.stdout
    assert "secret" not in done.stdout.replace("council's secrets", "")
