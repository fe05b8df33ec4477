"""Every document, from a realistic alert in each built-in policy, opened and read back."""

from __future__ import annotations

import pytest

from practice_alerts.documents import render, samples
from practice_alerts.documents.text import long_date
from practice_alerts.policies.load import load_policy, policy_names

DOCUMENTS = ["stage_letter", "acknowledgement", "decision_request", "external_agency_letter",
             "cafcass_referral", "case_note", "closure"]


@pytest.fixture(scope="module", params=policy_names())
def rendered(request):
    policy = load_policy(request.param)
    contexts = samples.all_contexts(policy)
    return policy, contexts, {name: render.render_document(ctx) for name, ctx in contexts.items()}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_names_the_alert_child_and_authority_in_all_three_forms(rendered, name, read_text, read_paragraphs):
    policy, contexts, documents = rendered
    document = documents[name]
    body = read_text(document.docx)
    for expected in ("PA-2026-0042", samples.CHILD_NAME):
        assert expected in body
        assert expected in document.text
        assert expected in document.html
    header = read_paragraphs(document.docx, "word/header1.xml")
    assert policy.authority in header
    assert document.filename.startswith("PA-2026-0042 ") and samples.CHILD_NAME not in document.filename
    assert "\x00" not in document.text and "\x0b" not in document.text


def test_stage_letter(rendered, read_paragraphs, read_tables):
    policy, contexts, documents = rendered
    letter, ctx = documents["stage_letter"], contexts["stage_letter"]
    paragraphs = read_paragraphs(letter.docx)
    body = "\n".join(paragraphs)
    assert f"Please respond by {long_date(ctx.due)}" in body
    assert f"To: {ctx.recipient.name}, {ctx.recipient.role}" in body
    # the concern, as typed: escaped characters back as typed; the vertical tab a line break;
    # the blank line a new paragraph
    assert ("The care plan agreed at the review on 12 October has not been progressed: drift & delay <urgent>."
            "\nSiân has not been visited since 2 September.") in paragraphs
    assert 'The "permanence" assessment promised for November has not started.' in paragraphs
    assert "1.\tA statutory visit within 5 working days.\n2.\tThe permanence assessment started, with a date for completion." in paragraphs
    stage = policy.stages[[s.name for s in policy.stages].index(ctx.stage_name)]
    for duty in stage.duties:
        assert duty.text in body
    assert ("This stage must be answered in writing." in body) == stage.in_writing
    if stage.agenda:
        assert f"added to the agenda of the {stage.agenda}" in body
    reasons = next(t for t in read_tables(letter.docx) if t[0] == ["Reason", "Theme"])
    assert reasons[1:] == [[r.numbered_label, r.category] for r in ctx.alert.reasons]
    numbered = policy.reason_codes[0].code.isdigit()  # Rutland and West Sussex number their reasons
    first = ctx.alert.reasons[0]
    assert reasons[1][0] == (f"{first.code}. {first.label}" if numbered else first.label)
    for text in (body, letter.text, letter.html):
        assert "report_not_completed" not in text and "statutory_visit" not in text  # internal keys
    assert ctx.if_no_response in body
    for earlier in ctx.earlier_stages:
        assert earlier.stage_name in body and earlier.recipient.name in body
    opening = "I am escalating a practice alert" if ctx.earlier_stages else "I am raising a practice alert"
    assert opening in body and opening in letter.text and opening in letter.html
    child = dict(row for table in read_tables(letter.docx) for row in table if len(row) == 2)
    assert child["Legal status"] == ctx.alert.child.legal_status
    assert child["Case type"] == ctx.alert.child.case_type.label
    assert child["Date of birth"] == "9 March 2014"  # a date of birth has no weekday
    assert "Date of birth: 9 March 2014\n" in letter.text and "<td>9 March 2014</td>" in letter.html
    if ctx.copies:
        shown = [p.name if p.name == p.role else f"{p.name} ({p.role})" for p in ctx.copies]
        assert "Copies: " + "; ".join(shown) in paragraphs
    assert f"Reply to this e-mail, keeping {ctx.alert.reference} in the subject" in body
    assert ctx.alert.mailbox in body
    assert "drift &amp; delay &lt;urgent&gt;" in letter.html and "drift & delay <urgent>" in letter.text


def test_acknowledgement_and_decision_request(rendered, read_text):
    policy, contexts, documents = rendered
    ack = read_text(documents["acknowledgement"].docx)
    assert "received on Tuesday 1 December 2026 at 09:12" in ack
    assert long_date(contexts["acknowledgement"].due) in ack
    decision = documents["decision_request"]
    ctx = contexts["decision_request"]
    body = read_text(decision.docx)
    assert ctx.responder.name in body and "drift & delay <urgent>." in body
    for option in ctx.options:
        assert option.url in body and option.url in decision.text
        assert f'href="{option.url}"' in decision.html
    assert ("Call a time-out" in body) == policy.time_out.allowed


