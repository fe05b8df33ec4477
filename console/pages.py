"""The pages people read: caseload, alert, quarantine, outbox, directory health, reports, the
JSON API and the health check. Every page needs a signed-in person from the directory; an alert
they may not see is answered as not found (so references cannot be probed)."""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from practice_alerts.console import views
from practice_alerts.console.access import Viewer, may_act, may_see
from practice_alerts.console.caseload import CaseRow, Filters, as_csv, row_of
from practice_alerts.console.core import Console, console_of, sign_in_first
from practice_alerts.console.health import directory_health
from practice_alerts.console.security import csrf_ok
from practice_alerts.workflow.admin_events import DecisionOnBehalf
from practice_alerts.workflow.ladder import ladder

Page = Callable[[Request, Console, Viewer], Awaitable[Response]]


def signed_in(page: Page) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        console = console_of(request)
        viewer = console.viewer(request)
        if viewer is None:
            if request.url.path.startswith("/api/"):
                return JSONResponse({"error": "sign in first"}, status_code=401)
            return sign_in_first(request)
        return await page(request, console, viewer)
    return endpoint


def admin_only(page: Page) -> Page:
    async def checked(request: Request, console: Console, viewer: Viewer) -> Response:
        if not may_act(viewer):
            return console.render(request, "error.html", 403, title="You cannot see this page",
                                  message="This page is for LAC admin and the QA service.")
        return await page(request, console, viewer)
    return checked


def visible_rows(console: Console, viewer: Viewer) -> list[CaseRow]:
    today = console.today
    rows = []
    for loaded in console.loaded():
        state = loaded.state
        if state is not None and may_see(viewer, state, console.ctx.directory, today):
            rows.append(row_of(state, console.ctx.policy, console.ctx.calendar, today))
    return rows


async def home(request: Request) -> Response:
    return RedirectResponse("/caseload", status_code=303)


def _filters(form: FormData) -> Filters:
    return Filters(**{name: str(form.get(name) or "")[:100] for name in ("team", "iro", "manager", "stage", "status",
                                                                      "search")})


