"""The workflow: a pure functional core.

``decide(state, event, policy, directory, calendar, now) -> Decision(state, actions)`` applies one
event; ``replay`` folds stored events into the current state; ``due_clock_events`` / ``run_clock``
say what the clock must do at ``now``; ``simulate`` plays a what-if. Nothing here touches mail,
files, a database or the system clock (tests/unit/workflow/test_purity.py checks it).

Each name below is imported from its module when first asked for, so a command that only reads
an alert's state or counts working days (``status``, ``deadline``) does not load the decision
tables, the clock and the simulator.
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_MODULE_NAMES = {
    "actions": (
        "AcknowledgeIro", "Action", "AddToAgenda", "AskIro", "CloseAlert", "DraftCafcassReferral",
        "DraftExternalAgencyLetter", "DutyNote", "EscalateAutomatically", "Notify", "NotifyBeforeCafcass", "Remind",
        "ReportRecipientError", "SendStageLetter", "parse_action",
    ),
    "calendar": ("WorkingCalendar",),
    "clock": ("due_clock_events", "run_clock"),
    "context": ("Decision", "Refused"),
    "decide": ("ReplayError", "decide", "replay", "replay_with_actions"),
    "events": (
        "Close", "DeadlineMissed", "EscalateTo", "Event", "NotSatisfied", "Raised", "ReferToCafcass", "ReminderDue",
        "Response", "Resume", "Satisfied", "TimeOut", "dump_event", "parse_event",
    ),
    "facts": ("AlertFacts",),
    "ladder": ("iro_options", "ladder"),
    "simulate": ("Simulation", "TimelineEntry", "final_summary", "simulate"),
    "state": ("AlertState", "ReminderSent", "StageVisit", "Status", "TimeOutRecord"),
}
_HOMES = {name: module for module, names in _MODULE_NAMES.items() for name in names}
"""Where each name of the package lives: it is imported from there when first asked for."""

__all__ = [
    "AcknowledgeIro", "Action", "AddToAgenda", "AlertFacts", "AlertState", "AskIro", "Close", "CloseAlert",
    "DeadlineMissed", "Decision", "DutyNote", "DraftCafcassReferral", "DraftExternalAgencyLetter", "EscalateAutomatically",
    "EscalateTo", "Event", "NotSatisfied", "Notify", "NotifyBeforeCafcass", "Raised", "ReferToCafcass", "Refused",
    "Remind", "ReminderDue", "ReminderSent", "ReplayError", "ReportRecipientError", "Response", "Resume",
    "Satisfied", "SendStageLetter", "Simulation", "StageVisit", "Status", "TimeOut", "TimeOutRecord",
    "TimelineEntry", "WorkingCalendar", "decide", "due_clock_events", "dump_event", "final_summary",
    "iro_options", "ladder", "parse_action", "parse_event", "replay", "replay_with_actions", "run_clock", "simulate",
]


def __getattr__(name: str) -> Any:
    """``from practice_alerts.workflow import decide`` loads ``decide``'s module only then.

    A command that needs only the state of an alert (``status``, ``alert show``) does not pay
    for the decision tables, the clock and the simulator it never runs.
    """
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """Keeps ``decide``, ``simulate`` and ``ladder`` the functions, as when this package imported them.

    Python sets a package attribute to each submodule it imports; three functions share their
    module's name, and once imported the function must win, whichever is imported first.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _HOMES.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
