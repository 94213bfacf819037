"""The study report: one A4 PDF of the whole study at a data cutoff, for the trial office and the investigators'
meeting (`tace-log study-report --cutoff DATE -o FILE.pdf`, Patient > Study report in the app).

In order: the data cutoff, the protocol in force and the logbook's newest change on the first page; the study flow
(CONSORT/STROBE) drawn from `course.flow`; baseline characteristics by arm; the Kaplan-Meier figures for RFS and OS
with their medians, hazard ratios and log-rank test (`analysis.by_arm`); adverse events by CTCAE term and worst grade
by arm; lenvatinib dose reductions and discontinuations. Everything is derived from the records, nothing typed.
Deterministic: the same logbook and cutoff give the same bytes (reportlab's invariant mode, the PDF dated by the
cutoff); fonts embedded; page x of y.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
from collections import Counter, defaultdict
from functools import partial

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .. import __version__
from ..analysis.by_arm import UNASSIGNED, survival_by_arm
from ..analysis.survival import DAYS_PER_MONTH
from ..course.flow import flow
from ..dictionary import PATHOLOGY, SCREENING
from ..lenvatinib import LADDER
from ..messages import render
from ..model import age_on
from ..times import readable
from .fonts import register_report_font
from .procedure import ACCENT, BAND, MARGIN, MUTED, STRIPE, _NumberedCanvas, _Styles
from .survival_figure import survival_figure

WIDTH = A4[0] - 2 * MARGIN
GRADE_BANDS = (("1-2", (1, 2)), ("3", (3,)), ("4", (4,)), ("5", (5,)))


def _t(key: str, language: str, **params) -> str:
    return render(f"study.{key}", language, **params)


def _median_iqr(values: list[float]) -> str:
    if not values:
        return "—"
    if len(values) < 2:
        return f"{values[0]:g}"
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return f"{q2:.1f} ({q1:.1f}–{q3:.1f})"


def _count(n: int, of: int) -> str:
    return f"{n} ({100 * n / of:.0f}%)" if of else "0"


class _StudyReport:
    def __init__(self, logbook, cutoff: dt.date, language: str):
        self.logbook, self.cutoff, self.lang = logbook, cutoff, language
        self.protocol = logbook.protocol
        self.font = register_report_font()
        self.styles = _Styles(self.font)
        self.courses = logbook.courses.read()
        self.flow = flow(self.courses, self.protocol, cutoff)
        enrolled = {c.mrn: (c.arm or UNASSIGNED) for c in self.courses if c.enrolled_by(cutoff)}
        self.arms = [a for a in (*self.protocol.arm_keys, UNASSIGNED) if a in set(enrolled.values())]
        self.arm_of = enrolled
        self.names = {a.key: a.label(language) for a in self.protocol.arms}
        self.names[UNASSIGNED] = render("survival.unassigned", language)
        self.patients = [(p, procs) for p, procs in logbook.iter_patients() if p.mrn in enrolled]

    # -- building blocks ---------------------------------------------------------------------------------------
    def heading(self, key: str) -> Paragraph:
        return Paragraph(_t(key, self.lang), self.styles.section)

    def table(self, rows: list[list[str]], widths: list[float]) -> Table:
        cells = [[self.styles.paragraph(str(c), "head" if i == 0 else "body") for c in row]
                 for i, row in enumerate(rows)]
        table = Table(cells, colWidths=[w * WIDTH for w in widths], repeatRows=1)
        # the cells' font is set even for a paragraph in them: never Helvetica
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font),
                                   ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                                   ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        return table

    def by_arm_header(self, first: str) -> list[str]:
        return [first, *(f"{self.names[a]} (n={sum(1 for v in self.arm_of.values() if v == a)})" for a in self.arms)]

    # -- the sections -----------------------------------------------------------------------------------------
    def first_page(self) -> list:
        s = self.styles
        newest = self.logbook.audit.newest()
        lines = [_t("cutoff", self.lang, date=self.cutoff.isoformat()),
                 _t("protocol", self.lang, protocol=self.protocol.describe()),
                 _t("logbook", self.lang, name=self.logbook.path.name, version=__version__)]
        if newest:
            lines.append(_t("newest", self.lang, stamp=readable(newest)))  # the workstation's time, its zone
        return [Paragraph(_t("title", self.lang, study=self.protocol.key), s.section), Spacer(1, 2 * mm),
                *(s.paragraph(line) for line in lines), Spacer(1, 4 * mm)]

    def flow_diagram(self) -> list:
        f = self.flow
        d = Drawing(WIDTH, 80 * mm, initialFontName=self.font)  # never Helvetica, not even the renderer's first
        font = self.font

        def box(x, y, w, h, lines):
            d.add(Rect(x, y, w, h, fillColor=BAND, strokeColor=ACCENT, strokeWidth=0.8))
            for i, text in enumerate(lines):
                d.add(String(x + 4, y + h - 11 - 10 * i, text, fontName=font, fontSize=8, fillColor=colors.black))

        def arrow(x1, y1, x2, y2):
            d.add(Line(x1, y1, x2, y2, strokeColor=MUTED, strokeWidth=0.8))

        centre = WIDTH / 2
        box(centre - 50 * mm, 68 * mm, 100 * mm, 9 * mm, [_t("flow.assessed", self.lang, n=f["assessed"])])
        excluded = sum(f["excluded"].values())
        reasons = [f"{self._reason(k)}: {n}" for k, n in f["excluded"].items()][:3]
        high = 9 * mm + 3.6 * mm * len(reasons)
        box(centre + 12 * mm, 60 * mm - high / 2, 76 * mm, high,
            [_t("flow.excluded", self.lang, n=excluded), *reasons])
        arrow(centre, 68 * mm, centre, 40 * mm)
        arrow(centre, 60 * mm, centre + 12 * mm, 60 * mm)
        width = WIDTH / max(len(f["enrolled"]), 1)
        for i, (arm, n) in enumerate(sorted(f["enrolled"].items(), key=lambda kv: self._arm_order(kv[0]))):
            x = i * width + 4 * mm
            box(x, 26 * mm, width - 8 * mm, 12 * mm, [self.names.get(arm, arm), _t("flow.enrolled", self.lang, n=n)])
            arrow(centre, 40 * mm, x + (width - 8 * mm) / 2, 38 * mm)
        stopped = ", ".join(f"{k} {n}" for k, n in f["lenvatinib_discontinued"].items()) or "0"
        box(4 * mm, 4 * mm, WIDTH - 8 * mm, 12 * mm, [
            _t("flow.discontinued", self.lang, reasons=stopped),
            _t("flow.lost_withdrawn", self.lang, lost=f["lost_to_follow_up"], withdrawn=f["withdrawn"],
               analysed=f["analysed"])])
        arrow(centre, 26 * mm, centre, 16 * mm)
        rows = [[_t("flow.reason", self.lang), "n"], *([self._reason(k), str(n)] for k, n in f["excluded"].items())]
        return [self.heading("flow"), d, Spacer(1, 2 * mm), self.table(rows, [0.7, 0.3]) if f["excluded"] else
                Spacer(1, 0)]

    def _reason(self, key: str) -> str:
        """Why a screened patient was not enrolled, in words: the screening's choice, or still pending."""
        field = SCREENING["not_enrolled_reason"]
        return field.display(key, self.lang) if key in field.choice_keys else _t("pending", self.lang)

    def _arm_order(self, arm: str) -> int:
        return self.arms.index(arm) if arm in self.arms else len(self.arms)

    def baseline(self) -> list:
        by_arm: dict[str, list] = defaultdict(list)
        for patient, _procedures in self.patients:
            by_arm[self.arm_of[patient.mrn]].append(patient)
        rows = [self.by_arm_header(_t("characteristic", self.lang))]

        def row(label, cell):
            rows.append([label, *(cell(by_arm[a]) for a in self.arms)])

        consent = lambda p: (p.screening.consent_date or p.screening.screen_date) if p.screening else None  # noqa: E731
        row(_t("age", self.lang), lambda ps: _median_iqr(
            [a for p in ps if (a := age_on(p.birth_date, consent(p))) is not None]))
        row(_t("male", self.lang), lambda ps: _count(sum(p.sex == "M" for p in ps), len(ps)))
        for mvi in ("M1", "M2"):
            row(f"{PATHOLOGY['mvi'].label(self.lang)} {mvi}", lambda ps, mvi=mvi: _count(
                sum(p.pathology.mvi == mvi for p in ps), len(ps)))
        row(PATHOLOGY["max_diameter_cm"].label(self.lang) + " (cm)", lambda ps: _median_iqr(
            [p.pathology.max_diameter_cm for p in ps if p.pathology.max_diameter_cm is not None]))
        row(PATHOLOGY["tumor_count"].label(self.lang), lambda ps: _median_iqr(
            [p.pathology.tumor_count for p in ps if p.pathology.tumor_count is not None]))
        row("AFP (ng/mL)", lambda ps: _median_iqr([v for p in ps if (v := self._baseline_lab(p, "afp")) is not None]))
        scores = {r.mrn: r for r in self.logbook.eligibility.evaluate()}  # as at screening: tace-log eligibility
        for cls in ("A", "B"):
            row(_t("child_pugh", self.lang, cls=cls), lambda ps, cls=cls: _count(
                sum(scores[p.mrn].child_pugh.cls == cls for p in ps if p.mrn in scores), len(ps)))
        for grade in (1, 2, 3):
            row(_t("albi", self.lang, grade=grade), lambda ps, grade=grade: _count(
                sum(scores[p.mrn].albi.grade == grade for p in ps if p.mrn in scores), len(ps)))
        widths = [0.4] + [0.6 / max(len(self.arms), 1)] * len(self.arms)
        return [self.heading("baseline"), self.table(rows, widths)]

    def _baseline_lab(self, patient, test: str) -> float | None:
        """The test's latest result on or before consent (else screening), in its canonical unit."""
        until = (patient.screening.consent_date or patient.screening.screen_date) if patient.screening else None
        labs = self.logbook.validator.choices.labs
        found = [lab for lab in patient.labs if lab.test == test and (until is None or lab.date <= until)]
        if not found or test not in labs:
            return None
        latest = max(found, key=lambda lab: lab.date)
        return labs[test].to_canonical(latest.value, latest.unit)

    def survival(self, endpoint: str) -> list:
        analysis, names = survival_by_arm(self.logbook, endpoint, self.cutoff, self.lang)
        data = analysis.as_json()
        hazard = {h["group"]: h for h in data["hazard_ratios"]}
        rows = [[_t("arm", self.lang), "n", _t("events", self.lang), _t("median", self.lang), "HR (95% CI)"]]
        for g in data["groups"]:
            low, high = g["median_ci"]
            month = lambda v: "NR" if v is None else f"{v / DAYS_PER_MONTH:.1f}"  # noqa: E731
            hr = hazard.get(g["group"])
            rows.append([names.get(g["group"], g["group"]), str(g["n"]), str(g["events"]),
                         f"{month(g['median'])} ({month(low)}–{month(high)})",
                         "—" if hr is None or hr["hr"] is None else
                         f"{hr['hr']:.2f} ({hr['ci'][0]:.2f}–{hr['ci'][1]:.2f}), p {hr['p']:.3f}"])
        rank = data["logrank"]
        test = "" if rank["chi2"] is None else _t("logrank", self.lang, chi2=f"{rank['chi2']:.2f}", df=rank["df"],
                                                  p=f"{rank['p']:.4f}")
        figure = survival_figure(analysis, endpoint, names, self.lang, width=WIDTH, height=100 * mm)
        return [KeepTogether([self.heading(f"km_{endpoint}"), figure, Spacer(1, 2 * mm),
                              self.table(rows, [0.3, 0.1, 0.12, 0.24, 0.24]), self.styles.paragraph(test)])]

    def adverse_events(self) -> list:
        worst: dict[tuple[str, str], int] = {}  # (arm, term) -> the worst grade of each patient, counted below
        counts: Counter = Counter()
        for patient, _ in self.patients:
            arm = self.arm_of[patient.mrn]
            per_term: dict[str, int] = {}
            for event in patient.adverse_events:
                if event.onset <= self.cutoff and event.ctcae_grade:
                    per_term[event.term] = max(per_term.get(event.term, 0), event.ctcae_grade)
            for term, grade in per_term.items():
                band = next(b for b, grades in GRADE_BANDS if grade in grades)
                counts[arm, term, band] += 1
                worst[arm, term] = 1
        terms = sorted({term for _, term in worst})
        header = [_t("term", self.lang)] + [f"{self.names[a]} G{band}" for a in self.arms for band, _ in GRADE_BANDS]
        rows = [header] + [[term, *(str(counts[a, term, band] or "") for a in self.arms for band, _ in GRADE_BANDS)]
                           for term in terms]
        columns = len(self.arms) * len(GRADE_BANDS)
        body = self.table(rows, [0.28] + [0.72 / max(columns, 1)] * columns) if terms else \
            self.styles.paragraph(_t("none", self.lang))
        return [self.heading("adverse_events"), body]

    def lenvatinib(self) -> list:
        reduced: Counter = Counter()
        for patient, _ in self.patients:
            periods = sorted((p for p in patient.lenvatinib
                              if p.intent in (None, "adjuvant") and p.start <= self.cutoff), key=lambda p: p.start)
            steps = [LADDER.index((p.dose_mg, p.frequency)) for p in periods if (p.dose_mg, p.frequency) in LADDER]
            if any(later > earlier for earlier, later in zip(steps, steps[1:], strict=False)):  # a step down
                reduced[self.arm_of[patient.mrn]] += 1
        rows = [self.by_arm_header(""), [_t("reduced", self.lang), *(str(reduced[a]) for a in self.arms)]]
        stopped = ", ".join(f"{k}: {n}" for k, n in self.flow["lenvatinib_discontinued"].items()) or "0"
        widths = [0.4] + [0.6 / max(len(self.arms), 1)] * len(self.arms)
        return [self.heading("lenvatinib"), self.table(rows, widths),
                self.styles.paragraph(_t("discontinued", self.lang, reasons=stopped))]

    def build(self) -> bytes:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                bottomMargin=MARGIN + 6 * mm, title=_t("title", self.lang, study=self.protocol.key),
                                creator=f"TACE Log {__version__}", invariant=1, initialFontName=self.font)
        story = [*self.first_page(), *self.flow_diagram(), *self.baseline(), *self.survival("rfs"),
                 *self.survival("os"), *self.adverse_events(), *self.lenvatinib()]
        pdf_date = self.cutoff.strftime("D:%Y%m%d000000+00'00'")
        doc.build(story, canvasmaker=partial(_NumberedCanvas, page_number=self.page_number, pdf_date=pdf_date))
        return buffer.getvalue()

    def page_number(self, canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN, _t("footer", self.lang, study=self.protocol.key,
                                              cutoff=self.cutoff.isoformat()))
        canvas.drawRightString(A4[0] - MARGIN, MARGIN, render("report.page", self.lang, page=page, pages=pages))
        canvas.restoreState()


def study_report(logbook, cutoff: dt.date, language: str = "en") -> bytes:
    """The study report of a logbook at a data cutoff, as PDF bytes."""
    return _StudyReport(logbook, cutoff, language).build()
