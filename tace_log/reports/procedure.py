"""The procedure report: one A4 PDF per procedure, for the patient's chart.

Labels come from the dictionary (choice values through `Field.display`), agent names from the formulary and arm
names from the protocol; only the report's own structure (title, section names) is worded here. The PDF is
deterministic: reportlab's invariant mode, and the record's own timestamps as the PDF dates, so the same record,
signature and addenda always give the same bytes and a report can be re-verified by its SHA-256.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .. import __version__
from ..dictionary import AGENT, COMPLICATION, PATIENT, PROCEDURE, PROCEDURE_SECTIONS, Entity
from ..formulary import Formulary, default_formulary
from ..model import Addendum, Signature, age_on, days_after_resection
from ..protocol import Protocol, default_protocol
from ..settings import ReportSettings
from ..signing import SignatureCheck
from ..times import as_utc, readable
from .fonts import register_report_font

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 14 * mm
HEADER_HEIGHT = 24 * mm  # institution, department, title, and the patient line
FOOTER_HEIGHT = 10 * mm
LOGO_MAX = (40 * mm, 16 * mm)
SECTION_MIN_ROOM = 22 * mm  # a heading never ends a page: it starts a new one unless this much room is left
ACCENT = colors.HexColor("#1f3a5f")
BAND = colors.HexColor("#e8edf3")
MUTED = colors.HexColor("#5a6470")
RULE = colors.HexColor("#d5dbe3")
DRAFT_RED = colors.HexColor("#b00020")
NOT_RECORDED = "—"
DRAFT_TEXT = "DRAFT - not signed"

# The report's own words (its structure, not clinical fields): English and Chinese.
TEXT = {
    "title": ("TACE procedure report", "TACE手术报告"),
    "agents": ("Agents and doses", "药物与剂量"),
    "complications": ("Complications", "并发症"),
    "none_recorded": ("None recorded.", "无记录。"),
    "signature": ("Signature", "签名"),
    "signed_by": ("Signed by", "签名人"),
    "signed_at": ("Signed at", "签名时间"),
    "meaning": ("Meaning", "签名含义"),
    "content_sha256": ("Content SHA-256", "内容SHA-256"),
    "draft_note": ("This report has not been signed.", "本报告尚未签名。"),
    "not_verified": ("THIS SIGNATURE DOES NOT VERIFY", "此签名验证失败"),
    "signed_elsewhere": ("Signed elsewhere: in another logbook, by a signer who is not a user of this one.",
                         "在其他日志中签名：签名人不是本日志的用户。"),
    "covers_fewer": ("This signature was made before TACE Log kept what was signed: it covers the procedure and "
                     "the patient's id, MRN, name, sex and birth date; the patient's other values are as recorded "
                     "now.", "此签名早于TACE Log保存签名内容：仅涵盖手术及患者的ID、住院号、姓名、性别和出生日期；"
                     "患者的其他信息为当前记录。"),
    "changed_since": ("Changed since signing: {changes}", "签名后已更改：{changes}"),
    "addendum": ("Addendum", "补充说明"),
    "addendum_note": ("Added after the report above; the original content is unchanged.",
                      "在上述报告之后添加；原报告内容未改变。"),
    "author": ("Author", "作者"),
    "written_at": ("Written at", "时间"),
    "reason": ("Reason", "原因"),
    "age": ("Age (years)", "年龄（岁）"),
    "days_after_resection": ("Days after resection", "术后天数"),
    "page": ("Page {page} of {pages}", "第{page}页，共{pages}页"),
    "record": ("Record {id}", "记录 {id}"),
}

# Which patient fields the report shows, in order: dictionary keys and the age the report derives; the
# procedure's sections are the dictionary's, with the days after resection after the date.
PATIENT_KEYS = ("name", "mrn", "sex", "birth_date", "age", "weight_kg", "height_cm", "study_id", "arm",
                "resection_date", "resection_margin")
SECTIONS = {section.key: section for section in PROCEDURE_SECTIONS}  # the dictionary's grouping, as the form's
AGENT_COLUMNS = ("agent", "dose", "particle_min_um", "particle_max_um", "lot")

_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


def _text(key: str, language: str) -> str:
    en, zh = TEXT[key]
    return zh if language == "zh" else en



def _pdf_date(stamp: str | None) -> str | None:
    """An ISO 8601 timestamp as a PDF date string (D:YYYYMMDDHHmmSS+00'00')."""
    return as_utc(stamp).strftime("D:%Y%m%d%H%M%S+00'00'") if stamp else None


def _newest(*stamps: str | None) -> str | None:
    known = [s for s in stamps if s]
    return max(known, key=as_utc) if known else None


class _Styles:
    def __init__(self, font: str):
        base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=12.5)
        self.body = base
        self.body_cjk = ParagraphStyle("body_cjk", parent=base, wordWrap="CJK")
        self.label = ParagraphStyle("label", parent=base, textColor=MUTED, fontSize=8.5, leading=11)
        self.label_cjk = ParagraphStyle("label_cjk", parent=self.label, wordWrap="CJK")
        self.head = ParagraphStyle("head", parent=base, fontSize=8.5, leading=11, textColor=colors.white)
        self.section = ParagraphStyle("section", parent=base, fontSize=11, leading=14, textColor=ACCENT,
                                      backColor=BAND, borderPadding=(3, 4, 3, 4), spaceBefore=6, spaceAfter=4)
        self.draft = ParagraphStyle("draft", parent=base, fontSize=11, leading=15, textColor=DRAFT_RED)
        self.narrative = ParagraphStyle("narrative", parent=base, spaceAfter=5)
        self.narrative_cjk = ParagraphStyle("narrative_cjk", parent=self.narrative, wordWrap="CJK")
        self.narrative_line = ParagraphStyle("narrative_line", parent=self.narrative_cjk, spaceAfter=0)

    def paragraph(self, text: str, kind: str = "body") -> Paragraph:
        """Plain text as a Paragraph: markup escaped, line breaks kept, CJK text wrapped between characters."""
        style = getattr(self, f"{kind}_cjk" if _CJK.search(text) and hasattr(self, f"{kind}_cjk") else kind)
        return Paragraph(escape(text).replace("\n", "<br/>"), style)


@dataclass(frozen=True)
class _Page:
    """What every page shows: the header lines, the footer, and whether the draft mark is on it."""

    institution: str
    department: str
    title: str
    patient_line: str
    record_line: str
    version_line: str
    page_text: str
    logo: ImageReader | None
    draft: bool
    font: str

    def draw(self, canvas: Canvas, doc) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN
        left, right = MARGIN, PAGE_WIDTH - MARGIN
        canvas.setFillColor(ACCENT)
        canvas.setFont(self.font, 12)
        canvas.drawString(left, top - 10, self.institution)
        canvas.setFont(self.font, 9)
        canvas.setFillColor(MUTED)
        canvas.drawString(left, top - 22, self.department)
        if self.logo is not None:
            w, h = self.logo.getSize()
            scale = min(LOGO_MAX[0] / w, LOGO_MAX[1] / h)
            canvas.drawImage(self.logo, right - w * scale, top - h * scale, w * scale, h * scale, mask="auto")
        canvas.setFillColor(colors.black)
        canvas.setFont(self.font, 13)
        canvas.drawString(left, top - 40, self.title)
        if self.draft:
            canvas.setFillColor(DRAFT_RED)
            canvas.setFont(self.font, 11)
            canvas.drawRightString(right, top - 40, DRAFT_TEXT)
        canvas.setFillColor(MUTED)
        canvas.setFont(self.font, 8.5)
        canvas.drawString(left, top - 53, self.patient_line)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.8)
        canvas.line(left, top - HEADER_HEIGHT + 8, right, top - HEADER_HEIGHT + 8)
        canvas.setLineWidth(0.4)
        canvas.line(left, MARGIN + FOOTER_HEIGHT - 4, right, MARGIN + FOOTER_HEIGHT - 4)
        canvas.setFont(self.font, 7.5)
        canvas.drawString(left, MARGIN + 2, self.record_line)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN + 2, self.version_line)
        if self.draft:
            # A faint diagonal mark across the body, so a printed draft cannot pass for a signed report.
            canvas.setFillColor(DRAFT_RED)
            canvas.setFillAlpha(0.08)
            canvas.setFont(self.font, 64)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -20, DRAFT_TEXT)
        canvas.restoreState()

    def draw_page_number(self, canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN + 2, self.page_text.format(page=page, pages=pages))
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
                 check: SignatureCheck | None = None):
        self.patient, self.procedure = patient, procedure
        self.signature, self.addenda, self.check = signature, addenda, check
        self.settings, self.formulary, self.protocol = settings, formulary, protocol
        self.lang = settings.language
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
            return _text(key, self.lang), derived
        field = entity[key]
        return field.label(self.lang), self._display(field, getattr(record, key))

    def _display(self, field, value) -> str:
        """A value as printed: an arm by the protocol's name for it, the rest by the dictionary."""
        if field is PATIENT["arm"] and value:
            return self.protocol.arm(value).label(self.lang) if value in self.protocol.arm_keys else value
        return field.display(value, self.lang)

    def _agent_name(self, key: str) -> str:
        return self.formulary[key].label(self.lang) if key in self.formulary else key

    # -- flowables ---------------------------------------------------------------------------------------
    def _heading(self, key_or_label: str) -> Paragraph:
        label = _text(key_or_label, self.lang) if key_or_label in TEXT else key_or_label
        return self.styles.paragraph(label, "section")

    def _procedure_section(self, key: str) -> list:
        section = SECTIONS[key]
        return [*self._section(section.label(self.lang)), self._fields(PROCEDURE, self.procedure, section.fields)]

    def _section(self, key_or_label: str) -> list:
        """A section heading, on a new page when too little room is left for it and a few lines under it."""
        return [CondPageBreak(SECTION_MIN_ROOM), self._heading(key_or_label)]

    def _field_grid(self, pairs: list[tuple[str, str]]) -> Table:
        """Label/value pairs two to a row; a value not recorded shows as a dash."""
        p = self.styles.paragraph
        cells = [[p(label, "label"), p(value or NOT_RECORDED)] for label, value in pairs]
        rows = [cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""]) for i in range(0, len(cells), 2)]
        label_w = 0.18 * self.width
        return self._table(rows, [label_w, 0.5 * self.width - label_w] * 2, [
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ])

    def _table(self, rows: list, widths: list[float], style: list, repeat_rows: int = 0) -> Table:
        # The cell font is set even where every cell is a Paragraph: an empty cell would otherwise make the
        # table select Helvetica, which would then be listed (unembedded) in the PDF.
        table = Table(rows, colWidths=widths, repeatRows=repeat_rows)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   *style]))
        return table

    def _fields(self, entity: Entity, record, keys: Iterable[str]) -> Table:
        return self._field_grid([self._value(entity, record, k) for k in keys])

    def _list_table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
        """A table whose header row repeats on every page it flows onto."""
        p = self.styles.paragraph
        data = [[p(h, "head") for h in header]] + [[p(cell or NOT_RECORDED) for cell in row] for row in rows]
        return self._table(data, [w * self.width for w in widths], [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f6f9")]),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ], repeat_rows=1)

    def _agents(self) -> list:
        if not self.procedure.agents:
            return [self.styles.paragraph(_text("none_recorded", self.lang))]
        header = [AGENT[k].label(self.lang) for k in AGENT_COLUMNS]
        rows = []
        for a in self.procedure.agents:
            dose = f"{AGENT['dose'].display(a.dose, self.lang)} {a.unit}"
            rows.append([self._agent_name(a.agent), dose, AGENT["particle_min_um"].display(a.particle_min_um),
                         AGENT["particle_max_um"].display(a.particle_max_um), AGENT["lot"].display(a.lot)])
        return [self._list_table(header, rows, [0.34, 0.16, 0.15, 0.15, 0.20])]

    def _complications(self) -> list:
        if not self.procedure.complications:
            return [self.styles.paragraph(_text("none_recorded", self.lang))]
        header = [COMPLICATION[k].label(self.lang) for k in COMPLICATION.keys]
        rows = [[COMPLICATION[k].display(getattr(c, k), self.lang) for k in COMPLICATION.keys]
                for c in self.procedure.complications]
        return [self._list_table(header, rows, [0.32, 0.14, 0.16, 0.38])]

    def _narrative(self, key: str) -> list:
        text = (getattr(self.procedure, key) or "").strip()
        out: list = [*self._section(PROCEDURE[key].label(self.lang))]
        blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()] or [NOT_RECORDED]
        for block in blocks:
            out.extend(self._narrative_block(block))
        return out

    def _narrative_block(self, text: str) -> list[Paragraph]:
        """A narrative paragraph; CJK text is laid out a line per flowable.

        reportlab's CJK wrapping drops a space where it splits a paragraph across pages ("selectedand"), so the
        lines are broken once at the full width and each becomes its own flowable: pages then break between
        lines and no paragraph is ever split.
        """
        whole = self.styles.paragraph(text, "narrative")
        if whole.style.wordWrap != "CJK":
            return [whole]
        whole.wrap(self.width, PAGE_HEIGHT)
        # A plain paragraph is laid out as (space, [text]) pairs, one with line breaks as lines of fragments.
        lines = ["".join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words)
                 for line in whole.blPara.lines]
        last = len(lines) - 1
        return [Paragraph(escape(line), self.styles.narrative_line if i < last else self.styles.narrative_cjk)
                for i, line in enumerate(lines)]

    def _signature_rows(self, signature: Signature) -> list[tuple[str, str]]:
        return [(_text("signed_by", self.lang), f"{signature.signer} ({signature.username})"),
                (_text("signed_at", self.lang), readable(signature.signed_at)),
                (_text("meaning", self.lang), signature.meaning),
                (_text("content_sha256", self.lang), signature.content_sha256)]

    def _signature_grid(self, signature: Signature) -> Table:
        """One row per line, full width, so the 64-character hash is never wrapped."""
        p = self.styles.paragraph
        rows = [[p(label, "label"), p(value)] for label, value in self._signature_rows(signature)]
        return self._table(rows, [0.22 * self.width, 0.78 * self.width], [
            ("BOX", (0, 0), (-1, -1), 0.6, ACCENT),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])

    def _signature(self) -> list:
        p = self.styles.paragraph
        if self.signature is None:
            return [self._heading("signature"), p(f"{DRAFT_TEXT}. {_text('draft_note', self.lang)}", "draft")]
        out = [self._heading("signature")]
        if self.check is not None and not self.check.ok:  # never printed as if it held
            out.append(p(f"{_text('not_verified', self.lang)}: {self.check.describe()}", "draft"))
        out.append(self._signature_grid(self.signature))
        if self.signature.signed_elsewhere:
            out.append(p(_text("signed_elsewhere", self.lang), "label"))
        if self.check is not None and self.check.covers_fewer_fields:
            out.append(p(_text("covers_fewer", self.lang), "label"))
        if self.check is not None and self.check.changes:
            changes = ("；" if self.lang == "zh" else "; ").join(c.describe(self.lang, self._display)
                                                               for c in self.check.changes)
            out.append(p(_text("changed_since", self.lang).format(changes=changes), "body"))
        return out

    def _addendum(self, number: int, addendum: Addendum) -> list:
        p = self.styles.paragraph
        label = f"{_text('addendum', self.lang)} {number}"
        out = [*self._section(label),
               p(_text("addendum_note", self.lang), "label"),
               self._field_grid([(_text("author", self.lang), addendum.author),
                                 (_text("written_at", self.lang), readable(addendum.created_at)),
                                 (_text("reason", self.lang), addendum.reason)]),
               Spacer(1, 4)]
        out.extend(p(b.strip(), "narrative") for b in re.split(r"\n\s*\n", addendum.text) if b.strip())
        out.append(self._signature_grid(addendum.signature) if addendum.signature else
                   p(f"{DRAFT_TEXT}.", "draft"))
        return out

    def story(self) -> list:
        """The original report, then the addenda after it (the original part is the same with or without)."""
        proc, pat = self.procedure, self.patient
        procedure_keys = list(SECTIONS["procedure"].fields)
        procedure_keys.insert(procedure_keys.index("date") + 1, "days_after_resection")
        story = [*self._section(PATIENT.label(self.lang)), self._fields(PATIENT, pat, PATIENT_KEYS),
                 *self._section(SECTIONS["procedure"].label(self.lang)), self._fields(PROCEDURE, proc, procedure_keys),
                 *self._procedure_section("dsa"), *self._procedure_section("treatment"),
                 *self._section("agents"), *self._agents(),
                 *self._procedure_section("radiation"),
                 *self._section("complications"), *self._complications(),
                 *self._narrative("findings")]
        # The signature never stands alone on a page: it keeps the impression's last line (and its heading, when
        # that is the only line) with it.
        impression = self._narrative("impression")  # [page break, heading, line, ...]
        tail = impression[-1:] if len(impression) > 3 else impression[1:]
        story += [*impression[:len(impression) - len(tail)], KeepTogether([*tail, Spacer(1, 6), *self._signature()])]
        for number, addendum in enumerate(self.addenda, start=1):
            story.extend(self._addendum(number, addendum))
        return story

    # -- the document ------------------------------------------------------------------------------------
    def page(self) -> _Page:
        pat, proc = self.patient, self.procedure
        date = proc.date.isoformat() if proc.date else ""
        colon = "：" if self.lang == "zh" else ": "
        patient_line = "   ".join(f"{label}{colon}{value}" for label, value in (
            self._value(PATIENT, pat, "name"), self._value(PATIENT, pat, "mrn"),
            self._value(PROCEDURE, proc, "date")) if value)
        logo = ImageReader(str(self.settings.logo)) if self.settings.logo else None
        return _Page(self.settings.institution, self.settings.department,
                     f"{_text('title', self.lang)}  {date}".strip(), patient_line,
                     _text("record", self.lang).format(id=proc.id), f"TACE Log {__version__}",
                     _text("page", self.lang), logo, self.signature is None, self.font)

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
                        *(a.created_at for a in self.addenda))
        doc.build(self.story(), canvasmaker=partial(_NumberedCanvas, page_number=page.draw_page_number,
                                                    pdf_date=_pdf_date(stamp)))
        return buffer.getvalue()


def build_report(patient, procedure, signature: Signature | None = None, addenda: Iterable[Addendum] = (),
                 settings: ReportSettings | None = None, formulary: Formulary | None = None,
                 protocol: Protocol | None = None, check: SignatureCheck | None = None) -> bytes:
    """The PDF report of one procedure, as bytes. Without a signature every page says 'DRAFT - not signed'.
    `check` (the signature recomputed) adds whether it holds, what it covers and what changed since signing."""
    return _ReportBuilder(patient, procedure, signature, tuple(addenda), settings or ReportSettings(),
                          formulary or default_formulary(), protocol or default_protocol(), check).build()
