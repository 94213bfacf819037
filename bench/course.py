"""Synthetic patients with full courses (tace-log/2): pathology, a screening, about 60 lab results over the course
(a screening panel, some before the resection, then monthly panels), lenvatinib periods, adverse events, imaging
and phone follow-ups, and for some a recurrence or a death. Deterministic for a seed; a fifth of the patients miss
an item or fall outside a limit, so every branch of the rules is taken.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from .generate import TODAY, _name, _uuid, import_into

LABS_PER_PATIENT = 60
AE_TERMS = ("Hypertension", "Proteinuria", "Palmar-plantar erythrodysesthesia syndrome", "Diarrhea", "Fatigue",
            "Platelet count decreased")
_FLAGS = ("prior_lenvatinib", "sorafenib_allergy", "pregnant_or_lactating", "other_malignancy", "mental_illness",
          "other_trial_within_3_months", "prohibited_postop_therapy")


def _day(base: dt.date, days: int) -> str:
    return (base + dt.timedelta(days=days)).isoformat()


def _panel(rng: random.Random, date: str, out: list[dict], full: bool) -> None:
    """One blood draw: the liver panel and blood count, in the units Chinese labs report, now and then in the
    other unit the catalogue takes (or a value outside a registry limit)."""

    def lab(test: str, value: float, unit: str, **extra) -> None:
        out.append({"id": _uuid(rng), "date": date, "test": test, "value": value, "unit": unit, **extra})

    out_of_range = rng.random() < 0.1  # now and then a value beyond a registry limit
    if rng.random() < 0.1:
        lab("tbil", round(rng.uniform(0.3, 3.5 if out_of_range else 1.8), 1), "mg/dL")
    elif rng.random() < 0.02:
        lab("tbil", 5, "µmol/L", qualifier="<")  # below detection: 1 Child-Pugh point whatever it is
    else:
        lab("tbil", round(rng.uniform(5, 60 if out_of_range else 30), 1), "µmol/L")
    lab("alb", round(rng.uniform(26 if out_of_range else 36, 48), 1), "g/L")
    lab("alt", rng.randint(10, 260 if out_of_range else 120), "U/L", uln=rng.choice((40, 50)))
    lab("ast", rng.randint(10, 220 if out_of_range else 100), "U/L", uln=40)
    if full:
        lab("alp", rng.randint(40, 700 if out_of_range else 300), "U/L", uln=rng.choice((120, 125)))
        lab("inr", round(rng.uniform(0.9, 2.5 if out_of_range else 1.5), 2), "1")
        lab("anc", round(rng.uniform(1.0 if out_of_range else 1.6, 6.0), 2), "10^9/L")
        if rng.random() < 0.2:
            lab("hb", round(rng.uniform(7.5 if out_of_range else 9, 16), 1), "g/dL")
        else:
            lab("hb", rng.randint(80 if out_of_range else 90, 160), "g/L")
        lab("plt", rng.randint(60 if out_of_range else 80, 300), "10^9/L")
    lab("afp", round(rng.uniform(1, 400), 1), "ng/mL")


def patient(rng: random.Random, index: int) -> dict:
    resection = TODAY - dt.timedelta(days=rng.randint(120, 1800))
    birth = resection - dt.timedelta(days=rng.randint(17 * 365, 78 * 365))
    screen = rng.randint(10, 25)
    consent, enrolled = screen + rng.randint(0, 5), rng.random() < 0.85
    enrol = consent + rng.randint(0, 7)
    incomplete = rng.random() < 0.2  # a screening with an item not yet recorded
    screening = {
        "screen_no": f"S{index:06d}", "screen_date": _day(resection, screen), "consent_date": _day(resection, consent),
        "enrolled": enrolled, "resection_intent": "curative" if rng.random() < 0.97 else "palliative",
        "asa": rng.choice((1, 2, 2, 2, 3, 3, 3, 4)), "ecog": rng.choice((0, 0, 0, 1, 1, 1, 2)),
        "ascites": rng.choice(("none", "none", "none", "mild")), "encephalopathy": "none", "hbsag": "positive",
        **{flag: rng.random() < 0.02 for flag in _FLAGS},
    }
    if enrolled:
        screening.update(enrol_date=_day(resection, enrol), arm_basis="patient_choice")
    else:
        screening["not_enrolled_reason"] = rng.choice(("not_meeting_inclusion", "declined"))
    if incomplete:
        del screening[rng.choice(("ecog", "asa", "ascites", "encephalopathy", "other_malignancy"))]
    labs: list[dict] = []
    _panel(rng, _day(resection, -3), labs, full=True)  # before the resection: never read by the rules
    _panel(rng, _day(resection, screen), labs, full=not incomplete or rng.random() < 0.5)
    if rng.random() < 0.3:  # repeated on the day of consent: the later one is read
        _panel(rng, _day(resection, consent), labs, full=True)
    days_left = (TODAY - resection).days - enrol - 1
    while len(labs) < LABS_PER_PATIENT:
        _panel(rng, _day(resection, enrol + 1 + rng.randint(0, days_left)), labs, full=rng.random() < 0.5)
    labs = labs[:LABS_PER_PATIENT]
    last = max(lab["date"] for lab in labs)
    doc: dict = {
        "id": _uuid(rng), "mrn": f"CR{index:07d}", "name": _name(rng), "sex": rng.choice("MF"),
        "birth_date": birth.isoformat(), "weight_kg": round(rng.uniform(45, 90), 1), "arm": "lenvatinib_tace",
        "resection_date": resection.isoformat(), "resection_margin": "R0" if rng.random() < 0.95 else "R1",
        "pathology": {
            "mvi": rng.choice(("M0", "M1", "M2", "M2")), "tumor_count": rng.randint(1, 5),
            "max_diameter_cm": round(rng.uniform(2, 12), 1),
            "capsule": rng.choice(("complete", "incomplete", "absent")),
            "margin_clear": rng.random() < 0.5,
            "thrombus": rng.sample(["portal_vein", "hepatic_vein", "bile_duct"], rng.choice((0, 0, 0, 1))),
            "rupture": rng.random() < 0.05, "adjacent_invasion": rng.random() < 0.05,
            "hcc_confirmed": rng.random() < 0.97,
        },
        "screening": screening, "labs": labs, "procedures": [],
    }
    if enrolled:
        weight = doc["weight_kg"]
        start = enrol + rng.randint(1, 7)
        stop = min(start + rng.randint(30, 200), (TODAY - resection).days - 10)
        events = [{"id": _uuid(rng), "term": rng.choice(AE_TERMS), "ctcae_grade": rng.randint(1, 3),
                   "onset": _day(resection, start + rng.randint(5, 25)),
                   "action_lenvatinib": "interrupted_then_reduced",
                   "action_date": _day(resection, stop)} for _ in range(rng.randint(0, 3))]
        doc["adverse_events"] = events
        doc["lenvatinib"] = [
            {"id": _uuid(rng), "start": _day(resection, start), "end": _day(resection, stop),
             "dose_mg": 12 if weight >= 60 else 8, "frequency": "qd", "weight_kg": weight, "end_reason": "held_for_ae"},
            {"id": _uuid(rng), "start": _day(resection, stop + 7), "dose_mg": 8 if weight >= 60 else 4,
             "frequency": "qd"},
        ]
        doc["follow_ups"] = [
            {"id": _uuid(rng), "date": _day(resection, day + rng.randint(-7, 7)), "type": "imaging",
             "modality": "ce_ct", "result": "no_evidence_of_disease"}
            for day in range(91, (TODAY - resection).days - 8, 91)]
        last = max(last, *(f["date"] for f in doc["follow_ups"]), doc["lenvatinib"][-1]["start"])
        doc["follow_ups"].append({"id": _uuid(rng), "date": last, "type": "phone"})
        if rng.random() < 0.3:
            doc["recurrence"] = {"first_seen_date": last, "pattern": "intrahepatic", "intrahepatic_type": "solitary",
                                 "confirmation_method": "imaging_noninvasive"}
        if rng.random() < 0.1 and dt.date.fromisoformat(last) < TODAY:
            doc["death"] = {"date": _day(dt.date.fromisoformat(last), 1), "cause": "hcc_progression"}
    return doc


def document(patients: int, seed: int = 17) -> dict:
    """A tace-log/2 document of `patients` patients with full courses."""
    rng = random.Random(seed)
    return {"format": "tace-log/2", "patients": [patient(rng, i) for i in range(patients)]}


def build_logbook(path: Path, patients: int, seed: int = 17) -> float:
    """Create a logbook of `patients` generated courses through the real (bulk) import; returns seconds."""
    doc = document(patients, seed)
    return import_into(path, [doc])
