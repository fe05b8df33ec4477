"""LibreOffice opens what we make; PDF copies are made in the background and checked.

The real LibreOffice is called twice (about a second each); the failure and queueing cases
use small stand-in programs, because soffice exits 0 even when it made nothing.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from practice_alerts.documents import render, samples
from practice_alerts.documents.pdf import PdfConverter, PdfError, convert_with_soffice
from practice_alerts.policies.load import load_policy

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")


@pytest.fixture(scope="module")
def referral():
    return render.cafcass_referral(samples.cafcass_referral(load_policy("rutland")))


@pytest.mark.libreoffice
@needs_soffice
def test_libreoffice_opens_the_cafcass_referral_and_reads_its_text(referral, tmp_path):
    source = tmp_path / "referral.docx"
    source.write_bytes(referral.docx)
    made = convert_with_soffice(source, tmp_path, shutil.which("soffice"), target="txt:Text (encoded):UTF8")
    text = made.read_text(encoding="utf-8-sig")
    assert "Referral to CAFCASS: Siân Llŷr" in text
    assert "drift & delay <urgent>" in text  # in the chronology table
    assert "Zoë O'Neill-Ðorđević" in text


@pytest.mark.libreoffice
@needs_soffice
def test_a_pdf_copy_comes_back_from_the_background_worker(referral):
    with PdfConverter() as converter:
        future = converter.submit(referral.docx, referral.filename)
        pdf = future.result(timeout=180)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def fake_program(folder: Path, body: str) -> str:
    path = folder / "fake-soffice"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_soffice_exiting_0_without_making_a_pdf_is_an_error(tmp_path):
    fake = fake_program(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 0")
    with PdfConverter(soffice=fake) as converter:
        future = converter.submit(b"not a document", "broken.docx")
        with pytest.raises(PdfError, match="made no .pdf from broken.docx .exit 0.: Error: source file could not be loaded"):
            future.result(timeout=30)


def test_submit_returns_before_the_conversion_finishes(tmp_path):
    gate = tmp_path / "go"
    # waits until the test opens the gate, then writes a PDF where soffice would
    fake = fake_program(tmp_path, f'while [ ! -e "{gate}" ]; do sleep 0.02; done\n'
                                  'for last; do :; done\n'
                                  'out=""; prev=""; for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done\n'
                                  'name=$(basename "$last" .docx); printf "%%PDF-1.7 fake" > "$out/$name.pdf"')
    with PdfConverter(soffice=fake) as converter:
        future = converter.submit(b"docx bytes", "letter.docx")
        assert not future.done()
        gate.touch()
        assert future.result(timeout=30) == b"%PDF-1.7 fake"


def test_no_libreoffice_is_an_operator_error_naming_the_package(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(PdfError, match="libreoffice-writer-nogui"):
        PdfConverter()
