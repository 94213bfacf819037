"""Backup, check and restore of a logbook of a few thousand procedures: `python -m bench.backup_restore [N]`.

Measured against a bare baseline in the same run: copying the same file with shutil and fsync (what a backup
costs at least). Prints medians of 5 runs; N is the number of patients (3 procedures each, default 1000).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from safety_samples import fill  # noqa: E402  (the tests' seeded records)

from tace_log.storage import Logbook  # noqa: E402
from tace_log.storage.backup import check_file  # noqa: E402


def median_seconds(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def copy_with_fsync(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)


def main() -> None:
    patients = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    folder = Path(tempfile.mkdtemp(prefix="tace-bench-"))
    path = folder / "logbook.sqlite"
    with Logbook.open(path) as book:
        fill(book, seed=1, patients=patients, procedures_each=3)
        counts = book.counts()
    size = path.stat().st_size
    copy = median_seconds(lambda: copy_with_fsync(path, folder / "copy.sqlite"))
    open_time = median_seconds(lambda: Logbook.open(path).close())
    with Logbook.open(path) as book:
        backup = median_seconds(lambda: book.back_up(folder / "manual.sqlite"))
        backup_size = (folder / "manual.sqlite").stat().st_size
        check = median_seconds(lambda: check_file(folder / "manual.sqlite"))
        restore = median_seconds(lambda: book.restore_from(folder / "manual.sqlite"))
    rows = [
        ("logbook", f"{counts['procedures']} procedures, {counts['patients']} patients, "
                    f"{counts['agent_doses']} agent doses, {size / 1e6:.1f} MB"),
        ("baseline: copy + fsync", f"{copy * 1000:.1f} ms"),
        ("open (checks + quick_check)", f"{open_time * 1000:.1f} ms"),
        ("back up now (backup API + verify)", f"{backup * 1000:.1f} ms = {backup / copy:.1f}x the copy; "
                                              f"{backup_size / 1e6:.1f} MB"),
        ("full check of a backup", f"{check * 1000:.1f} ms"),
        ("restore (verify + safety copy + restore)", f"{restore * 1000:.1f} ms"),
    ]
    for name, value in rows:
        print(f"{name:<42} {value}")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
