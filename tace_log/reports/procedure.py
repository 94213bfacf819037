"""The procedure report: one A4 PDF per procedure, for the patient's chart.

Labels come from the dictionary (choice values through `Field.display`), agent names from the formulary and arm
names from the protocol; the report's own words (title, section names, the derived values' labels) from the
message catalogue (`tace_log.messages`). The PDF is
deterministic: reportlab's invariant mode, and the record's own timestamps as the PDF dates, so the same record,
signature and addenda always give the same bytes and a report can be re-verified by its SHA-256.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .. import __version__
from ..choice_lists import ChoiceLists
from ..couinaud import treated_segments
from ..dictionary import (
    ADDENDUM,
    AGENT,
    PATIENT,
    PROCEDURE,
    PROCEDURE_PAGE,
    Entity,
    FieldType,
    Section,
    declared,
    recorded,
)
from ..errors import TaceLogError
from ..files import raw_access
from ..formulary import Formulary, default_formulary
from ..messages import CATALOGUE, Listing, Message, render, worded
from ..model import Addendum, EnteredInError, Signature, age_on, days_after_resection
from ..protocol import Protocol, default_protocol
from ..settings import ReportSettings, SettingsError
from ..signing import SignatureCheck
from ..times import as_utc, readable
from .chinese_text import ChineseParagraph, printable
from .fonts import register_report_font
from .liver_map import liver_map_drawing

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 14 * mm
HEADER_HEIGHT = 24 * mm  # institution, department, title and status, and the patient line
FOOTER_HEIGHT = 10 * mm
LOGO_MAX = (40 * mm, 15 * mm)  # at the top right, above the patient line
LOGO_GAP = 4 * mm  # between the logo and the header text beside it
HEADER_MIN_SIZE = 6.5  # header text shrinks to this font size before it is shortened with "…"
SECTION_MIN_ROOM = 22 * mm  # a heading never ends a page: it starts a new one unless this much room is left
MAX_ROW_LINES = 6  # a table row taller than this is laid out a line per row, so a page can break inside it
WIDE_LINES = 3  # a value longer than this many lines in its half of a field grid gets the grid's full width
ACCENT = colors.HexColor("#1f3a5f")
BAND = colors.HexColor("#e8edf3")
STRIPE = colors.HexColor("#f4f6f9")
MUTED = colors.HexColor("#5a6470")
RULE = colors.HexColor("#d5dbe3")
DRAFT_RED = colors.HexColor("#b00020")  # dark grey (luminance 22%) on a grayscale copy
NOT_RECORDED = "—"

# The report's own words (its structure, not clinical fields) are the catalogue's `report.*` entries; the labels of
# the values it derives its `derived.*` ones, roles `role.*`, what a signature means `meaning.*`.
DRAFT_TEXT = render("report.draft")

# Values the report derives, each after the field it comes from; the fields and their order are the dictionary's
# procedure page (PROCEDURE_PAGE), as the form's.
DERIVED_AFTER = {"birth_date": "age", "date": "days_after_resection"}
AGENT_COLUMNS = ("agent", "dose", "particle_min_um", "particle_max_um", "lot")
KEY_IMAGE_HEIGHT = 75 * mm  # the most a key image takes, two across the page: a DSA frame stays legible
KEY_IMAGE_GAP = 4 * mm

_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


def _text(key: str, language: str, **params) -> str:
    """The report's word `key` (`report.key` in the catalogue, or a key with its section: `derived.age`)."""
    return render(key if "." in key else f"report.{key}", language, **params)


def _pdf_date(stamp: str | None) -> str | None:
    """An ISO 8601 timestamp as a PDF date string (D:YYYYMMDDHHmmSS+00'00')."""
    return as_utc(stamp).strftime("D:%Y%m%d%H%M%S+00'00'") if stamp else None


def _newest(*stamps: str | None) -> str | None:
    known = [s for s in stamps if s]
    return max(known, key=as_utc) if known else None


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[:max(length - 1, 0)] + "…"


