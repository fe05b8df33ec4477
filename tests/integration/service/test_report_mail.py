"""The quarterly report e-mailed: composed into the outbox, sent by the next pass, once."""

from __future__ import annotations

import datetime as dt
import io
from email.parser import BytesParser
from email.policy import default

import docx
import pytest

from practice_alerts.commands.demo import prepare
from practice_alerts.config import load_config
from practice_alerts.pipeline.context import open_service
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.policies.load import load_policy
from practice_alerts.report_mail import ReportMailError, enqueue_quarterly_report
from practice_alerts.reports.periods import Quarter
from practice_alerts.reports.recipients import report_recipients
from practice_alerts.runloop import Runner

ENV = {"PRACTICE_ALERTS_SECRET": "report-mail-test-key-0123456789"}
NOW = dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


def _report_files(folder):
    document = docx.Document()
    document.add_paragraph("Practice alerts report 2026-Q4")
    word = folder / "practice-alerts-2026-Q4.docx"
    document.save(word)
    figures = folder / "practice-alerts-2026-Q4-figures.xlsx"
    figures.write_bytes(b"PK\x03\x04 not really a workbook, but bytes to carry")
    return [word, figures]


def test_the_report_goes_to_its_recipients_with_its_files_once(tmp_path):
    config = load_config(prepare(tmp_path / "svc", "rutland"), ENV)
    files = _report_files(tmp_path)
    first = enqueue_quarterly_report(config, Quarter.parse("2026-Q4"), files, NOW, environ=ENV)
    again = enqueue_quarterly_report(config, Quarter.parse("2026-Q4"), files, NOW, environ=ENV)
    assert again.message_id == first.message_id

    ctx = open_service(config, ENV)
    try:
        expected, _ = report_recipients(load_policy("rutland"), ctx.directory)
        assert list(first.recipients) == expected and expected
        with ctx.database.reading() as reads:
            rows = [(m.message_id, m.purpose) for m in reads.outbox_items()]
        assert rows == [(first.message_id, "quarterly_report")]
        assert Runner(ctx, clock=lambda: NOW, log=JsonLog(quiet=True)).one_pass().sent == 1
    finally:
        ctx.close()
    (sent,) = [BytesParser(policy=default).parsebytes(p.read_bytes())
               for p in (tmp_path / "svc" / "mail" / ".sent" / "cur").iterdir()]
    assert str(sent["Subject"]) == "OFFICIAL-SENSITIVE: Practice alerts report 2026-Q4"
    assert sorted(a.addr_spec for a in sent["To"].addresses) == sorted(expected)
    attached = {part.get_filename(): part.get_content() for part in sent.iter_attachments()}
    assert attached[files[1].name] == files[1].read_bytes()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(attached[files[0].name])).paragraphs)
    assert "Practice alerts report 2026-Q4" in text
    assert "01/10/2026 to 31/12/2026" in sent.get_body(("plain",)).get_content()


def test_a_missing_file_is_named(tmp_path):
    config = load_config(prepare(tmp_path / "svc", "rutland"), ENV)
    with pytest.raises(ReportMailError, match="nope.docx"):
        enqueue_quarterly_report(config, Quarter.parse("2026-Q4"), [tmp_path / "nope.docx"], NOW, environ=ENV)


def test_report_quarterly_with_email_writes_the_report_and_queues_it(tmp_path, monkeypatch, capsys):
    from practice_alerts.cli import main

    config_file = prepare(tmp_path / "svc", "rutland")
    open_service(load_config(config_file, ENV), ENV).close()  # the service's first start makes the database
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    code = main(["report", "quarterly", "--quarter", "2026-Q4", "--out", str(tmp_path / "out"),
                 "--config", str(config_file), "--email"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "E-mailed (queued for the next run) to:" in out
    assert (tmp_path / "out" / "practice-alerts-2026-Q4.docx").is_file()
    config = load_config(config_file, ENV)
    ctx = open_service(config, ENV)
    try:
        with ctx.database.reading() as reads:
            purposes = [m.purpose for m in reads.outbox_items()]
    finally:
        ctx.close()
    assert purposes == ["quarterly_report"]


def test_report_quarterly_email_without_configuration_says_what_to_give(tmp_path, monkeypatch, capsys):
    from practice_alerts.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRACTICE_ALERTS_CONFIG", raising=False)
    code = main(["report", "quarterly", "--quarter", "2026-Q4", "--out", str(tmp_path / "out"),
                 "--db", str(tmp_path / "none.db"), "--policy", "rutland", "--email"])
    assert code == 2
    assert "--email needs the service's configuration file" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
