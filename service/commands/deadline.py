"""`practice-alerts deadline`: print the date a response is due, in working days."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from practice_alerts.policies.load import PolicyError, load_policy
from practice_alerts.policies.time_zone import as_uk_time
from practice_alerts.workflow.calendar import WorkingCalendar


def parse_received(text: str) -> dt.datetime:
    """An ISO date-time; without an offset it is UK time (Europe/London)."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"'{text}' is not a date and time; write it like 2026-12-21T10:00 (UK time) "
            "or 2026-12-21T10:00+00:00"
        ) from None
    return as_uk_time(moment)


def print_deadline(args: argparse.Namespace) -> int:
    if args.days < 0:
        print(f"The number of working days must be 0 or more, not {args.days}.", file=sys.stderr)
        return 2
    try:
        received = parse_received(args.received)
    except ValueError as exc:
        print(f"{exc}.", file=sys.stderr)
        return 2
    try:
        policy = load_policy(args.policy)
    except PolicyError as exc:
        print(f"The policy '{args.policy}' cannot be used:\n{exc}", file=sys.stderr)
        return 2
    calendar = WorkingCalendar.for_policy(policy)
    try:
        due = calendar.due_date(received, args.days)
    except (ValueError, OverflowError) as exc:
        print(f"No due date can be worked out from {args.received}: {exc}.", file=sys.stderr)
        return 2
    print(due.isoformat())
    return 0
