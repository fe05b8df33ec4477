"""Word forms found wherever Outlook put them; the TNEF and .msg readers checked byte by byte."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pytest

from practice_alerts.mailflow import msg, tnef
from practice_alerts.mailflow.attachments import find_forms, looks_like_word_form

from .conftest import FIXTURES, load_fixture_module

formats = load_fixture_module("outlook_formats")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SMALL = b"PK\x03\x04small form"
LARGE = b"PK\x03\x04" + bytes(range(256)) * 40  # over the 4096-byte mini-stream cut-off


def wrap(name: str, data: bytes, content_type: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "a.okafor@council.example"
    message.set_content("see attached")
    maintype, subtype = content_type.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)


@pytest.mark.parametrize("name, content_type, expected", [
    ("form.docx", None, True), ("FORM.DOCX", "application/octet-stream", True), ("form.docm", None, True),
    ("attachment", DOCX, True), ("form.pdf", "application/pdf", False), ("form.doc", "application/msword", False),
])
def test_word_form_by_name_or_type(name, content_type, expected):
    assert looks_like_word_form(name, content_type) is expected


def test_tnef_reader_agrees_with_a_second_implementation():
    data = formats.build_tnef([formats.TnefFile("Practice Alert – form.docx", "PRACTI~1.DOC", LARGE, DOCX),
                               formats.TnefFile("notes.txt", "NOTES.TXT", b"notes")])
    ours = tnef.read_attachments(data)
    assert [(a.filename, a.data, a.mime_type) for a in ours] == [
        ("Practice Alert – form.docx", LARGE, DOCX), ("notes.txt", b"notes", None)]
    tnefparse = pytest.importorskip("tnefparse", reason="tnefparse (LGPL) is only a cross-check, not a dependency")
    theirs = tnefparse.TNEF(data, do_checksum=True)
    assert all(o.good_checksum for o in theirs.objects)
    assert [(a.long_filename(), a.data) for a in theirs.attachments] == [(a.filename, a.data) for a in ours]


def test_tnef_embedded_message_is_opened():
    inner = formats.build_tnef([formats.TnefFile("inner form.docx", "INNERF~1.DOC", SMALL, DOCX)])
    data = formats.build_tnef([], embedded=inner, embedded_name="FW: form")
    found = find_forms(wrap("winmail.dat", data, "application/ms-tnef"))
    assert [(f.filename, f.content, f.source) for f in found.forms] == [("inner form.docx", SMALL, "tnef")]


def test_damaged_tnef_is_reported_not_raised():
    found = find_forms(wrap("winmail.dat", b"\x78\x9f\x3e\x22\x01\x00\x01\x06\x90\xff\xff", "application/ms-tnef"))
    assert found.forms == () and found.problems
    with pytest.raises(tnef.TnefError):
        tnef.read_attachments(b"not tnef at all")


def test_msg_reader_reads_small_and_large_streams_and_embedded_messages():
    data = formats.build_msg(
        subject="FW: Practice Alert", body="Forwarded.", sender="r.evans@council.example", to="a.okafor@council.example",
        files=[formats.MsgFile("large form.docx", LARGE, DOCX), formats.MsgFile("small form.docx", SMALL, DOCX)],
        inner=dict(subject="Earlier", body="b", sender="x@council.example", to="y@council.example",
                   files=[formats.MsgFile("inner form.docx", SMALL, DOCX)]))
    message = msg.read_msg(data)
    assert (message.subject, message.body, message.sender) == ("FW: Practice Alert", "Forwarded.", "r.evans@council.example")
    assert [(a.filename, a.data) for a in message.attachments[:2]] == [("large form.docx", LARGE), ("small form.docx", SMALL)]
    assert [(a.filename, a.data) for a in message.attachments[2].embedded] == [("inner form.docx", SMALL)]
    found = find_forms(wrap("forwarded.msg", data, "application/vnd.ms-outlook"))
    assert [f.filename for f in found.forms] == ["large form.docx", "small form.docx", "inner form.docx"]
    assert {f.source for f in found.forms} == {"outlook-msg"}


def test_damaged_msg_is_reported_not_raised():
    found = find_forms(wrap("forwarded.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "application/vnd.ms-outlook"))
    assert found.forms == () and found.problems and found.other_names == ("forwarded.msg",)


def test_forwarded_message_inside_forwarded_message():
    raw = (FIXTURES / "new_alert_forwarded_rfc822.eml").read_bytes()
    inner = email.message_from_bytes(raw, policy=email.policy.default)
    outer = EmailMessage()
    outer["From"] = "a.okafor@council.example"
    outer.set_content("FW of a FW")
    outer.add_attachment(inner)
    found = find_forms(email.message_from_bytes(outer.as_bytes(), policy=email.policy.default))
    assert [f.filename for f in found.forms] == ["Practice Alert (from SW).docx"]


def test_other_attachments_are_named_and_filenames_are_made_safe():
    found = find_forms(wrap("../../etc/form.docx", SMALL, DOCX))
    assert found.forms[0].filename == ".._.._etc_form.docx"
    found = find_forms(wrap("scan.pdf", b"%PDF-1.7", "application/pdf"))
    assert found.forms == () and found.other_names == ("scan.pdf",)
