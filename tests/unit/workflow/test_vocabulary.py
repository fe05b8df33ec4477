"""The states, events and action kinds issue 2 names: other parts of the service rely on them."""

from __future__ import annotations

from practice_alerts.workflow import actions, events
from practice_alerts.workflow.state import Status


def test_every_state_the_process_needs():
    assert [s.value for s in Status] == [
        "informal", "awaiting_response", "awaiting_decision", "timed_out", "referred_to_cafcass",
        "unresolved", "considering_cafcass", "resolved", "closed",
    ]


def test_every_event_and_its_fields():
    assert set(events.EVENT_TYPES) == {
        "raised", "response", "satisfied", "not_satisfied", "escalate_to", "time_out", "resume", "refer_to_cafcass",
        "close", "reminder_due", "deadline_missed", "overall_limit", "consulted", "child_informed",
        "cafcass_not_referred",
        # recorded by an administrator (workflow.admin_events)
        "recorded_response", "correct_fact", "reopen", "withdraw", "merge_into", "decision_on_behalf",
        "letter_undelivered",
    }
    assert {"start_stage", "bypass_reason"} <= events.Raised.model_fields.keys()
    assert {"stage", "reason"} <= events.EscalateTo.model_fields.keys()
    assert {"until", "reason", "agreed_by"} <= events.TimeOut.model_fields.keys()


def test_every_kind_of_action_has_recipients():
    kinds = {
        cls.model_fields["kind"].default: cls for cls in vars(actions).values()
        if isinstance(cls, type) and hasattr(cls, "model_fields") and "kind" in cls.model_fields
    }
    assert {
        "send_stage_letter", "notify", "ask_iro", "remind", "draft_external_agency_letter", "draft_cafcass_referral",
        "notify_before_cafcass", "add_to_agenda", "close_alert", "report_recipient_error",
    } <= kinds.keys()
    for kind, cls in kinds.items():
        assert {"to", "cc"} <= cls.model_fields.keys(), f"{kind} says whom it is for"
