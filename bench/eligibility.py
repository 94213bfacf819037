"""Eligibility of every patient of a generated logbook with full courses: `Logbook.eligibility` against the same
computation written as plain SQL over the same file (the baseline), the two checked to agree patient by patient.

The baseline is one query on a bare sqlite3 connection: the latest result of each test in the rules' window (a
`max()` and the columns of its row), the rules as SQL's own three-valued comparisons, Child-Pugh as the lowest and
highest score the inputs allow, ALBI, the age in completed years; Python only names the failed rules. It does not
list the missing inputs' paths, which the product does.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from pathlib import Path

from tace_log.catalogues import TOLERANCE, default_lab_catalogue
from tace_log.course.eligibility import LAB_TESTS, MAX, RULES, ULN, EligibilityRules
from tace_log.protocol import default_protocol
from tace_log.storage import Logbook

from .result import Result


def _at_most(v: str, q: str, limit: str) -> str:
    slack = f"({limit}) * {TOLERANCE!r}"
    return (f"CASE WHEN {v} IS NULL THEN NULL WHEN {q} IS NULL THEN {v} <= ({limit}) + {slack} "
            f"WHEN {q} = '<' THEN CASE WHEN {v} <= ({limit}) + {slack} THEN 1 END "
            f"ELSE CASE WHEN {v} >= ({limit}) - {slack} THEN 0 END END")


def _at_least(v: str, q: str, limit: str) -> str:
    slack = f"({limit}) * {TOLERANCE!r}"
    return (f"CASE WHEN {v} IS NULL THEN NULL WHEN {q} IS NULL THEN {v} >= ({limit}) - {slack} "
            f"WHEN {q} = '>' THEN CASE WHEN {v} >= ({limit}) - {slack} THEN 1 END "
            f"ELSE CASE WHEN {v} <= ({limit}) + {slack} THEN 0 END END")


def _points(v: str, q: str, low: float, high: float, rising: bool) -> tuple[str, str]:
    """SQL for the fewest and most Child-Pugh points a lab input allows: below `low` (not included), from `low` to
    `high`, above `high`; `rising`: more points above (bilirubin, INR), else fewer (albumin)."""
    lo, hi = low * TOLERANCE, high * TOLERANCE
    first, last = (1, 3) if rising else (3, 1)
    exact = f"CASE WHEN {v} < {low} - {lo} THEN {first} WHEN {v} <= {high} + {hi} THEN 2 ELSE {last} END"
    just_below = f"CASE WHEN {v} <= {low} + {lo} THEN {first} WHEN {v} <= {high} + {hi} THEN 2 ELSE {last} END"
    just_above = f"CASE WHEN {v} < {low} - {lo} THEN {first} WHEN {v} < {high} - {hi} THEN 2 ELSE {last} END"
    # a `<` value reaches from the lowest band to the one just below it; a `>` value from just above it to the top
    return (f"CASE WHEN {v} IS NULL THEN 1 WHEN {q} IS NULL THEN {exact} "
            f"WHEN {q} = '<' THEN min({first}, {just_below}) ELSE min({just_above}, {last}) END",
            f"CASE WHEN {v} IS NULL THEN 3 WHEN {q} IS NULL THEN {exact} "
            f"WHEN {q} = '<' THEN max({first}, {just_below}) ELSE max({just_above}, {last}) END")


def baseline_sql() -> str:
    protocol = default_protocol()
    e, risk, catalogue = protocol.eligibility, protocol.eligibility.high_risk, default_lab_catalogue()
    factors = " ".join(f"WHEN '{t} {u}' THEN {f!r}" for t in LAB_TESTS for u, f in catalogue[t].factors.items()
                       if f != 1)
    factor = f"CASE l.test || ' ' || l.unit {factors} ELSE 1 END"
    tests = ", ".join(f"'{t}'" for t in LAB_TESTS)
    pivot = ", ".join(f"max(CASE WHEN test = '{t}' THEN v END) AS {t}, "
                      f"max(CASE WHEN test = '{t}' THEN q END) AS {t}_q, "
                      f"max(CASE WHEN test = '{t}' THEN uln END) AS {t}_uln" for t in LAB_TESTS)
    max_age = "" if e.labs_max_age_days is None else \
        f"AND julianday(r.lab_date) - julianday(l.date) <= {e.labs_max_age_days}"
    count = ">=" if risk.count_inclusive else ">"
    size_limit = risk.max_diameter_cm_min * (1 - TOLERANCE if risk.size_inclusive else 1 + TOLERANCE)
    size = ">=" if risk.size_inclusive else ">"
    rules: dict[str, str] = {
        "INC-HCC-PATHOLOGY": "hcc = 1",
        "INC-HIGH-RISK": (f"(mvi >= '{risk.mvi}' AND (n {count} {risk.tumor_count_min} OR size {size} "
                          f"{size_limit!r} OR (margin_clear = 0 AND capsule <> 'complete'))) OR thrombus "
                          "OR rupture = 1 OR invasion = 1"),
        "INC-AGE": f"age BETWEEN {e.age_years.min} AND {e.age_years.max}",
        "INC-ASA": f"asa <= {e.asa_max}",
        "INC-CHILD-PUGH-A": "CASE WHEN cp_most <= 6 THEN 1 WHEN cp_fewest >= 7 THEN 0 END",
    }
    for rule, test, kind, limit in EligibilityRules(protocol).lab_limits:
        v, q = test, f"{test}_q"
        rules[rule] = (_at_most(v, q, f"{limit!r} * {test}_uln") if kind == ULN else
                       _at_most(v, q, repr(limit)) if kind == MAX else _at_least(v, q, repr(limit)))
    rules.update({
        "INC-ECOG": f"ecog <= {e.ecog_max}",
        "INC-TX-HISTORY": "prior_lenvatinib = 0 AND sorafenib_allergy = 0",
        "EXC-R1-R2-OR-PALLIATIVE": "resection_margin = 'R0' AND resection_intent = 'curative'",
        "EXC-PREGNANT-OR-LACTATING": ("CASE WHEN sex = 'M' OR pregnant_or_lactating = 0 THEN 1 "
                                      "WHEN pregnant_or_lactating = 1 THEN 0 END"),
        "EXC-OTHER-MALIGNANCY": "other_malignancy = 0",
        "EXC-MENTAL-ILLNESS": "mental_illness = 0",
        "EXC-OTHER-TRIAL-WITHIN-3-MONTHS": "other_trial_within_3_months = 0",
        "EXC-PROHIBITED-POSTOP-THERAPY": "prohibited_postop_therapy = 0",
    })
    mg_dl = catalogue["tbil"].factors["mg/dL"]
    tbil = _points("tbil", "tbil_q", 2 * mg_dl, 3 * mg_dl, True)
    alb = _points("alb", "alb_q", 28.0, 35.0, False)
    inr = _points("inr", "inr_q", 1.7, 2.3, True)
    clinical = ("CASE {0} WHEN 'none' THEN 1 WHEN '{1}' THEN 2 WHEN '{2}' THEN 3 ELSE {3} END")
    fewest = " + ".join([tbil[0], alb[0], inr[0], clinical.format("ascites", "mild", "moderate_severe", 1),
                         clinical.format("encephalopathy", "grade_1_2", "grade_3_4", 1)])
    most = " + ".join([tbil[1], alb[1], inr[1], clinical.format("ascites", "mild", "moderate_severe", 3),
                       clinical.format("encephalopathy", "grade_1_2", "grade_3_4", 3)])
    albi = "0.66 * log10(tbil) - 0.085 * alb"
    one, two = -2.60 + 2.60 * TOLERANCE, -1.39 + 1.39 * TOLERANCE  # the grades' upper ends, with the tolerance
    # a `<` bilirubin allows every lower score: grade 1 when its bound is; `>` every higher one: 3 when its bound is
    albi_grade = (f"CASE WHEN tbil IS NULL OR alb IS NULL OR alb_q IS NOT NULL THEN NULL WHEN tbil_q IS NULL THEN "
                  f"CASE WHEN albi <= {one!r} THEN 1 WHEN albi <= {two!r} THEN 2 ELSE 3 END WHEN tbil_q = '<' THEN "
                  f"CASE WHEN albi <= {one!r} THEN 1 END ELSE CASE WHEN albi >= {-1.39 - 1.39 * TOLERANCE!r} THEN 3 "
                  "END END")
    year = "CAST(substr(age_date, 1, 4) AS INT)"
    leap = f"(({year} % 4 = 0 AND {year} % 100 <> 0) OR {year} % 400 = 0)"
    birthday = f"CASE WHEN substr(birth_date, 6) = '02-29' AND NOT {leap} THEN '03-01' ELSE substr(birth_date, 6) END"
    age = f"{year} - CAST(substr(birth_date, 1, 4) AS INT) - (substr(age_date, 6) < {birthday})"
    return f"""
    WITH r AS (
        SELECT p.id, p.mrn, p.sex, p.birth_date, p.resection_date, p.resection_margin,
               p.pathology_hcc_confirmed AS hcc, p.pathology_mvi AS mvi, p.pathology_tumor_count AS n,
               p.pathology_max_diameter_cm AS size, p.pathology_capsule AS capsule,
               p.pathology_margin_clear AS margin_clear, p.pathology_rupture AS rupture,
               p.pathology_adjacent_invasion AS invasion,
               EXISTS (SELECT 1 FROM patient_thrombus t WHERE t.patient_id = p.id) AS thrombus,
               s.resection_intent, s.asa, s.ecog, s.ascites, s.encephalopathy, s.prior_lenvatinib,
               s.sorafenib_allergy, s.pregnant_or_lactating, s.other_malignancy, s.mental_illness,
               s.other_trial_within_3_months, s.prohibited_postop_therapy,
               coalesce(s.enrol_date, s.consent_date, s.screen_date) AS lab_date,
               coalesce(s.consent_date, s.screen_date) AS age_date
        FROM patients p LEFT JOIN screenings s ON s.patient_id = p.id),
    latest AS (  -- each test's latest result: SQLite takes a max()'s row's other columns from that row
        SELECT l.patient_id, l.test, l.value * {factor} AS v, l.qualifier AS q, l.uln,
               max(l.date || printf('%010d', l.position)) AS latest
        FROM r CROSS JOIN labs l ON l.patient_id = r.id
        WHERE l.test IN ({tests}) AND l.date >= r.resection_date AND l.date <= r.lab_date {max_age}
        GROUP BY l.patient_id, l.test),
    x AS (SELECT patient_id, {pivot} FROM latest GROUP BY patient_id),
    scored AS (
        SELECT *, {fewest} AS cp_fewest, {most} AS cp_most, {albi} AS albi, {age} AS age
        FROM r LEFT JOIN x ON x.patient_id = r.id)
    SELECT mrn, {", ".join(f"({sql})" for sql in rules.values())},
           CASE WHEN cp_fewest = cp_most THEN cp_fewest END,
           CASE WHEN cp_most <= 6 THEN 'A' WHEN cp_fewest >= 7 AND cp_most <= 9 THEN 'B' WHEN cp_fewest >= 10 THEN 'C'
           END, CASE WHEN tbil_q IS NULL AND alb_q IS NULL THEN albi END, {albi_grade}, age
    FROM scored ORDER BY mrn
    """


def baseline(conn: sqlite3.Connection, sql: str) -> list[dict]:
    out = []
    for row in conn.execute(sql):
        verdicts = row[1:1 + len(RULES)]
        score, cls, albi, grade, age = row[1 + len(RULES):]
        eligible = False if 0 in verdicts else None if None in verdicts else True
        out.append({"mrn": row[0], "eligible": eligible,
                    "failed_rules": [rule for rule, v in zip(RULES, verdicts, strict=True) if v == 0],
                    "child_pugh": {"score": score, "class": cls},
                    "albi": {"score": albi, "grade": grade}, "age_at_consent": age})
    return out


def _agree(ours: list[dict], theirs: list[dict]) -> None:
    """The product and the baseline say the same of every patient (the missing paths are the product's alone)."""
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        a = {**a, "missing": None}
        b = {**b, "missing": None}
        score_a, score_b = a["albi"]["score"], b["albi"]["score"]
        assert (score_a is None) == (score_b is None) and (score_a is None or abs(score_a - score_b) < 1e-9), (a, b)
        a["albi"] = {**a["albi"], "score": None}
        b["albi"] = {**b["albi"], "score": None}
        assert a == b, (a, b)


def _timed(work) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def eligibility(path: Path, runs: int = 7) -> list[Result]:
    """Ours and the baseline taken in turns, so a machine busy with other work slows both alike; the CPU times
    say what each costs whatever else runs."""
    sql = baseline_sql()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with Logbook.open(path) as book:
        patients = book.counts()["patients"]
        labs = conn.execute("SELECT count(*) FROM labs").fetchone()[0]
        _agree(book.eligibility.as_json(), baseline(conn, sql))
        timings = [(_timed(lambda: book.eligibility.as_json()),
                    _timed(lambda: baseline(conn, sql))) for _ in range(runs)]
    conn.close()
    ours, ours_cpu = (statistics.median(t[0][kind] for t in timings) for kind in (0, 1))
    theirs, theirs_cpu = (statistics.median(t[1][kind] for t in timings) for kind in (0, 1))
    ratio = ours / theirs
    return [
        Result(
            f"eligibility of {patients:,} patients with full courses (median)",
            ours * 1000,
            theirs * 1000,
            "ms",
            ratio=ratio,
            target="< 1000 ms and ratio <= 3",
            ok=ours < 1 and ratio <= 3,
            note=f"{labs:,} lab results; the same verdicts, scores and ages as the plain-SQL baseline; CPU "
                 f"{ours_cpu * 1000:,.0f} vs {theirs_cpu * 1000:,.0f} ms; load average {os.getloadavg()[0]:.1f}",
        )
    ]