def _fit(parts: list[str], separator: str, font: str, size: float, width: float) -> tuple[str, float]:
    """One header line of `parts` that fits `width`: (text, font size). The font shrinks down to
    HEADER_MIN_SIZE, then the longest parts are cut short alike, so a long name never pushes the MRN off."""
    line = separator.join(parts)
    natural = stringWidth(line, font, size)
    if natural <= width:
        return line, size
    size = max(HEADER_MIN_SIZE, size * width / natural)  # a string's width is proportional to the font size
    low, high = 0, max(len(p) for p in parts)
    while low < high:  # the longest length every part may keep
        middle = (low + high + 1) // 2
        if stringWidth(separator.join(_cut(p, middle) for p in parts), font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return separator.join(_cut(p, low) for p in parts), size


class _Styles:
    def __init__(self, font: str):
        self.font = font
        base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=12.5)
        self.body = base
        self.body_cjk = ParagraphStyle("body_cjk", parent=base, wordWrap="CJK")
        self.label = ParagraphStyle("label", parent=base, textColor=MUTED, fontSize=8.5, leading=11)
        self.label_cjk = ParagraphStyle("label_cjk", parent=self.label, wordWrap="CJK")
        self.head = ParagraphStyle("head", parent=base, fontSize=8.5, leading=11, textColor=colors.white)
        self.head_cjk = ParagraphStyle("head_cjk", parent=self.head, wordWrap="CJK")
        self.section = ParagraphStyle("section", parent=base, fontSize=11, leading=14, textColor=ACCENT,
                                      backColor=BAND, borderPadding=(3, 4, 3, 4),  # type: ignore[arg-type]
                                      spaceBefore=6, spaceAfter=4)  # (reportlab takes 4 sides; its stubs a float)
        self.draft = ParagraphStyle("draft", parent=base, fontSize=11, leading=15, textColor=DRAFT_RED)
        self.flag = ParagraphStyle("flag", parent=base, textColor=DRAFT_RED, borderColor=DRAFT_RED, borderWidth=0.8,
                                   borderPadding=3, spaceBefore=6, spaceAfter=4)
        self.flag_cjk = ParagraphStyle("flag_cjk", parent=self.flag, wordWrap="CJK")
        self.narrative = ParagraphStyle("narrative", parent=base, spaceAfter=5)
        self.narrative_cjk = ParagraphStyle("narrative_cjk", parent=self.narrative, wordWrap="CJK")
        self.narrative_line = ParagraphStyle("narrative_line", parent=self.narrative_cjk, spaceAfter=0)

    def style(self, text: str, kind: str) -> ParagraphStyle:
        """The style of a kind of text; its CJK variant (wrapped between characters) for text with CJK in it."""
        return getattr(self, f"{kind}_cjk" if _CJK.search(text) and hasattr(self, f"{kind}_cjk") else kind)

    def paragraph(self, text: str, kind: str = "body") -> Paragraph:
        """Plain text as a Paragraph: markup escaped, line breaks kept, CJK text wrapped between characters."""
        return ChineseParagraph(escape(printable(text, self.font)).replace("\n", "<br/>"), self.style(text, kind))


_SPANNED = None  # a table cell that the cell before it spans


def _spans(row: list) -> list[tuple[int, int]]:
    """(first, last) column of each cell of a row that spans the _SPANNED cells after it."""
    out: list[tuple[int, int]] = []
    for c, cell in enumerate(row):
        if cell is _SPANNED and c > 0:
            if out and out[-1][1] == c - 1:
                out[-1] = (out[-1][0], c)
            else:
                out.append((c - 1, c))
    return out


def _lines_at(paragraph: Paragraph, width: float) -> list[str]:
    """The text of each line of a paragraph wrapped at `width`: each line fits the width on its own."""
    paragraph.wrap(width, PAGE_HEIGHT)
    # A plain paragraph is laid out as (space, [words]) pairs (a CJK one: [the line's text]), one with line
    # breaks as lines of fragments.
    glue = "" if paragraph.style.wordWrap == "CJK" else " "
    return [glue.join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words)
            for line in paragraph.blPara.lines]  # type: ignore[attr-defined]  # set by wrap()


def _taller(paragraph: Paragraph, width: float, text: str) -> bool:
    """Whether a cell wraps to more than MAX_ROW_LINES lines. Laid out only when it might: greedy wrapping
    fills any two lines in a row wider than `width`, so short text is known to fit without wrapping it."""
    style = paragraph.style
    if 2 * stringWidth(text, style.fontName, style.fontSize) / width + 2 * (text.count("\n") + 1) <= MAX_ROW_LINES:
        return False
    return paragraph.wrap(width, PAGE_HEIGHT)[1] > MAX_ROW_LINES * style.leading


