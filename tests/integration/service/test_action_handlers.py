"""The action handler table: every workflow action type has exactly one handler, an action without
one fails loudly, and each handler, run for real on a raised alert, enqueues its mail under the
Message-ID the event and the action always give, and says which of its messages are filed.

Adding an action type to workflow/actions.py means one handler in pipeline/handlers.py and one
sample action in SAMPLES below (the tests fail until both are there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, get_args, get_type_hints

import pytest

from practice_alerts import demo_mail
from practice_alerts.commands.demo import prepare
from practice_alerts.config import load_config
from practice_alerts.mailflow.compose import Outgoing
from practice_alerts.mailflow.msgid import make_message_id, verify_message_id
from practice_alerts.pipeline import actions as performing
from practice_alerts.pipeline.actions import perform
from practice_alerts.pipeline.alerts import AlertCache, LoadedAlert
from practice_alerts.pipeline.context import ServiceContext, open_service
from practice_alerts.pipeline.handlers import HANDLERS, MissingHandler, handler_for
from practice_alerts.pipeline.handling import Step, action_key
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.runloop import Runner
from practice_alerts.store import unit_of_work
from practice_alerts.workflow import actions as a

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
MAILBOX = "practice.alerts@example.gov.uk"
IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
REFERENCE = "PA-2026-0001"
DUE = dt.date(2026, 12, 14)
TO = (IRO[1],)

SAMPLES: dict[type, tuple[a.Action, str, bool]] = {
    a.SendStageLetter: (a.SendStageLetter(reference=REFERENCE, to=TO, stage="stage1", stage_name="Stage 1",
                                         recipient_role="team_manager", recipient_name="Jo Bloggs", due=DUE), "stage1-letter", True),
    a.Notify: (a.Notify(reference=REFERENCE, to=TO, why="escalated", stage="stage1", due=DUE), "notify-escalated", True),
    a.AcknowledgeIro: (a.AcknowledgeIro(reference=REFERENCE, to=TO, stage="stage1", stage_name="Stage 1", due=DUE), "ack", True),
    a.AskIro: (a.AskIro(reference=REFERENCE, to=TO, why="deadline_missed", stage="stage1"), "decide", False),
    a.Remind: (a.Remind(reference=REFERENCE, to=TO, stage="stage1", due=DUE, days_before=2), "remind-stage1", False),
    a.EscalateAutomatically: (a.EscalateAutomatically(reference=REFERENCE, to=TO, from_stage="stage1",
                                                     to_stage="stage2", missed_due=DUE), "auto-escalated", False),
    a.DraftExternalAgencyLetter: (a.DraftExternalAgencyLetter(reference=REFERENCE, to=TO, agency="The Agency",
                                                             letter_number=1, due=DUE), "agency-letter-1", False),
    a.NotifyBeforeCafcass: (a.NotifyBeforeCafcass(reference=REFERENCE, to=TO, roles=("legal",)), "before-cafcass", False),
    a.DraftCafcassReferral: (a.DraftCafcassReferral(reference=REFERENCE, to=TO, contact_role="legal"), "cafcass-draft", True),
    a.AddToAgenda: (a.AddToAgenda(reference=REFERENCE, to=TO, meeting="Challenge Meeting", stage="stage1"), "agenda", False),
    a.ReportRecipientError: (a.ReportRecipientError(reference=REFERENCE, to=TO, stage="stage1", role="team_manager",
                                                   message="Nobody holds the role.", blocking=True), "recipient-problem", False),
    a.CloseAlert: (a.CloseAlert(reference=REFERENCE, to=TO, outcome="resolved"), "closed", True),
}
"""One action of each type, addressed to the IRO, the name its message is keyed by (see ``action_key``), and
whether its handler marks that message filed (sent with the case note to whoever keeps the case record)."""


def action_classes() -> set[type]:
    """Every concrete action class: the members of the ``Action`` union, checked against all subclasses."""
    union = set(get_args(get_args(a.Action)[0]))

    def walk(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    subclasses = {c for c in walk(a._Action) if c.__module__ == a.__name__}
    assert union == subclasses, f"the Action union and the subclasses of _Action differ: {union ^ subclasses}"
    return union


def test_every_action_class_has_exactly_one_handler_and_one_sample() -> None:
    classes = action_classes()
    assert len(classes) >= 12
    assert set(HANDLERS) == classes, (f"without a handler: {sorted(c.__name__ for c in classes - set(HANDLERS))}; "
                                      f"not actions: {sorted(c.__name__ for c in set(HANDLERS) - classes)}")
    assert len(set(HANDLERS.values())) == len(HANDLERS), "a handler serves more than one action type"
    for cls, handler in HANDLERS.items():
        assert get_type_hints(handler)["action"] is cls, f"{handler.__name__} is listed for {cls.__name__}"
    assert set(SAMPLES) == classes, f"no sample for {sorted(c.__name__ for c in classes - set(SAMPLES))}"
    assert all(type(sample) is cls for cls, (sample, _, _) in SAMPLES.items())


class Unlisted(a._Action):
    """An action type the table does not know (as a new one would be before its handler is written)."""

    kind: Literal["unlisted"] = "unlisted"


def test_an_action_without_a_handler_fails_loudly_naming_its_type() -> None:
    with pytest.raises(MissingHandler, match=r"Unlisted \(kind 'unlisted'\)"):
        handler_for(Unlisted(reference=REFERENCE, to=TO))


@pytest.fixture(scope="module")
def raised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceContext]:
    """The demo service (rutland) after one pass over a new alert from the IRO."""
    folder: Path = tmp_path_factory.mktemp("handlers") / "demo"
    config = prepare(folder, "rutland")
    environ = {"PRACTICE_ALERTS_SECRET": "handler-table-message-id-key-0123"}
    ctx = open_service(load_config(config, environ), environ)
    values = demo_mail.form_values(ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                   team_manager=None, raised=NOW.date(), external_agency="The Agency")
    form = demo_mail.filled_form(ctx.policy, values)
    (folder / "mail" / "new" / "1700000001.M1P1.handlers.eml").write_bytes(
        demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=form, at=NOW, message_id="<a1@example.gov.uk>"))
    Runner(ctx, clock=lambda: NOW, log=JsonLog(quiet=True)).one_pass()
    try:
        yield ctx
    finally:
        ctx.close()


def step_of(loaded: LoadedAlert, sequence: int) -> Step:
    assert loaded.state is not None and loaded.form is not None
    return Step(reference=loaded.reference, sequence=sequence, event=loaded.events[-1], state=loaded.state,
                events=list(loaded.events), form=loaded.form, event_id=loaded.stored[-1].id)


def test_a_missing_handler_stops_perform_before_anything_is_done(raised: ServiceContext) -> None:
    with pytest.raises(MissingHandler, match="Unlisted"), unit_of_work(raised.database, now=NOW) as work:
        step = step_of(AlertCache().load(work, REFERENCE), 90)
        perform(raised, work, step, (SAMPLES[a.SendStageLetter][0], Unlisted(reference=REFERENCE, to=TO)), NOW)  # type: ignore[arg-type]
    assert step.written == []
    with raised.database.reading() as reads:
        assert not reads.outbox_has(make_message_id(REFERENCE, "e90-stage1-letter-0", secret=raised.secret,
                                                    domain=raised.mail.message_id_domain))


@pytest.mark.parametrize("kind", sorted(SAMPLES, key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_each_handler_enqueues_its_mail_under_the_key_the_event_gives(raised: ServiceContext, kind: type) -> None:
    sequence = 100 + sorted(SAMPLES, key=lambda c: c.__name__).index(kind)
    action, name, _ = SAMPLES[kind]
    with unit_of_work(raised.database, now=NOW) as work:
        step = step_of(AlertCache().load(work, REFERENCE), sequence)
        count = perform(raised, work, step, (action,), NOW)
    assert count == 1
    key = f"e{sequence}-{name}-0"
    message_id = make_message_id(REFERENCE, key, secret=raised.secret, domain=raised.mail.message_id_domain)
    with raised.database.reading() as reads:
        assert reads.outbox_has(message_id), f"{kind.__name__}: nothing enqueued as {key}"
    assert verify_message_id(message_id, secret=raised.secret) == (REFERENCE, key)


def performed(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, sequence: int,
              actions: tuple[a.Action, ...]) -> list[Outgoing]:
    """What ``perform`` hands to ``enqueue`` for ``actions``, in order (nothing reaches the outbox)."""
    enqueued: list[Outgoing] = []
    monkeypatch.setattr(performing, "enqueue", lambda _ctx, _work, outgoing, *_args, **_kw: enqueued.append(outgoing))
    with unit_of_work(ctx.database, now=NOW) as work:
        perform(ctx, work, step_of(AlertCache().load(work, REFERENCE), sequence), actions, NOW)
    return enqueued


@pytest.mark.parametrize("kind", sorted(SAMPLES, key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_a_message_its_handler_marks_filed_goes_to_the_record_keeper_with_the_case_note(
        raised: ServiceContext, kind: type, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rutland's IRO keeps the case record (``case_record``: filed by the IRO, a case note each step), and
    every sample goes to the IRO: only the messages the handlers mark ``filed`` carry the case note."""
    action, _, filed = SAMPLES[kind]
    (outgoing,) = performed(raised, monkeypatch, 200 + sorted(SAMPLES, key=lambda c: c.__name__).index(kind), (action,))
    assert ("To file on" in outgoing.text) is filed, kind.__name__


