"""The actions: each a form post with a CSRF token, recorded with who, when and why, and decided
by the workflow like any other event. A refusal is shown on the page with its reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from practice_alerts.console.access import Viewer, may_act
from practice_alerts.console.core import Console
from practice_alerts.console.pages import _expired, admin_only, alert_page, held_page, signed_in
from practice_alerts.console.security import csrf_ok
from practice_alerts.pipeline import admin
from practice_alerts.store import InboundStateError, UnknownAlertError
from practice_alerts.workflow.admin_events import (
    CorrectFact,
    DecisionOnBehalf,
    MergeInto,
    RecordedResponse,
    Reopen,
    Withdraw,
)
from practice_alerts.workflow.context import Refused
from practice_alerts.workflow.events import Event

FIELD_LABELS = {"reason": "Why", "text": "What they said", "how": "How they responded", "value": "The correct value",
                "field": "What to correct", "into": "The alert it repeats", "iro_name": "The IRO's name",
                "decision": "The IRO's decision", "stage": "The stage", "on_behalf_of": "Who responded"}


def _text(form: FormData, name: str, limit: int = 2000) -> str:
    return str(form.get(name) or "").strip()[:limit]


def _event(action: str, form: FormData, by: str, at: Any) -> Event:
    common = {"at": at, "by": by, "reason": _text(form, "reason")}
    builders: dict[str, Callable[[], Event]] = {
        "record-response": lambda: RecordedResponse(**common, how=_text(form, "how") or "phone",
                                                    text=_text(form, "text", 20000),
                                                    on_behalf_of=_text(form, "on_behalf_of", 320) or None),
        "correct-fact": lambda: CorrectFact(**common, field=_text(form, "field"), value=_text(form, "value", 320)),
        "reopen": lambda: Reopen(**common),
        "withdraw": lambda: Withdraw(**common),
        "merge": lambda: MergeInto(**common, into=_text(form, "into", 20).upper()),
        "decision-on-behalf": lambda: DecisionOnBehalf(**common, iro_name=_text(form, "iro_name", 200),
                                                       decision=_text(form, "decision"),
                                                       stage=_text(form, "stage", 40) or None,
                                                       notes=_text(form, "notes")),
    }
    return builders[action]()


def _field_errors(exc: ValidationError, action: str) -> dict[str, str]:
    errors = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "reason"
        label = FIELD_LABELS.get(name, name)
        errors[f"{action}-{name}"] = f"{label}: {'choose one of the options' if error['type'] == 'literal_error' else 'check it'}"
    return errors


ACTIONS = ("record-response", "correct-fact", "reopen", "withdraw", "merge", "decision-on-behalf")
DONE = {"record-response": "The response was recorded and the IRO asked to decide.",
        "correct-fact": "The form was corrected.", "reopen": "The alert was reopened and the IRO told.",
        "withdraw": "The alert was withdrawn.", "merge": "The alert was merged into the one it repeats.",
        "decision-on-behalf": "The IRO's decision was recorded."}


@signed_in
async def alert_action(request: Request, console: Console, viewer: Viewer) -> Response:
    reference = str(request.path_params["reference"]).upper()[:20]
    action = str(request.path_params["action"])
    form = await request.form()
    if not csrf_ok(request, form.get("csrf_token")):
        return _expired(request, console)
    if action not in ACTIONS:
        return console.render(request, "error.html", 404, title="Page not found", message="")
    if not may_act(viewer):
        return console.render(request, "error.html", 403, title="You cannot do this",
                              message="Only LAC admin and the QA service can take these actions.")
    typed = {name: _text(form, name, 20000) for name in ("reason", "text", "value", "into")}
    if not _text(form, "reason"):
        return alert_page(request, console, viewer, reference, status=400, open_action=action,
                          errors={f"{action}-reason": "Why: say why you are doing this (it is kept in the chronology)"},
                          values=typed)
    try:
        event = _event(action, form, viewer.email, console.clock())
        admin.act_on_alert(console.ctx, reference, event, console.clock())
    except ValidationError as exc:
        return alert_page(request, console, viewer, reference, status=400, open_action=action,
                          errors=_field_errors(exc, action), values=typed)
    except Refused as exc:
        return alert_page(request, console, viewer, reference, status=400, open_action=action,
                          errors={f"{action}-reason": exc.reason}, values=typed)
    except UnknownAlertError:
        return console.render(request, "error.html", 404, title="Page not found", message="")
    request.session["flash"] = DONE[action]
    return RedirectResponse(f"/alerts/{reference}", status_code=303)


@signed_in
@admin_only
async def held_action(request: Request, console: Console, viewer: Viewer) -> Response:
    inbound_id = int(request.path_params["inbound_id"])
    action = str(request.path_params["action"])
    form = await request.form()
    if not csrf_ok(request, form.get("csrf_token")):
        return _expired(request, console)
    reason = _text(form, "reason")
    if not reason:
        return held_page(request, console, inbound_id, status=400,
                         errors={f"{action}-reason": "Why: say why (the reason is kept)"})
    now = console.clock()
    try:
        if action == "release":
            admin.release(console.ctx, inbound_id, actor=viewer.email, reason=reason, now=now)
            done = "The message was released; the service will handle it on its next pass."
        elif action == "attach":
            reference = _text(form, "reference", 20).upper()
            as_response = _text(form, "as") == "response"
            admin.attach(console.ctx, inbound_id, reference, as_response=as_response, actor=viewer.email,
                         reason=reason, now=now)
            done = f"The message was attached to {reference} as {'a response' if as_response else 'a comment'}."
        elif action == "dismiss":
            admin.dismiss(console.ctx, inbound_id, actor=viewer.email, reason=reason, now=now)
            done = "The message was dismissed."
        else:
            return console.render(request, "error.html", 404, title="Page not found", message="")
    except Refused as exc:
        return held_page(request, console, inbound_id, status=400, errors={f"{action}-reason": exc.reason})
    except InboundStateError as exc:
        return held_page(request, console, inbound_id, status=409, errors={f"{action}-reason": str(exc)})
    request.session["flash"] = done
    return RedirectResponse("/quarantine", status_code=303)


@signed_in
@admin_only
async def retry(request: Request, console: Console, viewer: Viewer) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf_token")):
        return _expired(request, console)
    outbox_id = int(request.path_params["outbox_id"])
    try:
        admin.retry(console.ctx, outbox_id, actor=viewer.email, reason=_text(form, "reason") or "retry",
                    now=console.clock())
    except InboundStateError:
        return console.render(request, "error.html", 404, title="Page not found", message="")
    request.session["flash"] = "The message will be sent again on the service's next pass."
    return RedirectResponse("/outbox", status_code=303)


ROUTES = [
    Route("/alerts/{reference}/actions/{action}", alert_action, methods=["POST"]),
    Route("/quarantine/{inbound_id:int}/{action}", held_action, methods=["POST"]),
    Route("/outbox/{outbox_id:int}/retry", retry, methods=["POST"]),
]
