from __future__ import annotations

from practice_alerts.policies.load import load_policy
from practice_alerts.policies.roles import Role
from practice_alerts.reports.recipients import report_recipients, report_roles
from practice_alerts.workflow.directory import Directory, Person

QA = Person(name="QA Service", email="QA.Service@example.gov.uk", roles=[Role.QA_SERVICE])
HEAD = Person(name="Head of QA", email="head.qa@example.gov.uk", roles=[Role.HEAD_OF_QA])
IRO_TM = Person(name="IRO TM", email="iro.tm@example.gov.uk", roles=[Role.IRO_TEAM_MANAGER])


def test_rutland_sends_the_report_to_the_qa_service():
    policy = load_policy("rutland")
    assert report_roles(policy) == (Role.QA_SERVICE,)
    assert report_recipients(policy, Directory(people=[QA, HEAD])) == (["qa.service@example.gov.uk"], [])


def test_the_preparer_named_by_the_policy_gets_it_too():
    policy = load_policy("rutland")
    policy = policy.model_copy(update={"reporting": policy.reporting.model_copy(update={"prepared_by": Role.IRO_TEAM_MANAGER})})
    addresses, missing = report_recipients(policy, Directory(people=[QA, IRO_TM]))
    assert addresses == ["iro.tm@example.gov.uk", "qa.service@example.gov.uk"] and missing == []


def test_falls_back_to_the_head_of_qa_and_says_who_was_missing():
    addresses, missing = report_recipients(load_policy("rutland"), Directory(people=[HEAD]))
    assert addresses == ["head.qa@example.gov.uk"]
    assert missing == [Role.QA_SERVICE]


def test_nobody_to_send_to_is_said_plainly():
    addresses, missing = report_recipients(load_policy("rutland"), Directory(people=[]))
    assert addresses == [] and Role.QA_SERVICE in missing
