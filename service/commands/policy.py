"""`practice-alerts policy list | show | check`: the policies, readable and checked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from practice_alerts.policies.check import directory_problems
from practice_alerts.policies.load import (
    PolicyError,
    load_policy,
    policy_names,
    policy_path,
    read_policy,
)
from practice_alerts.policies.problem import Problem
from practice_alerts.policies.summary import policy_summary
from practice_alerts.policies.whole_process import whole_process_gaps


def list_policies(args: argparse.Namespace) -> int:
    """One line per built-in policy: its name, authority and ladder length."""
    status = 0
    for name in policy_names():
        try:
            policy = load_policy(name)
        except PolicyError as exc:
            print(f"{name}: BROKEN ({len(exc.problems)} problem(s); run 'practice-alerts policy check {name}')")
            status = 2
            continue
        formal = len(policy.formal_stages)
        informal = " plus an informal step" if len(policy.stages) > formal else ""
        print(f"{name}: {policy.authority} — {policy.title} ({formal} stages{informal})")
    return status


def show_policy(args: argparse.Namespace) -> int:
    try:
        policy = load_policy(args.name)
    except PolicyError as exc:
        _print_problems(exc.problems)
        return 2
    print(policy_summary(policy), end="")
    return 0


def check_policy(args: argparse.Namespace) -> int:
    """Check each file (name or path); print every problem on its own line. 0 = all fine, 2 = problems."""
    directory = None
    problems: list[Problem] = []
    directory_path = getattr(args, "directory", None)
    if directory_path:
        directory, trouble = _load_directory(directory_path)
        problems += trouble
    for file in args.files:
        path = policy_path(file)
        policy, found = read_policy(path)
        problems += found
        if policy is not None:
            problems += whole_process_gaps(str(path), policy)
        if policy is not None and directory is not None:
            problems += directory_problems(str(path), policy, directory)
        if policy is not None and not any(p.file == str(path) for p in problems):
            checked = "; every role it uses has a holder in the directory" if directory is not None else ""
            print(f"{path}: fine ({policy.authority}, {len(policy.stages)} stages){checked}")
    _print_problems(problems)
    return 2 if problems else 0


def _load_directory(path: str):
    """The directory, or the problems that stop it being read (each naming the file)."""
    from practice_alerts.directory_file import (  # noqa: PLC0415 - only 'policy check --directory' reads one
        DirectoryError,
        load_directory,
    )

    if not Path(path).is_file():
        return None, [Problem(path, "", "no such directory file; give the path of the organisation directory")]
    try:
        return load_directory(path), []
    except DirectoryError as exc:
        return None, [Problem(exc.file, "", problem) for problem in exc.problems]


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
