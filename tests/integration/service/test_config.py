"""The configuration file: paths, secrets from the environment, and errors that name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from practice_alerts.config import ConfigError, config_path, load_config
from practice_alerts.starter import starter_text

SECRET = {"PRACTICE_ALERTS_SECRET": "x" * 20}


def _write(tmp_path: Path, text: str, name: str = "practice-alerts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_starter_loads_with_paths_relative_to_the_file(tmp_path):
    config = load_config(_write(tmp_path, starter_text()), SECRET)
    assert config.policy == "rutland"
    assert config.directory == (tmp_path / "directory.yaml").resolve()
    assert config.database == str((tmp_path / "data" / "practice-alerts.db").resolve())
    assert config.transport.path == (tmp_path / "mail").resolve()
    assert config.secret == b"x" * 20 and config.marking == "OFFICIAL-SENSITIVE"
    assert config.own_addresses == ("practice.alerts@example.gov.uk",)


def test_toml_works_the_same(tmp_path):
    text = """policy = "west_sussex"\ndirectory = "d.yaml"\ndatabase = "postgresql://pa@db/pa"\ncut_off = "16:00:00"\n
[transport]\nkind = "maildir"\npath = "m"\n[mail]\nshared_mailbox = "pa@example.gov.uk"\n"""
    config = load_config(_write(tmp_path, text, "practice-alerts.toml"), SECRET)
    assert config.database == "postgresql://pa@db/pa" and config.cut_off.hour == 16
    assert config.documents == (tmp_path / "documents").resolve()


def test_every_problem_is_listed_naming_its_setting(tmp_path):
    text = starter_text().replace("shared_mailbox: practice.alerts@example.gov.uk", "shared_mailbox: nobody") \
        .replace("poll_seconds: 60", "poll_seconds: -1").replace("policy: rutland\n", "")
    with pytest.raises(ConfigError) as error:
        load_config(_write(tmp_path, text), {})
    message = str(error.value)
    for setting in ("policy: is required", "mail.shared_mailbox", "service.poll_seconds", "PRACTICE_ALERTS_SECRET"):
        assert setting in message
    assert message.count("practice-alerts.yaml:") == len(error.value.problems) >= 4


def test_a_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(ConfigError, match="practice-alerts init DIR"):
        load_config(tmp_path / "nope.yaml", SECRET)


def test_where_the_file_is_looked_for():
    assert config_path("a.yaml", {"PRACTICE_ALERTS_CONFIG": "b.yaml"}) == Path("a.yaml")
    assert config_path(None, {"PRACTICE_ALERTS_CONFIG": "b.yaml"}) == Path("b.yaml")
    assert config_path(None, {}) == Path("practice-alerts.yaml")


def test_documents_may_be_a_section_with_pdf_copies(tmp_path):
    import yaml

    from practice_alerts.commands.demo import prepare

    config_file = prepare(tmp_path / "svc", "rutland")
    env = {"PRACTICE_ALERTS_SECRET": "config-test-key-0123456789"}
    assert load_config(config_file, env).documents_pdf is False
    data = yaml.safe_load(config_file.read_text())
    data["documents"] = {"path": "letters", "pdf": True}
    config_file.write_text(yaml.safe_dump(data))
    config = load_config(config_file, env)
    assert config.documents_pdf is True and config.documents == (tmp_path / "svc" / "letters").resolve()
    data["documents"] = {"path": "letters", "pdf": "sometimes", "colour": "blue"}
    config_file.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError) as problem:
        load_config(config_file, env)
    assert "documents.colour: is not a setting (check its spelling)" in str(problem.value)
    assert "documents.pdf: Input should be a valid boolean" in str(problem.value)


def test_a_secret_written_into_the_file_is_refused_and_never_echoed(tmp_path):
    text = starter_text() + "secret: not-here-0123456789abcdef\n"
    text = text.replace("  kind: maildir\n", "  kind: maildir\n  relay: {host: smtp.example.gov.uk, password: hunter2}\n")
    with pytest.raises(ConfigError) as error:
        load_config(_write(tmp_path, text), SECRET)
    assert sorted(error.value.problems) == [
        "secret: secrets are never read from this file; set the environment variable PRACTICE_ALERTS_SECRET",
        "transport.relay.password: secrets are never read from this file; name an environment variable instead "
        "(password_env: A_VARIABLE_NAME)"]
    assert "hunter2" not in str(error.value) and "not-here" not in str(error.value)


def test_the_file_cannot_set_where_it_came_from(tmp_path):
    with pytest.raises(ConfigError, match="source: is not a setting"):
        load_config(_write(tmp_path, starter_text() + "source: /elsewhere.yaml\n"), SECRET)


@pytest.mark.parametrize(("change", "named"), [
    (("policy: rutland", "policy: nowhere"), "policy: "),
    (('# cut_off: "17:00"', 'cut_off: "25:00"'), "cut_off: "),
    (("  kind: maildir", "  kind: pigeon"), "transport: "),
    (("marking: OFFICIAL-SENSITIVE", "marking: [1, 2]"), "marking: "),
    (("  lease_seconds: 180", "  lease_seconds: soon"), "service.lease_seconds: "),
    (("policy: rutland", "policx: rutland"), "policx: is not a setting"),
])
def test_broken_settings_are_named(tmp_path, change, named):
    from practice_alerts.pipeline.context import StartupError, open_service

    text = starter_text().replace(*change, 1)
    assert text != starter_text()
    try:
        open_service(load_config(_write(tmp_path, text), SECRET), SECRET, check_templates=False).close()
    except (ConfigError, StartupError) as exc:
        assert named in str(exc)
    else:
        pytest.fail(f"{change} was accepted")
