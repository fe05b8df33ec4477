"""``practice-alerts check``: every part tested, one sentence per problem, naming what to fix."""

from __future__ import annotations

import socket
from pathlib import Path

from .conftest import cli


def test_a_new_installation_is_ready(service: Path) -> None:
    done = cli("check", "--config", str(service))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "ok       configuration", "ok       signing key", "ok       policy and directory", "ok       letter templates",
        "ok       database", "ok       documents folder", "ok       mailbox"]
    assert lines[-1] == "Ready to run."
    assert not (service.parent / "data" / "practice-alerts.db").exists()  # check creates nothing
    assert cli("run", "--once", "--config", str(service)).returncode == 0
    after = cli("check", "--config", str(service))
    assert after.returncode == 0 and "is reachable, migrated and writable" in after.stdout


def test_each_problem_is_one_sentence_naming_the_part(service: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    directory = service.parent / "directory.yaml"
    directory.write_text(directory.read_text().replace("head_of_service, ", ""))
    text = service.read_text().replace("database: data/practice-alerts.db",
                                       f"database: postgresql://pa:s3cret@127.0.0.1:{port}/pa")
    service.write_text(text.replace("path: mail", "path: no-such-mail"))
    done = cli("check", "--config", str(service), env_extra={"PRACTICE_ALERTS_SECRET": "short"})
    assert done.returncode == 1
    problems = [line for line in done.stdout.splitlines() if line.startswith("PROBLEM")]
    parts = [line.split(":")[0].removeprefix("PROBLEM  ") for line in problems]
    assert parts == ["signing key", "policy and directory", "database", "mailbox"], done.stdout
    assert "PRACTICE_ALERTS_SECRET must hold the Message-ID signing key" in problems[0]
    assert "nobody in the directory holds the role head_of_service" in problems[1]
    assert f"Cannot reach the database postgresql+psycopg://pa:***@127.0.0.1:{port}/pa" in problems[2]
    assert "s3cret" not in done.stdout
    assert "there is no Maildir folder" in problems[3] and "no-such-mail" in problems[3]
    assert done.stdout.splitlines()[-1] == "4 problem(s) to fix before the service can run."


def test_an_unreadable_configuration_is_named(tmp_path: Path) -> None:
    done = cli("check", "--config", str(tmp_path / "missing.yaml"))
    assert done.returncode == 1
    assert done.stdout.startswith(f"PROBLEM  configuration: {tmp_path / 'missing.yaml'}: no such file")
