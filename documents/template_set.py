"""Where the templates come from: an authority's own folder first, then the built-in ones.

An authority points the configuration at a folder holding any of the files below (its
letterhead, logo and wording); a file it does not provide falls back to the built-in one.
For each document NAME the set uses `NAME.docx` (the Word document), `NAME.txt` (the plain
e-mail body) and `NAME.html` (the HTML e-mail body). Text templates may `{% extends %}` or
`{% import %}` the built-in `_macros.txt` / `_macros.html`.

Nothing is compiled, and Jinja and the Word engine are not even imported, until a document is
first needed: a read-only command opens the service with a set it never renders from.
"""

from __future__ import annotations

import threading
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from practice_alerts.documents.problems import TemplateProblem

if TYPE_CHECKING:
    from jinja2 import Environment, Template

    from practice_alerts.documents.engine import CompiledDocx

BUILT_IN = Path(__file__).resolve().parent.parent / "templates" / "letters"


class DocumentKind(StrEnum):
    STAGE_LETTER = "stage_letter"
    ACKNOWLEDGEMENT = "acknowledgement"
    DECISION_REQUEST = "decision_request"
    EXTERNAL_AGENCY_LETTER = "external_agency_letter"
    CAFCASS_REFERRAL = "cafcass_referral"
    CASE_NOTE = "case_note"
    CLOSURE = "closure"


FORMATS = ("docx", "txt", "html")


class TemplateSet:
    """The templates of one authority; compiled on first use and kept, safe to share between threads."""

    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = Path(folder) if folder else None
        if self.folder is not None and not self.folder.is_dir():
            raise TemplateProblem(
                f"the templates folder {self.folder} does not exist; fix the 'templates' setting or create it"
            )
        self.folders = [self.folder, BUILT_IN] if self.folder else [BUILT_IN]
        self._envs: tuple[Environment, Environment] | None = None
        self._docx: dict[DocumentKind, CompiledDocx] = {}
        self._lock = threading.Lock()

    def _environments(self) -> tuple[Environment, Environment]:
        """The plain-text and HTML Jinja environments, made on first use (one pair per set)."""
        with self._lock:
            if self._envs is None:
                from jinja2 import FileSystemLoader  # noqa: PLC0415 - Jinja loads when a document is first needed

                from practice_alerts.documents.engine import text_environment  # noqa: PLC0415 - the Word engine (docxtpl) loads with Jinja, when first needed

                loader = FileSystemLoader([str(f) for f in self.folders])
                self._envs = (text_environment(loader, html=False), text_environment(loader, html=True))
            return self._envs

    @property
    def text_env(self) -> Environment:
        return self._environments()[0]

    @property
    def html_env(self) -> Environment:
        return self._environments()[1]

    def path(self, kind: DocumentKind, fmt: str) -> Path:
        """The file used for this document and format (the authority's own, else the built-in one)."""
        for folder in self.folders:
            candidate = folder / f"{kind.value}.{fmt}"
            if candidate.is_file():
                return candidate
        raise TemplateProblem(f"no {kind.value}.{fmt} template in {', '.join(map(str, self.folders))}")

    def docx(self, kind: DocumentKind) -> CompiledDocx:
        with self._lock:
            compiled = self._docx.get(kind)
            if compiled is None:
                from practice_alerts.documents.engine import CompiledDocx  # noqa: PLC0415 - the Word engine loads on first use

                path = self.path(kind, "docx")
                compiled = self._docx[kind] = CompiledDocx(str(path), path.read_bytes())
            return compiled

    def text(self, kind: DocumentKind, html: bool = False) -> Template:
        from jinja2 import TemplateNotFound  # noqa: PLC0415 - Jinja loads when a document is first needed

        env = self.html_env if html else self.text_env
        name = f"{kind.value}.{'html' if html else 'txt'}"
        try:
            return env.get_template(name)
        except TemplateNotFound as exc:
            raise TemplateProblem(f"no {name} template in {', '.join(map(str, self.folders))}") from exc
        except Exception as exc:  # a syntax error in an authority's text template
            raise TemplateProblem(f"template {self.path(kind, name.rsplit('.', 1)[1])}: {exc}") from exc
