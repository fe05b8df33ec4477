"""Reading every alert's record out of the store, for the tracker and the reports.

The only module of ``practice_alerts.reports`` that touches the database. Each alert comes with
its stored current state; alerts that changed after ``records_after`` also come with their
decided records (and when each was made), so the report can fold them as they stood at an
earlier moment. Nothing is re-decided. An alert that cannot be counted is returned as
:class:`Unreadable`, with the reason and what to do, never silently dropped.

The commands read with :func:`read_alerts`, one alert at a time, so memory does not grow with the
history; :func:`histories_from_database` returns lists, for the console and the tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from pydantic import ValidationError

from practice_alerts.reports.history import AlertHistory, Unreadable
from practice_alerts.store import Database
from practice_alerts.workflow.state import AlertState

NOT_FILLED = ("it was raised before this version of Practice Alerts and its record has not been filled in yet; "
              "start the service once ('practice-alerts run --once') and run this again, or see "
              "'practice-alerts verify' for the reason")


def histories_from_database(database: Database, *, records_after: dt.datetime | None = None,
                            active_since: dt.datetime | None = None, raised_before: dt.datetime | None = None,
                            ) -> tuple[list[AlertHistory], list[Unreadable]]:
    """Every alert's stored state (those closed before ``active_since`` or raised after ``raised_before``
    left out), from one consistent read; with the records of those changed after ``records_after``."""
    histories: list[AlertHistory] = []
    problems: list[Unreadable] = []
    with database.reading() as reads:
        problems += [Unreadable(reference=r, reason=NOT_FILLED) for r in reads.alerts_without_state()]
        records = reads.records_changed_after(records_after) if records_after is not None else {}
        for stored in reads.list_states(active_since=active_since, raised_before=raised_before):
            try:
                state = AlertState.model_validate(stored.state)
            except ValidationError as exc:
                problems.append(Unreadable(reference=stored.reference, reason=_unreadable(exc)))
                continue
            own = records.get(stored.reference, [])
            histories.append(AlertHistory(reference=stored.reference, state=state,
                                          records=tuple(r for _at, r in own), times=tuple(at for at, _r in own)))
    return histories, problems


def read_alerts(database: Database, *, moments: Sequence[dt.datetime] = (), active_since: dt.datetime | None = None,
                raised_before: dt.datetime | None = None) -> Iterator[AlertHistory | Unreadable]:
    """Each alert, one at a time from one consistent read: first those not yet filled in, then each
    alert's stored state in reference order (or why it cannot be read), with the decided records it
    needs to be folded as at each of ``moments`` (see ``StoreReads.records_for_moments``). Alerts closed
    before ``active_since`` or raised after ``raised_before`` are left out. Consume it whole."""
    with database.reading() as reads:
        for reference in reads.alerts_without_state():
            yield Unreadable(reference=reference, reason=NOT_FILLED)
        records = reads.records_for_moments(moments, active_since=active_since, raised_before=raised_before) \
            if moments else iter(())
        pending = next(records, None)
        for year, number, reference, text in reads.state_texts(active_since=active_since,
                                                               raised_before=raised_before):
            own: list[tuple[dt.datetime, dict]] = []
            while pending is not None and (pending[0], pending[1]) <= (year, number):
                if pending[2] == reference:
                    own.append((pending[3], pending[4]))
                pending = next(records, None)
            try:
                state = AlertState.model_validate_json(text)
            except ValidationError as exc:
                yield Unreadable(reference=reference, reason=_unreadable(exc))
                continue
            yield AlertHistory(reference=reference, state=state, records=tuple(r for _at, r in own),
                               times=tuple(at for at, _r in own))


def _unreadable(exc: ValidationError) -> str:
    return (f"its stored record cannot be read ({exc.errors()[0]['msg']}); run 'practice-alerts verify' and send "
            "the output to whoever supports Practice Alerts")
