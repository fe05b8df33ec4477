"""Build a policy's blank Practice Alert form (.docx) from the field catalogue.

The form is written part by part, so the same policy always gives the same bytes and each
authority's form carries its own name, stage names and reason codes. Every field is a content
control whose Tag is the field key and whose Title is its label, locked against deletion.
"""

from __future__ import annotations

import re

from practice_alerts.forms.fields import FORM_VERSION, Field, Kind, catalogue
from practice_alerts.forms.ooxml import (
    CT,
    DECL,
    DOCX_MAIN,
    PKG_REL,
    ROOT_NS,
    cell,
    page_field,
    para,
    q,
    row,
    run,
    table,
    text_para,
    write_package,
)
from practice_alerts.forms.styles import STYLES, settings
from practice_alerts.forms.wordparts import app_xml, core_xml, font_table_xml, theme_xml, web_settings_xml
from practice_alerts.policies.schema import Policy

LABEL_W, VALUE_W = 3400, 6238
BOX_W, REASON_W = 600, 9038
PLACEHOLDER = '<w:rStyle w:val="PlaceholderText"/>'
UNCHECKED, CHECKED = "\u2610", "\u2612"
MARKING = "OFFICIAL-SENSITIVE"


def version_marker(policy: Policy) -> str:
    """The line the parser looks for to know the form's version and policy."""
    return f"Practice Alert form version {FORM_VERSION}, policy {policy.key}"


def _kind_pr(field: Field) -> str:
    if field.kind is Kind.TEXT:
        return "<w:text/>"
    if field.kind is Kind.DATE:
        return ('<w:date><w:dateFormat w:val="dd/MM/yyyy"/><w:lid w:val="en-GB"/>'
                '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>')
    if field.kind is Kind.CHOICE:
        items = "".join(f"<w:listItem w:displayText={q(c.shown)} w:value={q(c.value)}/>" for c in field.choices)
        return f"<w:dropDownList>{items}</w:dropDownList>"
    if field.kind is Kind.CHECK:
        return ('<w14:checkbox><w14:checked w14:val="0"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
                '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>')
    return ""  # rich text: no type element


def _sdt_pr(field: Field, sdt_id: int) -> str:
    placeholder = "" if field.kind is Kind.CHECK else "<w:showingPlcHdr/>"
    return (f"<w:sdtPr><w:alias w:val={q(field.label)}/><w:tag w:val={q(field.key)}/>"
            f'<w:id w:val="{sdt_id}"/><w:lock w:val="sdtLocked"/>{placeholder}{_kind_pr(field)}</w:sdtPr>')


def _content_run(field: Field) -> str:
    if field.kind is Kind.CHECK:
        return run(UNCHECKED, '<w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/>')
    return run(field.prompt, PLACEHOLDER)


def run_control(field: Field, sdt_id: int) -> str:
    """A run-level control, inside a paragraph."""
    return f"<w:sdt>{_sdt_pr(field, sdt_id)}<w:sdtContent>{_content_run(field)}</w:sdtContent></w:sdt>"


def block_control(field: Field, sdt_id: int) -> str:
    """A block-level control holding whole paragraphs (long answers)."""
    return f"<w:sdt>{_sdt_pr(field, sdt_id)}<w:sdtContent>{para(_content_run(field))}</w:sdtContent></w:sdt>"


def _field_row(field: Field, sdt_id: int) -> str:
    label = text_para(field.label + (" *" if field.required else ""), "FieldLabel")
    value = block_control(field, sdt_id) if field.kind is Kind.RICH else para(run_control(field, sdt_id))
    return row(cell(label, LABEL_W, "DEEAF6"), cell(value, VALUE_W))


def _reason_row(field: Field, sdt_id: int) -> str:
    return row(cell(para(run_control(field, sdt_id)), BOX_W), cell(text_para(field.label), REASON_W))


GUIDANCE = {
    "1. The child": "Fields marked * must be filled in. Use the child's details exactly as on the case record.",
    "2. Who is raising the alert": "You will get an acknowledgement with the alert's reference at this e-mail address.",
    "3. The child's social worker and team": "The alert goes up the management chain from the child's social worker.",
    "4. Reason for the alert": "Tick every reason that applies. If you tick Other, describe it in the box below.",
    "5. The concern": "Write for the manager who will read this: what is wrong, how it affects the child, what must happen.",
    "6. Where the alert starts": "Leave the stage empty to start at the first stage. Starting later needs a reason.",
    "7. The child's voice": "Say whether the child knows about this alert and what they think, where appropriate.",
    "8. Another agency": "Fill this in only when the concern is about another agency: a letter is drafted instead of an escalation.",
    "9. Management response (filled in by the manager)": "The manager fills this in when responding, or replies by e-mail.",
    "10. Outcome (filled in by the IRO / CP chair)": "Fill this in when you decide whether the response resolves the concern.",
}


