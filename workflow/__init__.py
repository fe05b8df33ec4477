"""The workflow: a pure functional core.

``decide(state, event, policy, directory, calendar, now) -> Decision(state, actions)`` applies one
event; ``replay`` folds stored events into the current state; ``due_clock_events`` / ``run_clock``
say what the clock must do at ``now``; ``simulate`` plays a what-if. Nothing here touches mail,
files, a database or the system clock (tests/unit/workflow/test_purity.py checks it).
"""

from practice_alerts.workflow.actions import (
    AcknowledgeIro,
    Action,
    AddToAgenda,
    AskIro,
    CloseAlert,
    DraftCafcassReferral,
    DraftExternalAgencyLetter,
    DutyNote,
    EscalateAutomatically,
    Notify,
    NotifyBeforeCafcass,
    Remind,
    ReportRecipientError,
    SendStageLetter,
    parse_action,
)
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.clock import due_clock_events, run_clock
from practice_alerts.workflow.context import Decision, Refused
from practice_alerts.workflow.decide import ReplayError, decide, replay, replay_with_actions
from practice_alerts.workflow.events import (
    Close,
    DeadlineMissed,
    EscalateTo,
    Event,
    NotSatisfied,
    Raised,
    ReferToCafcass,
    ReminderDue,
    Response,
    Resume,
    Satisfied,
    TimeOut,
    dump_event,
    parse_event,
)
from practice_alerts.workflow.facts import AlertFacts
from practice_alerts.workflow.ladder import iro_options, ladder
from practice_alerts.workflow.simulate import Simulation, TimelineEntry, final_summary, simulate
from practice_alerts.workflow.state import AlertState, ReminderSent, StageVisit, Status, TimeOutRecord

__all__ = [
    "AcknowledgeIro", "Action", "AddToAgenda", "AlertFacts", "AlertState", "AskIro", "Close", "CloseAlert",
    "DeadlineMissed", "Decision", "DutyNote", "DraftCafcassReferral", "DraftExternalAgencyLetter", "EscalateAutomatically",
    "EscalateTo", "Event", "NotSatisfied", "Notify", "NotifyBeforeCafcass", "Raised", "ReferToCafcass", "Refused",
    "Remind", "ReminderDue", "ReminderSent", "ReplayError", "ReportRecipientError", "Response", "Resume",
    "Satisfied", "SendStageLetter", "Simulation", "StageVisit", "Status", "TimeOut", "TimeOutRecord",
    "TimelineEntry", "WorkingCalendar", "decide", "due_clock_events", "dump_event", "final_summary",
    "iro_options", "ladder", "parse_action", "parse_event", "replay", "replay_with_actions", "run_clock", "simulate",
]
