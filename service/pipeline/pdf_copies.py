"""PDF copies of the generated documents, made in the background and written when ready.

With ``documents.pdf: true`` every ``.docx`` the service writes under the documents folder gets
a ``.pdf`` next to it. LibreOffice is slow (about a second a document), so the conversion runs
on ``documents.pdf.PdfConverter``'s worker thread: ``request`` only queues it, and ``collect``
(called at the end of every pass, and on stop) writes the PDFs that are ready. The mail does
not wait for them: the .docx is what is attached. A PDF lost to a crash is made again at the
next start, because ``catch_up`` queues every .docx that has no PDF beside it.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from practice_alerts.documents.pdf import PdfConverter, PdfError


class PdfCopies:
    def __init__(self, converter: PdfConverter) -> None:
        self.converter = converter
        self._pending: dict[Path, Future[bytes]] = {}
        self.failed: list[tuple[Path, str]] = []
        """Documents whose PDF could not be made, with the reason (for the log)."""

    def request(self, docx_path: Path, docx: bytes) -> None:
        """Queue a PDF copy of ``docx`` (already written at ``docx_path``); returns at once."""
        if docx_path not in self._pending:
            self._pending[docx_path] = self.converter.submit(docx, docx_path.name)

    def catch_up(self, documents: Path) -> int:
        """Queue every .docx under ``documents`` without a PDF beside it; returns how many."""
        missing = [p for p in sorted(Path(documents).glob("*/*.docx")) if not p.with_suffix(".pdf").exists()]
        for path in missing:
            self.request(path, path.read_bytes())
        return len(missing)

    def collect(self) -> int:
        """Write the PDFs that are ready (atomically); returns how many were written."""
        written = 0
        for path, future in list(self._pending.items()):
            if not future.done():
                continue
            del self._pending[path]
            try:
                data = future.result()
            except PdfError as exc:
                self.failed.append((path, str(exc)))
                continue
            target = path.with_suffix(".pdf")
            tmp = target.with_suffix(".pdf.tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
            written += 1
        return written

    @property
    def waiting(self) -> int:
        return len(self._pending)

    def close(self) -> None:
        """Finish the queued conversions, write them, and stop the worker."""
        self.converter.close(wait=True)
        self.collect()
