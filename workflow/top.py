"""The top of the ladder: the last stage did not resolve the concern and no CAFCASS referral is open.

Seeds 003 and 004 (a child on a child-protection plan) and Rutland after Stage 5 leave such an
alert with nowhere to go. The policy's ``top_of_ladder`` names the route (e.g. the Director of
Children's Services, the safeguarding partnership's escalation): the alert stays open as
"unresolved at the top of the procedure", the route is told and recorded, the IRO's manager is
told, and reports count it as unresolved, never as resolved.
"""

from __future__ import annotations

from practice_alerts.workflow.actions import Action, Notify
from practice_alerts.workflow.context import Context, Decision, new_state
from practice_alerts.workflow.events import Event
from practice_alerts.workflow.letters import recipient_errors
from practice_alerts.workflow.state import AlertState, Consultation, Status


def unresolved_at_top(state: AlertState, event: Event, ctx: Context, *, counted: bool = True) -> Decision:
    """The alert becomes unresolved at the top: tell the route and the people named, and record it."""
    rule = ctx.policy.top_of_ladder
    assert rule is not None
    people = ctx.people(state.facts, event.at)
    visit = state.current
    name = visit.name if visit else "the last stage"
    actions: list[Action] = []
    route_to: list[str] = []
    if rule.route_role is not None:
        found = people.copies([rule.route_role], exclude=[people.iro])
        route_to = found.addresses
        actions += recipient_errors(ctx, people, state.reference, state.stage, found.missing)
        if route_to:
            actions.append(Notify(reference=state.reference, to=tuple(route_to), cc=(people.iro,), why="top_of_ladder",
                                  stage=state.stage, purpose=f"because {name}, the last stage of the procedure, did not "
                                  f"resolve the concern and the procedure's next route is {rule.route}; the IRO "
                                  "will contact you"))
    told = people.copies(rule.notify, exclude=[people.iro, *route_to])
    actions += recipient_errors(ctx, people, state.reference, state.stage, told.missing)
    holders = [a for a in ((visit.recipient_email, visit.holder_email) if visit else ()) if a and a not in route_to]
    actions.insert(0, Notify(
        reference=state.reference, to=tuple(dict.fromkeys([people.iro, *told.addresses, *holders])), why="unresolved",
        stage=state.stage, purpose=f"because the alert is unresolved at the top of the procedure after {name}: "
        f"it stays open and goes to {rule.route}. It will be reported as unresolved",
    ))
    routed = tuple(Consultation(who=a, role=rule.route_role.value if rule.route_role else "", about="top_of_ladder",
                                at=event.at, notes="route after the last stage, told by notice") for a in route_to)
    top = state.with_current(ended="unresolved") if visit and visit.ended is None else state
    changes: dict[str, object] = {"status": Status.UNRESOLVED, "due": None, "remaining_days": None, "resume_to": None,
                                  "unresolved_at": event.at, "consultations": (*state.consultations, *routed)}
    top = (new_state(top, event, **changes) if counted else top.model_copy(update=changes)).stop_clock(ctx.day(event.at))
    return Decision(state=top, actions=tuple(actions))
