"""The commented starter configuration that ``init`` and ``demo`` write."""

from __future__ import annotations

STARTER = """\
# Practice Alerts configuration. Relative paths are relative to this file.
# Secrets are never written here: set them in the service's environment.
#   PRACTICE_ALERTS_SECRET   the key that signs our Message-IDs (at least 16 characters;
#                            keep it the same across restarts, e.g. `openssl rand -hex 32`)
#   transport passwords      in the variables the transport settings name (password_env...)

# The authority's procedure: a built-in policy (see `practice-alerts policy list`) or a YAML file.
policy: {policy}

# Who is who: staff, their roles and line managers, absences and covers (YAML or CSV).
directory: directory.yaml

# SQLite file by default; PostgreSQL by URL (postgresql://user@host/dbname, needs the
# 'postgres' extra). The password, if any, can come from PGPASSWORD.
database: {database}

# Where mail is read and sent. maildir is a local folder and needs no server:
# put .eml files into mail/new and sent mail appears in mail/.sent/cur.
# For imap_smtp, ews or graph see docs/transports.md.
transport:
  kind: maildir
  path: mail

mail:
  shared_mailbox: {mailbox}
  shared_mailbox_name: Practice Alerts
  # aliases: [practice.alerts.old@example.gov.uk]
  message_id_domain: {domain}
  # Who can be believed: see docs/mail.md (authenticity).
  authenticity:
    internal_domains: [{domain}]
{trust}
  # lac_admin: lac.admin@{domain}   # else whoever holds lac_admin in the directory

# The protective marking at the start of every subject.
marking: OFFICIAL-SENSITIVE

# Messages received after this time (UK) count from the next working day. Leave it out to use
# the policy's own cut-off.
# cut_off: "17:00"

# Generated letters are kept here, one folder per alert. To keep a PDF copy beside each one
# (made by LibreOffice in the background; the service will not start without it), write instead:
#   documents:
#     path: documents
#     pdf: true
documents: documents

# A folder of your own letter templates (anything missing comes from the built-in set).
# templates: templates

service:
  poll_seconds: 60
  lease_seconds: 180
  # At most this many messages to one address in any hour and any day; more wait in the
  # outbox (nothing is dropped) and LAC admin is told once: a mail loop cannot flood anyone.
  rate_limit_per_hour: 20
  rate_limit_per_day: 60
"""


def starter_text(*, policy: str = "rutland", database: str = "data/practice-alerts.db",
                 mailbox: str = "practice.alerts@example.gov.uk", domain: str = "example.gov.uk",
                 demo: bool = False) -> str:
    return STARTER.format(policy=policy, database=database, mailbox=mailbox, domain=domain,
                          trust=DEMO_TRUST if demo else SAFE_TRUST.replace("{domain}", domain))


SAFE_TRUST = """\
    # A local Maildir is only as trustworthy as what delivers into it. Name the authserv-id your
    # mail boundary writes into Authentication-Results (dmarc=pass header.from=... is believed):
    # boundary_authserv_ids: [mx.{domain}]
    # If (and only if) the mailbox is delivered by your own Exchange, which removes
    # X-MS-Exchange-Organization-* headers from outside mail, also set:
    # exchange_upstream: true"""

DEMO_TRUST = """\
    # The demonstration's mail is written as the council's own Exchange delivers it. Never copy
    # this line into a real service unless Exchange delivers the mailbox: see docs/mail.md.
    exchange_upstream: true"""
