"""The trial exports over a logbook with full courses: each format's rate and peak memory, side by side in one run
with a plain `csv.writer` over the same records (the rate's baseline) and a bare process that reads the logbook
through a batch at a time, keeping nothing (the memory's baseline). Each runs in a process of its own, its own
peak memory read as it ends."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .result import Result

HERE = Path(__file__).resolve().parent
TARGETS = {"csv": 5000, "odm": 2000}  # procedures/s (issue 18)


def _run(mode: str, logbook: Path, out: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, str(HERE / "export_worker.py"), mode, str(logbook), str(out)],
                          capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode != 0:
        raise RuntimeError(f"{mode} export failed: {done.stderr[-2000:]}")
    return {line.split()[0]: float(line.split()[1]) for line in done.stdout.splitlines() if line.strip()}


def compare(logbook: Path, work: Path) -> list[Result]:
    results = []
    runs = {}
    for mode in ("bare", "baseline", "csv", "redcap", "odm"):
        out = work / f"export-{mode}" / ("study.xml" if mode == "odm" else "")
        out.parent.mkdir(parents=True, exist_ok=True)
        runs[mode] = _run(mode, logbook, out)
        shutil.rmtree(out.parent, ignore_errors=True)
    procedures = runs["baseline"]["procedures"]
    base_rate = procedures / runs["baseline"]["seconds"]
    bare_mb = runs["bare"]["peak"] / 1024
    for mode in ("csv", "redcap", "odm"):
        rate = procedures / runs[mode]["seconds"]
        target = TARGETS.get(mode)
        results.append(Result(f"{mode} export of {procedures:,.0f} procedures with full courses", rate, base_rate,
                              "procedures/s", ratio=rate / base_rate,
                              target=f">= {target:,} procedures/s" if target else "",
                              ok=rate >= target if target else None,
                              note=f"{runs[mode]['seconds']:.1f} s; baseline: a plain csv.writer, same records"))
        peak_mb = runs[mode]["peak"] / 1024
        results.append(Result(f"{mode} export peak memory", peak_mb, bare_mb, "MB", ratio=peak_mb / bare_mb,
                              target="<= 2x the bare process", ok=peak_mb <= 2 * bare_mb,
                              note=f"bare: the logbook read through, batch by batch; the plain csv.writer's: "
                                   f"{runs['baseline']['peak'] / 1024:.0f} MB"))
    return results
