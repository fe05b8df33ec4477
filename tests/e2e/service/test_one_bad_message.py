"""Issue 12, point 1 and 3: one message never stops a pass, and a passing fault never loses a form.

Each test drops a hostile or unlucky message in front of a good form and runs one pass: the good
form must still raise its alert and its letter must go out; the bad message is stored (or, if it
cannot be, set aside in the quarantine folder) with a reason. Run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from practice_alerts.mailflow.transports import RawMessage
from practice_alerts.store import unit_of_work

from .hostile import T0, good_form, plain, service  # noqa: F401 - the fixture

__all__ = ["service"]


def _statuses(h) -> list[tuple[str, str | None, str | None]]:
    out = []
    with h.ctx.database.reading() as reads:
        for inbound_id in range(1, 20):
            try:
                row = reads.inbound(inbound_id)
            except Exception:
                break
            out.append((row.status, row.message_id, row.outcome))
    return out


def _alerts(h) -> list[str]:
    with h.ctx.database.reading() as reads:
        return [a.reference for a in reads.list_alerts()]


def _form_went_through(h) -> None:
    assert _alerts(h) == ["PA-2026-0001"]
    assert any("PA-2026-0001" in str(m["Subject"]) for m in h.sent()), "the stage letter was not sent"


def test_a_nul_byte_in_a_message_id_stops_nothing(service) -> None:
    h = service
    h.drop(plain(b"Message-ID: <evil\x00id@outside.example>\r\n"))
    h.drop(good_form(h, "<form-after-nul@example.gov.uk>"))
    h.run()
    _form_went_through(h)
    statuses = _statuses(h)
    assert statuses[0][0] == "quarantined" and statuses[0][1] is None  # stored, without the impossible id
    assert statuses[1][0] == "processed"


def test_a_message_id_longer_than_998_characters_stops_nothing(service) -> None:
    h = service
    long_id = b"<" + b"x" * 1200 + b"@outside.example>"
    h.drop(plain(b"Message-ID: " + long_id + b"\r\n"))
    h.drop(good_form(h, "<form-after-long-id@example.gov.uk>"))
    h.run()
    _form_went_through(h)
    assert [s[0] for s in _statuses(h)] == ["quarantined", "processed"]


def test_a_zero_length_file_stops_nothing(service) -> None:
    h = service
    h.drop(b"")
    h.drop(good_form(h, "<form-after-empty@example.gov.uk>"))
    h.run()
    _form_went_through(h)
    first = _statuses(h)[0]
    assert first[0] == "quarantined" and "empty" in (first[2] or "")
    assert not list((h.mail / "new").iterdir())  # nothing left to block the inbox


class _OneUnstorable:
    """The Maildir, but the first message comes with an id no store accepts: any storing fault."""

    def __init__(self, inner) -> None:
        self.inner, self.set_aside = inner, []

    def fetch(self) -> Iterator[RawMessage]:
        yield RawMessage(transport_id="x" * 600, data=b"Subject: odd\r\n\r\nodd\r\n")
        yield from self.inner.fetch()

    def mark_handled(self, transport_id: str, outcome: str) -> None:
        if transport_id == "x" * 600:
            self.set_aside.append(outcome)
            return
        self.inner.mark_handled(transport_id, outcome)

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None:
        self.inner.send(data, sender=sender, recipients=recipients)

    def close(self) -> None:
        self.inner.close()


def test_a_message_that_cannot_be_stored_is_set_aside_and_the_pass_goes_on(service) -> None:
    h = service
    h.ctx.transport = _OneUnstorable(h.ctx.transport)
    h.drop(good_form(h, "<form-after-unstorable@example.gov.uk>"))
    h.run()
    _form_went_through(h)
    assert h.ctx.transport.set_aside == ["quarantine"]


def test_a_passing_fault_keeps_the_form_and_tries_again_later(service) -> None:
    h = service
    blocker = h.folder / "documents" / "PA-2026-0001"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder: writing the letter fails as on a full disk")
    h.drop(good_form(h, "<form-disk-full@example.gov.uk>"))
    h.run()
    (status, _mid, outcome), = _statuses(h)
    assert status == "received" and "retrying" in (outcome or "")
    assert _alerts(h) == []
    h.run(T0 + dt.timedelta(seconds=30))  # not yet due again
    assert _statuses(h)[0][0] == "received"
    blocker.unlink()
    h.run(T0 + dt.timedelta(minutes=2))
    _form_went_through(h)
    assert _statuses(h)[0][0] == "processed"


def test_a_failed_message_put_back_into_the_inbox_is_tried_again(service) -> None:
    h = service

    path = h.drop(good_form(h, "<form-put-back@example.gov.uk>"))
    # the message is stored first, then failed by hand as a defect would
    from practice_alerts.pipeline.ingest import poll_mailbox

    poll_mailbox(h.ctx, now=T0)
    with unit_of_work(h.ctx.database, now=T0) as work:
        work.finish_inbound(1, "failed", outcome="failed: SomeDefect")
    h.ctx.transport.mark_handled(path.name, "quarantine")
    quarantined = next((h.mail / ".quarantine" / "cur").iterdir())
    quarantined.rename(h.mail / "new" / path.name)  # a person moves it back
    h.run()
    _form_went_through(h)
    assert _statuses(h)[0][0] == "processed"


def test_a_failed_run_once_frees_the_mailbox_for_the_next_run(tmp_path, monkeypatch) -> None:
    import argparse

    from practice_alerts.commands.demo import prepare
    from practice_alerts.commands.run import run_service
    from practice_alerts.runloop import Runner
    from practice_alerts.store import MAILBOX_LEASE, open_database

    config_file = prepare(tmp_path / "once", "rutland")
    monkeypatch.setenv("PRACTICE_ALERTS_SECRET", "once-test-message-id-key-0123456789")
    real_pass = Runner.one_pass

    def failing_pass(self):
        real_pass(self)  # takes the lease and does the work...
        raise RuntimeError("...then something unforeseen breaks")

    monkeypatch.setattr(Runner, "one_pass", failing_pass)
    assert run_service(argparse.Namespace(config=str(config_file), once=True)) == 1
    database = open_database(tmp_path / "once" / "data" / "practice-alerts.db")
    try:
        with database.reading() as reads:
            lease = reads.current_lease(MAILBOX_LEASE)
    finally:
        database.dispose()
    assert lease is not None and lease.expires_at <= dt.datetime.now(dt.timezone.utc)


def test_mail_retry_inbound_handles_a_failed_message_again(service, capsys) -> None:
    import argparse

    from practice_alerts.commands.mail import retry_mail
    from practice_alerts.pipeline.ingest import poll_mailbox

    h = service
    h.drop(good_form(h, "<form-retried-by-hand@example.gov.uk>"))
    poll_mailbox(h.ctx, now=T0)
    with unit_of_work(h.ctx.database, now=T0) as work:
        work.finish_inbound(1, "failed", outcome="failed: SomeDefect")
    assert retry_mail(argparse.Namespace(direction="inbound", ids=[1], all=False, config=str(h.config_file))) == 0
    assert "will be handled again" in capsys.readouterr().out
    h.run()
    _form_went_through(h)
    assert retry_mail(argparse.Namespace(direction="inbound", ids=[1], all=False, config=str(h.config_file))) == 1


def test_a_message_over_the_size_limit_is_kept_and_its_sender_told(service) -> None:
    from practice_alerts.mailflow.limits import InboundLimits

    h = service
    h.ctx.config = h.ctx.config.model_copy(update={"limits": InboundLimits(max_message_bytes=64 * 1024)})
    h.drop(good_form(h, "<form-too-big@example.gov.uk>") + b"\r\n" + b"x" * 100 * 1024 + b"\r\n")
    h.run()
    assert _alerts(h) == []
    (status, _mid, outcome), = _statuses(h)
    assert status == "quarantined" and "over a limit: the message is" in (outcome or "")
    assert len(list((h.mail / ".quarantine" / "cur").iterdir())) == 1  # kept
    (reply,) = h.sent()
    assert "dana.reviewer@example.gov.uk" in str(reply["To"])
    text = reply.get_body(("plain",)).get_content()
    assert "was not read, because the message is" in text and "the limit is 64 KB" in text
