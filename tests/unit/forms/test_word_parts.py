"""The issued form carries the parts Word writes, so Word, LibreOffice and python-docx treat it as their own."""

from __future__ import annotations

import io
import posixpath
import zipfile

import docx
import pytest
from lxml import etree

from practice_alerts.forms.build import build_form
from practice_alerts.forms.ooxml import W
from practice_alerts.forms.wordparts import SAVED
from practice_alerts.policies.load import load_policy, policy_names

NS = {"w": W, "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
      "r": "http://schemas.openxmlformats.org/package/2006/relationships",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}


@pytest.fixture(scope="module", params=policy_names())
def policy(request):
    return load_policy(request.param)


@pytest.fixture(scope="module")
def parts(policy) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(build_form(policy))) as zf:
        return {name: etree.fromstring(zf.read(name)) for name in zf.namelist()}


def test_every_part_word_writes_is_there_with_its_content_type(parts):
    for name in ("word/styles.xml", "word/settings.xml", "word/webSettings.xml", "word/fontTable.xml",
                 "word/theme/theme1.xml", "docProps/core.xml", "docProps/app.xml"):
        assert name in parts, name
    overrides = {o.get("PartName").lstrip("/") for o in parts["[Content_Types].xml"].findall("ct:Override", NS)}
    assert overrides == {n for n in parts if not n.endswith(".rels") and n != "[Content_Types].xml"}


def test_every_relationship_of_the_document_points_at_a_part(parts):
    targets = [r.get("Target") for r in parts["word/_rels/document.xml.rels"].findall("r:Relationship", NS)]
    assert {posixpath.join("word", t) for t in targets} >= {
        "word/styles.xml", "word/settings.xml", "word/webSettings.xml", "word/fontTable.xml", "word/theme/theme1.xml"}
    assert all(posixpath.join("word", t) in parts for t in targets)


def test_styles_hold_words_latent_styles_and_the_forms_own(parts):
    styles = parts["word/styles.xml"]
    latent = styles.find("w:latentStyles", NS)
    names = [e.get(f"{{{W}}}name") for e in latent.findall("w:lsdException", NS)]
    assert int(latent.get(f"{{{W}}}count")) == len(names) > 350
    assert len(set(names)) == len(names)
    assert {"Normal", "heading 1", "Title", "Placeholder Text", "Grid Table 4 Accent 1", "List Table 7 Colorful"} <= set(names)
    assert list(styles)[:2] == [styles.find("w:docDefaults", NS), latent]  # the schema's order
    own = {s.get(f"{{{W}}}styleId") for s in styles.findall("w:style", NS)}
    assert {"Heading1", "FieldLabel", "Guidance", "PlaceholderText", "FormTable"} <= own


def test_settings_carry_compatibility_and_unenforced_protection(parts):
    settings = parts["word/settings.xml"]
    modes = {c.get(f"{{{W}}}name"): c.get(f"{{{W}}}val") for c in settings.iter(f"{{{W}}}compatSetting")}
    assert modes["compatibilityMode"] == "15"
    protection = settings.find("w:documentProtection", NS)
    assert protection.get(f"{{{W}}}enforcement") == "0"  # the controls are locked; typing is never blocked
    assert settings.find("w:themeFontLang", NS).get(f"{{{W}}}val") == "en-GB"


def test_theme_and_font_table_name_the_fonts_the_form_uses(parts):
    theme = parts["word/theme/theme1.xml"]
    assert theme.find(".//a:minorFont/a:latin", NS).get("typeface") == "Calibri"
    assert len(theme.find(".//a:clrScheme", NS)) == 12
    fonts = {f.get(f"{{{W}}}name") for f in parts["word/fontTable.xml"].findall("w:font", NS)}
    assert {"Arial", "MS Gothic"} <= fonts  # the text font and the check box font


def test_properties_name_the_authority_and_a_fixed_date(parts, policy):
    app = parts["docProps/app.xml"]
    assert app.findtext("ep:Company", namespaces=NS) == policy.authority
    assert app.findtext("ep:Application", namespaces=NS) == "Practice Alerts form builder"
    assert int(app.findtext("ep:Words", namespaces=NS)) > 100
    core = etree.tostring(parts["docProps/core.xml"]).decode()
    assert core.count(SAVED) == 2


def test_python_docx_opens_the_form_with_its_styles_and_properties(policy):
    document = docx.Document(io.BytesIO(build_form(policy)))
    assert document.styles["Heading 1"].font.bold
    assert document.core_properties.title == f"Practice Alert form: {policy.authority}"
    assert document.core_properties.created.isoformat().startswith(SAVED[:10])
