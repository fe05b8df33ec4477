"""The console's administrative actions on the command line, for scripts.

Each needs ``--by`` (someone in the directory with the LAC admin or QA role) and ``--reason``;
each is decided by the workflow like any other event, and a refusal is printed with its reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import Any


def _open(args: argparse.Namespace) -> Any | None:
    from practice_alerts.config import ConfigError, config_path, load_config  # noqa: PLC0415 - the CLI imports on demand
    from practice_alerts.pipeline.context import StartupError, open_service  # noqa: PLC0415 - the CLI imports on demand

    try:
        config = load_config(config_path(args.config), os.environ)
        return open_service(config, os.environ, check_templates=False, reading_only=True)
    except (ConfigError, StartupError) as exc:
        print(f"Cannot read the configuration: {exc}", file=sys.stderr)
        return None


def _event(args: argparse.Namespace, now: dt.datetime) -> Any:
    from practice_alerts.workflow import admin_events as ae  # noqa: PLC0415 - the CLI imports on demand

    common = {"at": now, "by": args.by, "reason": args.reason}
    kind = args.alert_command
    if kind == "record-response":
        return ae.RecordedResponse(**common, how=args.how, text=args.text or "", on_behalf_of=args.responder)
    if kind == "correct":
        return ae.CorrectFact(**common, field=args.field, value=args.value)
    if kind == "reopen":
        return ae.Reopen(**common)
    if kind == "withdraw":
        return ae.Withdraw(**common)
    if kind == "merge":
        return ae.MergeInto(**common, into=args.into.strip().upper())
    return ae.DecisionOnBehalf(**common, iro_name=args.iro_name, decision=args.decision, stage=args.stage,
                               notes=args.notes or "")


def _allowed(ctx: Any, email: str) -> bool:
    from practice_alerts.console.access import may_act, viewer_for  # noqa: PLC0415 - the CLI imports on demand

    viewer = viewer_for(ctx.directory, email)
    if viewer is None or not may_act(viewer):
        print(f"{email} is not someone in the directory with the LAC admin or QA role; only they can do this.",
              file=sys.stderr)
        return False
    return True


def alert_action(args: argparse.Namespace) -> int:
    from pydantic import ValidationError  # noqa: PLC0415 - the CLI imports on demand

    from practice_alerts.pipeline.admin import act_on_alert  # noqa: PLC0415 - the CLI imports on demand
    from practice_alerts.store import UnknownAlertError  # noqa: PLC0415 - the CLI imports on demand
    from practice_alerts.workflow.context import Refused  # noqa: PLC0415 - the CLI imports on demand

    ctx = _open(args)
    if ctx is None:
        return 2
    try:
        if not _allowed(ctx, args.by):
            return 2
        now = dt.datetime.now(dt.timezone.utc)
        reference = args.reference.strip().upper()
        try:
            act_on_alert(ctx, reference, _event(args, now), now)
        except ValidationError as exc:
            print(f"Not done: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}", file=sys.stderr)
            return 1
        except (Refused, UnknownAlertError) as exc:
            print(f"Not done: {exc}", file=sys.stderr)
            return 1
        print(f"Done: {args.alert_command} recorded on {reference}; its mail is sent on the service's next pass.")
        return 0
    finally:
        ctx.close()


def held_action(args: argparse.Namespace) -> int:
    from practice_alerts.pipeline import admin  # noqa: PLC0415 - the CLI imports on demand
    from practice_alerts.store import InboundStateError  # noqa: PLC0415 - the CLI imports on demand
    from practice_alerts.workflow.context import Refused  # noqa: PLC0415 - the CLI imports on demand

    ctx = _open(args)
    if ctx is None:
        return 2
    try:
        if not _allowed(ctx, args.by):
            return 2
        now = dt.datetime.now(dt.timezone.utc)
        kind = args.held_command
        try:
            if kind == "release":
                admin.release(ctx, args.id, actor=args.by, reason=args.reason, now=now)
            elif kind == "dismiss":
                admin.dismiss(ctx, args.id, actor=args.by, reason=args.reason, now=now)
            elif kind == "attach":
                admin.attach(ctx, args.id, args.reference.strip().upper(), as_response=args.as_ == "response",
                             actor=args.by, reason=args.reason, now=now)
            else:
                admin.retry(ctx, args.id, actor=args.by, reason=args.reason, now=now)
        except (Refused, InboundStateError) as exc:
            print(f"Not done: {exc}", file=sys.stderr)
            return 1
        done = {"release": "released", "dismiss": "dismissed", "attach": "attached", "retry": "due to be sent again"}
        print(f"Done: message {args.id} {done.get(kind, kind)}.")
        return 0
    finally:
        ctx.close()
