"""The outbox: atomic with events, idempotent, claimed once, retried with back-off, then given up."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_alerts.store import NewEvent, OutgoingMail, RetryPolicy, unit_of_work
from practice_alerts.store.events import alert_events
from practice_alerts.store.outbox import (
    ABANDONED,
    abandoned,
    claim_due,
    defer,
    enqueue,
    give_up,
    given_up,
    mark_failed,
    mark_sent,
    outbox_for_alert,
    retry_given_up,
    sent_since,
)
from practice_alerts.store.references import list_alerts

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
MINUTE = dt.timedelta(minutes=1)
POLICY = RetryPolicy(
    first_delay=MINUTE, factor=2, max_delay=dt.timedelta(minutes=5), max_attempts=4, claim_for=dt.timedelta(minutes=10)
)


def mail(n: int, reference: str | None = None, event_id: int | None = None) -> OutgoingMail:
    return OutgoingMail(
        message_id=f"<PA-2026-0001.stage-1.{n}@alerts.example.gov.uk>",
        purpose="stage_letter",
        envelope_from="alerts@example.gov.uk",
        envelope_to=("tm@example.gov.uk", "lac-admin@example.gov.uk"),
        raw=f"Subject: PA-2026-0001 stage 1\r\n\r\nletter {n}\r\n".encode(),
        alert_reference=reference,
        caused_by_event_id=event_id,
    )


class Boom(Exception):
    pass


def test_a_failure_in_the_transaction_leaves_neither_event_nor_outbox_row(database) -> None:
    with pytest.raises(Boom), unit_of_work(database, now=NOW) as work:
        alert = work.create_alert()
        stored = work.append_event(alert.reference, NewEvent(event_type="stage_started", payload={}, occurred_at=NOW))
        work.enqueue(mail(1, alert.reference, stored.id))
        raise Boom
    with database._read_session() as session:
        assert list_alerts(session) == []
        assert alert_events(session, "PA-2026-0001") == []
    with database._write_session() as session:
        assert claim_due(session, now=NOW + dt.timedelta(days=1), limit=10) == []


def test_event_and_outbox_row_are_committed_together(database) -> None:
    with unit_of_work(database, now=NOW) as work:
        alert = work.create_alert()
        stored = work.append_event(alert.reference, NewEvent(event_type="stage_started", payload={}, occurred_at=NOW))
        work.enqueue(mail(1, alert.reference, stored.id))
    with database._read_session() as session:
        [queued] = outbox_for_alert(session, alert.reference)
    assert queued.caused_by_event_id == stored.id
    assert queued.envelope_to == ("tm@example.gov.uk", "lac-admin@example.gov.uk")
    assert queued.status == "pending" and queued.next_attempt_at == NOW


def test_enqueueing_the_same_message_id_twice_stores_it_once(database) -> None:
    with database._write_session() as session:
        first = enqueue(session, mail(1), now=NOW)
    with database._write_session() as session:
        second = enqueue(session, mail(1).model_copy(update={"raw": b"Subject: changed\r\n\r\nx"}), now=NOW + MINUTE)
    assert second.id == first.id
    assert second.raw == first.raw
    assert second.created_at == NOW


def test_a_claimed_message_is_not_claimed_again_until_its_claim_expires(database) -> None:
    with database._write_session() as session:
        for n in range(3):
            enqueue(session, mail(n), now=NOW + n * dt.timedelta(seconds=1))
    with database._write_session() as session:
        first = claim_due(session, now=NOW + MINUTE, limit=2, policy=POLICY)
    with database._write_session() as session:
        second = claim_due(session, now=NOW + MINUTE, limit=10, policy=POLICY)
    with database._write_session() as session:
        after_expiry = claim_due(session, now=NOW + dt.timedelta(minutes=12), limit=10, policy=POLICY)
    assert [i.message_id for i in first] == [mail(0).message_id, mail(1).message_id]
    assert [i.message_id for i in second] == [mail(2).message_id]
    assert all(i.attempts == 1 and i.claimed_until == NOW + dt.timedelta(minutes=11) for i in first)
    assert [i.message_id for i in after_expiry] == [mail(n).message_id for n in range(3)]
    assert all(i.attempts == 2 for i in after_expiry)


def test_a_message_not_yet_due_is_not_claimed(database) -> None:
    with database._write_session() as session:
        enqueue(session, mail(1), now=NOW)
        assert claim_due(session, now=NOW - MINUTE, limit=10) == []


def test_sent_messages_are_not_claimed_again(database) -> None:
    with database._write_session() as session:
        item = enqueue(session, mail(1), now=NOW)
        claim_due(session, now=NOW, limit=10, policy=POLICY)
    with database._write_session() as session:
        sent = mark_sent(session, item.id, now=NOW + MINUTE)
    assert (sent.status, sent.sent_at, sent.claimed_until) == ("sent", NOW + MINUTE, None)
    with database._write_session() as session:
        assert claim_due(session, now=NOW + dt.timedelta(days=1), limit=10, policy=POLICY) == []


def test_failures_back_off_exponentially_then_give_up_for_an_administrator(database) -> None:
    with database._write_session() as session:
        item = enqueue(session, mail(1), now=NOW)
    now = NOW
    waits = []
    for _ in range(POLICY.max_attempts):
        with database._write_session() as session:
            [claimed] = claim_due(session, now=now, limit=1, policy=POLICY)
            failed = mark_failed(session, claimed.id, now=now, error="421 try later", policy=POLICY)
        if failed.status == "pending":
            waits.append(failed.next_attempt_at - now)
            just_before = failed.next_attempt_at - dt.timedelta(seconds=1)
            with database._write_session() as session:  # not due before the back-off has passed
                assert claim_due(session, now=just_before, limit=1, policy=POLICY) == []
            now = failed.next_attempt_at
    assert waits == [MINUTE, 2 * MINUTE, 4 * MINUTE]
    assert failed.status == "gave_up" and failed.attempts == 4 and failed.last_error == "421 try later"
    with database._write_session() as session:
        assert [i.id for i in given_up(session)] == [item.id]
        assert claim_due(session, now=now + dt.timedelta(days=1), limit=1, policy=POLICY) == []
        again = retry_given_up(session, item.id, now=now)
    assert (again.status, again.attempts) == ("pending", 0)


def test_a_permanent_refusal_is_given_up_at_the_first_attempt_and_a_retry_goes_to_who_lacks_it(database) -> None:
    with database._write_session() as session:
        item = enqueue(session, mail(1), now=NOW)
    with database._write_session() as session:
        [claimed] = claim_due(session, now=NOW, limit=1, policy=POLICY)
        gone = give_up(session, claimed.id, now=NOW, error="refused for good: 550 no such mailbox",
                       only_to=("tm@example.gov.uk",))
    assert (gone.status, gone.attempts, gone.claimed_until) == ("gave_up", 1, None)
    assert gone.last_error == "refused for good: 550 no such mailbox"
    assert gone.envelope_to == ("tm@example.gov.uk",)  # lac-admin@ had it: not again
    with database._write_session() as session:
        assert [i.id for i in given_up(session)] == [item.id]
        assert give_up(session, item.id, now=NOW, error="again").last_error == gone.last_error  # only a pending one
        again = retry_given_up(session, item.id, now=NOW)
    assert (again.status, again.attempts, again.envelope_to) == ("pending", 0, ("tm@example.gov.uk",))


def test_a_deferral_after_a_partial_delivery_retries_only_the_rest(database) -> None:
    with database._write_session() as session:
        enqueue(session, mail(1), now=NOW)
    with database._write_session() as session:
        [claimed] = claim_due(session, now=NOW, limit=1, policy=POLICY)
        failed = mark_failed(session, claimed.id, now=NOW, error="452 mailbox full", policy=POLICY,
                             only_to=("lac-admin@example.gov.uk",))
    assert (failed.status, failed.envelope_to) == ("pending", ("lac-admin@example.gov.uk",))
    assert failed.next_attempt_at == NOW + MINUTE


def test_a_transport_retry_after_longer_than_the_back_off_is_respected(database) -> None:
    with database._write_session() as session:
        item = enqueue(session, mail(1), now=NOW)
        claim_due(session, now=NOW, limit=1, policy=POLICY)
        failed = mark_failed(
            session, item.id, now=NOW, error="throttled", retry_after=dt.timedelta(minutes=30), policy=POLICY
        )
    assert failed.next_attempt_at == NOW + dt.timedelta(minutes=30)


def test_a_last_attempt_that_was_never_reported_is_given_up(database) -> None:
    policy = POLICY.model_copy(update={"max_attempts": 1})
    with database._write_session() as session:
        item = enqueue(session, mail(1), now=NOW)
        claim_due(session, now=NOW, limit=1, policy=policy)  # the sender then dies
    later = NOW + dt.timedelta(hours=1)
    with database._write_session() as session:  # never claimed (so never sent) again: it may have gone out
        assert claim_due(session, now=later, limit=1, policy=policy) == []
        assert [m.id for m in abandoned(session, now=NOW, policy=policy)] == []  # the claim still runs
        [found] = abandoned(session, now=later, policy=policy)
        give_up(session, found.id, now=later, error=ABANDONED)  # what the sender does, telling people
        [gone] = given_up(session)
    assert found.id == gone.id == item.id and "stopped" in (gone.last_error or "")


def test_the_back_off_is_capped() -> None:
    assert [POLICY.delay_after(n) for n in (1, 2, 3, 4, 9)] == [
        MINUTE, 2 * MINUTE, 4 * MINUTE, 5 * MINUTE, 5 * MINUTE
    ]


def _claim_until_empty(url: str, barrier, results) -> None:
    from practice_alerts.store import open_database

    database = open_database(url, migrate=False)
    claimed: list[str] = []
    try:
        barrier.wait(timeout=60)
        while True:
            with database._write_session() as session:
                batch = claim_due(session, now=NOW, limit=1, policy=POLICY)
            if not batch:
                break
            claimed.extend(item.message_id for item in batch)
        results.put(claimed)
    except BaseException as error:
        results.put(repr(error))
    finally:
        database.dispose()


def test_two_senders_never_claim_the_same_message(database, database_url: str) -> None:
    import multiprocessing

    with database._write_session() as session:
        for n in range(30):
            enqueue(session, mail(n), now=NOW)
    database.dispose()
    fork = multiprocessing.get_context("fork")
    barrier, results = fork.Barrier(2), fork.Queue()
    senders = [fork.Process(target=_claim_until_empty, args=(database_url, barrier, results)) for _ in range(2)]
    for sender in senders:
        sender.start()
    outcomes = [results.get(timeout=120) for _ in senders]
    for sender in senders:
        sender.join(timeout=30)
    assert all(isinstance(o, list) for o in outcomes), outcomes
    claimed = outcomes[0] + outcomes[1]
    assert sorted(claimed) == sorted(mail(n).message_id for n in range(30))


def test_a_deferred_message_waits_without_using_up_an_attempt(database) -> None:
    with database._write_session() as session:
        enqueue(session, mail(1), now=NOW)
        [claimed] = claim_due(session, now=NOW, limit=10, policy=POLICY)
        later = NOW + dt.timedelta(hours=1)
        held = defer(session, claimed.id, until=later, reason="held back (rate limit)")
    assert held.status == "pending" and held.attempts == claimed.attempts - 1
    assert held.next_attempt_at == later and held.last_error == "held back (rate limit)"
    with database._write_session() as session:
        assert claim_due(session, now=later - MINUTE, limit=10, policy=POLICY) == []
        [again] = claim_due(session, now=later, limit=10, policy=POLICY)
    assert again.id == claimed.id and again.attempts == claimed.attempts


def test_sent_since_lists_the_recipients_of_what_went_out_after_a_moment(database) -> None:
    with database._write_session() as session:
        first, second = enqueue(session, mail(1), now=NOW), enqueue(session, mail(2), now=NOW)
        mark_sent(session, first.id, now=NOW)
        mark_sent(session, second.id, now=NOW + dt.timedelta(hours=2))
        recent = sent_since(session, NOW + dt.timedelta(hours=1))
    assert recent == [(("tm@example.gov.uk", "lac-admin@example.gov.uk"), NOW + dt.timedelta(hours=2))]
