"""A realistic logbook for the export tests: the contract's example patient with a whole course (screening, labs,
lenvatinib periods, adverse events, follow-ups, recurrence, death), a second patient lost to follow-up and
withdrawn, a signed procedure, and later edits (so the audit trail has updates as well as inserts)."""

from __future__ import annotations

import copy
import csv
import json
import re
from pathlib import Path

from tace_log import interchange
from tace_log.storage import Logbook

from .signing_support import PASSWORD

DATA = Path(__file__).resolve().parent.parent / "data"
AE_HTN, AE_PPE = "6f1c7c1e-1111-4a57-9d0b-3c1f9e0a0001", "6f1c7c1e-1111-4a57-9d0b-3c1f9e0a0002"


def course_document() -> dict:
    doc = json.loads((DATA / "example.json").read_text(encoding="utf-8"))
    doc["format"] = "tace-log/2"
    first = doc["patients"][0]
    first["procedures"][0].update(start_time="09:05", end_time="10:40", assistants="Zhou", michels_type="I")
    first["procedures"][0]["complications"] = [
        {"term": "Nausea", "ctcae_grade": 1, "sir_class": "mild", "management": "ondansetron"},
        {"term": "Abdominal pain", "ctcae_grade": 2, "sir_class": "moderate"}]
    first["pathology"]["hcc_confirmed"] = True
    first["pathology"]["thrombus"] = ["portal_vein"]
    first["screening"] = {"screen_no": "SCR-07", "screen_date": "2024-09-10", "consent_date": "2024-09-12",
                          "enrolled": True, "enrol_date": "2024-09-13", "arm_basis": "patient_choice",
                          "resection_intent": "curative", "asa": 2, "ecog": 0, "ascites": "none",
                          "encephalopathy": "none", "hbsag": "positive", "antiviral": "entecavir, 林医生开具",
                          "prior_lenvatinib": False}
    first["labs"] = [
        {"id": "0b5e6a44-2222-4c1e-8f3a-000000000001", "date": "2024-09-11", "test": "tbil", "value": 12.5,
         "unit": "µmol/L"},
        {"id": "0b5e6a44-2222-4c1e-8f3a-000000000002", "date": "2024-09-11", "test": "alb", "value": 41,
         "unit": "g/L"},
        {"id": "0b5e6a44-2222-4c1e-8f3a-000000000003", "date": "2024-09-11", "test": "afp", "value": 3,
         "unit": "ng/mL", "qualifier": "<"},
        {"id": "0b5e6a44-2222-4c1e-8f3a-000000000004", "date": "2024-09-11", "test": "alt", "value": 35,
         "unit": "U/L", "uln": 40}]
    first["lenvatinib"] = [
        {"id": "9a0d3c1b-3333-4d2e-9b1a-000000000001", "start": "2024-09-20", "end": "2024-11-02", "dose_mg": 12,
         "frequency": "qd", "intent": "adjuvant", "weight_kg": 64.5, "end_reason": "held_for_ae",
         "adverse_event_id": AE_HTN},
        {"id": "9a0d3c1b-3333-4d2e-9b1a-000000000002", "start": "2024-11-10", "dose_mg": 8, "frequency": "qd"}]
    first["adverse_events"] = [
        {"id": AE_HTN, "term": "Hypertension", "ctcae_grade": 3, "onset": "2024-10-30", "resolved": "2024-11-08",
         "serious": False, "attribution_lenvatinib": "probable", "attribution_tace": "unlikely",
         "action_lenvatinib": "interrupted_then_reduced", "action_date": "2024-11-02", "outcome": "recovered",
         "management": "amlodipine, 林晓明 said the headaches stopped"},
        {"id": AE_PPE, "term": "Palmar-plantar erythrodysesthesia syndrome", "ctcae_grade": 1,
         "onset": "2024-12-01", "outcome": "recovering"}]
    first["follow_ups"] = [
        {"id": "5c2b1a9d-4444-4e3f-a0b2-000000000001", "date": "2024-12-02", "type": "imaging", "modality": "ce_mri",
         "result": "no_evidence_of_disease", "alive": True},
        {"id": "5c2b1a9d-4444-4e3f-a0b2-000000000002", "date": "2025-03-03", "type": "phone", "alive": True,
         "note": "called 林晓明 at home"}]
    first["recurrence"] = {"first_seen_date": "2025-03-01", "confirmation_date": "2025-03-10",
                           "pattern": "both", "intrahepatic_type": "solitary",
                           "relation_to_resection": "different_segment", "extrahepatic_sites": ["lung", "bone"],
                           "confirmation_method": "imaging_noninvasive", "treatments": ["tace", "systemic"]}
    first["death"] = {"date": "2025-08-01", "cause": "hcc_progression", "source": "family"}
    second = copy.deepcopy(first)
    for key in ("id", "screening", "labs", "lenvatinib", "adverse_events", "follow_ups", "recurrence", "death"):
        second.pop(key, None)
    second.update(mrn="ZS-2025-0113", name="王芳 O'Hara, \"Fang\"", sex="F", birth_date="1975-06-30",
                  study_id="LT-013", resection_date="2025-01-06", arm="lenvatinib_tace",
                  lost_to_follow_up={"declared_date": "2025-09-01", "attempt_dates": ["2025-07-01", "2025-08-01"]},
                  withdrawal={"date": "2025-09-02", "reason": "consent_withdrawn", "note": "王芳 moved away"})
    for procedure in second["procedures"]:
        procedure["date"] = "2025-02-04"
        procedure["findings"] = "Stain in VI & VII (<2 cm);\n王芳 tolerated well.\tNo \"pain\"."
    doc["patients"].append(second)
    return doc


def export_logbook(path: Path) -> Logbook:
    """The realistic logbook, open: imported, a procedure signed, a lab and the screening edited afterwards."""
    logbook = Logbook.open(path)
    logbook.users.add("chen", "陈伟 Chen Wei", "radiologist", PASSWORD)
    logbook.import_document(course_document())
    first = logbook.find_patient_by_mrn("HS-2024-0007")
    assert first is not None
    procedure = logbook.procedures_of(first.id)[0]
    logbook.signing.sign(procedure.id, "chen", PASSWORD, acknowledge_warnings=True)
    first.labs[1].value = 40
    first.screening.ecog = 1
    logbook.save_patient(first)
    return logbook


def identifiers(logbook: Logbook) -> list[str]:
    """Every name, MRN and birth date (as stored, as ISO, as digits) of the logbook's patients, and their ids."""
    found = []
    for patient, _ in logbook.iter_patients():
        found += [patient.name, patient.mrn, patient.id]
        found += re.findall(r"\w{2,}", patient.name)  # each word, however the format quotes the whole
        if patient.birth_date:
            found += [patient.birth_date.isoformat(), patient.birth_date.strftime("%Y%m%d")]
    return found


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def json_export(logbook: Logbook) -> dict:
    return interchange.export_document(logbook)
