"""Reading a policy's ladder: stage order, what a move skips, and what the IRO may do next."""

from __future__ import annotations

from practice_alerts.policies.entry import ladder_order
from practice_alerts.policies.schema import Policy, Stage
from practice_alerts.workflow.state import AlertState, Status


def ladder(policy: Policy) -> list[Stage]:
    """The stages in climbing order: from the first stage along each ``next``, then any left over."""
    return ladder_order(policy)


def position(policy: Policy, key: str) -> int:
    return [s.key for s in ladder(policy)].index(key)


def between(policy: Policy, low: str, high: str) -> list[Stage]:
    """The formal stages strictly between two stages (what a jump from ``low`` to ``high`` skips)."""
    order = ladder(policy)
    keys = [s.key for s in order]
    return [s for s in order[keys.index(low) + 1 : keys.index(high)] if not s.informal]


def find_stage(policy: Policy, key: str) -> Stage | None:
    return next((s for s in policy.stages if s.key == key), None)


def stage_names(stages: list[Stage]) -> str:
    return ", ".join(s.name for s in stages) or "none"


def cafcass_allowed_for(policy: Policy, state: AlertState) -> bool:
    return state.facts.case_type in policy.cafcass.case_types and (
        policy.cafcass.at_any_time or policy.cafcass.after_last_stage
    )


def iro_options(policy: Policy, state: AlertState) -> tuple[str, ...]:
    """What the IRO may reply now, in words, for the 'please decide' message."""
    if state.status is Status.CONSIDERING_CAFCASS:
        return ("refer to CAFCASS", "not referring: you decide not to refer, giving the reason",
                "consulted: record who you consulted and their view", "close the alert")
    options = ["satisfied: the alert is resolved"]
    stage = find_stage(policy, state.stage) if state.stage else None
    if state.external_agency:
        options.append(f"not satisfied: a further letter to {state.external_agency}")
    elif stage is not None and stage.next:
        nxt = policy.stage(stage.next)
        options.append(f"not satisfied: escalate to {nxt.name} ({nxt.recipient_label})")
    elif stage is not None and cafcass_allowed_for(policy, state) and policy.cafcass.after_last_stage:
        consider = "consider, with the people the procedure names, whether to refer to CAFCASS"
        options.append(f"not satisfied: {consider if policy.cafcass.consider_first else 'refer to CAFCASS'}")
    elif stage is not None and policy.top_of_ladder is not None and state.status is not Status.UNRESOLVED:
        options.append(f"not satisfied: the alert stays open as unresolved at the top of the procedure and goes to "
                       f"{policy.top_of_ladder.route}")
    if stage is not None and not state.external_agency:
        later = [s for s in ladder(policy)[position(policy, stage.key) + 2 :] if s.may_bypass_to]
        if later:
            options.append(f"escalate to a later stage, giving the reason ({stage_names(later)})")
    if policy.time_out.allowed and state.status is not Status.TIMED_OUT:
        agreed = f", with the agreement of the {policy.time_out.agreed_by.label}" if policy.time_out.agreed_by else ""
        options.append(f"time out: stop the clock until a date{agreed}")
    if cafcass_allowed_for(policy, state) and policy.cafcass.at_any_time and state.cafcass_referred_at is None:
        alongside = " (the council's escalation goes on alongside it)" if policy.cafcass.ladder_continues else ""
        options.append(f"refer to CAFCASS now{alongside}")
    options.append("close the alert")
    return tuple(options)
