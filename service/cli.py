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

    config_help = "configuration file (default: $PRACTICE_ALERTS_CONFIG, else ./practice-alerts.yaml)"
    init = _command(top, "init", "init:write_starter", "Write a commented starter configuration and example directory.")
    init.add_argument("dir", help="folder to create the configuration in")
    run = _command(top, "run", "run:run_service", "Run the service: poll the mailbox, fire deadlines, send the outbox.")
    run.add_argument("--config", help=config_help)
    run.add_argument("--once", action="store_true", help="do one pass and exit")
    run.add_argument("--dry-run", action="store_true",
                     help="print what would be done with each inbox message, changing nothing")
    check = _command(top, "check", "check:check_installation",
                     "Test the configuration, policy, directory, database, documents folder and mailbox.")
    check.add_argument("--config", help=config_help)
    health = _command(top, "health", "health:print_health",
                      "Exit 0 if the service is well, 1 if not (last poll, outbox, failing mail), 2 if unknown.")
    health.add_argument("--config", help=config_help)
    health.add_argument("--json", action="store_true", help="print the facts and problems as JSON")
    backup = _command(top, "backup", "backup:write_backup", "Back up the database (SQLite) and the documents into one file.")
    backup.add_argument("--out", required=True, help="the archive to write (.tar.gz)")
    backup.add_argument("--config", help=config_help)
    restore = _command(top, "restore", "backup:restore", "Restore the database and documents from a backup file.")
    restore.add_argument("archive", help="the file 'practice-alerts backup' wrote")
    restore.add_argument("--force", action="store_true", help="replace the data there now (kept as .before-restore)")
    restore.add_argument("--config", help=config_help)
    retention = _command(top, "retention", "governance:run_retention",
                         "Anonymise what is past the configured retention rule (with a record of it).")
    mode = retention.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="say what would be removed, change nothing")
    mode.add_argument("--apply", action="store_true", help="remove it (back up first)")
    retention.add_argument("--as-of", help=argparse.SUPPRESS)
    retention.add_argument("--config", help=config_help)
    export = _command(top, "export", "governance:run_export",
                      "Gather everything held about one child (subject-access request).")
    export.add_argument("--case-number", required=True, help="the child's case-record number, as on the form")
    export.add_argument("--out", required=True, help="a new folder to write into")
    export.add_argument("--config", help=config_help)
    directory = top.add_parser("directory", help="The organisation directory.")
    directory_sub = directory.add_subparsers(dest="directory_command", metavar="ACTION", required=True)
    directory_sync = _command(directory_sub, "sync", "directory:sync",
                              "Rebuild the directory from Microsoft Entra ID, keeping local additions.")
    directory_sync.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    directory_sync.add_argument("--config", help=config_help)
    metrics = _command(top, "metrics", "metrics:write_metrics", "Print Prometheus metrics (or write them for node_exporter).")
    metrics.add_argument("--out", help="write to this file atomically (node_exporter's textfile collector)")
    metrics.add_argument("--config", help=config_help)
    run.add_argument("--as-of", dest="as_of", help="rehearsal only (configuration 'rehearsal: true'): run the pass "
                     "as if it were this moment, UK time, e.g. 2026-12-09T09:00")
    status = _command(top, "status", "status:print_status", "Show open alerts, overdue ones, the quarantine and the outbox.")
    status.add_argument("--config", help=config_help)
    status.add_argument("--json", action="store_true", help="print the counts as JSON (see docs/json.md)")
    alert = top.add_parser("alert", help="Look at one alert.")
    alert_sub = alert.add_subparsers(dest="alert_command", metavar="ACTION", required=True)
    alert_show = _command(alert_sub, "show", "alert:show_alert", "Print an alert's chronology.")
    alert_show.add_argument("reference", help="the alert reference, e.g. PA-2026-0001")
    alert_show.add_argument("--config", help=config_help)
    alert_show.add_argument("--json", action="store_true", help="print JSON (see docs/json.md)")
    alert_list = _command(alert_sub, "list", "alert:list_alerts", "List alerts (one line each, or JSON).")
    alert_list.add_argument("--config", help=config_help)
    alert_list.add_argument("--json", action="store_true", help="print JSON (see docs/json.md)")
    alert_list.add_argument("--status", help="only alerts in this state, e.g. awaiting_response")
    alert_list.add_argument("--overdue", action="store_true", help="only alerts whose response is overdue")
    verify = _command(top, "verify", "verify:verify_records",
                      "Re-fold every alert from its recorded events and report any difference from its stored state.")
    verify.add_argument("--config", help=config_help)
    _admin_commands(alert_sub, top, config_help)

    mail = top.add_parser("mail", help="Retry mail the service set aside.")
    mail_sub = mail.add_subparsers(dest="mail_command", metavar="ACTION", required=True)
    retry = _command(mail_sub, "retry", "mail:retry_mail",
                     "Handle failed inbound messages again, or send given-up outgoing mail again.")
    retry.add_argument("direction", choices=("inbound", "outbound"),
                       help="inbound: failed messages received; outbound: mail the service gave up sending")
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help="the ids 'practice-alerts status' lists")
    retry.add_argument("--all", action="store_true", help="every failed (inbound) or given-up (outbound) message")
    retry.add_argument("--config", help=config_help)

    policy = top.add_parser("policy", help="List, show and check authority policies.")
    policy_sub = policy.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    _command(policy_sub, "list", "policy:list_policies", "List the policies that come with Practice Alerts.")
    show = _command(policy_sub, "show", "policy:show_policy", "Show a readable summary of a policy.")
    show.add_argument("name", help="policy name (see 'policy list') or path to a YAML file")
    check = _command(policy_sub, "check", "policy:check_policy", "Check policy files and report every problem.")
    check.add_argument("files", nargs="+", metavar="FILE", help="policy YAML file(s)")
    check.add_argument("--directory", help="organisation directory to check the policy's roles against")
    migrate = _command(policy_sub, "migrate", "policy_migrate:migrate_policy",
                       "Move open alerts onto the policy file in force now (a recorded step).")
    migrate.add_argument("--config", help=config_help)
    migrate.add_argument("--dry-run", action="store_true", help="show what would change for each open alert")
    migrate.add_argument("--by", help="your e-mail address (recorded on each alert moved)")
    migrate.add_argument("--reason", help="why the alerts are moved (recorded on each alert moved)")

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

    tracker = _command(top, "tracker", "reports:write_tracker", "Write the practice-alert tracker spreadsheet.")
    tracker.add_argument("--out", required=True, help="where to write it (.xlsx, or .csv with --csv)")
    tracker.add_argument("--csv", action="store_true", help="write CSV instead of Excel")
    tracker.add_argument("--pseudonymise", action="store_true", help="leave out personal data; keep only the child ID")
    tracker.add_argument("--db", help="database URL (default: the configured one)")
    tracker.add_argument("--policy", help="policy name or path (for stage columns, reason labels and the calendar)")
    tracker.add_argument("--config", help=config_help)

    report = top.add_parser("report", help="Quality-assurance reports.")
    report_sub = report.add_subparsers(dest="report_command", metavar="KIND", required=True)
    quarterly = _command(report_sub, "quarterly", "reports:write_quarterly", "Write the quarterly practice-alert report.")
    quarterly.add_argument("--quarter", required=True, help="the quarter, e.g. 2026-Q4")
    quarterly.add_argument("--out", required=True, help="folder to write the Word report and its figures into")
    quarterly.add_argument("--db", help="database URL (default: the configured one)")
    quarterly.add_argument("--policy", help="policy name or path (for reason-code labels and categories)")
    quarterly.add_argument("--email", action="store_true",
                           help="also e-mail it to the policy's QA recipients (sent by the next 'run')")
    quarterly.add_argument("--config", help=config_help)
    return parser


