"""Core figures: import rate, save vs a raw sqlite3 insert, search vs the same raw query, bytes per procedure."""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from tace_log import interchange
from tace_log.dictionary import PROCEDURE
from tace_log.model import Procedure
from tace_log.storage import ImportSummary, Logbook
from tace_log.validation import Validator

from .generate import TODAY, document
from .result import Result, percentile

SEARCHES = {"2-character Chinese name": "张伟", "MRN prefix": "HS00012", "study ID": "LT-000123"}


@dataclass
class Imported:
    """One file imported into an empty logbook: its JSON, the seconds (reading the file included), the rows the
    logbook then holds in all its tables, audit trail included, and what the import said."""

    source: Path
    seconds: float
    rows: int
    summary: ImportSummary

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def timed_import(doc: dict, work: Path, name: str) -> Imported:
    """Write `doc` as a file, then time its import (reading included) into a new logbook; count what it holds."""
    source, target = work / f"import-{name}.json", work / f"import-{name}.sqlite"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    del doc  # the file is what is imported: the generated document is not kept alive beside it
    start = time.perf_counter()
    with Logbook.open(target, validator=Validator(today=TODAY)) as book:
        summary = book.import_document(interchange.read_file(source))
    seconds = time.perf_counter() - start
    conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%'")]
    rows = sum(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables)
    conn.close()
    return Imported(source, seconds, rows, summary)


def import_rate(work: Path) -> list[Result]:
    done = timed_import(document(10_000, seed=11), work, "10k")
    rate = done.summary.procedures_added / done.seconds
    return [
        Result(
            "import of a 10k-procedure file",
            rate,
            None,
            "procedures/s",
            target=">= 2000 procedures/s",
            ok=rate >= 2000,
            note=f"{done.seconds:.2f} s for {done.summary.procedures_added} procedures",
        )
    ]


def _raw_insert(conn: sqlite3.Connection, row: dict, agents: list[dict]) -> None:
    conn.execute("BEGIN")
    cols = list(row)
    conn.execute(
        f"INSERT INTO procedures ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", [row[c] for c in cols]
    )
    conn.executemany("INSERT INTO procedure_segments (procedure_id, segment) VALUES (?, ?)", [(row["id"], "VI")])
    acols = list(agents[0])
    conn.executemany(
        f"INSERT INTO agent_doses ({', '.join(acols)}) VALUES ({', '.join('?' * len(acols))})",
        [[a[c] for c in acols] for a in agents],
    )
    conn.execute("COMMIT")


def save(logbook_path: Path, work: Path, rounds: int = 60) -> list[Result]:
    """A procedure with 5 agents saved through the Logbook vs the same rows inserted raw, one transaction each."""
    ours, raw = work / "save-ours.sqlite", work / "save-raw.sqlite"
    shutil.copy(logbook_path, ours)
    shutil.copy(logbook_path, raw)
    template = document(1, seed=5)["patients"][0]["procedures"][0]
    template.update(tumor_staining="present", stained_segments=["VI"], embolization="superselective_chemoembolization")
    template["agents"] = [
        {"agent": "epirubicin", "dose": 30, "unit": "mg"},
        {"agent": "lipiodol", "dose": 5, "unit": "mL"},
        {"agent": "oxaliplatin", "dose": 100, "unit": "mg"},
        {"agent": "raltitrexed", "dose": 4, "unit": "mg"},
        {"agent": "gelatin_sponge", "dose": 1, "unit": "vial", "particle_min_um": 350, "particle_max_um": 560},
    ]
    timings_ours, timings_raw = [], []
    with Logbook.open(ours, validator=Validator(today=TODAY)) as book:
        patient_id = book.worklist.rows(limit=1)[0].patient_id
        resection = book.get_patient(patient_id).resection_date
        template["date"] = max(resection, TODAY.replace(day=1)).isoformat()
        for _ in range(rounds):
            proc = Procedure.from_document({**copy.deepcopy(template), "id": str(uuid.uuid4())}, patient_id=patient_id)
            start = time.perf_counter()
            book.save_procedure(proc)
            timings_ours.append(time.perf_counter() - start)
    conn = sqlite3.connect(raw, isolation_level=None)
    # The floor is the bare insert of the same rows: the scratch copy loses its audit and lock triggers.
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    from tace_log.storage import records  # the same row shapes, so both sides write the same bytes

    for _ in range(rounds):
        proc = Procedure.from_document({**copy.deepcopy(template), "id": str(uuid.uuid4())}, patient_id=patient_id)
        proc.created_at = proc.updated_at = "2026-11-24T00:00:00Z"
        rows = records.layout(PROCEDURE).new_rows()
        records.layout(PROCEDURE).rows([proc], patient_id, lambda: str(uuid.uuid4()), rows)
        (row,), agents = rows["procedures"][1], rows["agent_doses"][1]
        start = time.perf_counter()
        _raw_insert(conn, row, agents)
        timings_raw.append(time.perf_counter() - start)
    conn.close()
    ours_ms, raw_ms = statistics.median(timings_ours) * 1000, statistics.median(timings_raw) * 1000
    ratio = ours_ms / raw_ms
    return [
        Result(
            "save of a procedure with 5 agents (median)",
            ours_ms,
            raw_ms,
            "ms",
            ratio=ratio,
            target="ratio <= 3",
            ok=ratio <= 3,
            note=f"{rounds} saves each",
        )
    ]


