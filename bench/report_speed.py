"""How long one procedure report takes: median milliseconds per typical report (measured, never asserted).

    .venv/bin/python bench/report_speed.py [--runs N]

The typical record is tests/data/typical-procedure.json, read back from a real logbook file. Font registration
(once per process) is timed on its own; every later report reuses it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from tace_log import interchange
from tace_log.reports import build_report, procedure_report
from tace_log.reports.fonts import register_report_font
from tace_log.storage import Logbook

TYPICAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "typical-procedure.json"


def median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    doc = json.loads(TYPICAL.read_text(encoding="utf-8"))
    procedure_id = doc["patients"][0]["procedures"][0]["id"]
    start = time.perf_counter()
    register_report_font()
    print(f"font registration (once per process): {(time.perf_counter() - start) * 1000:.1f} ms")
    with tempfile.TemporaryDirectory() as folder, Logbook.open(Path(folder) / "bench.sqlite") as logbook:
        interchange.import_document(logbook, doc)
        procedure = logbook.get_procedure(procedure_id)
        patient = logbook.get_patient(procedure.patient_id)
        build_report(patient, procedure)  # warm-up
        typical = median_ms(lambda: build_report(patient, procedure), args.runs)
        print(f"build_report, typical record: median {typical:.1f} ms over {args.runs} runs")
        print(f"procedure_report (read from the logbook + build): median "
              f"{median_ms(lambda: procedure_report(logbook, procedure_id), args.runs):.1f} ms")


if __name__ == "__main__":
    main()
