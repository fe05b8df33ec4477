"""The fast .docx renderer: everything that does not depend on the alert is done once.

A straightforward docxtpl render (`DocxTemplate(path)`, `render`, `save`) re-reads the zip,
re-parses every part, re-runs its regular expressions over the XML, re-compiles the Jinja
template and re-compresses every part (styles, theme, fonts) for each letter. Here, when a
template is loaded:

* the zip is read once; parts without Jinja tags are compressed once into a ready-made zip
  (the "prefix") that every letter starts from as a copy;
* parts with tags (the body, and headers, footers or properties that hold tags) are patched
  once with docxtpl's own tag handling (`{%p`, `{%tr`...), so docxtpl templates keep working,
  and compiled once by Jinja with autoescaping and strict undefined variables.

A letter is then one Jinja render per tagged part, appended to a copy of the prefix. Each
rendered part is parsed once to prove it is well-formed XML, so a broken template fails here
and not in a manager's Word.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template
from lxml import etree
from markupsafe import Markup

from practice_alerts.documents import text as T
from practice_alerts.documents.problems import TemplateProblem

_HAS_TAG = re.compile(rb"\{[{%#]")


def _people(people: Any) -> str:
    return "; ".join(p.name if p.name == p.role else f"{p.name} ({p.role})" for p in people or ())


def _common_filters(env: Environment) -> Environment:
    env.filters.update(
        paragraphs=T.paragraphs,
        long_date=T.long_date,
        day_month_year=T.day_month_year,
        short_date=T.short_date,
        date_time=T.date_time,
        short_date_time=T.short_date_time,
        people=_people,
    )
    return env


def _finalize_with(to_text):
    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Markup):
            return value
        if isinstance(value, dt.date):
            return T.long_date(value)
        if isinstance(value, str):
            return to_text(value)
        return value

    return finalize


def docx_environment() -> Environment:
    """Jinja for Word XML: escapes everything, fails on unknown names, prints dates the British way,
    and turns typed line breaks, tabs and form feeds into Word breaks."""
    env = Environment(autoescape=True, undefined=StrictUndefined, finalize=_finalize_with(T.docx_runs))
    return _common_filters(env)


def text_environment(loader, *, html: bool) -> Environment:
    """Jinja for e-mail bodies: HTML escaped, plain text not; both strict about unknown names."""
    to_text = T.html_lines if html else T.plain
    env = Environment(
        loader=loader, autoescape=html, undefined=StrictUndefined, finalize=_finalize_with(to_text),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    return _common_filters(env)


def patch_docx_xml(xml: str) -> str:
    """docxtpl's preparation of Word XML for Jinja (paragraph, row and run tags, quotes in tags)."""
    return DocxTemplate.patch_xml(None, xml)  # it uses no instance state


class CompiledDocx:
    """One .docx template, ready to render many times; safe to share between threads."""

    def __init__(self, name: str, data: bytes, env: Environment | None = None) -> None:
        self.name = name
        env = env or docx_environment()
        self.tagged: dict[str, Template] = {}
        self.sources: dict[str, str] = {}
        prefix = io.BytesIO()
        try:
            source = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise TemplateProblem(f"template {name}: is not a Word .docx file ({exc})") from exc
        with source, zipfile.ZipFile(prefix, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                body = source.read(info)
                if info.filename.endswith(".xml") and _HAS_TAG.search(body):
                    xml = patch_docx_xml(body.decode("utf-8"))
                    self.sources[info.filename] = xml
                    try:
                        self.tagged[info.filename] = env.from_string(xml)
                    except Exception as exc:  # jinja2.TemplateSyntaxError and friends
                        raise TemplateProblem(f"template {name}: {info.filename}: {exc}") from exc
                else:
                    out.writestr(_clean_info(info), body)
            if "word/document.xml" not in source.namelist():
                raise TemplateProblem(f"template {name}: has no word/document.xml; save it from Word as .docx")
        self.prefix = prefix.getvalue()

    def render(self, variables: Mapping[str, Any], verify: bool = True) -> bytes:
        """The filled .docx as bytes."""
        buffer = io.BytesIO(self.prefix)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as out:
            for part, template in self.tagged.items():
                xml = template.render(variables).encode("utf-8")
                if verify:
                    _check_well_formed(self.name, part, xml)
                out.writestr(_clean_info(zipfile.ZipInfo(part)), xml, compresslevel=1)
        return buffer.getvalue()


def _clean_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    fresh = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
    fresh.compress_type = zipfile.ZIP_DEFLATED
    fresh.external_attr = 0o600 << 16
    return fresh


def _check_well_formed(name: str, part: str, xml: bytes) -> None:
    try:
        etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise TemplateProblem(
            f"template {name}: {part} does not make well-formed XML when filled ({exc}); "
            "check that every {%p ...%} and {%tr ...%} tag sits in a paragraph or table row of its own"
        ) from exc
