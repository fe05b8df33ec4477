"""LibreOffice opens what we make; PDF copies are made in the background and checked.

The real LibreOffice is called twice (about a second each); the failure and queueing cases
use small stand-in programs, because soffice exits 0 even when it made nothing.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from practice_alerts.documents import render, samples
from practice_alerts.documents.pdf import PdfConverter, PdfError, convert_with_soffice
from practice_alerts.policies.load import load_policy, policy_names

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


@pytest.mark.libreoffice
@needs_soffice
def test_libreoffice_opens_every_document_of_every_policy(tmp_path):
    """One LibreOffice run reads all of them back as text (one call: a cold start per file is slow)."""
    expected = {}
    for name in policy_names():
        for document, context in samples.all_contexts(load_policy(name)).items():
            path = tmp_path / f"{name}-{document}.docx"
            path.write_bytes(render.render_document(context).docx)
            expected[path.stem] = context
    out = tmp_path / "out"
    with tempfile.TemporaryDirectory(prefix="pa-lo-profile-") as profile:
        subprocess.run([shutil.which("soffice"), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                        "--norestore", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(out),
                        *map(str, sorted(tmp_path.glob("*.docx")))], capture_output=True, timeout=600, check=False)
    for stem, context in expected.items():
        made = out / f"{stem}.txt"
        assert made.is_file(), f"LibreOffice could not open {stem}.docx"
        text = made.read_text(encoding="utf-8-sig")
        assert context.alert.reference in text and samples.CHILD_NAME in text, stem
        assert "{{" not in text and "{%" not in text, stem


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


def test_a_hung_libreoffice_is_stopped_with_everything_it_started(tmp_path):
    """soffice starts soffice.bin, which outlives it: a time-out must end both, not orphan one."""
    pid_file = tmp_path / "child.pid"
    fake = fake_program(tmp_path, f'sleep 300 & echo $! > "{pid_file}"\nsleep 300')
    with PdfConverter(soffice=fake, timeout=1) as converter:
        with pytest.raises(PdfError, match="did not finish converting hung.docx within 1 s"):
            converter.submit(b"docx bytes", "hung.docx").result(timeout=60)
    child = int(pid_file.read_text())
    for _ in range(200):  # the kill is sent; wait (at most 10 s) for the process to be gone
        if _gone(child):
            break
        time.sleep(0.05)
    assert _gone(child)


def _gone(pid: int) -> bool:
    """No such process, or only a zombie waiting for a parent to collect it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


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
