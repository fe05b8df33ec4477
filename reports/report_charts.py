"""Which charts the quarterly report shows, drawn from its figures."""

from __future__ import annotations

from pathlib import Path

from practice_alerts.reports.charts import Series, bar_chart, line_chart
from practice_alerts.reports.quarterly import QuarterlyFigures


def draw_report_charts(f: QuarterlyFigures, folder: Path) -> dict[str, Path]:
    """PNG charts in ``folder``, by name: raised_by_team, themes, stage_reached, on_time, trend."""
    folder.mkdir(parents=True, exist_ok=True)
    charts: dict[str, Path] = {}
    if f.by_team:
        charts["raised_by_team"] = bar_chart(
            folder / "raised_by_team.png", f"Alerts raised by team, {f.quarter}",
            [c.name for c in f.by_team], [Series("Alerts", tuple(c.count for c in f.by_team))])
    themes = [c for c in f.by_category if c.count]
    if themes:
        themes.sort(key=lambda c: -c.count)
        charts["themes"] = bar_chart(
            folder / "themes.png", f"Themes of alerts raised, {f.quarter}",
            [c.name for c in themes], [Series("Alerts", tuple(c.count for c in themes))])
    if f.headline.raised:
        charts["stage_reached"] = bar_chart(
            folder / "stage_reached.png", f"Highest stage reached, alerts raised in {f.quarter}",
            [c.name for c in f.stage_reached], [Series("Alerts", tuple(c.count for c in f.stage_reached))])
    due = [r for r in f.responses if r.due]
    if due:
        charts["on_time"] = bar_chart(
            folder / "on_time.png", f"Stage responses on time, {f.quarter}", [r.name for r in due],
            [Series("On time", tuple(r.on_time for r in due)), Series("Late or missing", tuple(r.late for r in due))])
    charts["trend"] = line_chart(
        folder / "trend.png", "Alerts raised and resolved in time, last four quarters", [h.quarter for h in f.trend],
        [Series("Alerts raised", tuple(h.raised for h in f.trend)),
         Series(f"Resolved within {f.target_working_days} working days", tuple(h.within_target for h in f.trend)),
         Series("Open at quarter end", tuple(h.open_at_end for h in f.trend))])
    return charts