def test_the_step_letter_goes_with_each_filed_message_after_it(raised: ServiceContext,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The stage letter's handler marks its attachment as the step's letter; a filed message later in the
    step (the acknowledgement) carries it too, one that is not filed (a reminder) does not."""
    actions = (SAMPLES[a.AcknowledgeIro][0], SAMPLES[a.SendStageLetter][0], SAMPLES[a.AcknowledgeIro][0],
               SAMPLES[a.Remind][0])
    before, letter, ack, reminder = performed(raised, monkeypatch, 250, actions)
    name = letter.attachments[0].filename
    assert name.endswith("letter.docx")
    assert name in {x.filename for x in ack.attachments}
    assert name not in {x.filename for x in (*before.attachments, *reminder.attachments)}


def test_action_keys_keep_their_form() -> None:
    """The Message-IDs already sent depend on these keys: a change would send mail twice after an upgrade."""
    step = Step(reference=REFERENCE, sequence=3, event=None, state=None, events=[], form=None)  # type: ignore[arg-type]
    assert action_key(step, "stage2_letter", 0) == "e3-stage2-letter-0"
    assert action_key(step, "notify-" + "x" * 80, 12)[:10] == "e3-notify-"
    assert len(action_key(step, "notify-" + "x" * 80, 12)) == 64
    assert make_message_id(REFERENCE, "e2-stage1-letter-0", secret=b"notice-examples-message-id-key-0123",
                           domain="example.gov.uk") == "<pa.PA-2026-0001.e2-stage1-letter-0.7125963d60e2471f@example.gov.uk>"