def test_external_agency_letter(rendered, read_text):
    policy, contexts, documents = rendered
    body = read_text(documents["external_agency_letter"].docx)
    assert "Ysgol Gymraeg Aberhonddu & Oakham Primary" in body
    assert "Dear Headteacher," in body
    assert "has not been held & the school has not replied" in body
    assert "(date of birth 9 March 2014)" in body
    assert long_date(contexts["external_agency_letter"].respond_by) in body


def test_cafcass_referral(rendered, read_text, read_tables):
    policy, contexts, documents = rendered

    def tables_of(document):
        return read_tables(document.docx)

    ctx = contexts["cafcass_referral"]
    referral = documents["cafcass_referral"]
    body = read_text(referral.docx)
    assert body.startswith("DRAFT for the Independent Reviewing Officer to check")
    assert "Full care order (s.31)" in body and "LE26C00417" in body
    assert "Has the child been told of this referral? Yes" in body
    for typed in (ctx.care_plan_concern, ctx.urgency, ctx.outcome_sought):
        assert typed in body and typed in referral.text
    reasons = next(t for t in tables_of(referral) if t[0] == ["Reason", "Theme"])
    assert reasons[1:] == [[r.numbered_label, r.category] for r in ctx.alert.reasons]
    assert "Siân wants to stay with her carers & keep seeing her brother.\nShe asked for an advocate." in body
    assert "Helen Price, Local Authority Nominated Officer" in body and "Monday 4 January 2027" in body
    assert ("Required by the procedure before referring" in body) == policy.cafcass.legal_advice
    tables = read_tables(referral.docx)
    stage_table = next(t for t in tables if t[0][0] == "Stage")
    assert [row[0] for row in stage_table[1:]] == [s.stage_name for s in ctx.stages]
    assert stage_table[-1][4] == "None" and stage_table[-1][5].startswith("No response by the due date")
    chronology = next(t for t in tables if t[0][0] == "When")
    assert len(chronology) - 1 == len(ctx.chronology)
    assert chronology[1] == ["1 Dec 2026 09:12", "Practice alert raised", samples.IRO_NAME]
    for item in ctx.attachments:
        assert f"{'☒' if item.attached else '☐'} {item.name}" in body
        assert f"[{'x' if item.attached else ' '}] {item.name}" in referral.text


def test_case_note_as_plain_text_for_the_case_record(rendered, read_text):
    policy, contexts, documents = rendered
    note = documents["case_note"]
    ctx = contexts["case_note"]
    assert note.text.startswith("PRACTICE ALERT CASE NOTE: PA-2026-0042")
    for entry in ctx.chronology:
        assert entry.at.strftime("%H:%M") in note.text
    assert "drift & delay <urgent>" in note.text
    assert f"Status:    {ctx.status}" in note.text
    assert ctx.status in read_text(note.docx)


def test_closure(rendered, read_text):
    policy, contexts, documents = rendered
    body = read_text(documents["closure"].docx)
    assert "closed the practice alert for Siân Llŷr (MOS-118204) on Friday 8 January 2027" in body
    assert "your social worker will visit you every 4 weeks" in body
    assert ("The procedure requires the outcome to be explained to the child." in body) == policy.closure.tell_child
    for duty in policy.closure.duties:
        assert duty.text in body
    assert f"the procedure's target is {policy.target_working_days}" in body


def test_stage_notes_such_as_time_outs_reach_the_chronology_documents(rendered, read_text):
    policy, contexts, documents = rendered
    notes = [note for stage in contexts["cafcass_referral"].stages for note in stage.notes]
    assert notes
    if policy.time_out.allowed:
        assert "Time-out of 2 working days agreed by the IRO's line manager" in notes
    for name in ("cafcass_referral", "case_note"):
        body = read_text(documents[name].docx)
        for note in notes:
            assert note in body and note in documents[name].text


def test_a_note_that_repeats_the_outcome_prints_once(read_tables):
    """The service notes a missed deadline, and the outcome says it too: the stage says it once."""
    note = samples.case_note(load_policy("rutland"))
    last = note.stages[-1]
    assert last.outcome == "No response by the due date"
    repeated = last.model_copy(update={"notes": ("No response by the due date", "Escalated automatically")})
    rendered = render.case_note(note.model_copy(update={"stages": (*note.stages[:-1], repeated)}))
    stages = next(t for t in read_tables(rendered.docx) if t[0][0] == "Stage")
    assert stages[-1][5] == "No response by the due date. Escalated automatically"
    assert "No response by the due date; Escalated automatically.\n" in rendered.text
    assert "<td>No response by the due date; Escalated automatically</td>" in rendered.html
