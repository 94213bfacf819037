"""What the course decides, over generated logbooks of full courses (bench/courses.py): endpoints and `due` over
10,000 patients against the same computation written as plain SQL on a bare sqlite3 connection to the same file
(each result checked equal to ours first), and one patient's `due` for one day among 100,000 patients, p95."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sqlite3
import sys
import time
from pathlib import Path

from tace_log.course.due import due, imaging_visits
from tace_log.course.endpoints import endpoints
from tace_log.storage import Logbook

from .courses import build
from .generate import TODAY
from .result import Result, median_seconds, percentile

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
RUNS = 5


def course_logbook(patients: int) -> Path:
    """A generated logbook of full courses, rebuilt only when the generator or the schema changed."""
    path = OUT / f"courses-{patients}.sqlite"
    stamp = Path(f"{path}.stamp")
    source = b"".join((HERE / name).read_bytes() for name in ("courses.py", "generate.py"))
    key = hashlib.sha256(source).hexdigest() + f":{Logbook.supported_schema_version()}"
    if not path.exists() or not stamp.exists() or stamp.read_text() != key:
        seconds = build(path, patients)
        print(f"  generated {patients:,} patients with courses in {seconds:.1f} s", file=sys.stderr)
        stamp.write_text(key)
    return path


def _ours_and_raw(path: Path, ours, raw, runs: int = RUNS) -> tuple[float, float]:
    """Median seconds of our computation through the Logbook and of the plain SQL on a bare connection, each on
    the same file, after checking they give the same answer."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        with Logbook.open(path, create=False, quick_check=False) as book:
            got, floor = ours(book), raw(conn, book.protocol)
            if got != floor:
                wrong = next(i for i, (a, b) in enumerate(zip(got, floor, strict=True)) if a != b)
                raise AssertionError(f"ours and the SQL differ: {got[wrong]} != {floor[wrong]}")
            return median_seconds(lambda: ours(book), runs), median_seconds(lambda: raw(conn, book.protocol), runs)
    finally:
        conn.close()


def _endpoint_rows(book: Logbook) -> list[tuple]:
    return [(e.mrn, e.arm, e.rfs_days, e.rfs_event, e.os_days, e.os_event, e.ttr_days, e.ttr_event)
            for e in endpoints(book.courses.read(treatment=False), book.protocol, TODAY)]


def _sql_endpoint_rows(conn: sqlite3.Connection, protocol) -> list[tuple]:
    return conn.execute(ENDPOINTS_SQL, {"cutoff": TODAY.isoformat()}).fetchall()


def _due_rows(book: Logbook) -> list[tuple]:
    return [(d.mrn, " ".join(d.flags)) for d in due(book.courses.read(), book.protocol, TODAY)]


def _sql_due_rows(conn: sqlite3.Connection, protocol) -> list[tuple]:
    return conn.execute(due_sql(protocol), {"day": TODAY.isoformat()}).fetchall()


def over_10k(patients: int = 10_000) -> list[Result]:
    path = course_logbook(patients)
    results = []
    for figure, ours, raw in (("endpoints (RFS, OS, TTR)", _endpoint_rows, _sql_endpoint_rows),
                              ("due flags", _due_rows, _sql_due_rows)):
        mine, floor = _ours_and_raw(path, ours, raw)
        results.append(Result(f"{figure} of {patients:,} patients with full courses (median)", mine * 1000,
                              floor * 1000, "ms", ratio=mine / floor, target="< 1 s and ratio <= 3",
                              ok=mine < 1 and mine / floor <= 3, note=f"{RUNS} runs; the floor is one SQL query"))
    return results


def due_one_day(patients: int = 100_000, rounds: int = 200) -> list[Result]:
    """The coordinator opens a patient on some day: that patient's flags as of the day, among 100,000."""
    path = course_logbook(patients)
    rng = random.Random(3)
    with Logbook.open(path, create=False, quick_check=False) as book:
        mrns = [f"CS{rng.randrange(patients):07d}" for _ in range(rounds)]
        days = [TODAY - dt.timedelta(days=rng.randint(0, 5 * 365)) for _ in range(rounds)]
        protocol = book.protocol
        samples = []
        for mrn, day in zip(mrns, days, strict=True):
            start = time.perf_counter()
            due(book.courses.read([mrn]), protocol, day)
            samples.append(time.perf_counter() - start)
    p50, p95 = percentile(samples, 50) * 1000, percentile(samples, 95) * 1000
    whole, floor = _ours_and_raw(path, _due_rows, _sql_due_rows, runs=2)  # the first check warms the file's pages
    return [
        Result(f"due for one patient and one day among {patients:,} patients p50", p50, None, "ms"),
        Result(f"due for one patient and one day among {patients:,} patients p95", p95, None, "ms",
               target="<= 200 ms", ok=p95 <= 200, note=f"{rounds} patients, each on a random day"),
        Result(f"due for every one of {patients:,} patients on one day (median)", whole * 1000, floor * 1000, "ms",
               ratio=whole / floor, note="2 runs: the tace-log due command over the whole logbook, for scale"),
    ]


