"""`practice-alerts form template` and `form parse`: write the blank form, read a filled one."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from practice_alerts.forms.build import build_form
from practice_alerts.forms.gate import FileRefused
from practice_alerts.forms.reader import read_form
from practice_alerts.policies.load import PolicyError, load_policy, policy_names


def write_template(args: argparse.Namespace) -> int:
    try:
        policy = load_policy(args.policy)
    except PolicyError as exc:
        print(f"Cannot use policy {args.policy!r}:\n{exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.write_bytes(build_form(policy))
    print(f"Wrote the Practice Alert form for {policy.authority} to {out}")
    return 0


def _load_known(name: str):
    if name not in policy_names():
        return None
    try:
        return load_policy(name)
    except PolicyError:
        return None


def parse_form(args: argparse.Namespace) -> int:
    policy = None
    if getattr(args, "policy", None):
        try:
            policy = load_policy(args.policy)
        except PolicyError as exc:
            print(f"Cannot use policy {args.policy!r}:\n{exc}", file=sys.stderr)
            return 2
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        reading = read_form(data, filename=path.name, policy=policy, load=_load_known, today=dt.date.today())
    except FileRefused as refusal:
        errors = [{"field": None, "label": None, "message": refusal.message}]
        print(json.dumps({"errors": errors}, indent=2) if args.json else refusal.message)
        return 2
    except Exception as exc:  # a fault of ours: the sender still gets a sentence, the operator the error's name
        message = (f"'{path.name}' could not be read because of a fault in Practice Alerts, not in the form. "
                   "Please tell the Practice Alerts administrator.")
        errors = [{"field": None, "label": None, "message": message}]
        print(json.dumps({"errors": errors}, indent=2) if args.json else message)
        print(f"Fault reading {path}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    checks = [c.model_dump() for c in reading.checks]
    if reading.record is None:
        if args.json:
            print(json.dumps({"errors": [e.model_dump() for e in reading.errors], "checks": checks}, indent=2))
        else:
            print(f"The form {path.name} cannot be accepted yet:")
            for problem in [*reading.errors, *reading.checks]:
                print(f"- {problem.message}")
        return 2
    if args.json:
        print(json.dumps({**reading.record.model_dump(mode="json"), "checks": checks}, indent=2, ensure_ascii=False))
    else:
        record = reading.record
        print(f"The form {path.name} is valid: {len(record.reason_codes)} reason(s), case type {record.case_type.value}.")
        for problem in reading.checks:
            print(f"- {problem.message}")
    for flag in reading.admin_flags:
        print(f"For an administrator: {flag}", file=sys.stderr)
    return 0
