"""Backup figures: a verified backup of a generated logbook vs copying the same file with fsync (the floor)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tace_log.storage import Logbook
from tace_log.storage.backup import check_file

from .result import Result, median_seconds


def _copy_with_fsync(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)


def backup_and_restore(logbook_path: Path, work: Path) -> list[Result]:
    path = work / "backup-source.sqlite"
    shutil.copy(logbook_path, path)
    size_mb = path.stat().st_size / 1e6
    copy = median_seconds(lambda: _copy_with_fsync(path, work / "plain-copy.sqlite"), 5)
    with Logbook.open(path) as book:
        procedures = book.counts()["procedures"]
        made = []

        def back_up():
            target = work / f"manual-{len(made)}.sqlite"
            made.append(book.backups.back_up(target))

        backup = median_seconds(back_up, 5)
        check = median_seconds(lambda: check_file(made[-1].path), 5)
        restore = median_seconds(lambda: book.backups.restore(made[-1].path), 3)
    label = f"{procedures:,} procedures, {size_mb:.0f} MB"
    return [
        Result(f"back up now: backup API + verification ({label})", backup * 1000, copy * 1000, "ms",
               ratio=backup / copy, note="baseline: copying the file with fsync"),
        Result(f"full integrity check of a backup ({label})", check * 1000, None, "ms"),
        Result(f"restore: verify, safety copy, restore ({label})", restore * 1000, None, "ms"),
    ]
