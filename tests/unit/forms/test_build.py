"""The blank form: one per policy, every field a locked, tagged, titled control of the right kind."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from practice_alerts.forms.build import build_form
from practice_alerts.forms.fields import Kind, catalogue
from practice_alerts.forms.fill import fill_form
from practice_alerts.forms.ooxml import W14, W
from practice_alerts.forms.reader import read_form
from practice_alerts.policies.load import load_policy, policy_names

NS = {"w": W, "w14": W14}
TEMPLATES = Path(__file__).parents[3] / "templates" / "forms"


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


@pytest.fixture(scope="module", params=policy_names())
def policy(request):
    return load_policy(request.param)


def test_every_field_is_one_locked_control_tagged_with_its_key(policy):
    document = etree.fromstring(parts(build_form(policy))["word/document.xml"])
    controls = document.findall(".//w:sdt", NS)
    tags = [c.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val") for c in controls]
    fields = catalogue(policy)
    assert sorted(tags) == sorted(f.key for f in fields)
    assert len(set(tags)) == len(tags)
    by_tag = dict(zip(tags, controls, strict=True))
    for field in fields:
        pr = by_tag[field.key].find("w:sdtPr", NS)
        assert pr.find("w:alias", NS).get(f"{{{W}}}val") == field.label
        assert pr.find("w:lock", NS).get(f"{{{W}}}val") == "sdtLocked"
        kind = {Kind.DATE: "w:date", Kind.CHOICE: "w:dropDownList", Kind.CHECK: "w14:checkbox", Kind.TEXT: "w:text"}
        if field.kind in kind:
            assert pr.find(kind[field.kind], NS) is not None, field.key
        else:  # rich text: no type element, block level, placeholder prompt showing
            assert pr.find("w:text", NS) is None and by_tag[field.key].getparent().tag != f"{{{W}}}p"
        if field.kind is not Kind.CHECK:
            assert pr.find("w:showingPlcHdr", NS) is not None
            assert "".join(by_tag[field.key].itertext()).strip() == field.prompt


def test_each_policy_gets_its_own_reason_boxes_and_stages(policy):
    document = etree.fromstring(parts(build_form(policy))["word/document.xml"])
    boxes = [t.get(f"{{{W}}}val") for t in document.findall(".//w:sdt/w:sdtPr/w:tag", NS)
             if t.get(f"{{{W}}}val").startswith("reason_")]
    assert boxes == [f"reason_{r.code}" for r in policy.reason_codes]
    stage_list = document.xpath(".//w:sdt[w:sdtPr/w:tag/@w:val='start_stage']/w:sdtPr/w:dropDownList", namespaces=NS)[0]
    shown = [i.get(f"{{{W}}}displayText") for i in stage_list]
    assert [s.split(":")[0] for s in shown] == [s.name for s in policy.stages]
    text = "".join(document.itertext())
    assert policy.authority in text and "Practice Alert" in text
    assert f"Practice Alert form version 1, policy {policy.key}" in text


def test_header_and_footer_carry_the_marking_and_page_numbers(policy):
    package = parts(build_form(policy))
    header = package["word/header1.xml"].decode()
    footer = package["word/footer1.xml"].decode()
    assert "OFFICIAL-SENSITIVE" in header and "OFFICIAL-SENSITIVE" in footer
    assert " PAGE " in footer and " NUMPAGES " in footer
    document = package["word/document.xml"].decode()
    assert document.count('w:pStyle w:val="Heading1"') == 10 and "<w:tbl>" in document


def test_building_twice_gives_the_same_bytes(policy):
    assert build_form(policy) == build_form(policy)


def test_the_committed_form_is_what_the_builder_makes(policy):
    committed = TEMPLATES / f"{policy.key}.docx"
    assert committed.exists(), f"run: practice-alerts form template --policy {policy.key} --out {committed}"
    assert committed.read_bytes() == build_form(policy), (
        f"templates/forms/{policy.key}.docx is out of date: run "
        f"practice-alerts form template --policy {policy.key} --out templates/forms/{policy.key}.docx")


def test_a_filled_form_of_each_policy_round_trips(policy):
    reasons = [r for r in policy.reason_codes if not r.other][:2]
    later = next((s for s in policy.stages if s.may_start_here and s.key != policy.start_stage), None)
    values = {
        "child_name": "Ava Reid", "child_id": "C-1", "child_dob": dt.date(2015, 5, 1),
        "case_type": policy.case_types[-1].value, "iro_name": "Jo", "iro_email": "jo@example.org",
        "date_raised": dt.date(2026, 11, 20), "social_worker_name": "Sam", "social_worker_email": "sam@example.org",
        "team": "North", "concern": "One.\nTwo.", "impact_on_child": "Three.", "resolution_sought": "Four.",
        "child_informed": "not_appropriate", **{f"reason_{r.code}": True for r in reasons},
    }
    if later is not None:
        values |= {"start_stage": later.key, "bypass_reason": "Urgent."}
    reading = read_form(fill_form(build_form(policy), values), filename="f.docx", policy=policy,
                        today=dt.date(2026, 11, 22))
    assert reading.errors == []
    record = reading.record
    assert record.reason_codes == [r.code for r in reasons]
    assert record.concern == "One.\nTwo." and record.child_dob == dt.date(2015, 5, 1)
    assert record.start_stage == (later.key if later else None)
    assert record.child_informed.value == "not_appropriate"


def test_the_blank_form_reads_as_empty_not_as_its_prompts(policy):
    reading = read_form(build_form(policy), filename="blank.docx", policy=policy, today=dt.date(2026, 11, 22))
    assert reading.record is None
    assert all(r.text == "" and not r.checked for r in reading.fields.values())
    assert {e.field for e in reading.errors} >= {"child_name", "concern", "impact_on_child", "reason_codes"}


def test_every_field_key_is_documented():
    doc = (Path(__file__).parents[3] / "docs" / "form-fields.md").read_text()
    for field in catalogue(None):
        assert f"`{field.key}`" in doc, field.key
    assert "`reason_<code>`" in doc and "`reason_codes`" in doc
