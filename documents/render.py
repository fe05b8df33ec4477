"""Render the documents that go out: one function per document, each giving the .docx and
the plain-text and HTML bodies of the e-mail that carries it.

    rendered = render.stage_letter(context)            # built-in templates
    rendered = render.stage_letter(context, templates)  # an authority's TemplateSet
    rendered.docx, rendered.text, rendered.html, rendered.filename

Nothing here composes or sends mail: no headers, no Message-IDs (the mail helper does that).
File names carry the alert reference and the document, never the child's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from practice_alerts.documents import context as c
from practice_alerts.documents.template_set import DocumentKind, TemplateSet

# Which context model each document is rendered from (here, not in template_set, so that opening
# the templates loads no context models: a read-only command opens them and renders nothing).
CONTEXTS: dict[DocumentKind, type] = {
    DocumentKind.STAGE_LETTER: c.StageLetterContext,
    DocumentKind.ACKNOWLEDGEMENT: c.AcknowledgementContext,
    DocumentKind.DECISION_REQUEST: c.DecisionRequestContext,
    DocumentKind.EXTERNAL_AGENCY_LETTER: c.ExternalAgencyLetterContext,
    DocumentKind.CAFCASS_REFERRAL: c.CafcassReferralContext,
    DocumentKind.CASE_NOTE: c.CaseNoteContext,
    DocumentKind.CLOSURE: c.ClosureContext,
}


def kind_of(context: object) -> DocumentKind:
    for kind, model in CONTEXTS.items():
        if type(context) is model:
            return kind
    raise TypeError(f"no document is rendered from a {type(context).__name__}")


_TITLES = {
    DocumentKind.STAGE_LETTER: "{stage} letter",
    DocumentKind.ACKNOWLEDGEMENT: "acknowledgement",
    DocumentKind.DECISION_REQUEST: "{stage} decision request",
    DocumentKind.EXTERNAL_AGENCY_LETTER: "letter to external agency",
    DocumentKind.CAFCASS_REFERRAL: "CAFCASS referral DRAFT",
    DocumentKind.CASE_NOTE: "case note",
    DocumentKind.CLOSURE: "closure notice",
}


@dataclass(frozen=True)
class Rendered:
    kind: DocumentKind
    docx: bytes
    text: str
    html: str
    filename: str
    """e.g. 'PA-2026-0042 Stage 2 letter.docx' (no personal data)."""


@lru_cache(maxsize=1)
def built_in_templates() -> TemplateSet:
    return TemplateSet()


def template_variables(context: BaseModel) -> dict[str, Any]:
    """The names a template sees: the context's fields and its properties, values untouched."""
    return {name: getattr(context, name) for name in context_names(type(context))}


def context_names(model: type[BaseModel]) -> set[str]:
    """The variables a context offers its templates: its fields and its public properties."""
    return set(model.model_fields) | _property_names(model)


def _property_names(cls: type) -> set[str]:
    return {name for klass in cls.__mro__ if klass not in (BaseModel, object)
            for name, value in vars(klass).items() if isinstance(value, property) and not name.startswith("_")}


def render_docx(context: BaseModel, templates: TemplateSet | None = None, verify: bool = True) -> bytes:
    templates = templates or built_in_templates()
    return templates.docx(kind_of(context)).render(template_variables(context), verify=verify)


def render_text(context: BaseModel, templates: TemplateSet | None = None, html: bool = False) -> str:
    templates = templates or built_in_templates()
    return templates.text(kind_of(context), html=html).render(template_variables(context))


def render_document(context: BaseModel, templates: TemplateSet | None = None) -> Rendered:
    kind = kind_of(context)
    return Rendered(
        kind=kind,
        docx=render_docx(context, templates),
        text=render_text(context, templates),
        html=render_text(context, templates, html=True),
        filename=file_name(context),
    )


def file_name(context: BaseModel) -> str:
    kind = kind_of(context)
    stage = getattr(context, "stage_name", "")
    title = _TITLES[kind].format(stage=stage).strip()
    reference = context.alert.reference  # type: ignore[attr-defined]
    return f"{reference} {title}.docx".replace("/", "-")


def stage_letter(context: c.StageLetterContext, templates: TemplateSet | None = None) -> Rendered:
    return render_document(context, templates)


def acknowledgement(context: c.AcknowledgementContext, templates: TemplateSet | None = None) -> Rendered:
    return render_document(context, templates)


def decision_request(context: c.DecisionRequestContext, templates: TemplateSet | None = None) -> Rendered:
    return render_document(context, templates)


def external_agency_letter(context: c.ExternalAgencyLetterContext, templates: TemplateSet | None = None) -> Rendered:
    return render_document(context, templates)


def cafcass_referral(context: c.CafcassReferralContext, templates: TemplateSet | None = None) -> Rendered:
    return render_document(context, templates)


def case_note(context: c.CaseNoteContext, templates: TemplateSet | None = None) -> Rendered:
    return render_document(context, templates)


def closure(context: c.ClosureContext, templates: TemplateSet | None = None) -> Rendered:
    return render_document(context, templates)
