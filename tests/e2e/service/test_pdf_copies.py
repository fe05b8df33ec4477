"""``documents.pdf: true``: a PDF copy beside every document, made by the real LibreOffice in the
background; without LibreOffice the service refuses to start and names the setting."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from practice_alerts import demo_mail
from practice_alerts.config import load_config
from practice_alerts.pipeline.context import StartupError, open_service
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.runloop import Runner

from .conftest import MAILBOX

IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
T0 = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)


def _switch_pdf_on(h) -> None:
    h.ctx.close()
    data = yaml.safe_load(h.config_file.read_text())
    data["documents"] = {"path": data.get("documents", "documents"), "pdf": True}
    h.config_file.write_text(yaml.safe_dump(data))


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice (soffice) is not installed; PDF copies need it")
def test_every_document_gets_a_pdf_copy_beside_it(harness):
    h = harness("rutland")
    _switch_pdf_on(h)
    h.ctx = open_service(load_config(h.config_file, h.environ), h.environ)
    assert h.ctx.config.documents_pdf and h.ctx.pdf is not None
    h.runner = Runner(h.ctx, clock=lambda: h.now, log=JsonLog(quiet=True))
    form = demo_mail.filled_form(h.ctx.policy, demo_mail.form_values(
        h.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None, raised=T0.date()))
    h.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=T0, message_id="<pdf-1@example.gov.uk>"))
    report = h.run()
    assert report.sent >= 2  # the mail went out without waiting for LibreOffice
    h.ctx.close()  # finishes the queued conversions and writes them
    folder = h.ctx.config.documents / "PA-2026-0001"
    documents = sorted(folder.glob("*.docx"))
    assert documents
    for docx in documents:
        pdf = docx.with_suffix(".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), f"no PDF copy of {docx.name}: {h.ctx.pdf.failed}"

    # A PDF lost (a crash before it was written) is made again at the next start.
    documents[0].with_suffix(".pdf").unlink()
    h.ctx = open_service(load_config(h.config_file, h.environ), h.environ)
    assert Runner(h.ctx, clock=lambda: h.now, log=JsonLog(quiet=True), holder=h.runner.holder).one_pass().leader
    h.ctx.close()
    assert documents[0].with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_without_libreoffice_the_service_does_not_start_and_names_the_setting(harness, tmp_path, monkeypatch):
    h = harness("rutland")
    _switch_pdf_on(h)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no soffice to be found
    with pytest.raises(StartupError, match=r"documents\.pdf: .*LibreOffice"):
        open_service(load_config(h.config_file, h.environ), h.environ)