# The floor: the same page of results fetched by one plain SQL query on a bare sqlite3 connection.
_RAW_PAGE = (
    "SELECT pr.id, pr.patient_id, pr.date, pa.name, pa.mrn, pa.study_id, pr.cycle, pr.tumor_staining, "
    "pr.embolization, pr.status FROM procedures pr JOIN patients pa ON pa.id = pr.patient_id "
    "WHERE pr.patient_id IN (SELECT id FROM patients WHERE name LIKE ?1 ESCAPE '\\' OR mrn LIKE ?1 ESCAPE '\\' "
    "OR study_id LIKE ?1 ESCAPE '\\') ORDER BY pr.date DESC, pr.rowid DESC LIMIT 200"
)


def search(logbook_path: Path, run_query, rounds: int = 30, reset=lambda: None) -> list[Result]:
    """Search as you type: each typed prefix of each query, through `run_query(text)` vs a raw sqlite3 query."""
    conn = sqlite3.connect(f"file:{logbook_path}?mode=ro", uri=True)
    results = []
    for label, text in SEARCHES.items():
        prefixes = [text[:i] for i in range(2 if not text.isascii() else 3, len(text) + 1)]
        ours, raw = [], []
        for _ in range(rounds):
            reset()  # untimed: the search box is cleared before the query is typed again
            for prefix in prefixes:
                start = time.perf_counter()
                run_query(prefix)
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                conn.execute(_RAW_PAGE, [f"%{prefix}%"]).fetchall()
                raw.append(time.perf_counter() - start)
        p50, p95 = percentile(ours, 50) * 1000, percentile(ours, 95) * 1000
        r50, r95 = percentile(raw, 50) * 1000, percentile(raw, 95) * 1000
        results.append(
            Result(
                f"search '{text}' ({label}) p50",
                p50,
                r50,
                "ms",
                ratio=p50 / r50,
                target="ratio <= 1.5",
                ok=p50 / r50 <= 1.5,
            )
        )
        results.append(
            Result(
                f"search '{text}' ({label}) p95",
                p95,
                r95,
                "ms",
                ratio=p95 / r95,
                target="ratio <= 1.5 and <= 50 ms",
                ok=p95 / r95 <= 1.5 and p95 <= 50,
            )
        )
    conn.close()
    return results


def bytes_per_procedure(logbook_path: Path) -> list[Result]:
    with Logbook.open(logbook_path) as book:
        procedures = book.counts()["procedures"]
    size = logbook_path.stat().st_size
    return [
        Result(
            "logbook bytes per procedure",
            size / procedures,
            None,
            "bytes",
            note=f"{size / 1e6:.0f} MB for {procedures} procedures",
        )
    ]


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="tace-bench-"))
