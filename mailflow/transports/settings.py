"""Settings for each transport: validated data, never secrets.

The settings file names the *environment variables* that hold passwords, client secrets and
tokens (``password_env: PRACTICE_ALERTS_IMAP_PASSWORD``); :func:`resolve_secret` reads them from an
environment mapping passed in, so start-up fails early and names the missing variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from practice_alerts.mailflow.transports.errors import TransportError

FolderName = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[ -~]+$")]
"""Printable ASCII only: IMAP would need modified UTF-7 for anything else."""


class _Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Folders(_Settings):
    processed_folder: FolderName = "processed"
    quarantine_folder: FolderName = "quarantine"

    @field_validator("processed_folder", "quarantine_folder")
    @classmethod
    def _no_quotes(cls, value: str) -> str:
        if '"' in value or "\\" in value:
            raise ValueError("a folder name may not contain quotes or backslashes")
        return value


class OAuth2Client(_Settings):
    """App-only OAuth2 (client credentials) from Microsoft Entra, for XOAUTH2 to Exchange Online."""

    tenant_id: str
    client_id: str
    client_secret_env: str
    scope: str = "https://outlook.office365.com/.default"
    authority_host: str = "https://login.microsoftonline.com"


class MailServer(_Settings):
    """How to reach and log in to one IMAP or SMTP server.

    XOAUTH2 takes its token from ``oauth2_client`` (fetched and renewed as needed) or, for tokens
    minted elsewhere, from the environment variable ``oauth2_token_env`` (read once at start-up).
    """

    host: str
    port: int = Field(ge=1, le=65535)
    security: Literal["tls", "starttls", "none"]
    auth: Literal["password", "xoauth2", "none"] = "password"
    username: str | None = None
    password_env: str | None = None
    oauth2_token_env: str | None = None
    oauth2_client: OAuth2Client | None = None
    ca_file: Path | None = None
    """A private CA bundle to trust (e.g. an internal CA); the system store is used otherwise."""
    timeout_seconds: float = Field(default=300, gt=0)
    """How long to wait for the server's answer to a command (RFC 5321 4.5.3.2: at least 5 minutes)."""
    data_timeout_seconds: float = Field(default=600, gt=0)
    """How long to wait once the message is sent (RFC 5321: at least 10 minutes after the data)."""


class SmtpSettings(MailServer):
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["tls", "starttls", "none"] = "starttls"


class ImapSettings(MailServer):
    port: int = Field(default=993, ge=1, le=65535)
    security: Literal["tls", "starttls", "none"] = "tls"


class MaildirSettings(_Settings):
    """A local Maildir: the embedded default that needs no server."""

    kind: Literal["maildir"] = "maildir"
    path: Path
    relay: SmtpSettings | None = None
    """If set, each sent message is also relayed through this SMTP server."""


class ImapSmtpSettings(_Folders):
    kind: Literal["imap_smtp"] = "imap_smtp"
    imap: ImapSettings
    smtp: SmtpSettings
    inbox: FolderName = "INBOX"
    sent_folder: FolderName | None = "Sent"
    """Where to APPEND a copy of each sent message; None if the SMTP server files it itself."""


class EwsSettings(_Folders):
    """Exchange Web Services (on-premises Exchange; Exchange Online only where EWS is allowed)."""

    kind: Literal["ews"] = "ews"
    service_endpoint: str = Field(pattern=r"^https?://")
    mailbox: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    access: Literal["delegate", "impersonation"] = "delegate"
    auth: Literal["ntlm", "oauth2"] = "ntlm"
    username: str | None = None
    """For NTLM: DOMAIN\\user or user@domain."""
    password_env: str | None = None
    client_id: str | None = None
    client_secret_env: str | None = None
    tenant_id: str | None = None
    token_url: str | None = None
    """OAuth token endpoint; defaults to Microsoft Entra's for ``tenant_id``."""
    exchange_version: Literal["2013", "2013_SP1", "2016", "2019"] = "2016"
    ca_file: Path | None = None

    @model_validator(mode="after")
    def _app_only_oauth_impersonates(self) -> EwsSettings:
        if self.auth == "oauth2" and self.access != "impersonation":
            raise ValueError(
                "EWS with OAuth2 client credentials is app-only: set access to impersonation "
                "(delegation needs a service account, i.e. auth: ntlm)."
            )
        return self


class GraphSettings(_Folders):
    """Microsoft Graph with app-only (client credentials) auth, for Exchange Online."""

    kind: Literal["graph"] = "graph"
    tenant_id: str
    client_id: str
    client_secret_env: str
    mailbox: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    inbox_folder: str = "inbox"
    authority_host: str = "https://login.microsoftonline.com"
    graph_url: str = "https://graph.microsoft.com/v1.0"
    max_concurrent_requests: int = Field(default=4, ge=1, le=4)
    """Exchange Online allows 4 concurrent requests per mailbox per app."""
    max_retries: int = Field(default=3, ge=0, le=10)
    max_retry_wait_seconds: float = Field(default=60, ge=0)
    timeout_seconds: float = Field(default=60, gt=0)
    delta_seconds: float = Field(default=5, ge=1, le=300)
    """Between passes, how often the inbox's changes are asked for (one small delta query)."""


TransportSettings = Annotated[
    MaildirSettings | ImapSmtpSettings | EwsSettings | GraphSettings,
    Field(discriminator="kind"),
]


def resolve_secret(env_name: str | None, environ: Mapping[str, str], setting: str) -> str:
    """The secret held in the environment variable ``env_name``, naming what to fix if absent."""
    if not env_name:
        raise TransportError(f"The setting {setting} is required: name the environment variable that holds it.")
    value = environ.get(env_name)
    if not value:
        raise TransportError(
            f"The setting {setting} names the environment variable {env_name}, which is not set or empty."
        )
    return value
