"""The new text of a reply: quoted history and signatures stripped, never the whole reply lost."""

from __future__ import annotations

import pytest

from practice_alerts.mailflow.html_text import html_to_text
from practice_alerts.mailflow.reply_text import new_text

OUTLOOK = """Visit booked for Friday.

Kind regards
Dana

________________________________
From: Practice Alerts <practice.alerts@council.example>
Sent: 01 December 2026 09:30
To: Dana Price <d.price@council.example>
Subject: [PA-2026-0001] Practice Alert

Old letter text
"""


@pytest.mark.parametrize("body, expected", [
    (OUTLOOK, "Visit booked for Friday.\n\nKind regards\nDana"),
    ("Agreed.\n\n-----Original Message-----\nFrom: x\nSent: y\nTo: z\n\nold", "Agreed."),
    ("Agreed.\n\nOn Tue, 1 Dec 2026 at 10:00, Practice Alerts <pa@council.example> wrote:\n> old\n> older", "Agreed."),
    ("Agreed.\n\nOn Tue, 1 Dec 2026 at 10:00, Practice Alerts <\npa@council.example> wrote:\n\n> old", "Agreed."),
    ("Agreed.\n\nFrom: Practice Alerts\nSent: Tuesday, December 1, 2026 10:00 AM\nTo: Dana\nSubject: x\n\nold",
     "Agreed."),
    ("Agreed.\n*From:* Practice Alerts\n*Sent:* 1 Dec\n*To:* Dana\n\nold", "Agreed."),
    ("Einverstanden.\n\nVon: Practice Alerts\nGesendet: Dienstag\nAn: Dana\nBetreff: x\n\nalt", "Einverstanden."),
    ("Satisfied\n\n-- \nAmara Okafor\nIRO", "Satisfied"),
    ("Satisfied\n\nSent from my iPhone", "Satisfied"),
    ("Satisfied\n\nGet Outlook for iOS\n", "Satisfied"),
])
def test_history_and_signature_are_stripped(body, expected):
    assert new_text(body) == expected


def test_a_reply_starting_from_my_point_of_view_survives():
    body = "From my point of view the plan is on track.\nSent: the letter yesterday.\nTo: confirm, yes."
    assert new_text(body).startswith("From my point of view")


def test_a_person_quoting_someone_who_wrote_is_not_taken_for_history():
    body = "Thanks.\nOn 3 December the school wrote:\nThe PEP meeting is booked for 9 December."
    assert new_text(body) == body
    assert new_text("Thanks.\nOn 3 Dec 2026, at 10:00, Practice Alerts wrote:\n\nold") == "Thanks."


def test_when_stripping_leaves_nothing_the_whole_body_is_kept():
    body = "> only a quote\n> nothing new"
    assert new_text(body) == body
    assert new_text("-- \nsignature only") == "-- \nsignature only"


def test_inline_quotes_are_dropped_but_answers_kept():
    body = "> Was the visit done?\nYes, on 1 December.\n> Assessment?\nDue 11 December."
    assert new_text(body) == "Yes, on 1 December.\nDue 11 December."


def test_outlook_html_reply_is_read_as_text_and_stripped():
    html = ("<html><body><p class=MsoNormal>Visit done.</p><p class=MsoNormal>&nbsp;</p>"
            "<div style='border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>From:</b> Practice Alerts<br>"
            "<b>Sent:</b> 01 December 2026 09:30<br><b>To:</b> Dana<br><b>Subject:</b> x</p></div>"
            "<p>old letter</p></body></html>")
    assert new_text(html_to_text(html)) == "Visit done."


def test_gmail_html_quote_is_marked_and_stripped():
    html = ('<div dir="ltr">Meeting on 9 December.</div><div class="gmail_quote">'
            '<div class="gmail_attr">On Tue, 1 Dec 2026 at 10:00, Practice Alerts wrote:<br></div>'
            '<blockquote class="gmail_quote">old text</blockquote></div>')
    text = html_to_text(html)
    assert "> old text" in text.replace("> > ", "> ")
    assert new_text(text) == "Meeting on 9 December."


def test_html_to_text_keeps_structure_and_drops_scripts():
    html = ("<html><head><title>t</title><style>p {color: red}</style><script>alert(1)</script></head>"
            "<body><p>Caf&eacute; &amp; more</p><ul><li>one</li><li>two</li></ul>"
            "<p><a href='https://example.org/x'>the guide</a> and <a href='mailto:a@b.example'>a@b.example</a></p>"
            "<pre>keep   spacing\nhere</pre></body></html>")
    text = html_to_text(html)
    assert "alert(1)" not in text and "color" not in text
    assert "Café & more" in text
    assert "- one\n- two" in text
    assert "the guide <https://example.org/x>" in text
    assert "a@b.example <" not in text
    assert "keep   spacing\nhere" in text
