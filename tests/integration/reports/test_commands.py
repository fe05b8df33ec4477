"""The commands read a real SQLite store written the way the service writes it."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest
import yaml
from openpyxl import load_workbook

from practice_alerts.cli import main
from practice_alerts.commands.reports import write_tracker
from practice_alerts.pipeline.writing import record_history
from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.history import fold_all
from practice_alerts.reports.load import histories_from_database
from practice_alerts.store import NewEvent, open_database, unit_of_work


@pytest.fixture(scope="module")
def store(histories, tmp_path_factory):
    """The known history, stored event by event (with a non-workflow note the reports pass over)."""
    path = tmp_path_factory.mktemp("db") / "alerts.db"
    database = open_database(path)
    now = dt.datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)
    for history in histories:
        with unit_of_work(database, now=now) as work:
            alert = work.create_alert()
            assert alert.reference == history.reference
            work.append_event(alert.reference, NewEvent(event_type="service_note", payload={"note": "x"}, occurred_at=now))
            record_history(work, alert.reference, history.events, history.records)
    yield path, database
    database.dispose()


@pytest.fixture(scope="module")
def policy_file(policy, tmp_path_factory):
    path = tmp_path_factory.mktemp("policy") / "rutland.yaml"
    path.write_text(yaml.safe_dump(policy.model_dump(mode="json"), sort_keys=False), encoding="utf-8")
    return path


def test_histories_read_back_from_the_store_equal_the_ones_written(store, histories):
    read, problems = histories_from_database(store[1])
    end = dt.datetime(2027, 1, 1, tzinfo=LONDON)
    assert problems == [] and fold_all(read, end) == fold_all(histories, end)
    early, _ = histories_from_database(store[1], records_after=dt.datetime(2026, 1, 1, tzinfo=LONDON))
    assert [(h.times, [dict(r) for r in h.records]) for h in early] == [
        (tuple(e.at for e in h.events), [r.model_dump(mode="json") for r in h.records]) for h in histories]


def test_report_quarterly_from_the_database(store, policy_file, tmp_path, capsys):
    code = main(["report", "quarterly", "--quarter", "2026-Q4", "--out", str(tmp_path), "--db", str(store[0]),
                 "--policy", str(policy_file)])
    assert code == 0
    assert "Wrote the 2026-Q4 report" in capsys.readouterr().out
    summary = {r[0]: r[1:] for r in load_workbook(tmp_path / "practice-alerts-2026-Q4-figures.xlsx")["Summary"].iter_rows(
        min_row=2, values_only=True)}
    assert summary["Alerts raised"] == (5, 6, -1) and summary["Overdue at quarter end"] == (1, 1, 0)
    assert (tmp_path / "practice-alerts-2026-Q4.docx").is_file() and (tmp_path / "charts" / "trend.png").is_file()


def test_tracker_from_the_database(store, policy_file, tmp_path, capsys):
    out = tmp_path / "tracker.xlsx"
    args = argparse.Namespace(out=str(out), csv=False, pseudonymise=True, db=str(store[0]), policy=str(policy_file))
    assert write_tracker(args, now=dt.datetime(2027, 1, 4, 9, 0, tzinfo=LONDON)) == 0
    assert "Wrote the tracker of 11 alerts" in capsys.readouterr().out
    rows = list(load_workbook(out)["Tracker"].iter_rows(values_only=True))
    assert len(rows) == 12 and rows[1][:2] == ("PA-2026-0001", "CH100201")


@pytest.fixture
def no_config(tmp_path, monkeypatch):
    """Run where there is no configuration file, and none named in the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRACTICE_ALERTS_CONFIG", raising=False)


@pytest.mark.usefixtures("no_config")
@pytest.mark.parametrize(("argv", "message"), [
    (["tracker", "--out", "t.xlsx"], "no policy was given, and there is no configuration file (practice-alerts.yaml)"),
    (["report", "quarterly", "--quarter", "2026-Q4", "--out", "r", "--policy", "rutland"],
     "no database was given, and there is no configuration file (practice-alerts.yaml)"),
    (["report", "quarterly", "--quarter", "2026-Q5", "--out", "r"], "write it like 2026-Q4"),
    (["tracker", "--out", "t.csv"], "give a file ending in .xlsx (or add --csv"),
])
def test_plain_errors_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.usefixtures("no_config")
def test_tracker_without_a_policy_says_what_to_give(capsys):
    args = argparse.Namespace(out="t.xlsx", csv=False, pseudonymise=False, db=None, policy=None)
    assert write_tracker(args) == 2
    assert "give it with --policy NAME" in capsys.readouterr().err


def test_a_missing_database_file_is_named(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    assert main(["report", "quarterly", "--quarter", "2026-Q4", "--out", str(tmp_path), "--db", str(missing),
                 "--policy", "rutland"]) == 2
    assert f"There is no database file at {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_a_file_that_is_not_our_database_is_said_plainly(tmp_path, capsys):
    other = tmp_path / "other.db"
    other.write_bytes(b"")
    assert main(["report", "quarterly", "--quarter", "2026-Q4", "--out", str(tmp_path), "--db", str(other),
                 "--policy", "rutland"]) == 2
    assert "cannot be read as a Practice Alerts database" in capsys.readouterr().err


def test_the_configuration_file_names_the_database_and_policy(store, policy_file, tmp_path, monkeypatch, capsys):
    assert main(["init", str(tmp_path / "service")]) == 0
    config = tmp_path / "service" / "practice-alerts.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("policy: rutland", f"policy: {policy_file}").replace(
        "database: data/practice-alerts.db", f"database: {store[0]}")
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PRACTICE_ALERTS_CONFIG", str(config))
    capsys.readouterr()
    out = tmp_path / "tracker.csv"
    args = argparse.Namespace(out=str(out), csv=True, pseudonymise=False, db=None, policy=None)
    assert write_tracker(args, now=dt.datetime(2027, 1, 4, 9, 0, tzinfo=LONDON)) == 0
    assert "Wrote the tracker of 11 alerts" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8-sig").count("PA-2026-") == 11


def test_a_broken_configuration_file_is_named(tmp_path, monkeypatch, capsys):
    config = tmp_path / "practice-alerts.yaml"
    config.write_text("policy: rutland\n", encoding="utf-8")
    monkeypatch.setenv("PRACTICE_ALERTS_CONFIG", str(config))
    assert main(["tracker", "--out", str(tmp_path / "t.xlsx"), "--policy", "rutland"]) == 2
    err = capsys.readouterr().err
    assert "No --db was given, and the configuration file cannot be used" in err and str(config) in err


def test_the_quarterly_report_from_the_configuration_says_whom_it_is_for(store, policy_file, tmp_path, monkeypatch,
                                                                        capsys):
    assert main(["init", str(tmp_path / "service")]) == 0
    config = tmp_path / "service" / "practice-alerts.yaml"
    text = config.read_text(encoding="utf-8").replace("database: data/practice-alerts.db", f"database: {store[0]}")
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PRACTICE_ALERTS_CONFIG", str(config))
    capsys.readouterr()
    assert main(["report", "quarterly", "--quarter", "2026-Q4", "--out", str(tmp_path / "out"),
                 "--policy", str(policy_file)]) == 0
    out = capsys.readouterr().out
    assert "Wrote the 2026-Q4 report" in out and "It is for: qa.service@example.gov.uk." in out
