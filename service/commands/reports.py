"""``practice-alerts tracker`` and ``practice-alerts report quarterly``: read the store, write the files.

Thin: find the database and the policy, and hand the alerts, read one at a time, to
``practice_alerts.reports.build``. ``--db`` and ``--policy`` win; what they leave out comes from
the service's configuration file ($PRACTICE_ALERTS_CONFIG, else ./practice-alerts.yaml). With
neither, we say what to give and stop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from practice_alerts.config import ConfigError, config_path, load_config
from practice_alerts.policies.load import PolicyError, load_policy
from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.periods import Quarter, QuarterError
from practice_alerts.workflow.calendar import WorkingCalendar

NO_CONFIG = ("no {what} was given, and there is no configuration file ({config}) to name one; "
             "give it with {option}")


class CommandError(Exception):
    """A problem the person running the command can fix; the message says how."""


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _config(args: argparse.Namespace) -> Any:
    """The service's configuration, or None when there is no file; read once per command."""
    if "_config" not in vars(args):
        path = config_path(getattr(args, "config", None), os.environ)
        try:
            args._config = load_config(path, os.environ, require_secret=False) if path.is_file() else None
        except ConfigError as exc:
            args._config = exc
    return args._config


def _configured(args: argparse.Namespace, option: str, setting: str) -> str | None:
    """The option's value, else the configuration file's setting, else None (no file there)."""
    given = getattr(args, option, None)
    if given:
        return given
    config = _config(args)
    if isinstance(config, Exception):
        raise CommandError(f"No --{option} was given, and the configuration file cannot be used: {config}")
    return str(getattr(config, setting)) if config is not None else None


def _config_name(args: argparse.Namespace) -> str:
    return str(config_path(getattr(args, "config", None), os.environ))


def _policy(args: argparse.Namespace) -> Any:
    name = _configured(args, "policy", "policy")
    if not name:
        raise CommandError("The policy is needed for the stages, reason codes and working days: "
                           + NO_CONFIG.format(what="policy", config=_config_name(args),
                                              option="--policy NAME (see 'practice-alerts policy list')") + ".")
    try:
        return load_policy(name)
    except PolicyError as exc:
        raise CommandError(f"The policy '{name}' cannot be used:\n{exc}") from None


