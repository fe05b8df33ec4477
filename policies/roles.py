"""The roles a policy may name and the organisation directory may give people.

One vocabulary for both, so a policy can never ask for a role nobody can hold.
Each role says where the workflow looks for its holder (its scope).
"""

from __future__ import annotations

from enum import StrEnum


class RoleScope(StrEnum):
    """Where the holder of a role is found."""

    CHILD_CHAIN = "child_chain"
    """Up the management chain from the child's social worker (or the team manager on the form)."""
    IRO_CHAIN = "iro_chain"
    """Up the management chain from the IRO / CP chair who raised the alert."""
    SERVICE = "service"
    """Anyone in the directory holding the role (a team mailbox such as LAC admin)."""
    EXTERNAL = "external"
    """An external contact in the directory (CAFCASS Legal, the LSCB chair)."""
    ALERT = "alert"
    """A person named on the alert itself (the IRO, the social worker)."""


class Role(StrEnum):
    IRO = "iro"
    CP_CHAIR = "cp_chair"
    SOCIAL_WORKER = "social_worker"
    ASSISTANT_TEAM_MANAGER = "assistant_team_manager"
    TEAM_MANAGER = "team_manager"
    PRACTICE_MANAGER = "practice_manager"
    SERVICE_MANAGER = "service_manager"
    GROUP_MANAGER = "group_manager"
    HEAD_OF_SERVICE = "head_of_service"
    SERVICE_LEAD = "service_lead"
    AREA_DIRECTOR = "area_director"
    ASSISTANT_DIRECTOR = "assistant_director"
    DIRECTOR = "director"
    CORPORATE_DIRECTOR = "corporate_director"
    DIRECTOR_OF_CHILDRENS_SERVICES = "director_of_childrens_services"
    IRO_TEAM_MANAGER = "iro_team_manager"
    PRINCIPAL_MANAGER = "principal_manager"
    QA_MANAGER = "qa_manager"
    HEAD_OF_QA = "head_of_qa"
    AD_QUALITY = "ad_quality"
    LAC_ADMIN = "lac_admin"
    NOMINATED_OFFICER = "nominated_officer"
    LEGAL = "legal"
    CAFCASS_LEGAL = "cafcass_legal"
    LSCB_CHAIR = "lscb_chair"
    QA_SERVICE = "qa_service"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def scope(self) -> RoleScope:
        return ROLE_SCOPES[self]


ROLE_LABELS: dict[Role, str] = {
    Role.IRO: "Independent Reviewing Officer",
    Role.CP_CHAIR: "Child Protection Chair",
    Role.SOCIAL_WORKER: "Social Worker",
    Role.ASSISTANT_TEAM_MANAGER: "Assistant Team Manager",
    Role.TEAM_MANAGER: "Team Manager",
    Role.PRACTICE_MANAGER: "Practice Manager",
    Role.SERVICE_MANAGER: "Service Manager",
    Role.GROUP_MANAGER: "Group Manager",
    Role.HEAD_OF_SERVICE: "Head of Service",
    Role.SERVICE_LEAD: "Service Lead",
    Role.AREA_DIRECTOR: "Area Director",
    Role.ASSISTANT_DIRECTOR: "Assistant Director",
    Role.DIRECTOR: "Director",
    Role.CORPORATE_DIRECTOR: "Corporate Director",
    Role.DIRECTOR_OF_CHILDRENS_SERVICES: "Director of Children's Services",
    Role.IRO_TEAM_MANAGER: "IRO / CP Chair Team Manager",
    Role.PRINCIPAL_MANAGER: "Principal Manager",
    Role.QA_MANAGER: "IRO Quality Assurance Manager",
    Role.HEAD_OF_QA: "Head of Quality Assurance",
    Role.AD_QUALITY: "Assistant Director for Quality Assurance",
    Role.LAC_ADMIN: "LAC Admin",
    Role.NOMINATED_OFFICER: "Local Authority Nominated Officer",
    Role.LEGAL: "Legal Services",
    Role.CAFCASS_LEGAL: "CAFCASS Legal",
    Role.LSCB_CHAIR: "Independent Chair of the LSCB",
    Role.QA_SERVICE: "Quality Assurance Service",
}

ROLE_SCOPES: dict[Role, RoleScope] = {
    Role.IRO: RoleScope.ALERT,
    Role.CP_CHAIR: RoleScope.ALERT,
    Role.SOCIAL_WORKER: RoleScope.ALERT,
    Role.ASSISTANT_TEAM_MANAGER: RoleScope.CHILD_CHAIN,
    Role.TEAM_MANAGER: RoleScope.CHILD_CHAIN,
    Role.PRACTICE_MANAGER: RoleScope.CHILD_CHAIN,
    Role.SERVICE_MANAGER: RoleScope.CHILD_CHAIN,
    Role.GROUP_MANAGER: RoleScope.CHILD_CHAIN,
    Role.HEAD_OF_SERVICE: RoleScope.CHILD_CHAIN,
    Role.SERVICE_LEAD: RoleScope.CHILD_CHAIN,
    Role.AREA_DIRECTOR: RoleScope.CHILD_CHAIN,
    Role.ASSISTANT_DIRECTOR: RoleScope.CHILD_CHAIN,
    Role.DIRECTOR: RoleScope.CHILD_CHAIN,
    Role.CORPORATE_DIRECTOR: RoleScope.CHILD_CHAIN,
    Role.DIRECTOR_OF_CHILDRENS_SERVICES: RoleScope.SERVICE,
    Role.IRO_TEAM_MANAGER: RoleScope.IRO_CHAIN,
    Role.PRINCIPAL_MANAGER: RoleScope.IRO_CHAIN,
    Role.QA_MANAGER: RoleScope.IRO_CHAIN,
    Role.HEAD_OF_QA: RoleScope.IRO_CHAIN,
    Role.AD_QUALITY: RoleScope.IRO_CHAIN,
    Role.LAC_ADMIN: RoleScope.SERVICE,
    Role.NOMINATED_OFFICER: RoleScope.SERVICE,
    Role.LEGAL: RoleScope.SERVICE,
    Role.CAFCASS_LEGAL: RoleScope.EXTERNAL,
    Role.LSCB_CHAIR: RoleScope.EXTERNAL,
    Role.QA_SERVICE: RoleScope.SERVICE,
}

RAISING_ROLES = frozenset({Role.IRO, Role.CP_CHAIR})
"""Only people holding one of these roles may raise an alert."""
