"""Which policy version an alert runs under, and the service context with that version's rules.

An alert keeps the policy it was raised under (stored by content hash in ``policy_versions``);
a changed policy file applies to alerts raised after the change, and to older ones only when
someone moves them with ``practice-alerts policy migrate``.
"""

from __future__ import annotations

import dataclasses

from practice_alerts.pipeline.context import ServiceContext
from practice_alerts.policies.schema import Policy
from practice_alerts.store import StoreReads, UnitOfWork
from practice_alerts.workflow.calendar import WorkingCalendar
from practice_alerts.workflow.record import policy_version

_POLICIES: dict[str, Policy] = {}
"""Stored policy versions already read (a version's content never changes)."""
_CURRENT: dict[int, tuple[Policy, str]] = {}
"""The hash of each loaded policy object (kept with the object, so a reused id is never mistaken)."""


class UnknownPolicyVersion(Exception):
    """An alert names a policy version the database does not hold. Operator-facing."""


def current_version(ctx: ServiceContext) -> str:
    """The hash of the policy in the configuration file now."""
    key = id(ctx.policy)
    cached = _CURRENT.get(key)
    if cached is None or cached[0] is not ctx.policy:
        cached = (ctx.policy, policy_version(ctx.policy))
        _CURRENT[key] = cached
    return cached[1]


def keep_current(ctx: ServiceContext, work: UnitOfWork) -> str:
    """Store the current policy's content (once) and return its version."""
    version = current_version(ctx)
    work.keep_policy_version(version, ctx.policy.key, ctx.policy.model_dump(mode="json"))
    return version


def stored_policy(reads: StoreReads, version: str) -> Policy:
    policy = _POLICIES.get(version)
    if policy is None:
        stored = reads.policy_version(version)
        if stored is None:
            raise UnknownPolicyVersion(f"The database holds no policy version {version[:12]}.")
        policy = Policy.model_validate(stored.content)
        _POLICIES[version] = policy
    return policy


def under_version(ctx: ServiceContext, reads: StoreReads, version: str | None) -> ServiceContext:
    """``ctx`` with the policy (and its calendar) of ``version``; ``ctx`` itself for the current one."""
    if version is None or version == current_version(ctx):
        return ctx
    policy = stored_policy(reads, version)
    calendar = WorkingCalendar.for_policy(policy)
    if ctx.config.cut_off is not None:
        calendar = calendar.model_copy(update={"cut_off": ctx.config.cut_off})
    return dataclasses.replace(ctx, policy=policy, calendar=calendar)
