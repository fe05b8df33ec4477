"""Optional PDF copies through LibreOffice, converted in the background so nothing waits for it.

LibreOffice takes about a second per cold conversion, so `PdfConverter.submit` only queues the
work and returns a Future; one worker thread converts one document at a time (LibreOffice
cannot share its profile between processes), each call with its own private profile folder
so it never collides with a LibreOffice a person has open.

`soffice` exits 0 even when it could not convert, so success is judged by the PDF existing
and starting with "%PDF". A warm converter (unoserver's `unoconvert`, about 0.1 s a call) is
used instead when the caller names it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


class PdfError(Exception):
    """A PDF copy could not be made. Operator-facing: says what was run and what came back."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _run(command: list[str], timeout: float, late: str) -> subprocess.CompletedProcess[str]:
    """Run a converter in its own process group; on time-out the whole group is killed, so no
    LibreOffice it started (soffice.bin outlives its launcher) is left behind holding files."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError(f"{late} within {timeout:.0f} s") from exc
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def convert_with_soffice(docx: Path, out_dir: Path, soffice: str, timeout: float = 120.0,
                         target: str = "pdf") -> Path:
    """Convert one file with a headless LibreOffice; returns the file made. Blocking."""
    with tempfile.TemporaryDirectory(prefix="pa-lo-profile-") as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--convert-to", target, "--outdir", str(out_dir), str(docx)]
        finished = _run(command, timeout, f"LibreOffice did not finish converting {docx.name}")
    made = out_dir / f"{docx.stem}.{target.split(':')[0]}"
    if not made.is_file() or made.stat().st_size == 0:
        raise PdfError(f"LibreOffice made no {made.suffix} from {docx.name} (exit {finished.returncode}): "
                       f"{(finished.stderr or finished.stdout).strip()[:300]}")
    return made


def convert_with_unoconvert(docx: Path, out_dir: Path, unoconvert: str, timeout: float = 60.0) -> Path:
    """Convert through a running unoserver (warm LibreOffice). Blocking."""
    made = out_dir / f"{docx.stem}.pdf"
    finished = _run([unoconvert, "--convert-to", "pdf", str(docx), str(made)], timeout,
                    f"unoconvert did not finish converting {docx.name}")
    if not made.is_file() or made.stat().st_size == 0:
        raise PdfError(f"unoconvert made no PDF from {docx.name} (exit {finished.returncode}): "
                       f"{(finished.stderr or finished.stdout).strip()[:300]}")
    return made


class PdfConverter:
    """Makes PDF copies one at a time on a background thread; `submit` never blocks.

    The Future gives the PDF's bytes, or raises PdfError. Call `close()` when the service stops.
    """

    def __init__(self, soffice: str | None = None, unoconvert: str | None = None, timeout: float = 120.0) -> None:
        self.soffice = soffice or soffice_path()
        self.unoconvert = unoconvert
        if self.soffice is None and self.unoconvert is None:
            raise PdfError("PDF copies are switched on but LibreOffice (soffice) is not installed; "
                           "install the Debian package libreoffice-writer-nogui or switch PDF copies off")
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf")

    def submit(self, docx: bytes, name: str = "document.docx") -> Future[bytes]:
        return self._pool.submit(self.convert, docx, name)

    def convert(self, docx: bytes, name: str = "document.docx") -> bytes:
        """Blocking conversion; `submit` runs this on the worker thread."""
        with tempfile.TemporaryDirectory(prefix="pa-pdf-") as work:
            source = Path(work) / (Path(name).stem.replace("/", "-") + ".docx")
            source.write_bytes(docx)
            out_dir = Path(work) / "out"
            out_dir.mkdir()
            if self.unoconvert:
                made = convert_with_unoconvert(source, out_dir, self.unoconvert, self.timeout)
            else:
                made = convert_with_soffice(source, out_dir, self.soffice, self.timeout)  # type: ignore[arg-type]
            data = made.read_bytes()
        if not data.startswith(b"%PDF"):
            raise PdfError(f"the file LibreOffice made from {name} is not a PDF")
        return data

    def close(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
