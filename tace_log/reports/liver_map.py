"""The Couinaud liver map for the report (vector, `reportlab.graphics`), from the segments' outlines in
`tace_log.couinaud`: a stained segment is filled, a treated one (by the target vessels) hatched, so the two read
apart in grayscale too; a legend under it.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

from ..couinaud import HEIGHT, SEGMENTS, WIDTH, contains
from ..messages import render
from .fonts import register_report_font

STAINED, TREATED, OUTLINE = colors.HexColor("#1565c0"), colors.HexColor("#ef6c00"), colors.HexColor("#37474f")


def liver_map_drawing(stained: Iterable[str], treated: Iterable[str], language: str = "en",
                      width: float = 180.0) -> Drawing:
    """The map with stained segments filled and treated ones hatched, and a legend, for the report (vector)."""
    font = register_report_font()
    scale = width / WIDTH
    legend = 14.0
    height = HEIGHT * scale + legend
    drawing = Drawing(width, height, initialFontName=font)
    stained, treated = set(stained), set(treated)

    def point(x: float, y: float) -> tuple[float, float]:
        return x * scale, height - y * scale  # the box's y grows down, the drawing's up

    for key in (*(k for k in SEGMENTS if k != "I"), "I"):
        outline, (lx, ly) = SEGMENTS[key]
        flat = [c for x, y in outline for c in point(x, y)]
        fill = STAINED if key in stained else colors.white
        drawing.add(Polygon(flat, fillColor=fill, strokeColor=OUTLINE, strokeWidth=0.7))
        if key in treated:
            _hatch(drawing, outline, point)
        x, y = point(lx, ly)
        drawing.add(String(x, y - 3, key, fontName=font, fontSize=7, textAnchor="middle",
                           fillColor=colors.white if key in stained else OUTLINE))
    drawing.add(_key_box(2, STAINED))
    drawing.add(String(13, 4, render("liver_map.stained", language), fontName=font, fontSize=7))
    drawing.add(_key_box(width / 2, colors.white))
    for i in range(3):
        drawing.add(Line(width / 2 + 2 * i, 3, width / 2 + 2 * i + 4, 10, strokeColor=TREATED, strokeWidth=0.9))
    drawing.add(String(width / 2 + 11, 4, render("liver_map.treated", language), fontName=font, fontSize=7))
    return drawing


def _key_box(x, fill):  # the legend's swatch (reportlab's stubs type a shape's keywords narrowly)
    return Rect(x, 3, 8, 7, fillColor=fill, strokeColor=OUTLINE, strokeWidth=0.5)


def _hatch(drawing: Drawing, outline, point) -> None:
    """Diagonal lines across a segment, clipped to its outline by sampling: readable without colour."""
    xs, ys = [x for x, _ in outline], [y for _, y in outline]
    key = next(k for k, (o, _) in SEGMENTS.items() if o == outline)
    for offset in range(int(min(xs) - max(ys)), int(max(xs)), 3):
        inside = [(x + 0.0, x - offset + 0.0) for x in _steps(min(xs), max(xs))
                  if contains(key, x, x - offset)]
        if len(inside) >= 2:
            (x1, y1), (x2, y2) = inside[0], inside[-1]
            drawing.add(Line(*point(x1, y1), *point(x2, y2), strokeColor=TREATED, strokeWidth=0.9))


def _steps(low: float, high: float, step: float = 0.5) -> list[float]:
    count = int((high - low) / step) + 1
    return [low + i * step for i in range(count)]
