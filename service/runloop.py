"""The service's loop: one pass polls the mailbox, fires the clock, handles mail and sends the outbox.

Only the process holding the mailbox lease does any of it; a standby keeps asking and takes
over once the holder's lease expires (a killed holder) or is released (a clean stop). SIGTERM
(or SIGINT) sets a flag that is checked between messages, so a stop never cuts a message in
half, and the lease is released on the way out. ``now`` is a function, so the demo and the
tests can run a simulated clock.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from practice_alerts.mailflow.transports import TransientTransportError
from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.pipeline.crash import crashpoint
from practice_alerts.pipeline.followups import run_followups
from practice_alerts.pipeline.handle import handle_inbound
from practice_alerts.pipeline.ingest import move_out_of_inbox, move_repeats, poll_mailbox
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.pipeline.problems import error_fields
from practice_alerts.pipeline.sender import send_outbox
from practice_alerts.pipeline.ticks import run_ticks
from practice_alerts.pipeline.upgrade import fill_in_records
from practice_alerts.store import LAST_POLL as LAST_POLL  # the heartbeat of the last complete pass
from practice_alerts.store import (
    MAILBOX_LEASE,
    DatabaseUnavailableError,
    InboundRetryPolicy,
    LeaseClaim,
    LeaseLostError,
    LeaseState,
    StoredInbound,
    UnstorableValueError,
    new_holder_id,
    unit_of_work,
)

FOLLOWUP_EVERY = dt.timedelta(minutes=5)
"""How often the reminders to close and the digests are looked for (they are due by the day)."""

PASSING_FAULTS: tuple[type[BaseException], ...] = (OSError, TransientTransportError, MemoryError)
"""Faults that are not the message's own (a full disk, a busy relay, memory short for a moment):
the message stays ``received`` and is tried again later (``InboundRetryPolicy``)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class PassReport:
    leader: bool = False
    fetched: int = 0
    handled: int = 0
    clock_events: int = 0
    sent: int = 0
    send_failures: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    failed_steps: list[str] = field(default_factory=list)
    """Steps that failed and were passed over (each logged as ``step_failed``); the next step still ran."""


