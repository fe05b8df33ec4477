"""Write one generated copy of every document, for every built-in policy, for people to look at.

    python -m tools.document_examples [FOLDER] [--pdf POLICY]    (from the repository root)

FOLDER defaults to examples/documents. Each policy gets a folder holding, for each document,
the Word file, the plain-text e-mail body and the HTML e-mail body; with --pdf, PDF copies of
one policy's documents are made too (needs LibreOffice). The alert is the sample in
`documents.samples`: invented people, and text that tests escaping on purpose.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from practice_alerts.documents import render, samples
from practice_alerts.documents.pdf import PdfConverter
from practice_alerts.policies.load import load_policy, policy_names

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "examples" / "documents"


def write_examples(folder: Path, pdf_policy: str | None = None) -> list[Path]:
    written = []
    converter = None
    if pdf_policy:
        converter = PdfConverter()
    pending = []
    for name in policy_names():
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        for document, context in samples.all_contexts(load_policy(name)).items():
            rendered = render.render_document(context)
            for suffix, data in ((".docx", rendered.docx), (".txt", rendered.text.encode("utf-8")),
                                 (".html", rendered.html.encode("utf-8"))):
                path = target / f"{document}{suffix}"
                path.write_bytes(data)
                written.append(path)
            if converter and name == pdf_policy:
                pending.append((target / f"{document}.pdf", converter.submit(rendered.docx, f"{document}.docx")))
    for path, future in pending:
        path.write_bytes(future.result())
        written.append(path)
    if converter:
        converter.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write example copies of every document.")
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER))
    parser.add_argument("--pdf", metavar="POLICY", help="also make PDF copies of this policy's documents")
    args = parser.parse_args(argv)
    for path in write_examples(Path(args.folder), args.pdf):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
