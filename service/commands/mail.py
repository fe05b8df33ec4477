"""``practice-alerts mail retry ...``: a person tries again what the service set aside.

``mail retry inbound ID... | --all`` puts failed inbound messages back to ``received``: the next
pass handles them again (a message that was processed or quarantined is refused: nothing is done
twice). ``mail retry outbound ID... | --all`` makes given-up outgoing mail due now with fresh
attempts. Both print what they did; the ids are those ``practice-alerts status`` lists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from practice_alerts.commands.opening import open_for_reading
from practice_alerts.store import InboundStateError, StoreError, unit_of_work


def retry_mail(args: argparse.Namespace) -> int:
    if not args.ids and not args.all:
        print("Give the ids to retry (see 'practice-alerts status'), or --all.", file=sys.stderr)
        return 2
    ctx = open_for_reading(args.config)
    if ctx is None:
        return 2
    now = dt.datetime.now(dt.timezone.utc)
    problems = 0
    try:
        with unit_of_work(ctx.database, now=now) as work:
            if args.direction == "inbound":
                ids = args.ids or [m.id for m in work.failed_inbound(limit=10_000)]
                for inbound_id in ids:
                    try:
                        work.retry_failed_inbound(inbound_id)
                        print(f"Inbound message {inbound_id} will be handled again by the next pass.")
                    except InboundStateError as exc:
                        problems += 1
                        print(str(exc), file=sys.stderr)
            else:
                ids = args.ids or [m.id for m in work.given_up()]
                for outbox_id in ids:
                    try:
                        item = work.retry_given_up(outbox_id)
                    except StoreError as exc:
                        problems += 1
                        print(str(exc), file=sys.stderr)
                        continue
                    if item.status != "pending":
                        problems += 1
                        print(f"Outgoing message {outbox_id} is {item.status}, not given up: nothing to retry.",
                              file=sys.stderr)
                    else:
                        print(f"Outgoing message {outbox_id} ({item.purpose}) will be sent again by the next pass.")
            if not ids:
                print("There is nothing to retry.")
    finally:
        ctx.close()
    return 1 if problems else 0
