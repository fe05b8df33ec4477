"""Who the quarterly report goes to: the policy's reporting role, or the QA service.

Pure: the service builds and sends the e-mail (with the .docx and .xlsx attached and no personal
data in the subject); this only says to whom.
"""

from __future__ import annotations

from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import Policy
from practice_alerts.workflow.directory import Directory

FALLBACK_ROLES = (Role.QA_SERVICE, Role.QA_MANAGER, Role.HEAD_OF_QA)


def report_roles(policy: Policy) -> tuple[Role, ...]:
    """The roles to send the report to: who prepares it (per the policy) and the QA service."""
    roles = [policy.reporting.prepared_by] if policy.reporting.prepared_by else []
    return tuple(dict.fromkeys([*roles, Role.QA_SERVICE]))


def report_recipients(policy: Policy, directory: Directory) -> tuple[list[str], list[Role]]:
    """Addresses of everyone holding the report's roles, and the roles nobody holds.

    If nobody holds any of them, the QA manager and head of QA are tried before giving up, so the
    report is never sent to nobody without saying so.
    """
    addresses: list[str] = []
    missing: list[Role] = []
    for roles in (report_roles(policy), FALLBACK_ROLES):
        for role in roles:
            holders = directory.holders(role)
            if not holders:
                missing.append(role)
            for holder in holders:
                if holder.email.lower() not in addresses:
                    addresses.append(holder.email.lower())
        if addresses:
            break
    return addresses, list(dict.fromkeys(m for m in missing if m in report_roles(policy) or not addresses))
