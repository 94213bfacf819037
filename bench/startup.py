"""Start-up and peak memory: process start → window shown, measured from outside the process."""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .result import Result

HERE = Path(__file__).resolve().parent


def run_once(argv: list[str]) -> tuple[float, float]:
    """Seconds from spawning the process to its 'shown' line, and its peak RSS in MB."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=HERE.parent)
    line = proc.stdout.readline()
    shown = time.perf_counter() - start
    rest = proc.stdout.read()  # through the same buffered stream: readline() may already hold the next line
    errors = proc.stderr.read()
    proc.wait()
    if not line.startswith("shown") or proc.returncode != 0:
        raise RuntimeError(f"{argv} did not show a window: {line!r} {errors[-2000:]}")
    # The process's own peak (VmHWM), printed as it exits: a forked child's ru_maxrss starts from the
    # parent's, and this parent holds a generated logbook in memory.
    peaks = [int(w.split()[1]) for w in rest.splitlines() if w.startswith("peak ")]
    if not peaks:
        raise RuntimeError(f"{argv} did not report its peak memory: {rest!r} {errors[-2000:]}")
    peak_kb = peaks[0]
    return shown, peak_kb / 1024


def compile_bytecode() -> None:
    """Compile the app's modules as an install does (pip and PyInstaller both do), so that a checkout run with
    PYTHONDONTWRITEBYTECODE set is not timed compiling its sources on every start; PySide6's are compiled too."""
    for package in ("tace_log", "ui"):
        if not compileall.compile_dir(HERE.parent / package, quiet=1):
            raise RuntimeError(f"could not compile {HERE.parent / package}")


def compare(app_argv: list[str], label: str, rounds: int = 9) -> list[Result]:
    compile_bytecode()
    bare_argv = [sys.executable, str(HERE / "bare_window.py")]
    app_runs, bare_runs = [], []
    for _ in range(rounds):  # interleaved, so a noisy moment hits both sides
        bare_runs.append(run_once(bare_argv))
        app_runs.append(run_once(app_argv))
    app_s = statistics.median(r[0] for r in app_runs) * 1000
    bare_s = statistics.median(r[0] for r in bare_runs) * 1000
    app_mb = statistics.median(r[1] for r in app_runs)
    bare_mb = statistics.median(r[1] for r in bare_runs)
    return [
        Result(f"start-up to {label} (median of {rounds})", app_s, bare_s, "ms", ratio=app_s / bare_s,
               target="ratio <= 2.0", ok=app_s / bare_s <= 2.0, note="the app's bytecode compiled, as installed"),
        Result(f"peak memory of that process (median of {rounds})", app_mb, bare_mb, "MB", ratio=app_mb / bare_mb,
               target="ratio <= 2.0", ok=app_mb / bare_mb <= 2.0),
    ]
