"""Report figures: one typical report vs a bare platypus document with the same text and font; `report --all`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from tace_log.reports import build_report
from tace_log.reports.fonts import register_report_font
from tace_log.storage import Logbook

from .result import Result, median_seconds

ROOT = Path(__file__).resolve().parent.parent
TYPICAL = ROOT / "tests" / "data" / "typical-procedure.json"



def _text_of(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return [line for line in out.stdout.decode("utf-8").splitlines() if line.strip()]


def typical_report(work: Path, runs: int = 60) -> list[Result]:
    doc = json.loads(TYPICAL.read_text(encoding="utf-8"))
    procedure_id = doc["patients"][0]["procedures"][0]["id"]
    font = register_report_font()
    with Logbook.open(work / "report.sqlite") as book:
        book.import_document(doc)
        procedure = book.get_procedure(procedure_id)
        patient = book.get_patient(procedure.patient_id)
    ours = build_report(patient, procedure)
    lines = _text_of(ours)  # the floor lays out exactly the text our report carries, in the same font
    style = ParagraphStyle("bare", fontName=font, fontSize=9, leading=12)

    def bare() -> bytes:
        out = BytesIO()
        SimpleDocTemplate(out, pagesize=A4).build([Paragraph(line, style) for line in lines])
        return out.getvalue()

    bare()
    ours_ms = median_seconds(lambda: build_report(patient, procedure), runs) * 1000
    bare_ms = median_seconds(bare, runs) * 1000
    return [Result("one typical report (median)", ours_ms, bare_ms, "ms", ratio=ours_ms / bare_ms,
                   target="ratio <= 1.5", ok=ours_ms / bare_ms <= 1.5,
                   note=f"{len(lines)} lines of text, {runs} runs each")]


def report_all(logbook_path: Path, work: Path) -> list[Result]:
    """`tace-log report --all` over the logbook, on one core and on every core."""
    with Logbook.open(logbook_path) as book:
        procedures = book.counts()["procedures"]
    cores = os.cpu_count() or 1
    seconds = {}
    for jobs in sorted({1, cores}):
        folder = work / f"reports-{jobs}"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tace_log", "--db", str(logbook_path), "report", "--all", "-d",
                        str(folder), "-j", str(jobs)], check=True, capture_output=True, cwd=ROOT)
        seconds[jobs] = time.perf_counter() - start
    rate = procedures / seconds[cores]
    return [Result(f"report --all over {procedures:,} procedures ({cores} processes)", rate,
                   procedures / seconds[1], "reports/s", ratio=seconds[1] / seconds[cores],
                   note=f"{seconds[cores]:.1f} s; baseline column: 1 process ({seconds[1]:.1f} s); "
                        "ratio: speed-up")]
