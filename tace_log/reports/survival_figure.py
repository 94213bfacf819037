"""The Kaplan–Meier figure: one `reportlab.graphics` Drawing, vector, in the bundled CJK font, in either language,
so the same drawing goes into a PDF (a Drawing is a flowable) and, through the PDF preview, into the app.

Each group's curve as steps with ticks where patients were censored and its 95% interval as a light band; the
months on the axis and, under it, the number still at risk at each tick; a legend with the log-rank p. Numbers are
rounded here, for reading only: the figures themselves are `Analysis`'s, unrounded.
"""

from __future__ import annotations

import io
import math
from bisect import bisect_left
from collections.abc import Mapping, Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..analysis.survival import DAYS_PER_MONTH, Analysis, Curve
from ..messages import EN, render
from .fonts import register_report_font

ENDPOINTS = ("rfs", "os", "ttr")
# One colour a group, in the groups' order; distinct in grey too (dark, mid, light).
PALETTE = (colors.HexColor("#1f3a5f"), colors.HexColor("#c8553d"), colors.HexColor("#3a8f5c"),
           colors.HexColor("#8a6bb8"))
AXIS = colors.HexColor("#5a6470")
GRID = colors.HexColor("#e3e7ec")
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)  # the axis' tick spacing: the first giving at most MAX_TICKS intervals
MAX_TICKS = 8
SIZE = 7.5  # points: ticks, legend and the at-risk table
LINE = 4.2 * mm  # one row of text under the axis


def survival_figure(analysis: Analysis, endpoint: str, names: Mapping[str, str], language: str = EN,
                    width: float = 170 * mm, height: float = 115 * mm) -> Drawing:
    """The figure of `analysis` for an endpoint ("rfs", "os" or "ttr"); `names` are the groups' names as shown
    (each group's key where it has none)."""
    if endpoint not in ENDPOINTS:
        raise ValueError(f"an endpoint is one of {ENDPOINTS}, not {endpoint!r}")
    font = register_report_font()
    groups = list(analysis.curves)
    shown = {g: names.get(g, g) for g in groups}
    at_risk_label = render("survival.at_risk", language)
    # a name in the table of numbers at risk is cut to a quarter of the width (the legend has it whole)
    row_names = {g: _cut_to(name, font, width / 4) for g, name in shown.items()}
    # the names at the left of the numbers at risk, which are centred under the ticks: room for five digits
    left = max(16 * mm, 2 * mm + max(stringWidth(t, font, SIZE) for t in [*row_names.values(), at_risk_label])
               + stringWidth("00000", font, SIZE) / 2 + 2 * mm)
    right = 4 * mm
    title = render(f"survival.endpoint.{endpoint}", language)
    # the legend beside the title where both fit, else in lines of their own under it
    legend = _legend_entries(analysis, shown, language)
    beside = stringWidth(title, font, 9) + 6 * mm + _legend_width(legend, font) <= width - left - right
    legend_rows = [legend] if beside else _rows(legend, font, width - 4 * mm)
    top = 12 * mm + (0 if beside else len(legend_rows) * LINE)
    bottom = (3 + len(groups)) * LINE + 1.5 * mm  # tick labels, the axis title, the table's title, a row a group
    plot_w, plot_h = width - left - right, height - top - bottom

    longest = max((c.time[-1] for c in analysis.curves.values() if c.time), default=0) / DAYS_PER_MONTH
    step = next((s for s in MONTH_STEPS if longest <= s * MAX_TICKS), MONTH_STEPS[-1])
    span = max(step, math.ceil(longest / step) * step)
    ticks = [i * step for i in range(int(span / step) + 1)]

    def x(days: float) -> float:
        return left + plot_w * days / DAYS_PER_MONTH / span

    def y(survival: float) -> float:
        return bottom + plot_h * survival

    drawing = Drawing(width, height, initialFontName=font)  # never Helvetica, not even the renderer's first font
    for level in (0.2, 0.4, 0.6, 0.8, 1.0):  # light lines across, the probabilities at the left
        drawing.add(Line(left, y(level), left + plot_w, y(level), strokeColor=GRID, strokeWidth=0.4))
    for level in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        drawing.add(String(left - 1.5 * mm, y(level) - SIZE / 3, f"{level:.1f}", fontName=font, fontSize=SIZE,
                           fillColor=AXIS, textAnchor="end"))
    drawing.add(String(left, height - 9 * mm, title, fontName=font, fontSize=9, fillColor=AXIS))

    for index, group in enumerate(groups):  # bands first, every curve over every band
        colour = PALETTE[index % len(PALETTE)]
        band = _band(analysis.curves[group])
        if band:
            drawing.add(Polygon([v for days, s in band for v in (x(days), y(s))], fillColor=colour,
                                fillOpacity=0.12, strokeColor=None, strokeWidth=0))
    for index, group in enumerate(groups):
        colour = PALETTE[index % len(PALETTE)]
        curve = analysis.curves[group]
        points = _staircase(curve.time, curve.survival)
        drawing.add(PolyLine([v for days, s in points for v in (x(days), y(s))], strokeColor=colour,
                             strokeWidth=1.2, strokeLineJoin=0))
        for days, censored, survival in zip(curve.time, curve.censored, curve.survival, strict=True):
            if censored:
                drawing.add(Line(x(days), y(survival) - 1.2 * mm, x(days), y(survival) + 1.2 * mm,
                                 strokeColor=colour, strokeWidth=0.6))

    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=AXIS, strokeWidth=0.6))
    drawing.add(Line(left, bottom, left, bottom + plot_h, strokeColor=AXIS, strokeWidth=0.6))
    for month in ticks:
        at = left + plot_w * month / span
        drawing.add(Line(at, bottom, at, bottom - 1 * mm, strokeColor=AXIS, strokeWidth=0.6))
        drawing.add(String(at, bottom - LINE + 0.8 * mm, str(month), fontName=font, fontSize=SIZE, fillColor=AXIS,
                           textAnchor="middle"))
    drawing.add(String(left + plot_w / 2, bottom - 2 * LINE + 0.8 * mm, render("survival.months", language),
                       fontName=font, fontSize=SIZE, fillColor=AXIS, textAnchor="middle"))

    table_top = bottom - 3 * LINE + 0.8 * mm  # the numbers at risk: a row a group, a column a tick
    drawing.add(String(2 * mm, table_top, at_risk_label, fontName=font, fontSize=SIZE, fillColor=AXIS))
    for index, group in enumerate(groups):
        row = table_top - (index + 1) * LINE
        colour = PALETTE[index % len(PALETTE)]
        drawing.add(String(2 * mm, row, row_names[group], fontName=font, fontSize=SIZE, fillColor=colour))
        for month in ticks:
            drawing.add(String(left + plot_w * month / span, row, str(_at_risk(analysis.curves[group], month)),
                               fontName=font, fontSize=SIZE, fillColor=colour, textAnchor="middle"))

    for index, entries in enumerate(legend_rows):
        _legend(drawing, entries, font, width - right, height - top + 3 * mm + (len(legend_rows) - 1 - index) * LINE)
    return drawing