def document_xml(policy: Policy) -> str:
    fields = catalogue(policy)
    body = [
        text_para("Practice Alert", "Title"),
        text_para(policy.authority, "Subtitle"),
        text_para(policy.title, "Guidance"),
        text_para("Fill in this form, save it as a Word document (.docx) and e-mail it to the Practice Alerts "
                  "mailbox. Click a grey prompt and type over it; use the drop-down lists, date pickers and "
                  "tick boxes. Do not delete the boxes or add a password.", "Guidance"),
    ]
    section, widths = None, (LABEL_W, VALUE_W)
    rows: list[str] = []
    sdt_id = 1000

    def flush() -> None:
        if rows:
            body.append(table(rows, widths))
            body.append(para())
            rows.clear()

    for field in fields:
        sdt_id += 1
        if field.section != section:
            flush()
            section = field.section
            if field.key == "reference":
                body.append(text_para("Reference (filled in by the service)", "FieldLabel"))
                body.append(block_control(field, sdt_id))
                continue
            body.append(text_para(section, "Heading1"))
            if section in GUIDANCE:
                body.append(text_para(GUIDANCE[section], "Guidance"))
        if field.kind is Kind.CHECK:
            widths = (BOX_W, REASON_W)
            rows.append(_reason_row(field, sdt_id))
            continue
        if widths != (LABEL_W, VALUE_W):
            flush()
            widths = (LABEL_W, VALUE_W)
        rows.append(_field_row(field, sdt_id))
    flush()
    body.append(text_para(version_marker(policy), "Guidance"))
    sect = ('<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>'
            '<w:footerReference w:type="default" r:id="rIdFooter"/>'
            '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" '
            'w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>')
    return DECL + f"<w:document {ROOT_NS}><w:body>{''.join(body)}{sect}</w:body></w:document>"


def header_xml(policy: Policy) -> str:
    return DECL + f"<w:hdr {ROOT_NS}>{text_para(MARKING, 'Header')}{text_para(policy.authority, 'Footer')}</w:hdr>"


def footer_xml(policy: Policy) -> str:
    pages = run("Page ") + page_field("PAGE") + run(" of ") + page_field("NUMPAGES")
    return DECL + (f"<w:ftr {ROOT_NS}>{text_para(MARKING, 'Header')}{para(pages, 'Footer')}"
                   f"{text_para(version_marker(policy), 'Footer')}</w:ftr>")


def _counts(document: str) -> tuple[int, int, int]:
    """Words, characters and paragraphs, as Word counts them for docProps/app.xml (near enough)."""
    text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", document))
    return len(text.split()), len(text.replace(" ", "")), document.count("<w:p>") + document.count("<w:p ")


def build_form(policy: Policy) -> bytes:
    """The blank form for `policy` as .docx bytes (identical on every call)."""
    ct = DECL + (
        f'<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
        '<Override PartName="/word/webSettings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.webSettings+xml"/>'
        '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
        '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
        '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
        '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>")
    od = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = DECL + (
        f'<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{od}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{od}/extended-properties" Target="docProps/app.xml"/></Relationships>')
    doc_rels = DECL + (
        f'<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rIdStyles" Type="{od}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rIdSettings" Type="{od}/settings" Target="settings.xml"/>'
        f'<Relationship Id="rIdWebSettings" Type="{od}/webSettings" Target="webSettings.xml"/>'
        f'<Relationship Id="rIdFontTable" Type="{od}/fontTable" Target="fontTable.xml"/>'
        f'<Relationship Id="rIdTheme" Type="{od}/theme" Target="theme/theme1.xml"/>'
        f'<Relationship Id="rIdHeader" Type="{od}/header" Target="header1.xml"/>'
        f'<Relationship Id="rIdFooter" Type="{od}/footer" Target="footer1.xml"/></Relationships>')
    document = document_xml(policy)
    words, characters, paragraphs = _counts(document)
    core = core_xml(f"Practice Alert form: {policy.authority}", f"practice-alert-form-v{FORM_VERSION} {policy.key}",
                    policy.authority)
    app = app_xml("Practice Alerts form builder", f"{FORM_VERSION}.0000", policy.authority, words, characters, paragraphs)
    return write_package({
        "[Content_Types].xml": ct,
        "_rels/.rels": rels,
        "word/document.xml": document,
        "word/_rels/document.xml.rels": doc_rels,
        "word/styles.xml": STYLES,
        "word/settings.xml": settings(FORM_VERSION, policy.key),
        "word/webSettings.xml": web_settings_xml(),
        "word/fontTable.xml": font_table_xml(),
        "word/theme/theme1.xml": theme_xml(),
        "word/header1.xml": header_xml(policy),
        "word/footer1.xml": footer_xml(policy),
        "docProps/core.xml": core,
        "docProps/app.xml": app,
    })
