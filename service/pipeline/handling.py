"""What an action handler is given and what it gives back (the handlers are in ``handlers``).

A handler turns one workflow action into the messages to enqueue and the documents to write; it
sends and writes nothing itself, so ``actions.perform`` does every effect in one place and in order.
Each message's action key is built here from the event's sequence number, the handler's name for
the message and the action's position, so the same event handled again gives the same Message-IDs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from practice_alerts.documents import render
from practice_alerts.documents.context import LetterAlert
from practice_alerts.forms.record import AlertForm
from practice_alerts.mailflow.compose import Addressee, Notice, Outgoing, OutgoingAttachment
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.copies import DOCX
from practice_alerts.pipeline.returned import ReturnedForm
from practice_alerts.workflow import actions as a
from practice_alerts.workflow.events import Event
from practice_alerts.workflow.state import AlertState


@dataclass
class Step:
    """What one event is about: the alert as it now stands and where the event came from."""

    reference: str
    sequence: int
    event: Event
    state: AlertState
    events: list[Event]
    form: AlertForm | None
    event_id: int | None = None
    inbound_message_id: str | None = None
    thread: tuple[str, ...] = ()
    written: list[Path] = field(default_factory=list)
    returned: ReturnedForm | None = None
    """A manager's returned form whose management section is the response (sent on to the IRO)."""
    copied: tuple[str, ...] = ()
    """Everyone this step's actions copy in or tell (``workflow.actions.copied_by``, the rule the decided
    record's copies follow); the IRO's acknowledgement names them, less the IRO it is addressed to."""


@dataclass(frozen=True)
class Message:
    """One message to enqueue; ``purpose`` is the outbox's label (the action's kind, or e.g. 'thanks')."""

    outgoing: Outgoing
    purpose: str
    filed: bool = False
    """It carries what the case-record keeper files (the policy's ``case_record``): sent to them, it
    also gets the case note so far and the step's letter, paste-ready."""
    letter: OutgoingAttachment | None = None
    """The step's letter, when this message carries it: filed messages after it in the step attach it too."""


@dataclass(frozen=True)
class Handled:
    """What one action comes to: messages to enqueue and documents to write, each in order."""

    messages: tuple[Message, ...] = ()
    documents: tuple[render.Rendered, ...] = ()


NOTHING = Handled()


def sent(action: a.Action, outgoing: Outgoing, *documents: render.Rendered, filed: bool = False,
         letter: OutgoingAttachment | None = None) -> Handled:
    """The usual result: one message labelled with the action's kind, and the documents it carries
    (``filed`` and ``letter`` as on ``Message``)."""
    return Handled((Message(outgoing, action.kind, filed=filed, letter=letter),), documents)


def attach(rendered: render.Rendered) -> OutgoingAttachment:
    return OutgoingAttachment(filename=rendered.filename, content=rendered.docx, mime_type=DOCX)


def text_notice(lines: list[str]) -> str:
    return "\n\n".join(line for line in lines if line)


def people(ctx: ServiceContext, emails: tuple[str, ...] | list[str]) -> tuple[Addressee, ...]:
    return tuple(Addressee(email=e, name=ctx.name_of(e)) for e in dict.fromkeys(emails) if e)


def action_key(step: Step, name: str, index: int) -> str:
    """E.g. 'e3-stage2-letter-0': unique per alert, the same every time this event is handled."""
    key = f"e{step.sequence}-{name}-{index}".lower().replace("_", "-")
    return key[:64]


@dataclass(frozen=True)
class Handling:
    """One action of a step, as its handler sees it: ``to`` and ``cc`` are the action's addressees."""

    ctx: ServiceContext
    step: Step
    index: int
    details: LetterAlert | None
    """The alert's details for documents (``from_alert.alert_details``); None when the step has no form."""
    today: dt.date
    to: tuple[Addressee, ...] = ()
    cc: tuple[Addressee, ...] = ()

    def addressed(self, to: Iterable[str], cc: Iterable[str] = ()) -> Handling:
        """The same action sent to ``to`` and ``cc`` (named from the directory; nobody in both)."""
        to = tuple(to)
        return replace(self, to=people(self.ctx, to), cc=people(self.ctx, [e for e in cc if e not in to]))

    def mail(self, name: str, notice: Notice, text: str, **extra: object) -> Outgoing:
        """A message to the addressees, in the step's thread, keyed ``name`` (see ``action_key``)."""
        step = self.step
        return Outgoing(reference=step.reference, action=action_key(step, name, self.index), notice=notice,
                        to=self.to, cc=self.cc, text=text, in_reply_to=step.inbound_message_id,
                        references=step.thread, **extra)

    def stage_name(self, key: str | None) -> str | None:
        """The policy's name for a stage (the key itself if the policy no longer has it)."""
        if key is None:
            return None
        try:
            return self.ctx.policy.stage(key).name
        except KeyError:
            return key
