"""The `deadline` command prints the due date, or a plain sentence and exit code 2."""

from __future__ import annotations

import argparse

import pytest

from practice_alerts.commands.deadline import print_deadline


def run(capsys: pytest.CaptureFixture[str], received: str, days: int = 5, policy: str = "rutland") -> tuple[int, str, str]:
    code = print_deadline(argparse.Namespace(policy=policy, received=received, days=days))
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_the_christmas_due_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "2026-12-21T10:00") == (0, "2026-12-30\n", "")


def test_offset_is_honoured(capsys: pytest.CaptureFixture[str]) -> None:
    # 17:30 UTC in December is 17:30 in London: after the cut-off, so counted from 22 December.
    assert run(capsys, "2026-12-21T17:30+00:00")[:2] == (0, "2026-12-31\n")


def _policy_names() -> list[str]:
    from practice_alerts.policies.load import policy_names

    return list(policy_names())


@pytest.mark.parametrize("policy", _policy_names())
def test_through_the_cli_for_every_built_in_policy(capsys: pytest.CaptureFixture[str], policy: str) -> None:
    from practice_alerts.cli import main

    code = main(["deadline", "--policy", policy, "--from", "2026-12-21T10:00", "--days", "5"])
    assert code == 0
    assert capsys.readouterr().out == "2026-12-30\n"


@pytest.mark.parametrize(
    ("received", "days", "policy", "says"),
    [
        ("next tuesday", 5, "rutland", "is not a date and time"),
        ("2026-12-21T10:00", -1, "rutland", "0 or more"),
        ("2026-12-21T10:00", 5, "no_such_council", "cannot be used"),
    ],
)
def test_bad_input_is_a_sentence_and_exit_2(
    capsys: pytest.CaptureFixture[str], received: str, days: int, policy: str, says: str
) -> None:
    code, out, err = run(capsys, received, days, policy)
    assert code == 2
    assert out == ""
    assert says in err
    assert "Traceback" not in err