def _admin_commands(alert_sub: argparse._SubParsersAction, top: argparse._SubParsersAction, config_help: str) -> None:
    """The console's actions for scripts: each needs who (--by) and why (--reason)."""
    def common(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument("--by", required=True, help="your e-mail address (LAC admin or QA role in the directory)")
        parser.add_argument("--reason", required=True, help="why (kept in the record)")
        parser.add_argument("--config", help=config_help)
        return parser

    def on_alert(name: str, help: str) -> argparse.ArgumentParser:
        parser = common(_command(alert_sub, name, "admin:alert_action", help))
        parser.add_argument("reference", help="the alert reference, e.g. PA-2026-0001")
        return parser

    response = on_alert("record-response", "Record a response given by phone or in a meeting (stops the clock).")
    response.add_argument("--how", choices=("phone", "meeting", "other"), default="phone")
    response.add_argument("--text", help="what they said")
    response.add_argument("--responder", help="who responded (default: the person the alert is with)")
    correct = on_alert("correct", "Correct a fact on the form and send the stage letter again.")
    correct.add_argument("--field", required=True, choices=("social_worker_name", "social_worker_email",
                                                            "team_manager_name", "team_manager_email", "team"))
    correct.add_argument("--value", required=True, help="the correct value")
    on_alert("reopen", "Reopen a closed alert (the IRO is asked to decide what next).")
    on_alert("withdraw", "Withdraw an alert raised in error.")
    on_alert("merge", "Merge a duplicate into the alert it repeats.").add_argument(
        "--into", required=True, help="the reference of the alert it repeats")
    decide = on_alert("decide-for-iro", "Record the IRO's decision on their behalf.")
    decide.add_argument("--iro-name", required=True, help="the IRO whose decision this is")
    decide.add_argument("--decision", required=True, choices=("satisfied", "not_satisfied", "escalate_to", "close"))
    decide.add_argument("--stage", help="the stage, for escalate_to")
    decide.add_argument("--notes", help="the IRO's notes")

    held = top.add_parser("quarantine", help="Release, attach or dismiss held mail.")
    held_sub = held.add_subparsers(dest="held_command", metavar="ACTION", required=True)
    for name, help in (("release", "Release a held message to be handled again, its sender trusted."),
                       ("dismiss", "Dismiss a held message.")):
        common(_command(held_sub, name, "admin:held_action", help)).add_argument("id", type=int, help="message number")
    attach = common(_command(held_sub, "attach", "admin:held_action", "Attach a held message to an alert."))
    attach.add_argument("id", type=int, help="message number")
    attach.add_argument("reference", help="the alert reference")
    attach.add_argument("--as", dest="as_", choices=("response", "comment"), default="response")
    outbox = top.add_parser("outbox", help="Mail that could not be sent.")
    outbox_sub = outbox.add_subparsers(dest="held_command", metavar="ACTION", required=True)
    common(_command(outbox_sub, "retry", "admin:held_action", "Send a failed or given-up message again.")).add_argument(
        "id", type=int, help="outbox message number")

    web = _command(top, "web", "web:serve", "Serve the web console (caseload, alerts, quarantine, outbox, reports).")
    web.add_argument("--config", help=config_help)
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    web.add_argument("--dev-login", action="store_true",
                     help="offer a 'sign in as' list of the directory's people (demo only; loopback only)")


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