if __name__ == "__main__":
    course_logbook(int(sys.argv[1]))


# -- the floor: the same computations as plain SQL on a bare connection (bundled protocol: resection origin,
# recurrence first seen; the due rules with its windows) ---------------------------------------------------------
_DAYS = "CAST(julianday({0}) - julianday(e.origin) AS INTEGER)"
ENDPOINTS_SQL = f"""
WITH e AS (
    SELECT p.id, p.mrn, p.arm, p.resection_date AS origin, s.enrol_date, r.first_seen_date AS recurred,
           CASE WHEN r.first_seen_date <= :cutoff THEN r.first_seen_date END AS recurrence,
           CASE WHEN d.date <= :cutoff THEN d.date END AS death, d.date AS died
    FROM patients p JOIN screenings s ON s.patient_id = p.id
    LEFT JOIN recurrences r ON r.patient_id = p.id LEFT JOIN deaths d ON d.patient_id = p.id
    WHERE s.enrolled = 1 AND s.enrol_date <= :cutoff),
scan AS (
    SELECT f.patient_id, MAX(f.date) AS last FROM follow_ups f JOIN e ON e.id = f.patient_id
    WHERE f.type = 'imaging' AND f.result = 'no_evidence_of_disease' AND f.date <= :cutoff
      AND (e.recurred IS NULL OR f.date < e.recurred) GROUP BY f.patient_id),
contact AS (
    SELECT patient_id, MAX(CASE WHEN date <= :cutoff THEN date END) AS last, MAX(date > :cutoff) AS later FROM (
        SELECT patient_id, date FROM follow_ups WHERE alive IS NOT 0
        UNION ALL SELECT patient_id, date FROM procedures
        UNION ALL SELECT patient_id, enrol_date FROM screenings WHERE enrolled = 1 AND enrol_date IS NOT NULL)
    GROUP BY patient_id),
c AS (
    SELECT e.*, COALESCE(MAX(0, {_DAYS.format("scan.last")}), 0) AS free,
           CASE WHEN contact.later OR e.died > :cutoff THEN :cutoff ELSE contact.last END AS alive
    FROM e LEFT JOIN scan ON scan.patient_id = e.id LEFT JOIN contact ON contact.patient_id = e.id)
SELECT mrn, arm,
    CASE WHEN recurrence IS NOT NULL AND (death IS NULL OR recurrence <= death)
         THEN MAX(0, {_DAYS.format("recurrence").replace("e.", "")})
         WHEN death IS NOT NULL THEN MAX(0, {_DAYS.format("death").replace("e.", "")}) ELSE free END,
    recurrence IS NOT NULL OR death IS NOT NULL,
    CASE WHEN death IS NOT NULL THEN MAX(0, {_DAYS.format("death").replace("e.", "")})
         ELSE COALESCE(MAX(0, {_DAYS.format("alive").replace("e.", "")}), 0) END,
    death IS NOT NULL,
    CASE WHEN recurrence IS NOT NULL THEN MAX(0, {_DAYS.format("recurrence").replace("e.", "")}) ELSE free END,
    recurrence IS NOT NULL
FROM c ORDER BY mrn
"""


