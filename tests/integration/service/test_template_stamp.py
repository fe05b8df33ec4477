"""The templates are trial-rendered once per change, not at every start; a change is still caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from practice_alerts.commands.demo import prepare
from practice_alerts.config import load_config
from practice_alerts.documents import checks
from practice_alerts.documents.template_set import BUILT_IN
from practice_alerts.pipeline.context import StartupError, open_service

ENV = {"PRACTICE_ALERTS_SECRET": "template-stamp-test-key-0123456789"}


def test_the_check_runs_once_until_a_template_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file = prepare(tmp_path / "svc")
    calls: list[int] = []
    real = checks.ensure_templates_ok

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(checks, "ensure_templates_ok", counting)  # open_service imports it from there when it checks
    assert not any(p.name.startswith(".") for p in (tmp_path / "svc" / "documents").rglob("*"))
    config = load_config(config_file, ENV)
    open_service(config, ENV).close()
    open_service(config, ENV).close()
    assert len(calls) == 1  # the second start trusted the stamp
    assert list((tmp_path / "svc" / "documents").iterdir()) == []  # kept in the database, not among the documents

    own = tmp_path / "svc" / "templates"
    own.mkdir()
    letter = BUILT_IN / "stage_letter.txt"
    (own / letter.name).write_text("{{ child_name }}\n" + letter.read_text())
    config_file.write_text(config_file.read_text() + "\ntemplates: templates\n")
    with pytest.raises(StartupError, match="child_name"):
        open_service(load_config(config_file, ENV), ENV)
    assert len(calls) == 2
    shutil.rmtree(own)
