"""One export in a process of its own, for `bench/exports.py`: prints its seconds and its own peak memory.

    python bench/export_worker.py bare|baseline|csv|redcap|odm LOGBOOK OUT

`bare` opens the logbook with the export modules loaded and reads it through, a batch at a time as the exports do
(as many patients as they read at once), keeping nothing: what every export holds before it writes. `baseline`
writes the same records with a plain `csv.writer`, one file per entity, each field's value as it is: the least an
export can do.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from tace_log import exports
from tace_log.dictionary import children, entities
from tace_log.exports.walk import BATCH
from tace_log.storage import Logbook


def _peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def baseline(book: Logbook, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handles = {e.key: (folder / f"{e.key}.csv").open("w", encoding="utf-8", newline="") for e in entities()}
    writers = {key: csv.writer(h) for key, h in handles.items()}

    def write(entity, record, procedures=()):
        writers[entity.key].writerow([getattr(record, f.key) for f in entity.fields])
        for child in children(entity):
            value = procedures if child.standalone else getattr(record, child.document_key)
            for part in (value if child.many else [value] if value is not None else []):
                write(child, part)

    root = next(e for e in entities() if e.parent is None)
    for patient, procedures in book.iter_patients(BATCH):
        write(root, patient, procedures)
    for h in handles.values():
        h.close()


def main(mode: str, logbook: str, out: str) -> None:
    with Logbook.open(logbook, create=False) as book:
        start = time.perf_counter()
        if mode == "bare":
            for _ in book.iter_patients(BATCH):
                pass
        elif mode == "baseline":
            baseline(book, Path(out))
        else:
            exports.write(book, mode, out)
        seconds = time.perf_counter() - start
        procedures = book.counts()["procedures"]
    print(f"seconds {seconds}\nprocedures {procedures}\npeak {_peak_kb()}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
