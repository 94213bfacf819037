"""`make bench`: measure every figure against a bare baseline in the same run; write bench/results.json and a table.

    python -m bench [--sizes 1000,10000,100000] [--only NAME ...]

Logbooks are generated once into bench/out/ (ignored by git) and rebuilt when the generator or the schema changes.
Nothing here passes or fails a build: the figures are read by people, and kept in results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from pathlib import Path

from tace_log import __version__
from tace_log.storage import Logbook

from . import backup, chart, core, course, course_import, derived, dose, exports, report, startup, survival
from .eligibility import eligibility
from .generate import build_logbook
from .result import Result, table

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def logbook(procedures: int, courses: bool = False) -> Path:
    """A generated logbook of this size (with the patients' courses), rebuilt only when the generator or the schema
    changed."""
    path = OUT / f"logbook-{procedures}{'-courses' if courses else ''}.sqlite"
    stamp = Path(f"{path}.stamp")
    key = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest() + f":{Logbook.supported_schema_version()}"
    if not path.exists() or not stamp.exists() or stamp.read_text() != key:
        seconds = build_logbook(path, procedures, courses=courses)
        print(f"  generated {procedures:,} procedures in {seconds:.1f} s", file=sys.stderr)
        stamp.write_text(key)
    return path


def course_logbook(patients: int) -> Path:
    """A generated logbook of patients with full courses, rebuilt only when its generator or the schema changed."""
    path = OUT / f"course-{patients}.sqlite"
    stamp = Path(f"{path}.stamp")
    key = hashlib.sha256((HERE / "course.py").read_bytes()).hexdigest() + f":{Logbook.supported_schema_version()}"
    if not path.exists() or not stamp.exists() or stamp.read_text() != key:
        seconds = course.build_logbook(path, patients)
        print(f"  generated {patients:,} patients with courses in {seconds:.1f} s", file=sys.stderr)
        stamp.write_text(key)
    return path


def figures(sizes: list[int]) -> dict[str, callable]:
    largest = max(sizes)
    work = core.scratch()

    def generation() -> list[Result]:
        results = []
        for n in sizes:
            path = OUT / f"logbook-{n}.sqlite"
            Path(f"{path}.stamp").unlink(missing_ok=True)
            seconds = time.perf_counter()
            logbook(n)
            seconds = time.perf_counter() - seconds
            results.append(
                Result(
                    f"generate and load a {n:,}-procedure logbook",
                    seconds,
                    None,
                    "s",
                    target="< 60 s at 100k" if n >= 100_000 else "",
                    ok=seconds < 60 if n >= 100_000 else None,
                )
            )
        return results

    def search() -> list[Result]:
        """Typing into the worklist: each keystroke resets the real model, which fetches its first page."""
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from ui.worklist.panel import WorklistModel

        app = QApplication.instance() or QApplication([])
        path = logbook(largest)
        with Logbook.open(path) as book:
            model = WorklistModel(book)
            results = core.search(path, model.set_search, reset=lambda: model.set_search(""))
        del app
        for r in results:
            r.figure += f" over {largest:,} (worklist model)"
        return results

    return {
        "generation": generation,
        "import": lambda: core.import_rate(work),
        "course-import": lambda: course_import.course_import(work),
        "save": lambda: core.save(logbook(min(10_000, largest)), work),
        "search": search,
        "bytes": lambda: core.bytes_per_procedure(logbook(largest)),
        "startup": lambda: startup.compare([sys.executable, str(HERE / "app_window.py"), str(logbook(largest))],
                                           f"the main window with the worklist filled, {largest:,} procedures"),
        "backup": lambda: backup.backup_and_restore(logbook(min(10_000, largest)), work),
        "report": lambda: report.typical_report(work),
        "report-images": lambda: report.report_with_images(work),
        "report-all": lambda: report.report_all(logbook(min(1000, largest)), work),
        "survival": lambda: survival.versus_r(work),
        "course": lambda: derived.over_10k(min(10_000, largest)),
        "due-day": lambda: derived.due_one_day(largest),
        "chart": lambda: chart.chart(work),
        "queues": lambda: chart.queues(largest),
        "eligibility": lambda: eligibility(course_logbook(10_000)),
        "exports": lambda: exports.compare(logbook(largest, courses=True), work),
        "dose-import": lambda: dose.dose_import(work),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="TACE Log benchmarks")
    parser.add_argument("--sizes", default="1000,10000,100000", help="logbook sizes in procedures")
    parser.add_argument("--only", nargs="*", help="run only these figures")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    OUT.mkdir(exist_ok=True)
    available = figures(sizes)
    chosen = args.only or list(available)
    results: list[Result] = []
    for name in chosen:
        print(f"measuring {name} ...", file=sys.stderr)
        results += available[name]()
    report = {
        "version": __version__,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cores": os.cpu_count(),
        },
        "command": "make bench",
        "results": [r.as_dict() for r in results],
        "fixes": json.loads((HERE / "fixes.json").read_text(encoding="utf-8"))["fixes"],
    }
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    text = table(results)
    args.output.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
