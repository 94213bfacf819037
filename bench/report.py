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
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate

from tace_log.dictionary import KEY_IMAGE
from tace_log.model import record_class
from tace_log.reports import build_report
from tace_log.reports.fonts import register_report_font
from tace_log.storage import Logbook
from tests.image_samples import angiogram, jpeg

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


def report_with_images(work: Path, runs: int = 30) -> list[Result]:
    """The typical report with two key images (a 1024x1024 DSA frame as PNG, a 512x512 cone-beam slice as JPEG,
    both with a fluoroscopy-like grain), against a bare platypus document with the same text and the same two
    images at the same size."""
    doc = json.loads(TYPICAL.read_text(encoding="utf-8"))
    procedure_id = doc["patients"][0]["procedures"][0]["id"]
    frames = [angiogram((1024, 1024), grain=40), jpeg((512, 512), grain=40)]
    with Logbook.open(work / "report-images.sqlite") as book:
        book.import_document(doc)
        stored = [book.key_images.store(data, f"frame{i}") for i, data in enumerate(frames)]
        procedure = book.get_procedure(procedure_id).replace(key_images=[
            record_class(KEY_IMAGE)(caption=f"image {i}", media_type=s.media_type, sha256=s.sha256)
            for i, s in enumerate(stored)])
        book.save_procedure(procedure)
        patient = book.get_patient(procedure.patient_id)
    images = {s.sha256: s.data for s in stored}
    ours = build_report(patient, procedure, images=images)
    lines = _text_of(ours)
    font = register_report_font()
    style = ParagraphStyle("bare", fontName=font, fontSize=9, leading=12)
    side = 75 * mm  # each image as our report prints it: at most 75 mm high, square here

    def bare() -> bytes:
        out = BytesIO()
        story = [Paragraph(line, style) for line in lines]
        story += [Image(BytesIO(data), side, side) for data in frames]
        SimpleDocTemplate(out, pagesize=A4).build(story)
        return out.getvalue()

    bare()
    ours_ms = median_seconds(lambda: build_report(patient, procedure, images=images), runs) * 1000
    bare_ms = median_seconds(bare, runs) * 1000
    size = sum(len(f) for f in frames) / 1e6
    return [Result("one report with two key images (median)", ours_ms, bare_ms, "ms", ratio=ours_ms / bare_ms,
                   target="ratio <= 1.5", ok=ours_ms / bare_ms <= 1.5,
                   note=f"a 1024x1024 PNG and a 512x512 JPEG, {size:.1f} MB; {len(lines)} lines of text; {runs} runs "
                        "each; baseline: platypus with the same text and images")]


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
