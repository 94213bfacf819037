"""The patient's course at a registry's scale: a generated tace-log/2 file of 10,000 patients, each followed for
five years (a screening, about 60 lab results, 20 follow-ups, 10 lenvatinib periods, a few adverse events, and for
some a recurrence, a death, a loss to follow-up or a withdrawal), imported into an empty logbook and measured against
the procedure import in the same run: seconds, and rows a second with the audit rows (every table counted after
the import). Deterministic for a seed (`random.Random`), valid by the contract's rules, so nothing is refused. The
issue's volumes are the point here; `courses.py` generates the lighter, varied courses the derived figures read.

    python -m bench --only course-import
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from tace_log.catalogues import default_adverse_event_catalogue, default_lab_catalogue
from tace_log.lenvatinib import DISCONTINUING_KINDS, LADDER

from .core import timed_import
from .generate import TODAY, _uuid, document, patient
from .result import Result

YEARS = 5
LABS = default_lab_catalogue()
# Typical values in the canonical unit, from which a result is drawn (the catalogue's limits are plausibility's).
TYPICAL = {"tbil": (5, 30), "alb": (32, 48), "inr": (0.9, 1.3), "alt": (10, 80), "ast": (10, 80), "alp": (40, 150),
           "anc": (1.5, 6), "hb": (100, 160), "plt": (80, 300), "creatinine": (50, 110), "afp": (1, 400),
           "pivka_ii": (10, 500), "hbv_dna": (20, 100_000), "tsh": (0.5, 5), "urine_protein_24h": (0.05, 1.5),
           "upcr": (0.05, 1), "sbp": (100, 160), "dbp": (60, 100)}
# A visit's panel, in turn: five tests each, twelve visits make the five years' sixty results.
PANELS = [("tbil", "alb", "alt", "ast", "inr"), ("hb", "plt", "anc", "creatinine", "alp"),
          ("afp", "pivka_ii", "hbv_dna", "sbp", "dbp"), ("tbil", "alb", "tsh", "upcr", "urine_protein_24h")]
# Events a hold is for: graded 2 or 3, none that the label stops lenvatinib after whatever the grade.
AE_TERMS = [t for t in default_adverse_event_catalogue().terms if t.max_grade >= 2 and t.min_grade <= 3
            and t.kind not in DISCONTINUING_KINDS]
IMAGING = ["ce_ct", "ce_mri", "ceus"]


def _day(start: dt.date, days: int) -> str:
    return (start + dt.timedelta(days=days)).isoformat()


def _lab(rng: random.Random, test_key: str, date: str) -> dict:
    test = LABS[test_key]
    low, high = TYPICAL[test_key]
    canonical = rng.uniform(low, high)
    unit = test.unit if rng.random() < 0.8 else rng.choice(test.units)  # mostly the canonical unit
    value = round(canonical / test.factors[unit], 2)
    assert test.plausible(value, unit), (test_key, value, unit)
    return {"id": _uuid(rng), "date": date, "test": test_key, "value": value, "unit": unit,
            "qualifier": "<" if test_key == "hbv_dna" and rng.random() < 0.3 else None,
            "uln": 40 if test.takes_uln else None}


def _adverse_events(rng: random.Random, resection: dt.date, last: int) -> list[dict]:
    events = []
    for _ in range(rng.randint(1, 5)):
        term = rng.choice(AE_TERMS)
        onset = rng.randint(20, last)
        events.append({"id": _uuid(rng), "term": term.term,
                       "ctcae_grade": rng.randint(max(2, term.min_grade), min(term.max_grade, 3)),
                       "onset": _day(resection, onset),
                       "resolved": _day(resection, min(last, onset + rng.randint(7, 60))),
                       "serious": False, "attribution_lenvatinib": rng.choice(["possible", "probable"]),
                       "attribution_tace": "unlikely", "action_lenvatinib": "interrupted_then_reduced",
                       "action_date": _day(resection, onset), "outcome": "recovered", "management": None})
    return events


def _dose_periods(rng: random.Random, resection: dt.date, last: int, events: list[dict], weight: float) -> list[dict]:
    """Up to ten periods one after another from two to six weeks after the resection, as the label gives them: the
    starting dose by weight, one step down the ladder after a hold for an adverse event, discontinued after a hold
    at its bottom; the last one ongoing if it reaches the horizon."""
    periods, start, step = [], rng.randint(14, 42), 0 if weight >= 60 else 1
    for i in range(10):
        if start > last:
            break
        end = start + rng.randint(30, 150)
        ongoing = end > last or i == 9 and rng.random() < 0.3
        held = not ongoing and rng.random() < 0.3
        stop = held and step == len(LADDER) - 1
        dose, frequency = LADDER[step]
        periods.append({"id": _uuid(rng), "start": _day(resection, start),
                        "end": None if ongoing else _day(resection, end),
                        "dose_mg": dose, "frequency": frequency, "intent": "adjuvant",
                        "weight_kg": weight if i == 0 else None,
                        "end_reason": None if ongoing else "discontinued_ae" if stop else "held_for_ae" if held
                        else "held_peri_procedural",
                        "adverse_event_id": rng.choice(events)["id"] if held else None})
        if ongoing or stop:
            break
        step += held
        start = end + 1 + rng.randint(0, 14)
    return periods


def _follow_ups(rng: random.Random, resection: dt.date, last: int, recurred: int | None) -> list[dict]:
    """Imaging every 91 days for two years, then every 182 (the protocol's schedule, a few days either way), and a
    clinic visit or a phone call between: twenty over five years."""
    days = [91 * k for k in range(1, 9)] + [728 + 182 * k for k in range(1, 7)]
    rows = []
    for day in days:
        day = min(last, day + rng.randint(-7, 7))
        result = "recurrence" if recurred is not None and day >= recurred else \
            "equivocal" if rng.random() < 0.05 else "no_evidence_of_disease"
        rows.append({"id": _uuid(rng), "date": _day(resection, day), "type": "imaging",
                     "modality": rng.choice(IMAGING), "result": result, "alive": True, "note": None})
        if len(rows) < 20 and rng.random() < 0.45:
            rows.append({"id": _uuid(rng), "date": _day(resection, min(last, day + rng.randint(20, 60))),
                         "type": rng.choice(["clinic", "phone"]), "modality": None, "result": None, "alive": True,
                         "note": None})
        if day >= last:
            break
    return rows


def course(rng: random.Random, resection: dt.date, procedure_dates: list[dt.date], weight: float) -> dict:
    """A five-year course from the resection: every record on or before the horizon (today, or the death)."""
    span = (TODAY - resection).days
    first_free = max((d - resection).days for d in procedure_dates) if procedure_dates else 0
    fate = rng.random()
    last = rng.randint(max(first_free, 400), span) if fate < 0.2 else span - 200 if fate < 0.25 else span
    recurred = rng.choice([91 * k for k in range(2, 9)]) if rng.random() < 0.4 else None
    if recurred is not None and recurred > last:
        recurred = None
    visits = [round(i * last / 12) for i in range(12)]
    labs = [_lab(rng, key, _day(resection, day + 3)) for i, day in enumerate(visits) for key in PANELS[i % 4]]
    events = _adverse_events(rng, resection, last)
    screen = rng.randint(3, 10)
    doc = {
        "screening": {
            "screen_no": f"S{rng.randint(0, 10**6):06d}", "screen_date": _day(resection, screen),
            "consent_date": _day(resection, screen + 1), "enrolled": True, "enrol_date": _day(resection, screen + 2),
            "arm_basis": rng.choice(["patient_choice", "physician_recommendation"]), "not_enrolled_reason": None,
            "not_enrolled_note": None, "resection_intent": "curative", "asa": rng.randint(1, 3),
            "ecog": rng.randint(0, 1), "ascites": "none", "encephalopathy": "none",
            "hbsag": rng.choice(["positive", "negative"]), "antiviral": "entecavir", "prior_lenvatinib": False,
            "sorafenib_allergy": False, "pregnant_or_lactating": False, "other_malignancy": False,
            "mental_illness": False, "other_trial_within_3_months": False, "prohibited_postop_therapy": False},
        "labs": labs,
        "lenvatinib": _dose_periods(rng, resection, last, events, weight),
        "adverse_events": events,
        "follow_ups": _follow_ups(rng, resection, last, recurred),
        "recurrence": None if recurred is None else {
            "first_seen_date": _day(resection, recurred),
            "confirmation_date": _day(resection, min(last, recurred + 14)),
            "dsa_first_seen_date": None, "pattern": rng.choice(["intrahepatic", "intrahepatic", "both"]),
            "intrahepatic_type": "solitary", "relation_to_resection": "different_segment",
            "extrahepatic_sites": [], "confirmation_method": "imaging_noninvasive",
            "treatments": rng.sample(["repeat_hepatectomy", "ablation", "tace"], 1), "note": None},
        "death": {"date": _day(resection, last), "cause": "hcc_progression", "source": "family"} if fate < 0.2
        else None,
        "lost_to_follow_up": {"declared_date": _day(resection, last + 190),
                              "attempt_dates": [_day(resection, last + 100), _day(resection, last + 150)]}
        if 0.2 <= fate < 0.25 else None,
        "withdrawal": {"date": _day(resection, last - 30), "reason": "consent_withdrawn", "note": None}
        if 0.25 <= fate < 0.28 else None,
    }
    if doc["recurrence"] is not None and doc["recurrence"]["pattern"] == "both":
        doc["recurrence"]["extrahepatic_sites"] = ["lung"]
    return doc


def course_document(patients: int, seed: int = 13) -> dict:
    """A tace-log/2 document of `patients` patients, 1-3 procedures and a five-year course each."""
    rng = random.Random(seed)
    out = []
    for index in range(patients):
        resection = TODAY - dt.timedelta(days=YEARS * 365 + rng.randint(1, 180))
        doc = patient(rng, index, rng.randint(1, 3), resection)
        doc.update(course(rng, resection, [dt.date.fromisoformat(p["date"]) for p in doc["procedures"]],
                          doc["weight_kg"]))
        out.append(doc)
    return {"format": "tace-log/2", "patients": out}


def course_import(work: Path, patients: int = 10_000) -> list[Result]:
    """The course file's import against today's procedure import (the 10k-procedure file of `core.import_rate`),
    each into an empty logbook in this run: rows a second, every table's rows and the audit trail's counted."""
    # the short baseline is the one a busy minute moves most: its median of three runs, each into a new logbook
    runs = sorted((timed_import(document(10_000, seed=11), work, f"procedures-{i}") for i in range(3)),
                  key=lambda run: run.rows_per_second)
    procedures = runs[1]
    courses = timed_import(course_document(patients), work, "course")
    ratio = courses.rows_per_second / procedures.rows_per_second
    return [
        Result("import of a 10k-procedure file, rows (audit rows included)", procedures.rows_per_second, None,
               "rows/s", note=f"median of 3: {procedures.seconds:.1f} s for {procedures.rows:,} rows; "
                             f"{', '.join(f'{run.rows_per_second:,.0f}' for run in runs)} rows/s"),
        Result(f"import of a tace-log/2 file of {patients:,} patients with 5-year courses", courses.seconds, None, "s",
               target="< 120 s", ok=courses.seconds < 120,
               note=f"{courses.rows:,} rows, {Path(courses.source).stat().st_size / 1e6:.0f} MB of JSON"),
        Result("its rows a second (audit rows included); baseline: the procedure import's", courses.rows_per_second,
               procedures.rows_per_second, "rows/s", ratio=ratio, target="ratio >= 1", ok=ratio >= 1),
    ]