class Runner:
    def __init__(self, ctx: ServiceContext, *, clock: Callable[[], dt.datetime] = utc_now,
                 log: JsonLog | None = None, holder: str | None = None) -> None:
        self.ctx, self.clock, self.log = ctx, clock, log or JsonLog()
        self.holder = holder or new_holder_id()
        self.stop = threading.Event()
        self.lease = LeaseClaim(name=MAILBOX_LEASE, holder=self.holder)
        self._pdf_caught_up = False
        self.failed_steps: list[str] = []
        self.step = "start"
        """What the pass is doing now, named in the log if it fails."""
        self._records_filled = False
        self._next_followups: dt.datetime | None = None

    @property
    def ttl(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.ctx.config.service.lease_seconds)

    def _take_lease(self) -> bool:
        with unit_of_work(self.ctx.database, now=self.clock()) as work:
            return work.acquire_lease(name=MAILBOX_LEASE, holder=self.holder, ttl=self.ttl) is not None

    def holder_of_mailbox(self) -> LeaseState | None:
        """Who holds the mailbox lease and until when (for the message when this process cannot)."""
        with self.ctx.database.reading() as reads:
            return reads.current_lease(MAILBOX_LEASE)

    def failure_fields(self, exc: BaseException) -> dict[str, str]:
        return error_fields(exc, self.ctx.config, self.step)

    def one_pass(self) -> PassReport:
        report = PassReport()
        self.failed_steps = report.failed_steps
        self.step = "take the mailbox lease in the database"
        if not self._take_lease():
            return report
        report.leader = True
        if self.ctx.pdf is not None and not self._pdf_caught_up:
            self.ctx.pdf.catch_up(self.ctx.config.documents)  # PDFs a crash kept from being written
            self._pdf_caught_up = True
        if not self._records_filled:  # alerts from before decided facts were kept: once per process
            filled, not_filled = fill_in_records(self.ctx, self.clock())
            if filled:
                self.log("records_filled_in", alerts=filled)
            for problem in not_filled:
                self.log("record_not_filled", level="error", reference=problem.reference)
            self._records_filled = True
        # Each step is contained: a fault in one (other than losing the lease or the database)
        # is logged and the next step still runs, so the clock and the outbox always run.
        repeats: list[tuple[str, int]] = []
        self.step = "fetch the inbox"

        def poll() -> None:
            report.fetched = poll_mailbox(self.ctx, now=self.clock(), repeats=repeats, should_stop=self.stop.is_set,
                                          log=self.log)
        self._step("poll", poll)
        failed: list[tuple[str, str]] = []
        self.step = "fire the deadlines"
        if not self.stop.is_set():
            def ticks() -> None:
                report.clock_events = run_ticks(self.ctx, now=self.clock(), lease=self.lease, failed=failed)
            self._step("clock", ticks)
            self._followups()
        for reference, error in failed:
            self.log("clock_failed", level="error", reference=reference, error=error)
        self.step = "handle the inbox"
        self._step("handle", lambda: self._handle_all(report))
        self.step = "move repeated messages out of the inbox"
        self._step("repeats", lambda: move_repeats(self.ctx, repeats))
        self.step = "send the outbox"
        if not self.stop.is_set():
            def send() -> None:
                sent = send_outbox(self.ctx, now=self.clock(), should_stop=self.stop.is_set, clock=self.clock,
                                   keep_lease=self._take_lease)
                report.sent, report.send_failures = sent.sent, sent.failed
            self._step("send", send)
        self.step = "record the pass in the database"
        if not self.stop.is_set():
            with unit_of_work(self.ctx.database, now=self.clock()) as work:
                work.beat(LAST_POLL)
        if self.ctx.pdf is not None:
            self.ctx.pdf.collect()
            for _path, error in self.ctx.pdf.failed:
                self.log("pdf_failed", level="error", error=error[:200])
            self.ctx.pdf.failed.clear()
        self.log("pass", leader=True, fetched=report.fetched, handled=report.handled,
                 clock_events=report.clock_events, sent=report.sent, send_failures=report.send_failures,
                 kinds=report.kinds)
        return report

    def _followups(self) -> None:
        """The day-grained notices (reminders to close, digests): at most every FOLLOWUP_EVERY, and never
        allowed to stop the pass."""
        now = self.clock()
        if self._next_followups is not None and now < self._next_followups:
            return
        self._next_followups = now + FOLLOWUP_EVERY
        try:
            run_followups(self.ctx, now=now, lease=self.lease)
        except (LeaseLostError, DatabaseUnavailableError):
            raise
        except Exception as exc:
            self.log("followups_failed", level="error", error=type(exc).__name__)

    def _step(self, name: str, step: Callable[[], None]) -> None:
        try:
            step()
        except (LeaseLostError, DatabaseUnavailableError):
            raise
        except Exception as exc:  # host, operation and the server's answer, never a password
            self.failed_steps.append(name)
            self.log("step_failed", level="error", step=name, **self.failure_fields(exc))

    def _handle_all(self, report: PassReport) -> None:
        if not self._take_lease():  # storing, the clock and the follow-ups may have taken a while: renew first
            raise LeaseLostError("another service process took over the mailbox")
        last_renewal = self.clock()
        after_id = 0
        while not self.stop.is_set():
            with self.ctx.database.reading() as reads:
                pending = reads.unfinished_inbound(limit=100, now=self.clock(), after_id=after_id)
            if not pending:
                return
            after_id = pending[-1].id
            for inbound in pending:
                if self.stop.is_set():
                    return
                if self.clock() - last_renewal > self.ttl / 3:
                    if not self._take_lease():
                        raise LeaseLostError("another service process took over the mailbox")
                    last_renewal = self.clock()
                try:
                    self._handle_one(inbound, report)
                except (LeaseLostError, DatabaseUnavailableError):
                    raise
                except Exception as exc:  # even setting it aside failed: log it, go on with the next
                    self.log("message_not_set_aside", level="error", inbound_id=inbound.id, error=type(exc).__name__)

    def _handle_one(self, inbound: StoredInbound, report: PassReport) -> None:
        try:
            handled = handle_inbound(self.ctx, inbound, now=self.clock(), lease=self.lease)
        except (LeaseLostError, DatabaseUnavailableError):
            raise
        except PASSING_FAULTS as exc:  # not the message's fault: keep it received, try again later
            with unit_of_work(self.ctx.database, now=self.clock()) as work:
                after = work.retry_inbound_later(inbound.id, error=type(exc).__name__, policy=InboundRetryPolicy())
            self.log("message_retrying" if after.status == "received" else "message_failed",
                     level="warning" if after.status == "received" else "error", inbound_id=inbound.id,
                     error=type(exc).__name__, attempts=after.attempts,
                     next_attempt_at=after.next_attempt_at)
            if after.status == "failed":
                move_out_of_inbox(self.ctx, inbound.transport_id, "failed")
            return
        except Exception as exc:  # the message itself is bad (or meets a defect): keep it, set it aside
            why = ("a value in it cannot be stored" if isinstance(exc, UnstorableValueError)
                   else type(exc).__name__)
            self.log("message_failed", level="error", inbound_id=inbound.id, error=type(exc).__name__)
            with unit_of_work(self.ctx.database, now=self.clock()) as work:
                work.finish_inbound(inbound.id, "failed", outcome=f"failed: {why}")
            move_out_of_inbox(self.ctx, inbound.transport_id, "failed")
            return
        crashpoint("after-commit")
        move_out_of_inbox(self.ctx, inbound.transport_id, handled.status)
        report.handled += 1
        report.kinds[handled.kind] = report.kinds.get(handled.kind, 0) + 1
        self.log("message", inbound_id=inbound.id, kind=handled.kind, status=handled.status,
                 reference=handled.reference, outcome=handled.outcome)

    def release(self) -> None:
        with unit_of_work(self.ctx.database, now=self.clock()) as work:
            work.release_lease(name=MAILBOX_LEASE, holder=self.holder)

    def stop_on_signals(self) -> None:
        """SIGTERM and SIGINT set the stop flag, checked between messages (main thread only)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stop.set())

    def run_forever(self) -> None:
        """Pass after pass until SIGTERM/SIGINT; errors are logged and the next pass tries again."""
        self.stop_on_signals()
        self.log("started", holder=self.holder)
        try:
            while not self.stop.is_set():
                leading = False
                try:
                    report = self.one_pass()
                    leading = report.leader
                    if not report.leader:
                        self._log_standby()
                except LeaseLostError as exc:
                    self.log("pass_interrupted", level="warning", reason=type(exc).__name__)
                except Exception as exc:  # transport and database failures name host, operation, answer
                    self.log("pass_failed", level="error", **self.failure_fields(exc))
                self._wait(push=leading)
        finally:
            try:
                self.release()
            except Exception:
                pass
            self.log("stopped", holder=self.holder)

    def _log_standby(self) -> None:
        holder = self.holder_of_mailbox()
        self.log("standby", holder=self.holder, held_by=holder.holder if holder else None,
                 held_until=holder.expires_at.isoformat(timespec="seconds") if holder else None)

    def _sleep(self) -> float:
        return self.ctx.config.service.poll_seconds

    def _wait(self, *, push: bool) -> None:
        """Until the next pass: the poll interval, cut short when the transport says mail landed.

        Push (IMAP IDLE, a watch on the Maildir) is used by the leader only; if it fails the
        interval is simply waited out, so polling remains the fallback.
        """
        waiter = getattr(self.ctx.transport, "wait_for_mail", None)
        if not (push and self.ctx.config.service.push and waiter is not None):
            self.stop.wait(self._sleep())
            return
        started = self.clock()
        try:
            if waiter(self._sleep(), self.stop):
                self.log("mail_landed", waited_seconds=round((self.clock() - started).total_seconds(), 3))
        except Exception as exc:  # noqa: BLE001 - push is an optimisation: fall back to the poll interval
            self.log("push_failed", level="warning", **error_fields(exc, self.ctx.config, "wait for new mail"))
            self.stop.wait(self._sleep())
