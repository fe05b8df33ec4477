"""The start-up check of a template set: a broken template stops the service, not a letter at 3 a.m.

For every document and format (.docx, .txt, .html) it reports, naming the template file:

* a Jinja tag split across Word runs (Word does this around spell-check and formatting marks);
* a tag left open in a paragraph;
* a variable the document's context does not supply (e.g. `{{ child_name }}` where the
  stage letter offers `alert.child.name`), with the variables that are available;
* anything else that fails when the template is filled with a realistic alert for the policy
  (a misspelt attribute such as `alert.child.nmae`, a broken tag, XML Word cannot open).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from jinja2 import meta
from lxml import etree

from practice_alerts.documents import samples
from practice_alerts.documents.engine import TemplateProblem
from practice_alerts.documents.render import CONTEXTS, context_names, render_docx, render_text
from practice_alerts.documents.template_set import DocumentKind, TemplateSet
from practice_alerts.policies.schema import Policy

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_OPENERS = re.compile(r"\{[{%#]")
_IGNORED_NAMES = {"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace"}


def check_templates(templates: TemplateSet, policy: Policy | None = None) -> list[str]:
    """Every problem found, each naming the template file; an empty list means all is well."""
    problems: list[str] = []
    for kind, model in CONTEXTS.items():
        allowed = context_names(model)
        try:
            docx_path = templates.path(kind, "docx")
            split = split_tag_problems(docx_path)
            problems += split
            if not split:
                compiled = templates.docx(kind)
                for part, source in compiled.sources.items():
                    problems += _unknown_names(f"{docx_path} ({part})", templates.text_env.parse(source), allowed)
        except TemplateProblem as exc:
            problems.append(str(exc))
        for fmt in ("txt", "html"):
            try:
                path = templates.path(kind, fmt)
                env = templates.html_env if fmt == "html" else templates.text_env
                problems += _unknown_names(str(path), env.parse(path.read_text(encoding="utf-8")), allowed)
            except TemplateProblem as exc:
                problems.append(str(exc))
            except Exception as exc:  # a Jinja syntax error in an authority's text template
                problems.append(f"template {kind.value}.{fmt}: {exc}")
    if not problems and policy is not None:
        problems += _trial_render(templates, policy)
    return problems


def ensure_templates_ok(templates: TemplateSet, policy: Policy | None = None) -> None:
    """Raise TemplateProblem listing every problem; called when the service starts."""
    problems = check_templates(templates, policy)
    if problems:
        raise TemplateProblem("The letter templates cannot be used:\n" + "\n".join(f"- {p}" for p in problems))


def split_tag_problems(path: Path) -> list[str]:
    """Tags that do not sit whole inside one run of text, in every part of a .docx that has tags."""
    problems = []
    try:
        docx = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return [f"{path}: is not a Word .docx file; save it from Word as a .docx document"]
    with docx:
        for name in docx.namelist():
            if not name.endswith(".xml"):
                continue
            data = docx.read(name)
            if not _OPENERS.search(data.decode("utf-8", "replace")):
                continue
            try:
                root = etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                problems.append(f"{path} ({name}): is not well-formed XML ({exc})")
                continue
            for paragraph in root.iter(f"{W}p"):
                problems += _paragraph_problems(f"{path} ({name})", paragraph)
    return problems


def _paragraph_problems(where: str, paragraph) -> list[str]:
    texts = [t.text or "" for t in paragraph.iter(f"{W}t")]
    joined = "".join(texts)
    if not _OPENERS.search(joined) and "}}" not in joined and "%}" not in joined:
        return []
    bounds, start = [], 0
    for text in texts:
        bounds.append((start, start + len(text)))
        start += len(text)
    problems = []
    covered = 0
    for match in _TAG.finditer(joined):
        inside_one = any(a <= match.start() and match.end() <= b for a, b in bounds)
        if not inside_one:
            problems.append(f"{where}: the tag {match.group(0)!r} is split across runs of text; "
                            "retype it in one go without formatting or spell-check marks inside it")
        covered = match.end()
    rest = _TAG.sub("", joined)
    if _OPENERS.search(rest) or "}}" in rest or "%}" in rest:
        snippet = joined[covered:covered + 60] if covered else joined[:60]
        problems.append(f"{where}: a tag is not closed (near {snippet!r}); every '{{{{' needs '}}}}' and every '{{%' needs '%}}'")
    return problems


def _unknown_names(where: str, ast, allowed: set[str]) -> list[str]:
    unknown = meta.find_undeclared_variables(ast) - allowed - _IGNORED_NAMES
    offered = ", ".join(sorted(allowed))
    return [f"{where}: uses the variable '{name}', which this document does not supply "
            f"(it supplies: {offered})" for name in sorted(unknown)]


def _trial_render(templates: TemplateSet, policy: Policy) -> list[str]:
    problems = []
    for name, context in samples.all_contexts(policy).items():
        kind = DocumentKind(name)
        for fmt, render in (("docx", lambda c=context: render_docx(c, templates)),
                            ("txt", lambda c=context: render_text(c, templates)),
                            ("html", lambda c=context: render_text(c, templates, html=True))):
            try:
                render()
            except Exception as exc:  # report every failure, whatever Jinja or lxml raised
                problems.append(f"{templates.path(kind, fmt)}: cannot be filled for policy {policy.key}: "
                                f"{type(exc).__name__}: {exc}")
    return problems