def due_sql(protocol) -> str:
    """The flags of every patient as of :day, as one query: a row per patient, its flags joined by spaces."""
    w, window, cycle2 = protocol.imaging_schedule.window_days, protocol.tace_window, protocol.tace_cycle2
    visits = ", ".join(f"({v})" for v in imaging_visits(protocol.imaging_schedule))
    tace_arms = ", ".join(f"'{a.key}'" for a in protocol.arms if a.tace)
    adjuvant = "COALESCE(pr.intent, '') != 'therapeutic_for_recurrence' AND pr.date <= :day"
    return f"""
WITH visit(v) AS (VALUES {visits}),
p AS (
    SELECT p.id, p.mrn, p.arm, p.resection_date,
           CAST(julianday(:day) - julianday(p.resection_date) AS INTEGER) AS since,
           s.patient_id IS NULL OR s.enrolled = 1 AS followed,
           s.patient_id IS NOT NULL AND (s.screen_date IS NULL OR s.screen_date <= :day)
               AND s.enrolled IS NOT 1 AND s.not_enrolled_reason IS NULL AS pending,
           d.date <= :day AS dead, l.declared_date <= :day AS lost, r.first_seen_date <= :day AS recurred,
           w.date <= :day AS withdrawn,
           (SELECT MIN(pr.date) FROM procedures pr WHERE pr.patient_id = p.id AND {adjuvant}
               AND (pr.cycle IS NULL OR pr.cycle = 1)) AS cycle1,
           (SELECT CAST(julianday(:day) - julianday(MAX(f.date)) AS INTEGER) FROM (
                SELECT date FROM follow_ups WHERE patient_id = p.id AND alive IS NOT 0 AND date <= :day
                UNION ALL SELECT date FROM procedures WHERE patient_id = p.id AND date <= :day
                UNION ALL SELECT s.enrol_date WHERE s.enrolled = 1 AND s.enrol_date <= :day) f) AS silent,
           (SELECT CAST(julianday(MAX(date)) - julianday(p.resection_date) AS INTEGER) FROM follow_ups
                WHERE patient_id = p.id AND type = 'imaging' AND date <= :day) AS scanned,
           EXISTS (SELECT 1 FROM lenvatinib_periods WHERE patient_id = p.id AND start <= :day
                   AND (end IS NULL OR end >= :day)) AS on_drug,
           (SELECT MIN(start) FROM lenvatinib_periods WHERE patient_id = p.id) AS started
    FROM patients p LEFT JOIN screenings s ON s.patient_id = p.id LEFT JOIN deaths d ON d.patient_id = p.id
    LEFT JOIN losses_to_follow_up l ON l.patient_id = p.id LEFT JOIN recurrences r ON r.patient_id = p.id
    LEFT JOIN withdrawals w ON w.patient_id = p.id),
q AS (
    SELECT p.*, followed AND NOT (COALESCE(recurred, 0) OR COALESCE(lost, 0) OR COALESCE(withdrawn, 0))
               AND resection_date IS NOT NULL AS scheduled,
           arm IN ({tace_arms}) AS tace,
           CAST(julianday(:day) - julianday(cycle1) AS INTEGER) AS after1,
           EXISTS (SELECT 1 FROM procedures pr WHERE pr.patient_id = p.id AND {adjuvant}
                   AND (pr.date > p.cycle1 OR COALESCE(pr.cycle, 1) >= 2)) AS cycle2,
           (SELECT MAX(v) FROM visit WHERE v + {w} < since) AS closed
    FROM p)
SELECT mrn, CASE WHEN dead THEN 'deceased' ELSE trim(
    CASE WHEN scheduled AND tace AND cycle1 IS NULL AND since BETWEEN {window.first_day - 7} AND {window.first_day - 1}
         THEN 'tace1_upcoming ' ELSE '' END ||
    CASE WHEN scheduled AND tace AND cycle1 IS NULL AND since BETWEEN {window.first_day} AND {window.last_day}
         THEN 'tace1_due ' ELSE '' END ||
    CASE WHEN scheduled AND tace AND cycle1 IS NULL AND since > {window.last_day} THEN 'tace1_overdue ' ELSE '' END ||
    CASE WHEN scheduled AND tace AND {int(cycle2.enabled)} AND cycle1 IS NOT NULL AND NOT cycle2
              AND after1 BETWEEN {cycle2.from_days_after_cycle1} AND {cycle2.to_days_after_cycle1}
         THEN 'tace2_due ' ELSE '' END ||
    CASE WHEN scheduled AND EXISTS (SELECT 1 FROM visit WHERE since BETWEEN v - {w} AND v + {w}
                                    AND (scanned IS NULL OR scanned < v - {w})) THEN 'imaging_due ' ELSE '' END ||
    CASE WHEN scheduled AND closed IS NOT NULL AND (scanned IS NULL OR scanned < closed - {w})
         THEN 'imaging_overdue ' ELSE '' END ||
    CASE WHEN followed AND NOT COALESCE(lost, 0) AND silent > {protocol.ltfu_days} THEN 'ltfu_candidate ' ELSE '' END ||
    CASE WHEN lost THEN 'lost_to_follow_up ' ELSE '' END ||
    CASE WHEN recurred THEN 'recurrence_recorded ' ELSE '' END ||
    CASE WHEN pending THEN 'not_enrolled ' ELSE '' END ||
    CASE WHEN on_drug AND EXISTS (SELECT 1 FROM adverse_events a WHERE a.patient_id = q.id
            AND a.onset BETWEEN started AND :day AND lower(a.term) IN ({_ate_terms()})
            AND NOT (a.action_lenvatinib = 'discontinued' AND COALESCE(a.action_date, a.onset) <= :day))
         THEN 'dose_alert:LEN-ATE-DISCONTINUE ' ELSE '' END ||
    CASE WHEN on_drug AND EXISTS (SELECT 1 FROM adverse_events a WHERE a.patient_id = q.id
            AND a.onset BETWEEN started AND :day AND a.ctcae_grade >= 3
            AND NOT (a.action_lenvatinib IS NOT NULL AND COALESCE(a.action_date, a.onset) <= :day))
         THEN 'dose_alert:LEN-AE-NOACTION ' ELSE '' END) END
FROM q ORDER BY mrn
"""


def _ate_terms() -> str:
    from tace_log.catalogues import default_adverse_event_catalogue

    terms = default_adverse_event_catalogue().terms
    return ", ".join("'" + t.term.casefold().replace("'", "''") + "'" for t in terms
                     if t.kind == "arterial_thromboembolism")
