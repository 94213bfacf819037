"""A small valid course for the example patient (tests/data/example.json, resected 2024-09-02, one procedure on
2024-10-03): one record of each kind, for tests that change one thing in it."""

from __future__ import annotations

import copy

AE_ID = "0b1e5b0c-6f0d-4d8e-9a57-3c2f4d1e7a10"
COURSE = {
    "screening": {"screen_date": "2024-09-10", "consent_date": "2024-09-12", "enrolled": True,
                  "enrol_date": "2024-09-13", "arm_basis": "patient_choice", "ecog": 0, "asa": 2},
    "labs": [{"id": "5c0b8a8e-1d7e-4a3e-8f0e-2b9f3e6d1a01", "date": "2024-09-10", "test": "hb", "value": 128,
              "unit": "g/L"},
             {"id": "5c0b8a8e-1d7e-4a3e-8f0e-2b9f3e6d1a02", "date": "2024-09-10", "test": "alt", "value": 41,
              "unit": "U/L", "uln": 40},
             {"id": "5c0b8a8e-1d7e-4a3e-8f0e-2b9f3e6d1a03", "date": "2024-09-10", "test": "tbil", "value": 0.9,
              "unit": "mg/dL"}],
    "adverse_events": [{"id": AE_ID, "term": "Hypertension", "ctcae_grade": 2, "onset": "2024-11-01"}],
    "lenvatinib": [{"id": "7d2c4e6a-0b1f-4c3d-9e8f-1a2b3c4d5e01", "start": "2024-09-20", "end": "2024-11-02",
                    "dose_mg": 8, "frequency": "qd", "weight_kg": 58, "end_reason": "held_for_ae",
                    "adverse_event_id": AE_ID}],
    "follow_ups": [{"id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c01", "date": "2024-12-02", "type": "imaging",
                    "modality": "ce_mri", "result": "no_evidence_of_disease"}],
    "recurrence": {"first_seen_date": "2025-03-03", "pattern": "intrahepatic", "intrahepatic_type": "solitary",
                   "confirmation_method": "imaging_noninvasive", "treatments": ["ablation"]},
}


def with_course(example: dict) -> dict:
    """The example document as tace-log/2, its patient with the course above (a fresh copy)."""
    example["format"] = "tace-log/2"
    example["patients"][0].update(copy.deepcopy(COURSE))
    return example
