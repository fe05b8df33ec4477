"""The command line: parse arguments, then call one function.

Each command names its handler as "module:function" inside practice_alerts.commands;
the module is imported only when that command runs, so start-up stays fast.
A handler takes the argparse namespace and returns the process exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from practice_alerts import __version__


def _command(sub: argparse._SubParsersAction, name: str, handler: str, help: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help, description=help)
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="practice-alerts",
        description="Runs the IRO practice-alert escalation process from a shared mailbox.",
    )
    parser.add_argument("--version", action="version", version=f"practice-alerts {__version__}")
    top = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = _command(top, "demo", "demo:run_demo", "Run the built-in demonstration on the embedded default.")
    demo.add_argument("--dir", default="demo", help="folder to write the demonstration into (default: ./demo)")

    policy = top.add_parser("policy", help="List, show and check authority policies.")
    policy_sub = policy.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    _command(policy_sub, "list", "policy:list_policies", "List the policies that come with Practice Alerts.")
    show = _command(policy_sub, "show", "policy:show_policy", "Show a readable summary of a policy.")
    show.add_argument("name", help="policy name (see 'policy list') or path to a YAML file")
    check = _command(policy_sub, "check", "policy:check_policy", "Check policy files and report every problem.")
    check.add_argument("files", nargs="+", metavar="FILE", help="policy YAML file(s)")
    check.add_argument("--directory", help="organisation directory to check the policy's roles against")

    deadline = _command(top, "deadline", "deadline:print_deadline", "Work out a response due date in working days.")
    deadline.add_argument("--policy", required=True, help="policy name or path (its closure days and cut-off apply)")
    deadline.add_argument("--from", dest="received", required=True, help="when it was received, e.g. 2026-12-21T10:00 (UK time)")
    deadline.add_argument("--days", type=int, required=True, help="number of working days allowed")

    simulate = _command(top, "simulate", "simulate:run_scenario", "Play a what-if scenario through the workflow.")
    simulate.add_argument("scenario", help="scenario YAML file")

    form = top.add_parser("form", help="Produce and read the Practice Alert Word form.")
    form_sub = form.add_subparsers(dest="form_command", metavar="ACTION", required=True)
    template = _command(form_sub, "template", "form:write_template", "Write a blank Practice Alert form for a policy.")
    template.add_argument("--policy", required=True, help="policy name or path")
    template.add_argument("--out", required=True, help="where to write the .docx form")
    parse = _command(form_sub, "parse", "form:parse_form", "Read a filled Practice Alert form.")
    parse.add_argument("file", help="the filled .docx form")
    parse.add_argument("--policy", help="policy name or path to validate against")
    parse.add_argument("--json", action="store_true", help="print JSON instead of sentences")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    module_name, function_name = handler.split(":")
    module = importlib.import_module(f"practice_alerts.commands.{module_name}")
    return int(getattr(module, function_name)(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
