"""Synthetic patients with full courses (tace-log/2): a screening (most enrolled, some excluded or pending), labs,
TACE cycles for the TACE arm, scheduled imaging with misses and phone calls, a lenvatinib course with holds and
reductions, adverse events, and for some a recurrence, a death, a loss to follow-up or a withdrawal. Every record
passes the real import's rules. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from .generate import TODAY, _name, _procedure, _uuid, import_into

CHUNK = 5000  # patients imported per transaction
REASONS = ["not_meeting_inclusion", "meeting_exclusion", "declined", "physician_decision", "other", None]
VISITS = [91 * k for k in range(1, 9)] + [728 + 182 * k for k in range(1, 7)]
AE_TERMS = [("Hypertension", 3), ("Palmar-plantar erythrodysesthesia syndrome", 3), ("Proteinuria", 3),
            ("Diarrhea", 3), ("Fatigue", 3), ("Stroke", 3)]


def _on(resection: dt.date, days: int) -> str:
    return (resection + dt.timedelta(days=days)).isoformat()


def _patient(rng: random.Random, index: int) -> dict:
    resection = TODAY - dt.timedelta(days=rng.randint(20, 5 * 365))
    horizon = (TODAY - resection).days  # nothing is dated after today
    weight = round(rng.uniform(45, 90), 1)
    arm = "lenvatinib_tace" if rng.random() < 0.6 else "lenvatinib"
    doc = {
        "id": _uuid(rng), "mrn": f"CS{index:07d}", "name": _name(rng), "sex": rng.choice("MF"),
        "birth_date": (resection - dt.timedelta(days=rng.randint(30 * 365, 74 * 365))).isoformat(),
        "weight_kg": weight, "height_cm": rng.randint(150, 185), "arm": arm, "study_id": f"LC-{index:06d}",
        "resection_date": resection.isoformat(), "resection_margin": "R0",
        "pathology": {"mvi": "M2", "tumor_count": rng.randint(1, 5), "max_diameter_cm": round(rng.uniform(2, 12), 1),
                      "capsule": "incomplete", "margin_clear": True, "thrombus": [], "rupture": False,
                      "adjacent_invasion": False, "hcc_confirmed": True},
        "procedures": [], "follow_ups": [], "labs": [], "lenvatinib": [], "adverse_events": [],
    }
    screen = min(rng.randint(5, 14), horizon)
    enrol = min(screen + rng.randint(0, 6), horizon)
    enrolled = rng.random() < 0.88
    screening = {"screen_no": f"S{index:06d}", "screen_date": _on(resection, screen),
                 "consent_date": _on(resection, enrol), "asa": 2, "ecog": 0, "ascites": "none",
                 "encephalopathy": "none", "resection_intent": "curative", "enrolled": enrolled}
    if enrolled:
        screening.update(enrol_date=_on(resection, enrol), arm_basis="patient_choice")
    else:
        screening["not_enrolled_reason"] = rng.choice(REASONS)
    doc["screening"] = screening
    labs = (("tbil", rng.randint(6, 30), "µmol/L"), ("alb", rng.randint(32, 48), "g/L"),
            ("plt", rng.randint(80, 300), "10^9/L"), ("inr", 1.1, "1"))
    doc["labs"] = [{"id": _uuid(rng), "date": _on(resection, screen), "test": test, "value": value, "unit": unit}
                   for test, value, unit in labs]
    if not enrolled:
        return doc

    # what ends the follow-up: a recurrence (the event), a death, a loss, a withdrawal, or today
    recurrence = rng.randint(60, 1600) if rng.random() < 0.45 else None
    death = None
    if rng.random() < 0.18:
        death = (recurrence or 0) + rng.randint(60, 700) if recurrence else rng.randint(120, 1800)
        death = death if death <= horizon else None
    stop = min(x for x in (horizon, death) if x is not None)
    fate = rng.random()
    lost = withdrawn = None
    if death is None and fate < 0.05 and stop > 200:
        lost = rng.randint(200, stop)
        stop = lost - 20
    elif death is None and fate < 0.08 and stop > 60:
        withdrawn = rng.randint(45, stop)
    if recurrence is not None and recurrence > stop:
        recurrence = None

    last_alive = enrol
    if arm == "lenvatinib_tace" and stop >= 45:
        first = rng.randint(24, 45)
        doc["procedures"].append({**_procedure(rng, resection, 1), "date": _on(resection, first), "cycle": 1})
        last_alive = first
        if rng.random() < 0.4 and first + 91 <= min(stop, recurrence or stop):
            second = first + rng.randint(28, 91)
            doc["procedures"].append({**_procedure(rng, resection, 2), "date": _on(resection, second), "cycle": 2})
            last_alive = second
    for visit in VISITS:
        on = visit + rng.randint(-10, 10)
        if on > stop or (withdrawn is not None and on > withdrawn):
            break
        if recurrence is not None and on >= recurrence:
            doc["follow_ups"].append({"id": _uuid(rng), "date": _on(resection, recurrence), "type": "imaging",
                                      "modality": "ce_mri", "result": "recurrence"})
            last_alive = max(last_alive, recurrence)
            break
        if rng.random() < 0.88:
            doc["follow_ups"].append({"id": _uuid(rng), "date": _on(resection, on), "type": "imaging",
                                      "modality": rng.choice(["ce_ct", "ce_mri"]),
                                      "result": "equivocal" if rng.random() < 0.05 else "no_evidence_of_disease"})
            last_alive = max(last_alive, on)
        if rng.random() < 0.3 and on + 45 <= stop:
            doc["follow_ups"].append({"id": _uuid(rng), "date": _on(resection, on + 45), "type": "phone"})
            last_alive = max(last_alive, on + 45)
    if recurrence is not None:
        doc["recurrence"] = {"first_seen_date": _on(resection, recurrence),
                             "confirmation_date": _on(resection, min(recurrence + rng.randint(0, 30), stop)),
                             "pattern": rng.choice(["intrahepatic", "extrahepatic", "both"]),
                             "confirmation_method": "imaging_noninvasive"}
        for on in range(recurrence + 90, stop + 1, 91):  # the survival contacts after a recurrence
            doc["follow_ups"].append({"id": _uuid(rng), "date": _on(resection, on), "type": "phone"})
            last_alive = on
    _lenvatinib(rng, doc, resection, enrol, weight, min(stop, last_alive), recurrence, death)
    if death is not None:
        doc["death"] = {"date": _on(resection, max(death, last_alive)), "cause": rng.choice(
            ["hcc_progression", "liver_failure", "other"])}
    if lost is not None:
        doc["lost_to_follow_up"] = {"declared_date": _on(resection, lost), "attempt_dates": [
            _on(resection, lost - d) for d in (14, 7, 1)]}
    if withdrawn is not None:
        doc["withdrawal"] = {"date": _on(resection, withdrawn), "reason": "consent_withdrawn"}
    return doc


def _lenvatinib(rng: random.Random, doc: dict, resection: dt.date, enrol: int, weight: float, last: int,
                recurrence: int | None, death: int | None) -> None:
    """One to three periods: a start at the weight's dose, perhaps a hold for an AE and a step down, then an end
    at the recurrence, a discontinuation, or still ongoing."""
    start = enrol + rng.randint(1, 20)
    if start > last:
        return
    dose = 12 if weight >= 60 else 8
    periods = doc["lenvatinib"]
    while start <= last and len(periods) < 3:
        length = rng.randint(30, 300)
        end = start + length
        period = {"id": _uuid(rng), "start": _on(resection, start), "dose_mg": dose, "frequency": "qd",
                  "intent": "adjuvant", "weight_kg": weight if not periods else None}
        periods.append(period)
        if end >= last:
            if recurrence is not None or death is not None:
                period.update(end=_on(resection, last), end_reason="recurrence" if recurrence else "death")
            return
        term, _ = rng.choice(AE_TERMS)
        grade = rng.randint(2, 3)
        ae = {"id": _uuid(rng), "term": term, "ctcae_grade": grade, "onset": _on(resection, end),
              "attribution_lenvatinib": "probable"}
        doc["adverse_events"].append(ae)
        if term == "Stroke" or rng.random() < 0.1:
            ae.update(action_lenvatinib="discontinued", action_date=_on(resection, end))
            period.update(end=_on(resection, end), end_reason="discontinued_ae", adverse_event_id=ae["id"])
            return
        ae.update(action_lenvatinib="interrupted_then_reduced", action_date=_on(resection, end))
        period.update(end=_on(resection, end), end_reason="held_for_ae", adverse_event_id=ae["id"])
        dose = {12: 8, 8: 4, 4: 4}[dose]
        start = end + rng.randint(7, 21)


def document(patients: int, seed: int = 17, first: int = 0) -> dict:
    rng = random.Random(seed * 1_000_003 + first)
    return {"format": "tace-log/2", "patients": [_patient(rng, first + i) for i in range(patients)]}


def build(path: Path, patients: int, seed: int = 17) -> float:
    """Create a logbook of `patients` generated courses through the real import, in chunks; returns seconds."""
    return import_into(path, (document(min(CHUNK, patients - first), seed, first)
                              for first in range(0, patients, CHUNK)))
