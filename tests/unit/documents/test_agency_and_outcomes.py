"""External letters address a named person; stage records give each stage's true outcome (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.documents.agency_address import read_agency
from practice_alerts.documents.context import LetterPerson, StageRecord


@pytest.mark.parametrize(("text", "name", "addressee", "salutation"), [
    ("Ms A Patel, Head Teacher, Oakham Primary School, 1 School Lane", "Oakham Primary School",
     "Ms A Patel, Head Teacher", "Ms Patel"),
    ("FAO Dr Jones - Designated Doctor, NHS Rutland", "NHS Rutland", "Dr Jones, Designated Doctor", "Dr Jones"),
    ("Head Teacher, Oakham Primary School, 1 School Lane", "Oakham Primary School", "The Head Teacher",
     "Head Teacher"),
    ("Oakham Primary School\n1 School Lane\nOakham", "Oakham Primary School", "The Manager", "Sir or Madam"),
    ("Mrs Sarah Jane Smith\nExample Academy Trust", "Example Academy Trust", "Mrs Sarah Jane Smith", "Mrs Smith"),
])
def test_the_letter_is_addressed_to_whoever_the_form_names(text, name, addressee, salutation):
    found = read_agency(text)
    assert (found.name, found.addressee, found.salutation) == (name, addressee, salutation)


def _record(**changes: object) -> StageRecord:
    return StageRecord(stage_name="Stage 1", recipient=LetterPerson(name="Jo Bloggs", role="Team Manager"),
                       sent=dt.date(2026, 11, 30), due=dt.date(2026, 12, 7), **changes)


@pytest.mark.parametrize(("changes", "outcome"), [
    ({}, "Awaiting response"),
    ({"ended": "bypassed"}, "Bypassed by the IRO before a response"),
    ({"ended": "referred_to_cafcass"}, "Referred to CAFCASS before a response"),
    ({"ended": "escalated_automatically", "on_time": False}, "No response by the due date"),
    ({"ended": "escalated", "responded": dt.date(2026, 12, 3), "on_time": True}, "Responded on time"),
])
def test_each_stage_shows_its_true_outcome(changes, outcome):
    assert _record(**changes).outcome == outcome
