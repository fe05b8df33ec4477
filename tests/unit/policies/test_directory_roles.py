"""A policy checked against the organisation directory: every role it uses must have a holder."""

from __future__ import annotations

from practice_alerts.policies.check import directory_problems, roles_used
from practice_alerts.policies.load import load_policy
from practice_alerts.policies.roles import Role


class FakeDirectory:
    """Holds exactly the roles it is given."""

    def __init__(self, roles: set[Role]):
        self.roles = roles

    def holders(self, role: Role) -> list[str]:
        return [f"{role.value}@example.gov.uk"] if role in self.roles else []


def test_seed_003_roles_used_include_the_nominated_officer_for_cafcass():
    used = roles_used(load_policy("professional_challenge"))
    assert used[Role.NOMINATED_OFFICER] == ["stages[stage2].consult_first", "notifications.recipient_error", "cafcass",
                                            "overall_limit.notify", "top_of_ladder.notify"]
    assert Role.ASSISTANT_DIRECTOR in used and Role.SOCIAL_WORKER in used


def test_seed_001_time_out_agreement_role_must_be_held():
    policy = load_policy("integrated_childrens_services")
    everyone_but = set(Role) - {Role.IRO_TEAM_MANAGER}
    [problem] = directory_problems("ics.yaml", policy, FakeDirectory(everyone_but))
    assert "time_out.agreed_by" in problem.where.split(", ")
    assert problem.message.startswith("nobody in the directory holds the role iro_team_manager")


def test_roles_named_on_the_alert_need_no_directory_holder():
    policy = load_policy("rutland")
    holders = set(Role) - {Role.IRO, Role.SOCIAL_WORKER, Role.CP_CHAIR}
    assert directory_problems("rutland.yaml", policy, FakeDirectory(holders)) == []
