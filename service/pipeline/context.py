"""Everything one pass of the service works with, loaded and checked once at start-up.

``open_service(config)`` loads the policy, the directory and the letter templates (with the
start-up template check), opens and migrates the database and builds the transport. Anything
wrong stops start-up with a message naming the file or setting. Time is not in here: each step
takes ``now`` as an argument, so tests and the demo can run the clock forward.

Opened ``reading_only`` (``status``, ``alert show``...), it builds no transport and no PDF
converter, and skips the template check: what those need (the template checker, the Word engine,
the mail transports) is imported only on the paths that use it, so a look costs little.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from practice_alerts.config import Config
from practice_alerts.directory_file import DirectoryError, load_directory
from practice_alerts.documents.pdf import PdfConverter, PdfError
from practice_alerts.documents.problems import TemplateProblem
from practice_alerts.documents.template_set import TemplateSet
from practice_alerts.mailflow.compose import MailSettings
from practice_alerts.pipeline.alerts import AlertCache
from practice_alerts.pipeline.pdf_copies import PdfCopies
from practice_alerts.policies.load import PolicyError, load_policy
from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import Policy
from practice_alerts.store import Database, StorageConfigError, open_database
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.directory import Directory

if TYPE_CHECKING:
    from practice_alerts.mailflow.classify import InboundSettings
    from practice_alerts.mailflow.transports import Transport


class StartupError(Exception):
    """The service cannot start; the message says which file or setting to fix."""


@dataclass
class ServiceContext:
    config: Config
    policy: Policy
    directory: Directory
    calendar: WorkingCalendar
    templates: TemplateSet
    database: Database
    transport: Transport
    cache: AlertCache = field(default_factory=AlertCache)
    pdf: PdfCopies | None = None
    """PDF copies of the documents (``documents.pdf: true``), made in the background."""

    @property
    def secret(self) -> bytes:
        return self.config.secret

    @property
    def mail(self) -> MailSettings:
        m = self.config.mail
        return MailSettings(shared_mailbox=m.shared_mailbox, shared_mailbox_name=m.shared_mailbox_name,
                            message_id_domain=m.message_id_domain, marking=self.config.marking)

    @property
    def inbound(self) -> InboundSettings:
        from practice_alerts.mailflow.classify import InboundSettings  # noqa: PLC0415 - the classifier: only for a pass

        return InboundSettings(own_addresses=self.config.own_addresses, authenticity=self.config.mail.authenticity,
                               limits=self.config.limits, via_exchange=self.config.transport.kind in ("ews", "graph"))

    @property
    def council_domains(self) -> tuple[str, ...]:
        """The council's own mail domains: a form's addresses outside them (and the directory) are refused."""
        return self.config.mail.council_domains or self.config.mail.authenticity.internal_domains

    @property
    def lac_admin(self) -> tuple[str, ...]:
        """Who hears about quarantined mail and recipient problems."""
        if self.config.mail.lac_admin:
            return (self.config.mail.lac_admin,)
        return tuple(c.email for c in self.directory.holders(Role.LAC_ADMIN))

    def name_of(self, email: str) -> str:
        contact = self.directory.contact(email)
        return contact.name if contact is not None else ""

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
        self.transport.close()
        self.database.dispose()


def load_policy_for(config: Config) -> Policy:
    try:
        return load_policy(config.policy)
    except PolicyError as exc:
        raise StartupError(f"{config.source}: policy: {exc}") from None


def open_service(config: Config, environ: Mapping[str, str] = os.environ, *,
                 transport: Transport | None = None, check_templates: bool = True,
                 reading_only: bool = False) -> ServiceContext:
    """Load and check everything the configuration names; StartupError says what to fix."""
    owner_only()
    policy = load_policy_for(config)
    try:
        directory = load_directory(config.directory)
    except DirectoryError as exc:
        raise StartupError(f"{config.source}: directory: {exc}") from None
    calendar = WorkingCalendar.for_policy(policy)
    if config.cut_off is not None:
        calendar = calendar.model_copy(update={"cut_off": config.cut_off})
    try:
        templates = TemplateSet(config.templates)
    except TemplateProblem as exc:
        raise StartupError(f"{config.source}: templates: {exc}") from None
    if transport is None and not reading_only:
        _check_maildir(config)
    Path(config.documents).mkdir(parents=True, exist_ok=True)
    _tighten(Path(config.documents))
    pdf = None
    if config.documents_pdf and not reading_only:
        try:
            pdf = PdfCopies(PdfConverter())
        except PdfError as exc:
            raise StartupError(f"{config.source}: documents.pdf: {exc}") from None
    try:
        database = open_database(config.database)
    except StorageConfigError as exc:
        raise StartupError(f"{config.source}: database: {exc}") from None
    if check_templates:
        from practice_alerts.documents.checks import ensure_templates_ok  # noqa: PLC0415 - renders samples: loads the engine
        from practice_alerts.pipeline.template_stamp import check_templates_once  # noqa: PLC0415 - only with the check

        try:
            check_templates_once(templates, policy, database, ensure_templates_ok)  # once per change
        except TemplateProblem as exc:
            database.dispose()
            if pdf is not None:
                pdf.close()
            raise StartupError(f"{config.source}: templates: {exc}") from None
    if transport is None and reading_only:
        transport = _NoTransport()
    if transport is None:
        from practice_alerts.mailflow.transports import (  # noqa: PLC0415 - imaplib, smtplib, ssl: only for the mailbox
            TransportError,
            make_transport,
        )

        try:
            transport = make_transport(config.transport, environ)
        except TransportError as exc:
            database.dispose()
            if pdf is not None:
                pdf.close()
            raise StartupError(f"{config.source}: transport: {exc}") from None
    return ServiceContext(config=config, policy=policy, directory=directory, calendar=calendar,
                          templates=templates, database=database, transport=transport, pdf=pdf)


def owner_only() -> None:
    """Everything the service creates from now on (database, WAL, letters, mail) is readable by its
    own user only (files 0600, folders 0700), whatever umask it was started with. Adds
    restrictions only: a stricter umask is kept."""
    os.umask(os.umask(0o077) | 0o077)


def _tighten(folder: Path) -> None:
    """A folder made before (by ``init``, or by hand with a looser umask) is made owner-only too."""
    try:
        if folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
    except OSError:
        pass


def _check_maildir(config: Config) -> None:
    """A mistyped Maildir path would otherwise be created empty and polled for ever, silently."""
    path = getattr(config.transport, "path", None)
    if config.transport.kind == "maildir" and path is not None and not Path(path).is_dir():
        raise StartupError(f"{config.source}: transport.path: there is no folder {path}; correct the setting, "
                           "or create it (an empty folder will do: new/, cur/ and tmp/ are made inside it)")


class _NoTransport:
    """For commands that only read the database (status, alert show)."""

    def fetch(self):  # pragma: no cover - never called
        return iter(())

    def mark_handled(self, transport_id: str, outcome: str) -> None:
        raise RuntimeError("this command does not touch the mailbox")

    def send(self, data: bytes, *, sender: str, recipients: list[str]) -> None:
        raise RuntimeError("this command does not send mail")

    def close(self) -> None:
        pass
