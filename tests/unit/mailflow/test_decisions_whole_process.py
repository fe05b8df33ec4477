"""Issue 13: the IRO's replies that record what the procedures ask around the ladder."""

from __future__ import annotations

import datetime as dt

from practice_alerts.mailflow.copied import copied_addresses
from practice_alerts.mailflow.decisions import options_for, parse_decision
from practice_alerts.mailflow.protocols import AlertSummary
from practice_alerts.policies.load import load_policy
from practice_alerts.policies.schema import CaseType

TODAY = dt.date(2026, 12, 1)
ICS = load_policy("integrated_childrens_services")
WS = load_policy("west_sussex")


def alert(**changes: object) -> AlertSummary:
    base = AlertSummary(reference="PA-2026-0001", iro_email="iro@council.example", stage_key="level1",
                        stage_name="Level 1", case_type=CaseType.CLA)
    return base.model_copy(update=changes)


def test_seed001_time_out_reply_names_who_agreed():
    decision = parse_decision("TIME OUT UNTIL 14/12/2026\nWaiting for the family.\nAgreed by: Lee Overseer",
                              policy=ICS, alert=alert(), today=TODAY)
    assert (decision.kind, decision.until, decision.agreed_by, decision.reason) == (
        "time_out", dt.date(2026, 12, 14), "Lee Overseer", "Waiting for the family.")
    untouched_hint = parse_decision("TIME OUT UNTIL 14/12/2026\nReason:\nAgreed by: (your IRO / CP Chair Team "
                                    "Manager's name or e-mail, or copy them in)", policy=ICS, alert=alert(), today=TODAY)
    assert untouched_hint.agreed_by == ""
    [offered] = [o for o in options_for(ICS, alert()) if o.kind == "time_out"]
    assert "Agreed by:" in offered.hint


def test_seed001_the_line_manager_copied_in_is_read_from_the_headers():
    raw = (b"From: Dana <dana@example.gov.uk>\r\nTo: pa@example.gov.uk\r\n"
           b"Cc: Lee Overseer <Lee.Overseer@example.gov.uk>, other@example.gov.uk\r\nSubject: RE: x\r\n\r\n"
           b"Cc: not-a-header@example.gov.uk\r\n")
    assert copied_addresses(raw) == ["lee.overseer@example.gov.uk", "other@example.gov.uk"]


def test_seed001_level6_replies_not_referring_and_consulted():
    considering = alert(stage_key="level5", stage_name="Level 5", status="considering_cafcass")
    kinds = [o.kind for o in options_for(ICS, considering)]
    assert kinds == ["refer_to_cafcass", "cafcass_not_referred", "consulted", "close"]
    assert parse_decision("Not referring\nThe plan is now agreed.", policy=ICS, alert=considering,
                          today=TODAY).kind == "cafcass_not_referred"
    consulted = parse_decision("CONSULTED legal.children@example.gov.uk\nAdvise a referral.", policy=ICS,
                               alert=considering, today=TODAY)
    assert (consulted.kind, consulted.who, consulted.notes) == ("consulted", "legal.children@example.gov.uk",
                                                                "Advise a referral.")


def test_seed004_child_told_rights_and_outcome():
    told = parse_decision("CHILD TOLD RIGHTS 30/11/2026 in person at the review", policy=WS,
                          alert=alert(stage_key="stage1", stage_name="Stage 1"), today=TODAY)
    assert (told.kind, told.what, told.on, told.notes) == ("child_informed", "rights", dt.date(2026, 11, 30),
                                                           "in person at the review")
    outcome = parse_decision("Child told the outcome by phone", policy=WS, alert=alert(open=False), today=TODAY)
    assert (outcome.kind, outcome.what, outcome.on, outcome.notes) == ("child_informed", "outcome", None, "by phone")