def figure_pdf(drawing: Drawing) -> bytes:
    """The drawing alone as a one-page PDF, deterministic, in the bundled font only (no unembedded Helvetica)."""
    register_report_font()  # and makes it the canvas' first font
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(drawing.width, drawing.height), invariant=1)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


Legend = list[tuple[str, colors.Color, str | None]]  # text, colour, and the mark before it: "line", "tick" or none
MARK_WIDTH = {"line": 7 * mm, "tick": 3 * mm, None: 0}
LEGEND_GAP = 4 * mm


def _legend_entries(analysis: Analysis, shown: dict[str, str], language: str) -> Legend:
    """Each group's line and name, a censoring tick, and the log-rank p where there is a test."""
    entries: Legend = [(name, PALETTE[i % len(PALETTE)], "line") for i, name in enumerate(shown.values())]
    entries.append((render("survival.censored", language), AXIS, "tick"))
    if analysis.logrank.p is not None:
        entries.append((render("survival.logrank_p", language, p=_p(analysis.logrank.p)), AXIS, None))
    return entries


def _legend_width(entries: Legend, font: str) -> float:
    """Its entries and the gaps between them."""
    return sum(stringWidth(text, font, SIZE) + MARK_WIDTH[mark] + LEGEND_GAP for text, _, mark in entries) - LEGEND_GAP


def _rows(entries: Legend, font: str, width: float) -> list[Legend]:
    """The legend in rows no wider than `width` (an entry wider than that alone on its row)."""
    rows: list[Legend] = [[]]
    for entry in entries:
        if rows[-1] and _legend_width([*rows[-1], entry], font) > width:
            rows.append([])
        rows[-1].append(entry)
    return rows


def _cut_to(text: str, font: str, width: float) -> str:
    """The text, cut short with "…" to fit `width`."""
    if stringWidth(text, font, SIZE) <= width:
        return text
    while text and stringWidth(text + "…", font, SIZE) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _legend(drawing: Drawing, entries: Legend, font: str, right: float, baseline: float) -> None:
    """The legend, its right end at `right`."""
    at = right
    for text, colour, mark in reversed(entries):
        at -= stringWidth(text, font, SIZE)
        drawing.add(String(at, baseline, text, fontName=font, fontSize=SIZE, fillColor=colour))
        at -= MARK_WIDTH[mark]
        if mark == "line":
            drawing.add(Line(at, baseline + SIZE / 3, at + 5.5 * mm, baseline + SIZE / 3, strokeColor=colour,
                             strokeWidth=1.2))
        elif mark == "tick":
            drawing.add(Line(at + 1 * mm, baseline - 0.6 * mm, at + 1 * mm, baseline + SIZE * 0.7,
                             strokeColor=colour, strokeWidth=0.6))
        at -= LEGEND_GAP


def _p(p: float) -> str:
    """A p-value as read in a paper: three decimals, or "< 0.001"."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _staircase(times: list[float], values: Sequence[float | None]) -> list[tuple[float, float]]:
    """A step function from (0, 1) through each change of value, to the last time before a value is None."""
    points, last = [(0.0, 1.0)], 1.0
    end = 0.0
    for time, value in zip(times, values, strict=True):
        if value is None:
            break
        if value != last:
            points += [(time, last), (time, value)]
            last = value
        end = time
    points.append((end, last))
    return points


def _band(curve: Curve) -> list[tuple[float, float]]:
    """The 95% interval's outline: its upper limit forward, its lower limit back, as long as it exists."""
    upper = _staircase(curve.time, curve.upper)
    lower = _staircase(curve.time, curve.lower)
    return upper + lower[::-1] if len(lower) > 2 else []


def _at_risk(curve: Curve, month: float) -> int:
    """The number still at risk at a month: those whose time is that day or later."""
    index = bisect_left(curve.time, month * DAYS_PER_MONTH)
    return curve.at_risk[index] if index < len(curve.time) else 0
