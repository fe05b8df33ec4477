"""Simple PNG charts for the Word report, drawn with Pillow (no plotting library needed).

Two shapes cover what the report shows: horizontal bars (optionally split into segments, such
as on time / late) and lines over quarters. Imported (with Pillow) only when a report's charts are drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH = 1600
COLOURS = ("#1F4E79", "#C0504D", "#9BBB59", "#8064A2", "#F79646")
INK = "#222222"
GRID = "#D9D9D9"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


def _font(size: int):  # noqa: ANN202 - a Pillow font

    return ImageFont.load_default(size=size)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _ticks(top: float) -> list[float]:
    step = top / 5
    if top <= 5 and float(top).is_integer():
        step = 1
    return [step * i for i in range(int(round(top / step)) + 1)]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _fit(draw, text: str, font, width: int) -> str:  # noqa: ANN001
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "...", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def bar_chart(path: Path, title: str, labels: Sequence[str], series: Sequence[Series]) -> Path:
    """Horizontal bars, one per label; several series are stacked left to right with a legend."""
    bar, gap, top_margin = 56, 22, 130
    height = top_margin + len(labels) * (bar + gap) + 110
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    title_font, font, small = _font(40), _font(28), _font(24)
    draw.text((40, 30), title, fill=INK, font=title_font)
    label_width = min(560, int(max((draw.textlength(label, font=font) for label in labels), default=100)) + 10)
    left, right = 40 + label_width + 20, WIDTH - 80
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    top = _nice_max(max(totals, default=0))
    scale = (right - left) / top
    axis_bottom = top_margin + len(labels) * (bar + gap)
    for tick in _ticks(top):
        x = left + tick * scale
        draw.line([(x, top_margin - 10), (x, axis_bottom)], fill=GRID, width=2)
        draw.text((x, axis_bottom + 8), _number(tick), fill=INK, font=small, anchor="ma")
    for i, label in enumerate(labels):
        y = top_margin + i * (bar + gap)
        draw.text((40 + label_width, y + bar / 2), _fit(draw, label, font, label_width), fill=INK, font=font, anchor="rm")
        x = left
        for s_index, s in enumerate(series):
            value = s.values[i] or 0
            if value:
                draw.rectangle([x, y, x + value * scale, y + bar], fill=COLOURS[s_index % len(COLOURS)])
            x += value * scale
        draw.text((x + 10, y + bar / 2), _number(totals[i]), fill=INK, font=font, anchor="lm")
    draw.line([(left, top_margin - 10), (left, axis_bottom)], fill=INK, width=2)
    if len(series) > 1:
        _legend(draw, series, axis_bottom + 50, small)
    image.save(path, format="PNG")
    return path


def line_chart(path: Path, title: str, labels: Sequence[str], series: Sequence[Series]) -> Path:
    """Lines over ``labels`` (quarters); a missing value breaks the line."""
    height = 800
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    title_font, font, small = _font(40), _font(28), _font(24)
    draw.text((40, 30), title, fill=INK, font=title_font)
    left, right, top_y, bottom_y = 140, WIDTH - 80, 130, height - 170
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_max(max(values, default=0))
    for tick in _ticks(top):
        y = bottom_y - tick / top * (bottom_y - top_y)
        draw.line([(left, y), (right, y)], fill=GRID, width=2)
        draw.text((left - 14, y), _number(tick), fill=INK, font=small, anchor="rm")
    inset = 90
    step = (right - left - 2 * inset) / max(len(labels) - 1, 1)
    xs = [left + inset + i * step if len(labels) > 1 else (left + right) / 2 for i in range(len(labels))]
    for x, label in zip(xs, labels, strict=True):
        draw.text((x, bottom_y + 14), label, fill=INK, font=font, anchor="ma")
    for s_index, s in enumerate(series):
        colour = COLOURS[s_index % len(COLOURS)]
        points = [(x, bottom_y - v / top * (bottom_y - top_y)) if v is not None else None for x, v in zip(xs, s.values, strict=False)]
        for a, b in zip(points, points[1:], strict=False):
            if a and b:
                draw.line([a, b], fill=colour, width=6)
        for point, value in zip(points, s.values, strict=False):
            if point and value is not None:
                draw.ellipse([point[0] - 10, point[1] - 10, point[0] + 10, point[1] + 10], fill=colour)
                draw.text((point[0], point[1] - 18), _number(value), fill=INK, font=small, anchor="md")
    draw.line([(left, top_y), (left, bottom_y), (right, bottom_y)], fill=INK, width=2)
    _legend(draw, series, bottom_y + 80, small)
    image.save(path, format="PNG")
    return path


def _legend(draw, series: Sequence[Series], y: float, font) -> None:  # noqa: ANN001
    x = 40
    for index, s in enumerate(series):
        draw.rectangle([x, y, x + 30, y + 30], fill=COLOURS[index % len(COLOURS)])
        draw.text((x + 42, y + 15), s.name, fill=INK, font=font, anchor="lm")
        x += 42 + draw.textlength(s.name, font=font) + 50