@signed_in
async def caseload(request: Request, console: Console, viewer: Viewer) -> Response:
    rows = visible_rows(console, viewer)
    filters = Filters(status=str(request.query_params.get("status") or "")[:20])
    if request.method == "POST":
        form = await request.form()
        if not csrf_ok(request, form.get("csrf_token")):
            return _expired(request, console)
        filters = _filters(form)
        if form.get("export"):
            shown = [r for r in rows if filters.keep(r)]
            return Response(as_csv(shown), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="caseload.csv"'})
    shown = sorted((r for r in rows if filters.keep(r)), key=lambda r: ({"red": 0, "amber": 1, "green": 2}.get(r.rag, 3),
                                                                         r.due or console.today, r.reference))
    options = {
        "teams": sorted({r.team for r in rows if r.team}),
        "iros": sorted({(r.iro_email, r.iro_name) for r in rows}, key=lambda p: p[1]),
        "managers": sorted({(r.with_email, r.with_name) for r in rows if r.with_email}, key=lambda p: p[1]),
        "stages": [s.name for s in ladder(console.ctx.policy)],
    }
    counts = {k: sum(1 for r in rows if r.is_open and r.rag == k) for k in ("red", "amber", "green")}
    counts["stuck"] = sum(1 for r in rows if r.is_open and r.stuck)
    return console.render(request, "caseload.html", rows=shown, filters=filters, options=options, counts=counts,
                          total=sum(1 for r in rows if r.is_open))


def _expired(request: Request, console: Console) -> Response:
    return console.render(request, "error.html", 403, title="Your form has expired",
                          message="Go back, reload the page and try again. (The form's security token was missing "
                                  "or out of date, so nothing was changed.)")


def alert_page(request: Request, console: Console, viewer: Viewer, reference: str, *, status: int = 200,
               errors: dict[str, str] | None = None, open_action: str = "",
               values: dict[str, str] | None = None) -> Response:
    loaded = console.one(reference)
    if loaded is None or loaded.state is None or not may_see(viewer, loaded.state, console.ctx.directory,
                                                             console.today):
        return console.render(request, "error.html", 404, title="Page not found",
                              message="There is no alert with that reference that you can see.")
    views.record_view(console, viewer.email, reference)
    state = loaded.state
    row = row_of(state, console.ctx.policy, console.ctx.calendar, console.today)
    return console.render(
        request, "alert.html", status, alert=row, state=state, facts=state.facts, visit=state.current,
        chronology=views.chronology_of(console, loaded), documents=views.documents_of(console, reference),
        mail=views.mail_of(console, loaded), copies=views.stage_letter_copies(console, loaded), seen=views.views_of(console, reference) if viewer.is_admin else [],
        can_act=may_act(viewer), errors=errors or {}, open_action=open_action, values=values or {},
        stages=[s for s in ladder(console.ctx.policy)], decisions=DecisionOnBehalf.model_fields["decision"],
    )


@signed_in
async def alert(request: Request, console: Console, viewer: Viewer) -> Response:
    return alert_page(request, console, viewer, str(request.path_params["reference"]).upper()[:20])


@signed_in
async def document(request: Request, console: Console, viewer: Viewer) -> Response:
    reference = str(request.path_params["reference"]).upper()[:20]
    loaded = console.one(reference)
    if loaded is None or loaded.state is None or not may_see(viewer, loaded.state, console.ctx.directory,
                                                             console.today):
        return console.render(request, "error.html", 404, title="Page not found", message="")
    path = views.document_path(console, reference, str(request.path_params["name"]))
    if path is None:
        return console.render(request, "error.html", 404, title="Page not found", message="")
    views.record_view(console, viewer.email, reference)
    return FileResponse(path, filename=path.name)


@signed_in
@admin_only
async def quarantine(request: Request, console: Console, viewer: Viewer) -> Response:
    with console.ctx.database.reading() as reads:
        held = reads.held_messages()
    return console.render(request, "quarantine.html", held=held, uk=views.uk)


def held_page(request: Request, console: Console, inbound_id: int, *, status: int = 200,
              errors: dict[str, str] | None = None) -> Response:
    message = views.held_message(console, inbound_id)
    if message is None:
        return console.render(request, "error.html", 404, title="Page not found", message="")
    return console.render(request, "held.html", status, message=message, uk=views.uk, errors=errors or {})


@signed_in
@admin_only
async def held(request: Request, console: Console, viewer: Viewer) -> Response:
    return held_page(request, console, int(request.path_params["inbound_id"]))


@signed_in
@admin_only
async def outbox(request: Request, console: Console, viewer: Viewer) -> Response:
    with console.ctx.database.reading() as reads:
        items = reads.troubled_outbox()
    return console.render(request, "outbox.html", items=items, uk=views.uk)


@signed_in
@admin_only
async def directory(request: Request, console: Console, viewer: Viewer) -> Response:
    return console.render(request, "directory.html", health=directory_health(console))


@signed_in
@admin_only
async def reports(request: Request, console: Console, viewer: Viewer) -> Response:
    from practice_alerts.console.reporting import quarter_figures  # noqa: PLC0415 - reports load charts lazily

    quarter = str(request.query_params.get("quarter") or "")[:7]
    figures, problem = quarter_figures(console, quarter)
    return console.render(request, "reports.html", figures=figures, problem=problem)


@signed_in
@admin_only
async def report_file(request: Request, console: Console, viewer: Viewer) -> Response:
    from practice_alerts.console.reporting import write_report  # noqa: PLC0415 - reports load charts lazily

    folder = Path(tempfile.mkdtemp(prefix="pa-console-"))
    path = write_report(console, str(request.path_params["kind"]), str(request.query_params.get("quarter") or ""),
                        folder)
    if path is None:
        return console.render(request, "error.html", 404, title="Page not found", message="")
    return FileResponse(path, filename=path.name, background=BackgroundTask(_remove, folder))


def _remove(folder: Path) -> None:
    import shutil  # noqa: PLC0415 - only after a download

    shutil.rmtree(folder, ignore_errors=True)


@signed_in
async def api_alerts(request: Request, console: Console, viewer: Viewer) -> Response:
    rows = visible_rows(console, viewer)
    return JSONResponse({"alerts": [{
        "reference": r.reference, "case_number": r.child_id, "team": r.team, "iro": r.iro_name, "stage": r.stage,
        "status": r.status, "with": r.with_name, "due": r.due.isoformat() if r.due else None,
        "working_days": r.elapsed, "overall_limit": r.limit, "rag": r.rag or None, "stuck": r.stuck or None,
        "open": r.is_open} for r in rows]})


async def healthz(request: Request) -> Response:
    console = console_of(request)
    try:
        with console.ctx.database.reading() as reads:
            reads.entries_about("healthz")
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy; the kind is enough
        return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok"})


ROUTES = [
    Route("/", home, methods=["GET"]),
    Route("/caseload", caseload, methods=["GET", "POST"]),
    Route("/alerts/{reference}", alert, methods=["GET"]),
    Route("/alerts/{reference}/documents/{name}", document, methods=["GET"]),
    Route("/quarantine", quarantine, methods=["GET"]),
    Route("/quarantine/{inbound_id:int}", held, methods=["GET"]),
    Route("/outbox", outbox, methods=["GET"]),
    Route("/directory", directory, methods=["GET"]),
    Route("/reports", reports, methods=["GET"]),
    Route("/reports/{kind}", report_file, methods=["GET"]),
    Route("/api/alerts", api_alerts, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
]
