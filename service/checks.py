"""``practice-alerts check``: test each part of an installation and say what is wrong, one sentence each.

The parts, in the order they depend on each other: the configuration, the signing key, the policy,
the directory against the policy (roles nobody holds), the letter templates, the database
(reachable, migrated, writable), the documents folder and the mailbox (log in, folders, sending).
Nothing is sent and no mail is moved: the mailbox is asked to accept our sender (MAIL FROM, then
reset) and the database write is rolled back.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from practice_alerts.config import MIN_SECRET_CHARS, SECRET_ENV, Config, ConfigError, load_config
from practice_alerts.directory_file import DirectoryError, load_directory
from practice_alerts.documents.checks import ensure_templates_ok
from practice_alerts.documents.engine import TemplateProblem
from practice_alerts.documents.template_set import TemplateSet
from practice_alerts.mailflow.transports import TransportError, make_transport
from practice_alerts.mailflow.transports.settings import MaildirSettings
from practice_alerts.pipeline.context import StartupError, load_policy_for
from practice_alerts.pipeline.problems import database_endpoint, transport_endpoint
from practice_alerts.policies.check import directory_problems
from practice_alerts.store import database_problems


@dataclass
class PartResult:
    part: str
    problems: list[str] = field(default_factory=list)
    detail: str = ""


@dataclass
class CheckReport:
    parts: list[PartResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.problems for p in self.parts)

    def lines(self) -> list[str]:
        out = []
        for part in self.parts:
            if not part.problems:
                out.append(f"ok       {part.part}" + (f": {part.detail}" if part.detail else ""))
            out += [f"PROBLEM  {part.part}: {problem}" for problem in part.problems]
        return out


def run_checks(path: Path, environ: Mapping[str, str] = os.environ) -> CheckReport:
    report = CheckReport()
    try:
        config = load_config(path, environ, require_secret=False)
    except ConfigError as exc:
        report.parts.append(PartResult("configuration", [f"{exc.file}: {p}" for p in exc.problems]))
        return report
    report.parts.append(PartResult("configuration", detail=str(path)))
    report.parts.append(_signing_key(environ))
    steps: list[tuple[str, Callable[[Config, Mapping[str, str]], tuple[list[str], str]]]] = [
        ("policy and directory", _policy_and_directory),
        ("letter templates", _templates),
        ("database", _database),
        ("documents folder", _documents),
        ("mailbox", _mailbox),
    ]
    for name, step in steps:
        try:
            problems, detail = step(config, environ)
        except Exception as exc:  # a check must never crash the report
            problems, detail = [f"could not be checked ({type(exc).__name__}: {exc})"], ""
        report.parts.append(PartResult(name, problems, detail))
    return report


def _signing_key(environ: Mapping[str, str]) -> PartResult:
    if len(environ.get(SECRET_ENV, "")) < MIN_SECRET_CHARS:
        return PartResult("signing key", [f"the environment variable {SECRET_ENV} must hold the Message-ID signing "
                                          f"key (at least {MIN_SECRET_CHARS} characters, the same across restarts)"])
    return PartResult("signing key", detail=f"{SECRET_ENV} is set")


def _policy_and_directory(config: Config, environ: Mapping[str, str]) -> tuple[list[str], str]:
    try:
        policy = load_policy_for(config)
    except StartupError as exc:
        return [str(exc)], ""
    try:
        directory = load_directory(config.directory)
    except DirectoryError as exc:
        return [f"{exc.file}: {p}" for p in exc.problems], ""
    problems = [f"{p.where}: {p.message}" if p.where else p.message
                for p in directory_problems(str(config.directory), policy, directory)]
    return problems, f"{policy.authority}; every role the policy uses has a holder in {config.directory.name}"


def _templates(config: Config, environ: Mapping[str, str]) -> tuple[list[str], str]:
    try:
        ensure_templates_ok(TemplateSet(config.templates), load_policy_for(config))
    except (TemplateProblem, StartupError) as exc:
        return [str(exc)], ""
    return [], "every letter renders"


def _database(config: Config, environ: Mapping[str, str]) -> tuple[list[str], str]:
    problems = database_problems(config.database, dt.datetime.now(dt.timezone.utc))
    sqlite_file = "://" not in config.database and not Path(config.database).exists()
    return problems, (f"{database_endpoint(config)} will be created at start-up" if sqlite_file
                      else f"{database_endpoint(config)} is reachable, migrated and writable")


def _documents(config: Config, environ: Mapping[str, str]) -> tuple[list[str], str]:
    folder = Path(config.documents)
    if not folder.exists():
        parent = next((p for p in folder.parents if p.exists()), None)
        if parent is None or not os.access(parent, os.W_OK):
            return [f"the documents folder {folder} does not exist and cannot be created here; create it and "
                    "let the service's user write to it"], ""
        return [], f"{folder} will be created at start-up"
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".check-"):
            pass
    except OSError as exc:
        return [f"the documents folder {folder} cannot be written to ({exc.strerror}); let the service's user "
                "write to it"], ""
    return [], f"{folder} is writable"


def _mailbox(config: Config, environ: Mapping[str, str]) -> tuple[list[str], str]:
    host, account = transport_endpoint(config)
    maildir = config.transport.path if isinstance(config.transport, MaildirSettings) else None
    if maildir is not None and not Path(maildir).is_dir():
        return [f"there is no Maildir folder {maildir} (transport.path); correct the setting or create the folder"], ""
    try:
        transport = make_transport(config.transport, environ)
    except TransportError as exc:
        return [f"{config.transport.kind} at {host}: {exc}"], ""
    try:
        probe = getattr(transport, "probe", None)
        if probe is not None:
            problems = list(probe(config.mail.shared_mailbox))
        else:  # EWS, Graph: reading the inbox proves the login and the folder
            next(iter(transport.fetch()), None)
            problems = []
    except TransportError as exc:
        problems = [str(exc)]
    finally:
        transport.close()
    named = [f"{p} (account {account})" if account and account not in p else p for p in problems]
    if config.transport.kind == "maildir":
        return named, f"the folder {host} and its subfolders are writable"
    return named, f"{config.transport.kind} at {host} as {account}: logged in, folders ready, sender accepted"