def _logo(path) -> ImageReader:
    """The report.logo image, read as bytes through `raw_access` (a mistyped logo naming the logbook the app has
    open must not be opened beside its connection); anything but an image is one line naming the setting."""
    try:
        with raw_access(path).open("rb") as handle:
            image = ImageReader(io.BytesIO(handle.read()))
        image.getSize()
    except TaceLogError:
        raise
    except Exception as exc:  # PIL says "cannot identify image file" in many ways
        raise SettingsError(Message("error.logo_unreadable", path=path, reason=exc)) from exc
    return image


@dataclass(frozen=True)
class _Page:
    """What every page shows: the header (institution, department, logo, title, status, patient), the footer,
    and the draft mark across a draft (or the entered-in-error mark across a record marked so). Every header line
    is fitted to the width it has (`_fit`): the lines beside the logo end before it, so the logo never covers the
    status."""

    institution: str
    department: str
    title: str
    status: str  # "DRAFT – not signed", or who signed and when: on every page
    patient_parts: list[str]  # name, MRN, date, each with its label
    record_line: str
    version_line: str
    page_text: Callable[..., str]  # 'Page x of y', given page= and pages=
    logo: ImageReader | None
    font: str
    across: str | None = None  # the mark across the body: the draft's status, or "entered in error"

    @property
    def logo_size(self) -> tuple[float, float]:
        if self.logo is None:
            return 0, 0
        w, h = self.logo.getSize()
        scale = min(LOGO_MAX[0] / w, LOGO_MAX[1] / h)
        return w * scale, h * scale

    def _line(self, canvas: Canvas, x: float, y: float, parts: list[str], size: float, width: float,
              separator: str = "", right: bool = False) -> float:
        """Draw one fitted header line, its line breaks as spaces; returns its width."""
        text, size = _fit([printable(" ".join(part.split()), self.font) for part in parts], separator, self.font, size,
                          width)
        canvas.setFont(self.font, size)
        (canvas.drawRightString if right else canvas.drawString)(x, y, text)
        return stringWidth(text, self.font, size)

    def draw(self, canvas: Canvas, doc) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN
        left, right = MARGIN, PAGE_WIDTH - MARGIN
        width = right - left
        logo_w, logo_h = self.logo_size
        beside_logo = width - (logo_w + LOGO_GAP if self.logo is not None else 0)
        canvas.setFillColor(ACCENT)
        self._line(canvas, left, top - 10, [self.institution], 12, beside_logo)
        canvas.setFillColor(MUTED)
        self._line(canvas, left, top - 22, [self.department], 9, beside_logo)
        if self.logo is not None:
            canvas.drawImage(self.logo, right - logo_w, top - logo_h, logo_w, logo_h, mask="auto")
        canvas.setFillColor(colors.black)
        title_w = self._line(canvas, left, top - 40, [self.title], 13, width / 2)
        warned = self.across is not None  # a draft, or a record entered in error
        canvas.setFillColor(DRAFT_RED if warned else ACCENT)
        self._line(canvas, left + beside_logo, top - 40, [self.status], 11 if warned else 9,
                   beside_logo - title_w - 6 * mm, right=True)
        canvas.setFillColor(MUTED)
        self._line(canvas, left, top - 53, self.patient_parts, 8.5, width, separator="   ")  # below the logo
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.8)
        canvas.line(left, top - HEADER_HEIGHT + 8, right, top - HEADER_HEIGHT + 8)
        canvas.setLineWidth(0.4)
        canvas.line(left, MARGIN + FOOTER_HEIGHT - 4, right, MARGIN + FOOTER_HEIGHT - 4)
        canvas.setFont(self.font, 7.5)
        canvas.drawString(left, MARGIN + 2, self.record_line)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN + 2, self.version_line)
        if self.across:
            self._mark_across(canvas, self.across)
        canvas.restoreState()

    def _mark_across(self, canvas: Canvas, text: str) -> None:
        """The mark across the body, drawn before it: outlined in full-strength red, so a grayscale copy shows it
        dark grey, with a faint fill on screen; a printed draft cannot pass for a signed report, nor a record
        entered in error for a valid one."""
        diagonal = math.hypot(PAGE_WIDTH, PAGE_HEIGHT)
        size = min(72.0, 0.6 * diagonal / stringWidth(text, self.font, 1))
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(math.degrees(math.atan2(PAGE_HEIGHT, PAGE_WIDTH)))
        canvas.setStrokeColor(DRAFT_RED)
        canvas.setFillColor(DRAFT_RED)
        canvas.setFillAlpha(0.06)
        canvas.setLineWidth(1)
        mark = canvas.beginText(-stringWidth(text, self.font, size) / 2, -size * 0.35)
        mark.setFont(self.font, size)
        mark.setTextRenderMode(2)  # fill, then stroke the outline
        mark.textOut(text)
        canvas.drawText(mark)

    def draw_page_number(self, canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN + 2, self.page_text(page=page, pages=pages))
        canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Keeps each finished page until the end, so every footer can say 'Page x of y'; dates from the record."""

    def __init__(self, *args, page_number: Callable[[Canvas, int, int], None], pdf_date: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_number = page_number
        self._saved_pages: list[dict] = []
        if pdf_date:
            self.setDateFormatter(lambda *_: pdf_date)

    def showPage(self):
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        pages = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self._page_number(self, number, pages)
            super().showPage()
        super().save()


class _ReportBuilder:
    def __init__(self, patient, procedure, signature: Signature | None, addenda: tuple[Addendum, ...],
                 settings: ReportSettings, formulary: Formulary, protocol: Protocol,
                 check: SignatureCheck | None = None, entered_in_error: EnteredInError | None = None,
                 images: Mapping[str, bytes] | None = None):
        self.patient, self.procedure = patient, procedure
        self.images = images or {}
        self.signature, self.addenda, self.check = signature, addenda, check
        self.entered_in_error = entered_in_error
        self.settings = settings
        self.choices = ChoiceLists(formulary, protocol)  # agents' and arms' names
        self.lang = settings.language or "en"  # the caller puts the reader's language in (`procedure_report`)
        self.font = register_report_font()
        self.styles = _Styles(self.font)
        self.width = PAGE_WIDTH - 2 * MARGIN

    # -- values ------------------------------------------------------------------------------------------
    def _derived(self, key: str) -> str | None:
        """A value the report computes from the record, or None if `key` is a dictionary field."""
        if key == "age":
            age = age_on(self.patient.birth_date, self.procedure.date)
            return "" if age is None else str(age)
        if key == "days_after_resection":
            days = days_after_resection(self.procedure.date, self.patient.resection_date)
            return "" if days is None else str(days)
        return None

    def _value(self, entity: Entity, record, key: str) -> tuple[str, str]:
        """(label, value) for a field of `record`, or for a derived value."""
        derived = self._derived(key)
        if derived is not None:
            return _text(f"derived.{key}", self.lang), derived
        field = entity[key]
        return field.label(self.lang), self._display(field, getattr(record, key))

    def _display(self, field, value) -> str:
        """A value as printed: a choice from the formulary or the protocol by its name there, the rest by the
        dictionary."""
        return self.choices.display(field, value, self.lang)

    def _signer(self, signature: Signature) -> str:
        """'王建国 Wang Jianguo, radiologist (wangjg)': the full name, the role when known, the user name."""
        if not signature.role:
            return _text("signer", self.lang, name=signature.signer, username=signature.username)
        return _text("signer_role", self.lang, name=signature.signer, username=signature.username,
                     role=worded(f"role.{signature.role}", self.lang, signature.role))

    def _meaning(self, meaning: str) -> str:
        """A signature's stored meaning as the label of its signer: what they signed, whatever it was then."""
        return worded(f"meaning.{meaning}", self.lang, meaning[:1].upper() + meaning[1:])

    # -- flowables ---------------------------------------------------------------------------------------
    def _heading(self, key_or_label: str) -> Paragraph:
        label = _text(key_or_label, self.lang) if f"report.{key_or_label}" in CATALOGUE else key_or_label
        return self.styles.paragraph(label, "section")

    def _page_section(self, section: Section) -> list:
        """One section of the dictionary's procedure page: its fields in a grid, its rows in a table, or its
        narrative fields each under its own heading."""
        if section.rows == "key_images":
            return self._key_images(section) if self.procedure.key_images else []
        if section.rows:
            rows = self._agents() if section.rows == "agents" else self._rows(declared(section.entity), section.rows)
            return [*self._section(section.label(self.lang)), *rows]
        if section.wide:
            return [flowable for key in section.fields for flowable in self._narrative(key)]
        record = self.patient if section.entity == "patient" else self.procedure
        entity = declared(section.entity)
        # A field of the first record's (tace-log/1) prints a dash when not recorded: its absence is news on a
        # chart copy. A detail added later (the full angiography record) prints only when recorded, and a section
        # of such details with none recorded is left out, so an unrecorded detail never fills a page with dashes.
        fields = [key for key in section.fields if entity[key].since == 1 or recorded(getattr(record, key))]
        if not fields:
            return []
        keys = [key for field_key in fields for key in (field_key, DERIVED_AFTER.get(field_key)) if key]
        out = [*self._section(section.label(self.lang)), self._fields(entity, record, keys)]
        above = [entity[key] for key in section.fields if entity[key].needs_follow_up(getattr(record, key))]
        if above:
            out.append(self._follow_up(record, above))
        if "stained_segments" in section.fields:  # the segments on the Couinaud map too
            out.append(liver_map_drawing(self.procedure.stained_segments,
                                         treated_segments(self.procedure.target_vessels), self.lang,
                                         width=90 * mm))
        return out

    def _follow_up(self, record, above: list) -> Paragraph:
        """The marked line that asks for the patient's radiation follow-up, naming each dose above its threshold."""
        doses = Listing(Message("report.dose_above", field=f, value=self._display(f, getattr(record, f.key)),
                                threshold=self._display(f, f.follow_up_above)) for f in above)
        return self.styles.paragraph(_text("dose_follow_up", self.lang, doses=doses), "flag")

    def _section(self, key_or_label: str) -> list:
        """A section heading, on a new page when too little room is left for it and a few lines under it."""
        return [CondPageBreak(SECTION_MIN_ROOM), self._heading(key_or_label)]

    def _field_grid(self, pairs: list[tuple[str, str]]) -> Table:
        """Label/value pairs two to a row; a long value on a row of its own, across the grid; a value not
        recorded shows as a dash."""
        label_w = 0.18 * self.width
        value_w = 0.5 * self.width - label_w
        rows: list[list] = []
        half: list = []
        for label, value in pairs:
            cells = [(label, "label"), (value or NOT_RECORDED, "body")]
            if stringWidth(value, self.font, self.styles.body.fontSize) > WIDE_LINES * value_w \
                    or value.count("\n") >= WIDE_LINES:
                rows += [half + ["", ""]] if half else []
                rows.append([*cells, _SPANNED, _SPANNED])
                half = []
            else:
                half += cells
                if len(half) == 4:
                    rows.append(half)
                    half = []
        rows += [half + ["", ""]] if half else []
        return self._table(rows, [label_w, value_w] * 2, [], padding=(3, 1, 1.5), rules=True)

    def _table(self, rows: list[list], widths: list[float], style: list, padding: tuple[float, float, float],
               header: list[str] | None = None, banded: bool = False, rules: bool = False) -> Table:
        """A table of text cells: (text, kind), "" (empty) or _SPANNED (the cell before spans it). The header
        row repeats on every page the table flows onto. A row taller than MAX_ROW_LINES lines becomes a table
        row per line (`_split_row`); its lines share one rule and one background."""
        side, top, bottom = padding
        data = [[self.styles.paragraph(h, "head") for h in header]] if header else []
        # The cell font is set even where every cell is a Paragraph: an empty cell would otherwise make the
        # table select Helvetica, which would then be listed (unembedded) in the PDF.
        commands = [("FONTNAME", (0, 0), (-1, -1), self.font), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), side), ("RIGHTPADDING", (0, 0), (-1, -1), side),
                    ("TOPPADDING", (0, 0), (-1, -1), top), ("BOTTOMPADDING", (0, 0), (-1, -1), bottom), *style]
        for number, row in enumerate(rows):
            first = len(data)
            data += self._split_row(row, widths, 2 * side)
            last = len(data) - 1
            if last > first:
                commands += [("BOTTOMPADDING", (0, first), (-1, last - 1), 0),
                             ("TOPPADDING", (0, first + 1), (-1, last), 0)]
            commands += [("SPAN", (start, r), (end, r)) for start, end in _spans(row) for r in range(first, last + 1)]
            if banded and number % 2:
                commands.append(("BACKGROUND", (0, first), (-1, last), STRIPE))
            if rules:
                commands.append(("LINEBELOW", (0, last), (-1, last), 0.25, RULE))
        return Table(data, colWidths=widths, repeatRows=1 if header else 0, style=TableStyle(commands))

    def _split_row(self, row: list, widths: list[float], padding: float) -> list[list]:
        """A row of cells as table rows: itself, or, when a cell wraps to more than MAX_ROW_LINES lines, one
        table row per line. reportlab cannot draw a row taller than its frame (a long value was a LayoutError),
        and its own split of a CJK cell drops spaces as a paragraph's does: lines broken once never are."""
        # (paragraph, the width it is laid out in, its text), or None for an empty or spanned cell
        cells: list[tuple[Any, float, str] | None] = []
        for c, cell in enumerate(row):
            if isinstance(cell, tuple):
                end = next((e for e in range(c + 1, len(row)) if row[e] is not _SPANNED), len(row))
                cells.append((self.styles.paragraph(*cell), sum(widths[c:end]) - padding, cell[0]))
            else:
                cells.append(None)
        if not any(cell and _taller(*cell) for cell in cells):
            return [[cell[0] if cell else "" for cell in cells]]
        lines = [_lines_at(cell[0], cell[1]) if cell else [] for cell in cells]
        return [[ChineseParagraph(escape(text[i]), cell[0].style) if cell and i < len(text) else "" for cell, text in
                 zip(cells, lines, strict=True)] for i in range(max(map(len, lines)))]

    def _fields(self, entity: Entity, record, keys: Iterable[str]) -> Table:
        return self._field_grid([self._value(entity, record, k) for k in keys])

    def _list_table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
        """A table with a header row (repeated on every page it flows onto) and banded rows."""
        return self._table([[(cell or NOT_RECORDED, "body") for cell in row] for row in rows],
                           [w * self.width for w in widths], [("BACKGROUND", (0, 0), (-1, 0), ACCENT)],
                           padding=(6, 2, 2), header=header, banded=True, rules=True)

    def _agents(self) -> list:
        if not self.procedure.agents:
            return [self.styles.paragraph(_text("none_recorded", self.lang))]
        header = [AGENT[k].label(self.lang) for k in AGENT_COLUMNS]
        rows = []
        for a in self.procedure.agents:
            dose = f"{AGENT['dose'].display(a.dose, self.lang)} {worded(f'unit.{a.unit}', self.lang, a.unit)}"
            rows.append([self._display(AGENT[k], getattr(a, k)) if k != "dose" else dose for k in AGENT_COLUMNS])
        return [self._list_table(header, rows, [0.34, 0.16, 0.15, 0.15, 0.20])]

    def _rows(self, entity: Entity, key: str) -> list:
        """A list of the procedure's (complications, other drugs) as a table of its entity's fields, a dose with its
        unit in one column; the widths by what a column holds."""
        records = getattr(self.procedure, key)
        if not records:
            return [self.styles.paragraph(_text("none_recorded", self.lang))]
        columns = [f for f in entity.fields if not (f.key == "unit" and "dose" in entity.key_set)]
        header = [f.label(self.lang) for f in columns]
        rows = [[f"{f.display(r.dose, self.lang)} {r.unit or ''}".strip() if f.key == "dose" and "unit" in
                 entity.key_set and r.dose is not None else self._display(f, getattr(r, f.key)) for f in columns]
                for r in records]
        weights = [1.0 if f.type in (FieldType.INT, FieldType.NUMBER, FieldType.CHOICE) else 2.0 for f in columns]
        return [self._list_table(header, rows, [w / sum(weights) for w in weights])]

    def _key_images(self, section: Section) -> list:
        """The key images two across, each scaled to its cell (never stretched) over its number and caption; an
        image whose bytes are not the ones the record names is said instead of printed."""
        column = (self.width - KEY_IMAGE_GAP) / 2
        cells: list[list[Flowable]] = []
        for number, image in enumerate(self.procedure.key_images, start=1):
            caption = self.styles.paragraph(" · ".join(
                [_text("key_image", self.lang, number=number), *([image.caption] if image.caption else [])]),
                "label")
            data = self.images.get(image.sha256)
            if data is None:
                cells.append([self.styles.paragraph(_text("key_image_unavailable", self.lang)), caption])
                continue
            width, height = ImageReader(io.BytesIO(data)).getSize()
            scale = min(column / width, KEY_IMAGE_HEIGHT / height)
            cells.append([Image(io.BytesIO(data), width * scale, height * scale, hAlign="CENTER"), caption])
        rows: list[list] = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
        style = TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), KEY_IMAGE_GAP / 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])

        def grid(part: list[list]) -> Table:
            return Table(part, colWidths=[column + KEY_IMAGE_GAP / 2] * 2, hAlign="LEFT", style=style)

        # An image row is far taller than the room a heading asks for (SECTION_MIN_ROOM): the heading goes with the
        # first row, whole, so it never ends a page above images that begin on the next.
        first = KeepTogether([self._heading(section.label(self.lang)), grid(rows[:1])])
        return [first, *([grid(rows[1:])] if len(rows) > 1 else [])]

    def _narrative(self, key: str) -> list:
        text = getattr(self.procedure, key) or ""
        return [*self._section(PROCEDURE[key].label(self.lang)), *(self._paragraphs(text) or
                                                                    [self.styles.paragraph(NOT_RECORDED)])]

    def _paragraphs(self, text: str) -> list[Paragraph]:
        """Narrative text (the findings, the impression, an addendum): a paragraph per blank-line-separated
        block; CJK text is laid out a line per flowable.

        reportlab's CJK wrapping drops a space where it splits a paragraph across pages ("selectedand"), so the
        lines are broken once at the full width and each becomes its own flowable: pages then break between
        lines and no paragraph is ever split.
        """
        out: list[Paragraph] = []
        for block in (b.strip() for b in re.split(r"\n\s*\n", text.strip())):
            if not block:
                continue
            whole = self.styles.paragraph(block, "narrative")
            if whole.style.wordWrap != "CJK":
                out.append(whole)
                continue
            lines = _lines_at(whole, self.width)
            last = len(lines) - 1
            out += [ChineseParagraph(escape(line), self.styles.narrative_line if i < last
                                     else self.styles.narrative_cjk) for i, line in enumerate(lines)]
        return out

    def _signature_grid(self, signature: Signature, operator: bool) -> Table:
        """Who performed the procedure (`operator`: the procedure's signature), who signed it and what the
        signature means, when, and the hash: one row per line, full width, so the hash is never wrapped."""
        rows = [(_text("performed_by", self.lang), self.procedure.operator)] if operator else []
        rows += [(self._meaning(signature.meaning), self._signer(signature)),
                 (_text("signed_at", self.lang), readable(signature.signed_at)),
                 (_text("content_sha256", self.lang), signature.content_sha256)]
        return self._table([[(label, "label"), (value or NOT_RECORDED, "body")] for label, value in rows],
                           [0.22 * self.width, 0.78 * self.width], [("BOX", (0, 0), (-1, -1), 0.6, ACCENT)],
                           padding=(6, 2, 2))

    def _draft_paragraph(self, note: str = "") -> Paragraph:
        stop = "。" if self.lang == "zh" else ". "
        return self.styles.paragraph(f"{_text('draft', self.lang)}{stop}{note}".strip(), "draft")

    def _signature(self) -> list:
        p = self.styles.paragraph
        if self.signature is None:
            return [self._heading("signature"), self._draft_paragraph(_text("draft_note", self.lang))]
        out: list[Flowable] = [self._heading("signature")]
        if self.check is not None and not self.check.ok:  # never printed as if it held
            out.append(p(f"{_text('not_verified', self.lang)}: {self.check.describe(self.lang)}", "draft"))
        out.append(self._signature_grid(self.signature, operator=True))
        if self.signature.signed_elsewhere:
            out.append(p(_text("signed_elsewhere", self.lang), "label"))
        if self.check is not None and self.check.covers_fewer_fields:
            out.append(p(_text("covers_fewer", self.lang), "label"))
        if self.check is not None and self.check.changes:
            changes = ("；" if self.lang == "zh" else "; ").join(c.describe(self.lang, self._display)
                                                               for c in self.check.changes)
            out.append(p(_text("changed_since", self.lang, changes=changes), "body"))
        return out

    def _addendum(self, number: int, addendum: Addendum) -> list:
        label = _text("addendum", self.lang, number=number)
        out = [*self._section(label),
               self.styles.paragraph(_text("addendum_note", self.lang), "label"),
               self._field_grid([(_text("author", self.lang), addendum.author),
                                 (_text("written_at", self.lang), readable(addendum.created_at)),
                                 (ADDENDUM["reason"].label(self.lang), addendum.reason)]),
               Spacer(1, 4), *self._paragraphs(addendum.text)]
        out.append(self._signature_grid(addendum.signature, operator=False) if addendum.signature else
                   self._draft_paragraph())
        return out

    def _entered_in_error(self, mark: EnteredInError) -> list:
        return [*self._section(_text("entered_in_error", self.lang)),
                self.styles.paragraph(_text("entered_in_error_note", self.lang), "draft"),
                self._field_grid([(ADDENDUM["reason"].label(self.lang), mark.reason)]),
                self._signature_grid(mark.signature, operator=False)]

    def story(self) -> list:
        """The original report, then the addenda after it (the original part is the same with or without), then
        the entered-in-error mark, if any."""
        *sections, closing = [section for section in PROCEDURE_PAGE if section.in_report]
        *narrative, last = closing.fields  # the page ends with narrative (the impression): the signature follows it
        story = [flowable for section in sections for flowable in self._page_section(section)]
        story += [flowable for key in narrative for flowable in self._narrative(key)]
        # The signature never stands alone on a page: it keeps the last line (and the heading, when that is the only
        # line) with it.
        ending = self._narrative(last)  # [page break, heading, line, ...]
        tail = ending[-1:] if len(ending) > 3 else ending[1:]
        story += [*ending[:len(ending) - len(tail)], KeepTogether([*tail, Spacer(1, 6), *self._signature()])]
        for number, addendum in enumerate(self.addenda, start=1):
            story.extend(self._addendum(number, addendum))
        if self.entered_in_error is not None:
            story.extend(self._entered_in_error(self.entered_in_error))
        return story

    # -- the document ------------------------------------------------------------------------------------
    def page(self) -> _Page:
        pat, proc, signature = self.patient, self.procedure, self.signature
        date = proc.date.isoformat() if proc.date else ""
        colon = "：" if self.lang == "zh" else ": "
        patient_parts = [f"{label}{colon}{value}" for label, value in (
            self._value(PATIENT, pat, "name"), self._value(PATIENT, pat, "mrn"),
            self._value(PROCEDURE, proc, "date")) if value]
        broken = self.check is not None and not self.check.ok  # every page says so: never shown as holding
        status = _text("draft", self.lang) if signature is None else _text(
            "not_verified_status" if broken else "signed_status", self.lang,
            signer=signature.signer, at=readable(signature.signed_at))
        across = status if signature is None else None
        if self.entered_in_error is not None:
            across = _text("entered_in_error_mark", self.lang)
            status = f"{across} · {status}"
        logo = _logo(self.settings.logo) if self.settings.logo else None
        return _Page(self.settings.institution, self.settings.department,
                     f"{_text('title', self.lang)}  {date}".strip(), status, patient_parts,
                     _text("record", self.lang, id=proc.id), f"TACE Log {__version__}",
                     partial(_text, "page", self.lang), logo, self.font, across)

    def build(self) -> bytes:
        page = self.page()
        buffer = io.BytesIO()
        pat, proc = self.patient, self.procedure
        date = proc.date.isoformat() if proc.date else ""
        doc = BaseDocTemplate(
            buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_HEIGHT, bottomMargin=MARGIN + FOOTER_HEIGHT,
            title=f"{_text('title', self.lang)} {date} MRN {pat.mrn}",
            author=self.signature.signer if self.signature else (proc.operator or ""),
            subject=f"{PROCEDURE.label(self.lang)} {proc.id}",
            creator=f"TACE Log {__version__}", invariant=1, initialFontName=self.font,
            lang="zh-CN" if self.lang == "zh" else "en")
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="report", frames=[frame], onPage=page.draw)])
        stamp = _newest(proc.updated_at, proc.created_at,
                        self.signature.signed_at if self.signature else None,
                        *(a.created_at for a in self.addenda),
                        self.entered_in_error.signature.signed_at if self.entered_in_error else None)
        doc.build(self.story(), canvasmaker=partial(_NumberedCanvas, page_number=page.draw_page_number,
                                                    pdf_date=_pdf_date(stamp)))
        return buffer.getvalue()


def build_report(patient, procedure, signature: Signature | None = None, addenda: Iterable[Addendum] = (),
                 settings: ReportSettings | None = None, formulary: Formulary | None = None,
                 protocol: Protocol | None = None, check: SignatureCheck | None = None,
                 entered_in_error: EnteredInError | None = None, images: Mapping[str, bytes] | None = None) -> bytes:
    """The PDF report of one procedure, as bytes. Without a signature every page says it is a draft, in the
    report's language; with one, every page says who signed it and when. `check` (the signature recomputed)
    adds whether it holds (every page says so when it does not), what it covers and what changed since signing.
    A record marked entered in error says so across every page, and ends with the signed mark. `images` holds the
    bytes of the procedure's key images by SHA-256, checked against it (`Logbook.key_images`)."""
    return _ReportBuilder(patient, procedure, signature, tuple(addenda), settings or ReportSettings(),
                          formulary or default_formulary(), protocol or default_protocol(), check,
                          entered_in_error, images).build()