@contextmanager
def _alerts(args: argparse.Namespace, quarter: Any = None) -> Iterator[Iterable[Any]]:
    """The alerts, read one at a time while the block runs (``reports.load.read_alerts``): every alert for
    the tracker; for a quarter, those the report and its trend can count, with the records to fold them
    as at each quarter's end."""
    from practice_alerts.reports.load import read_alerts  # noqa: PLC0415 - CLI command: the store and file writers load only when it runs
    from practice_alerts.store import DATABASE_ERRORS, StorageConfigError, database_url, open_database  # noqa: PLC0415 - CLI command: the store and file writers load only when it runs

    url = _configured(args, "db", "database")
    if not url:
        raise CommandError("The alerts are read from the service's database: "
                           + NO_CONFIG.format(what="database", config=_config_name(args),
                                              option="--db PATH-OR-URL (a SQLite file or a PostgreSQL URL)")
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
        if quarter is None:
            yield read_alerts(database)
        else:
            from practice_alerts.reports.quarterly import report_window  # noqa: PLC0415 - CLI command: the report modules load only when it runs

            moments, start, end = report_window(quarter)
            yield read_alerts(database, moments=moments, active_since=start, raised_before=end)
    except DATABASE_ERRORS as exc:
        raise CommandError(f"The database given with --db cannot be read as a Practice Alerts database ({exc}); "
                           "check it is the service's database and that it has been set up.") from None
    finally:
        database.dispose()


def _calendar(policy: Any) -> Any:
    return WorkingCalendar.for_policy(policy)


NOT_COUNTED_EXIT = 1
"""The file was written, but some alerts could not be counted: a QA officer must look before it is used."""


def _warn_unreadable(problems: list[Any]) -> bool:
    """Name every alert that could not be counted, with the reason; True when there were any."""
    for problem in problems:
        print(f"Not counted: alert {problem.reference}: {problem.reason}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} alert{'s were' if len(problems) != 1 else ' was'} not counted; the figures are "
              "incomplete until this is put right.", file=sys.stderr)
    return bool(problems)


def write_tracker(args: argparse.Namespace, *, now: dt.datetime | None = None) -> int:
    """Write the tracker as it stands ``now`` (the present moment unless a test gives one)."""
    from practice_alerts.reports.build import write_tracker as build_tracker  # noqa: PLC0415 - CLI command: the store and file writers load only when it runs

    out = Path(args.out)
    if args.csv and out.suffix.lower() != ".csv" or not args.csv and out.suffix.lower() != ".xlsx":
        return _fail(f"--out {out}: give a file ending in {'.csv' if args.csv else '.xlsx'}"
                     f"{'' if args.csv else ' (or add --csv for a .csv file)'}.")
    try:
        policy = _policy(args)
        with _alerts(args) as alerts:
            result = build_tracker(alerts, policy, None, _calendar(policy), now or dt.datetime.now(LONDON), out,
                                   as_csv=args.csv, pseudonymise=args.pseudonymise)
    except CommandError as exc:
        return _fail(str(exc))
    incomplete = _warn_unreadable(list(result.unreadable))
    print(f"Wrote the tracker of {result.alerts} alert{'s' if result.alerts != 1 else ''} to {out}.")
    return NOT_COUNTED_EXIT if incomplete else 0


def write_quarterly(args: argparse.Namespace) -> int:
    from practice_alerts.reports.build import write_quarterly as build_quarterly  # noqa: PLC0415 - CLI command: the store and file writers load only when it runs

    try:
        quarter = Quarter.parse(args.quarter)
    except QuarterError as exc:
        return _fail(f"--quarter: {exc}.")
    if getattr(args, "email", False) and (problem := _why_no_email(args)):
        return _fail(problem)
    config = _config(args)
    reporting = config.reporting if config is not None and not isinstance(config, Exception) else None
    try:
        policy = _policy(args)
        with _alerts(args, quarter) as alerts:
            if reporting is not None and reporting.logo is not None and not reporting.logo.is_file():
                return _fail(f"reporting.logo: there is no file {reporting.logo}; correct the setting or remove it.")
            result = build_quarterly(alerts, policy, None, _calendar(policy), quarter, Path(args.out),
                                     authority=reporting.authority if reporting else None,
                                     logo=reporting.logo if reporting else None)
    except CommandError as exc:
        return _fail(str(exc))
    incomplete = _warn_unreadable(list(result.figures.unreadable))
    print(f"Wrote the {quarter.key} report to {result.docx} and its figures to {result.xlsx}.")
    if incomplete:
        return NOT_COUNTED_EXIT
    if getattr(args, "email", False):
        return _email_report(args, quarter, [result.docx, result.xlsx, *result.charts.values()])
    _say_recipients(args, policy)
    return 0


def _why_no_email(args: argparse.Namespace) -> str | None:
    """Checked before anything is written: e-mailing needs the service's configuration."""
    config = _config(args)
    if config is None:
        return (f"--email needs the service's configuration file ({_config_name(args)}), which names the "
                "mailbox and the directory; give it with --config")
    if isinstance(config, Exception):
        return f"--email: the configuration file cannot be used: {config}"
    return None


def _email_report(args: argparse.Namespace, quarter: Any, files: list[Path]) -> int:
    """Queue the report mail in the service's outbox; the next ``run`` pass sends it."""
    from practice_alerts.pipeline.context import StartupError  # noqa: PLC0415 - CLI command: the store and file writers load only when it runs
    from practice_alerts.report_mail import ReportMailError, enqueue_quarterly_report  # noqa: PLC0415 - CLI command: the store and file writers load only when it runs

    try:
        mail = enqueue_quarterly_report(_config(args), quarter, files, dt.datetime.now(dt.timezone.utc))
    except (ReportMailError, StartupError) as exc:
        return _fail(f"The report was written but not e-mailed: {exc}")
    print(f"E-mailed (queued for the next run) to: {', '.join(mail.recipients)}.")
    for role in mail.missing_roles:
        print(f"Warning: nobody in the directory holds the role {role.label}, who should receive the report.",
              file=sys.stderr)
    return 0


def _say_recipients(args: argparse.Namespace, policy: Any) -> None:
    """Whom the report is for, from the configured directory (sent only with --email)."""
    config = _config(args)
    if config is None or isinstance(config, Exception):
        return
    from practice_alerts.directory_file import DirectoryError, load_directory  # noqa: PLC0415 - CLI command: the store and file writers load only when it runs
    from practice_alerts.reports.recipients import report_recipients  # noqa: PLC0415 - CLI command: the store and file writers load only when it runs

    try:
        directory = load_directory(config.directory)
    except DirectoryError as exc:
        print(f"Warning: the directory cannot be read, so the report's recipients are not known: {exc}", file=sys.stderr)
        return
    addresses, missing = report_recipients(policy, directory)
    if addresses:
        print(f"It is for: {', '.join(addresses)}.")
    for role in missing:
        print(f"Warning: nobody in the directory holds the role {role.label}, who should receive the report.",
              file=sys.stderr)
