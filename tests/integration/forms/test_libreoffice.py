"""A real word processor's copy: LibreOffice Writer opens the filled form and saves it again.

It drops every control tag, every placeholder flag and some titles. The copy must still read
as the same record, or name exactly the fields the IRO should check. The conversions run once
per session (the committed lo_*.docx fixtures are the same files, for machines without soffice).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from practice_alerts.forms.build import build_form
from practice_alerts.forms.fill import fill_form
from practice_alerts.forms.reader import read_form
from practice_alerts.forms.record import FieldSource
from practice_alerts.policies.load import load_policy, policy_names

FIXTURES = Path(__file__).parents[2] / "fixtures" / "forms"
TODAY = dt.date(2026, 11, 22)

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]


def filled(policy) -> bytes:
    """A form of `policy` filled in every section, long answers in several paragraphs."""
    reasons = [r for r in policy.reason_codes if not r.other][:2]
    other = next(r for r in policy.reason_codes if r.other)
    later = next((s for s in policy.stages if s.may_start_here and s.key != policy.start_stage), None)
    values = {
        "reference": "PA-2026-0100", "child_name": "Ava Reid", "child_id": "C-1", "child_dob": dt.date(2015, 5, 1),
        "case_type": policy.case_types[-1].value, "legal_status": "Interim care order", "iro_name": "Jo Bloggs",
        "iro_email": "jo@example.org", "date_raised": dt.date(2026, 11, 20), "social_worker_name": "Sam Smith",
        "social_worker_email": "sam@example.org", "team_manager_name": "Priya Patel",
        "team_manager_email": "priya@example.org", "team": "North", f"reason_{other.code}": True,
        "other_reason": "Placement plan not shared.", "concern": "No visit since September.\nPlan overdue.",
        "impact_on_child": "Unsettled at school.", "resolution_sought": "A visit this week.",
        "resolve_by": dt.date(2026, 12, 4), "informal_attempts": "Phoned twice.", "child_informed": "no",
        "child_views": "Wants to see Sam.", "external_agency": "Northshire NHS Trust\n1 High Street",
        "management_response": "Visit booked.", "agreed_actions": "Visit on 25 November.",
        "response_by_name": "Priya Patel", "response_date": dt.date(2026, 11, 24), "iro_outcome": "not_satisfied",
        "iro_outcome_notes": "Escalate.", **{f"reason_{r.code}": True for r in reasons},
    }
    if later is not None:
        values |= {"start_stage": later.key, "bypass_reason": "Serious and urgent."}
    return fill_form(build_form(policy), values)


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict[str, bytes]:
    """The fixtures and a filled form of every policy as LibreOffice saves them, in one soffice run."""
    work = tmp_path_factory.mktemp("lo")
    sources = [FIXTURES / "filled_full.docx", FIXTURES / "filled_line_break.docx"]
    for name in policy_names():
        (work / f"policy_{name}.docx").write_bytes(filled(load_policy(name)))
        sources.append(work / f"policy_{name}.docx")
    out = work / "out"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "docx",
         "--outdir", str(out), *map(str, sources)],
        check=True, capture_output=True, timeout=240,
    )
    made = {p.stem: out / p.name for p in sources}
    missing = [name for name, path in made.items() if not path.exists()]
    assert not missing, f"soffice exited 0 but did not write {missing}"  # it does that when it fails
    return {name: path.read_bytes() for name, path in made.items()}


def test_the_copy_lost_its_tags_yet_reads_as_the_same_record(copies):
    policy = load_policy("rutland")
    original = read_form((FIXTURES / "filled_full.docx").read_bytes(), filename="a.docx", policy=policy, today=TODAY)
    copy = read_form(copies["filled_full"], filename="a.docx", policy=policy, today=TODAY)
    with zipfile.ZipFile(io.BytesIO(copies["filled_full"])) as zf:
        document = zf.read("word/document.xml")
    assert b"<w:sdt>" in document and b"<w:tag " not in document  # the fallbacks, not the tags, did the work
    assert copy.application.startswith("LibreOffice")
    assert FieldSource.CONTROL_TAG not in {r.source for r in copy.fields.values()}
    assert copy.checks == [] and copy.errors == []
    assert copy.record == original.record
    expected = json.loads((FIXTURES / "expected" / "filled_full.json").read_text())
    assert copy.record.model_dump(mode="json") == expected


def test_a_field_that_cannot_be_read_with_certainty_is_named(copies):
    copy = read_form(copies["filled_line_break"], filename="a.docx", policy=load_policy("rutland"), today=TODAY)
    assert [(c.field, c.label) for c in copy.checks] == [("concern", "The concern")]
    assert copy.checks[0].message.startswith("Check 'The concern': line breaks")
    assert copy.record.concern.replace("\n", "") == copy.record.concern  # the break really was lost


@pytest.mark.parametrize("name", policy_names())
def test_every_policy_form_survives_libreoffice(copies, name):
    policy = load_policy(name)
    original = read_form(filled(policy), filename="a.docx", policy=policy, today=TODAY)
    copy = read_form(copies[f"policy_{name}"], filename="a.docx", load=load_policy, today=TODAY)
    assert original.errors == [] and copy.errors == [] and copy.checks == []
    assert copy.policy == name
    assert copy.record == original.record
