"""``practice-alerts tracker`` and ``practice-alerts report quarterly``: read the store, write the files.

Thin: find the database and the policy, read every alert's events, and hand them to
``practice_alerts.reports.build``. Until the service has its configuration file, the database
must be given with ``--db`` (and the policy with ``--policy``); without them we say so and stop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

NO_CONFIG = ("no {what} was given, and the service has no configuration yet to name one; "
             "give it with {option}")


class CommandError(Exception):
    """A problem the person running the command can fix; the message says how."""


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _policy(args: argparse.Namespace) -> Any:
    from practice_alerts.policies.load import PolicyError, load_policy

    if not hasattr(args, "policy"):
        raise CommandError("The policy is needed for the stages, reason codes and working days, and the service has "
                           "no configuration yet to name it (nor does this command take --policy yet), so the tracker "
                           "cannot be written from the command line until one of them exists.")
    name = args.policy
    if not name:
        raise CommandError("The policy is needed for the stages, reason codes and working days: "
                           + NO_CONFIG.format(what="policy", option="--policy NAME (see 'practice-alerts policy list')") + ".")
    try:
        return load_policy(name)
    except PolicyError as exc:
        raise CommandError(f"The policy '{name}' cannot be used:\n{exc}") from None


def _histories(args: argparse.Namespace) -> tuple[list[Any], list[Any]]:
    from sqlalchemy.exc import SQLAlchemyError

    from practice_alerts.reports.load import histories_from_database
    from practice_alerts.store import StorageConfigError, StoreError, database_url, open_database

    url = getattr(args, "db", None)
    if not url:
        raise CommandError("The alerts are read from the service's database: "
                           + NO_CONFIG.format(what="database", option="--db PATH-OR-URL (a SQLite file or a PostgreSQL URL)")
                           + ".")
    try:
        parsed = database_url(url)
        if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
            raise CommandError(f"There is no database file at {parsed.database}; give the path of the service's "
                               "SQLite database (or a PostgreSQL URL) with --db.")
        database = open_database(url, migrate=False)
    except StorageConfigError as exc:
        raise CommandError(f"--db: {exc}") from None
    try:
        return histories_from_database(database)
    except (SQLAlchemyError, StoreError) as exc:
        raise CommandError(f"The database given with --db cannot be read as a Practice Alerts database ({exc}); "
                           "check it is the service's database and that it has been set up.") from None
    finally:
        database.dispose()


def _calendar(policy: Any) -> Any:
    from practice_alerts.workflow.calendar import WorkingCalendar

    return WorkingCalendar.for_policy(policy)


def _warn_unreadable(problems: list[Any]) -> None:
    for problem in problems:
        print(f"Warning: alert {problem.reference} is left out: {problem.reason}", file=sys.stderr)


def write_tracker(args: argparse.Namespace, *, now: dt.datetime | None = None) -> int:
    """Write the tracker as it stands ``now`` (the present moment unless a test gives one)."""
    from practice_alerts.reports.build import write_tracker as build_tracker
    from practice_alerts.workflow.calendar import LONDON

    out = Path(args.out)
    if args.csv and out.suffix.lower() != ".csv" or not args.csv and out.suffix.lower() != ".xlsx":
        return _fail(f"--out {out}: give a file ending in {'.csv' if args.csv else '.xlsx'}"
                     f"{'' if args.csv else ' (or add --csv for a .csv file)'}.")
    try:
        policy = _policy(args)
        histories, problems = _histories(args)
    except CommandError as exc:
        return _fail(str(exc))
    result = build_tracker(histories, policy, None, _calendar(policy), now or dt.datetime.now(LONDON), out,
                           as_csv=args.csv, pseudonymise=args.pseudonymise)
    _warn_unreadable([*problems, *result.unreadable])
    print(f"Wrote the tracker of {result.alerts} alert{'s' if result.alerts != 1 else ''} to {out}.")
    return 0


def write_quarterly(args: argparse.Namespace) -> int:
    from practice_alerts.reports.build import write_quarterly as build_quarterly
    from practice_alerts.reports.periods import Quarter, QuarterError

    try:
        quarter = Quarter.parse(args.quarter)
    except QuarterError as exc:
        return _fail(f"--quarter: {exc}.")
    try:
        policy = _policy(args)
        histories, problems = _histories(args)
    except CommandError as exc:
        return _fail(str(exc))
    result = build_quarterly(histories, policy, None, _calendar(policy), quarter, Path(args.out))
    _warn_unreadable([*problems, *result.figures.unreadable])
    print(f"Wrote the {quarter.key} report to {result.docx} and its figures to {result.xlsx}.")
    return 0
