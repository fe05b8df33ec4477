"""The service's configuration: one YAML or TOML file, secrets only from the environment.

    config = load_config(path, environ=os.environ)

The file names the policy, the organisation directory, the mail transport, the database, the
protective marking and (optionally) the cut-off time; relative paths are relative to the file.
Secrets never go in the file: the Message-ID signing key is read from ``PRACTICE_ALERTS_SECRET``
and the transport's passwords from the environment variables its settings name. Everything is
checked at start-up, and every problem is reported at once, naming the setting
(``transport.path``, ``mail.shared_mailbox``...) and what to fix.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from practice_alerts.mailflow.authenticity import AuthenticitySettings
from practice_alerts.mailflow.limits import InboundLimits
from practice_alerts.mailflow.transports.settings import TransportSettings
from practice_alerts.notice_settings import NoticeSettings
from practice_alerts.policies.yaml_files import load_safely

SECRET_ENV = "PRACTICE_ALERTS_SECRET"
CONFIG_ENV = "PRACTICE_ALERTS_CONFIG"
DEFAULT_FILE = "practice-alerts.yaml"
MIN_SECRET_CHARS = 16


class ConfigError(Exception):
    """The configuration cannot be used. Operator-facing: each line names the file and the setting."""

    def __init__(self, file: str, problems: list[str]):
        self.file, self.problems = file, problems
        super().__init__("\n".join(f"{file}: {p}" for p in problems))


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MailConfig(_Section):
    shared_mailbox: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="the shared mailbox's address")
    shared_mailbox_name: str = "Practice Alerts"
    aliases: tuple[str, ...] = Field(default=(), description="other addresses of the same mailbox")
    message_id_domain: str = Field(default="practice-alerts.invalid", pattern=r"^[A-Za-z0-9.-]+$")
    authenticity: AuthenticitySettings = AuthenticitySettings()
    council_domains: tuple[str, ...] = Field(default=(), description="the council's own mail domains: letters go "
                                             "only there or to people in the directory (default: "
                                             "authenticity.internal_domains)")
    lac_admin: str | None = Field(default=None, description="LAC admin's address for quarantine and problems; "
                                  "else whoever holds lac_admin in the directory")

    @field_validator("shared_mailbox", "lac_admin")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.strip().lower() if value else value


class ServiceTimings(_Section):
    poll_seconds: float = Field(default=60, gt=0, le=3600)
    push: bool = Field(default=True, description="wake as soon as mail lands (IMAP IDLE, a watch on the local "
                       "folder) instead of waiting for the next poll; polling remains the fallback")
    lease_seconds: float = Field(default=180, gt=0, description="a stopped leader is replaced after this long")
    send_batch: int = Field(default=50, ge=1, le=1000)
    send_claim_seconds: float = Field(default=1200, gt=0, description="a message claimed by a sender that stopped "
                                      "is sent again after this long")
    send_max_attempts: int = Field(default=8, ge=1)
    rate_limit_per_hour: int = Field(default=20, ge=1, description="messages to one address in any hour")
    rate_limit_per_day: int = Field(default=60, ge=1, description="messages to one address in any day")


class HealthLimits(_Section):
    """When ``practice-alerts health`` (and ``status``'s exit code) calls the service unwell."""

    max_poll_age_seconds: float = Field(default=600, gt=0, description="the last complete pass is older than this")
    max_outbox_age_seconds: float = Field(default=3600, gt=0, description="a message has waited longer than this")
    max_failing_sends: int = Field(default=0, ge=0, description="more messages than this failing to send or given up")
    max_failed_inbound: int = Field(default=0, ge=0, description="more inbound messages than this failed in handling")


class RetentionRule(_Section):
    """How long a closed alert's record is kept (councils set their own; see docs/governance.md)."""

    years_after_closure: int | None = Field(default=None, ge=1, le=100)
    until_age: int | None = Field(default=None, ge=18, le=100, description="keep until the child is this old")
    mail_days: int = Field(default=90, ge=1, description="unrelated or quarantined inbound mail is kept this long")


class DirectorySyncSettings(_Section):
    """Where ``practice-alerts directory sync`` reads people from: Microsoft Entra ID through Graph."""

    tenant_id: str = Field(min_length=1)
    client_id: str = Field(min_length=1)
    client_secret_env: str = Field(min_length=1, description="the environment variable holding the app's secret")
    groups: dict[str, list[str]] = Field(min_length=1, description="Entra group (display name or id) -> roles")
    authority_host: str = Field(default="https://login.microsoftonline.com", pattern=r"^https?://")
    graph_url: str = Field(default="https://graph.microsoft.com/v1.0", pattern=r"^https?://")
    timeout_seconds: float = Field(default=60, gt=0)
class ConsoleConfig(_Section):
    """The web console (``practice-alerts web``): the council's name and single sign-on."""

    council_name: str | None = Field(default=None, max_length=120, description="shown in the header; "
                                     "else the policy's authority")
    public_url: str | None = Field(default=None, pattern=r"^https?://", description="the address people use, "
                                   "e.g. https://practice-alerts.council.gov.uk (sign-in returns there)")
    oidc_issuer: str | None = Field(default=None, pattern=r"^https?://", description="the OpenID Connect issuer, "
                                    "e.g. https://login.microsoftonline.com/TENANT/v2.0")
    oidc_client_id: str | None = None
    oidc_client_secret_env: str = Field(default="PRACTICE_ALERTS_OIDC_SECRET",
                                        description="the environment variable holding the client secret")
class ReportingConfig(_Section):
    """How the quarterly report presents the authority (the policy's name for it when left out)."""

    authority: str | None = Field(default=None, max_length=200, description="the authority's name on the report")
    logo: Path | None = Field(default=None, description="a PNG or JPEG logo for the report's first page")


class Config(_Section):
    """The validated configuration, with every path made absolute."""

    policy: str = Field(min_length=1, description="a built-in policy's name or a policy file")
    directory: Path
    database: str = Field(min_length=1, description="a SQLite file path or a postgresql:// URL")
    transport: TransportSettings
    mail: MailConfig
    marking: str = Field(default="OFFICIAL-SENSITIVE", max_length=40)
    cut_off: dt.time | None = Field(default=None, description="overrides the policy's cut-off, e.g. '16:00'")
    templates: Path | None = Field(default=None, description="a folder of the authority's own letter templates")
    documents: Path = Field(description="where generated documents are kept")
    documents_pdf: bool = Field(default=False, description="also keep a PDF copy of every document "
                                "(documents.pdf; needs LibreOffice)")
    service: ServiceTimings = ServiceTimings()
    ignore_mail_before: dt.date | None = Field(default=None, description="inbox mail received before this day is "
                                               "left untouched (for go-live on a mailbox with old mail)")
    health: HealthLimits = HealthLimits()
    retention: RetentionRule | None = None
    directory_sync: DirectorySyncSettings | None = None
    console: ConsoleConfig = ConsoleConfig()
    limits: InboundLimits = InboundLimits()
    reporting: ReportingConfig = ReportingConfig()
    rehearsal: bool = Field(default=False, description="a rehearsal copy: 'run --once --as-of' may run a pass "
                            "as if it were another moment (never set on the live service)")
    notices: NoticeSettings = NoticeSettings()
    secret: bytes = Field(default=b"", exclude=True, repr=False)
    source: Path | None = Field(default=None, exclude=True)

    @property
    def own_addresses(self) -> tuple[str, ...]:
        return (self.mail.shared_mailbox, *(a.lower() for a in self.mail.aliases))


def config_path(given: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The file the command should read: --config, else $PRACTICE_ALERTS_CONFIG, else ./practice-alerts.yaml."""
    return Path(given or environ.get(CONFIG_ENV) or DEFAULT_FILE)


def read_file(path: Path) -> dict[str, Any]:
    name = str(path)
    if not path.is_file():
        raise ConfigError(name, ["no such file; run 'practice-alerts init DIR' to write a starter configuration, "
                                 f"or name the file with --config or {CONFIG_ENV}"])
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else load_safely(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(name, [f"cannot be read: {exc}"]) from None
    if not isinstance(data, dict):
        raise ConfigError(name, ["must hold settings (policy, directory, database, transport, mail...)"])
    return data


def _absolute(base: Path, value: Any) -> Any:
    if value is None or value == "":
        return value
    path = Path(str(value)).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())


def _database(base: Path, value: Any) -> Any:
    if isinstance(value, str) and "://" not in value:
        return _absolute(base, value)
    if isinstance(value, str) and value.startswith("sqlite:///") and not value.startswith("sqlite:////"):
        return "sqlite:///" + _absolute(base, value.removeprefix("sqlite:///"))
    return value


def _resolved(data: dict[str, Any], base: Path) -> dict[str, Any]:
    data = dict(data)
    if isinstance(data.get("documents"), dict):  # documents: {path: ..., pdf: true}
        section = dict(data.pop("documents"))
        data["documents"] = section.pop("path", "documents")
        data.update({f"documents_{key}": value for key, value in section.items()})
    for key in ("directory", "templates", "documents"):
        if key in data:
            data[key] = _absolute(base, data[key])
    data.setdefault("documents", str((base / "documents").resolve()))
    if "database" in data:
        data["database"] = _database(base, data["database"])
    reporting = data.get("reporting")
    if isinstance(reporting, dict) and reporting.get("logo"):
        data["reporting"] = {**reporting, "logo": _absolute(base, reporting["logo"])}
    policy = data.get("policy")
    if isinstance(policy, str) and policy.endswith((".yaml", ".yml")):
        data["policy"] = _absolute(base, policy)
    transport = data.get("transport")
    if isinstance(transport, dict) and transport.get("kind", "maildir") == "maildir" and "path" in transport:
        data["transport"] = {"kind": "maildir", **transport, "path": _absolute(base, transport["path"])}
    return data


def _problem(error: Mapping[str, Any]) -> str:
    loc = ".".join(str(p) for p in error["loc"] if not (isinstance(p, str) and p in ("maildir", "imap_smtp", "ews", "graph")))
    loc = loc.replace("documents_", "documents.", 1) if loc.startswith("documents_") else loc
    message = error["msg"]
    if error["type"] == "missing":
        message = "is required"
    elif error["type"] == "extra_forbidden":
        message = "is not a setting (check its spelling)"
    return f"{loc or 'the file'}: {message}"


_SECRET_KEYS = ("password", "secret", "client_secret", "oauth2_token", "token")


def _secrets_in_file(data: Any, where: str = "") -> list[str]:
    """Settings that would put a secret in the file: refused, naming the variable to use instead."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            setting = f"{where}{key}"
            if setting == "secret":
                found.append(f"secret: secrets are never read from this file; set the environment variable {SECRET_ENV}")
            elif setting == "source":
                found.append("source: is not a setting (check its spelling)")
            elif isinstance(key, str) and key.lower() in _SECRET_KEYS:
                found.append(f"{setting}: secrets are never read from this file; name an environment variable "
                             f"instead ({key}_env: A_VARIABLE_NAME)")
            else:
                found += _secrets_in_file(value, f"{setting}.")
    return found


def load_config(path: Path, environ: Mapping[str, str] = os.environ, *, require_secret: bool = True) -> Config:
    """The validated configuration; ConfigError lists every problem, each naming its setting."""
    name = str(path)
    raw = read_file(path)
    problems = list(_secrets_in_file(raw))
    raw = {key: value for key, value in raw.items() if key not in ("secret", "source")}
    data = _resolved(raw, path.resolve().parent)
    try:
        config = Config.model_validate({**data, "source": path.resolve()})
    except ValidationError as exc:
        named = {p.split(":", 1)[0] for p in problems}
        problems += [p for p in (_problem(e) for e in exc.errors()) if p.split(":", 1)[0] not in named]
        config = None
    secret = environ.get(SECRET_ENV, "")
    if require_secret and len(secret) < MIN_SECRET_CHARS:
        problems.append(f"the environment variable {SECRET_ENV} must hold the Message-ID signing key "
                        f"(at least {MIN_SECRET_CHARS} characters; keep it the same across restarts)")
    if problems or config is None:
        raise ConfigError(name, problems)
    config = config.model_copy(update={"secret": secret.encode()})
    return config
