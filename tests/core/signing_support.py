"""Records and users for the signing and audit tests, written through the real Logbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tace_log.model import AgentDose, Complication, Patient, Procedure
from tace_log.storage import Logbook

PASSWORD = "correct horse battery"
NURSE_PASSWORD = "nurse password"


def signable_logbook(path: Path) -> tuple[Logbook, Patient, Procedure]:
    """A logbook with a radiologist 'chen', a nurse 'li', and one complete draft procedure with no warnings."""
    logbook = Logbook.open(path)
    logbook.users.add("chen", "陈伟 Chen Wei", "radiologist", PASSWORD)
    logbook.users.add("li", "李娜 Li Na", "nurse", NURSE_PASSWORD, by=("chen", PASSWORD))
    patient = Patient(mrn="M0001", name="张伟", sex="M", birth_date=dt.date(1961, 3, 4),
                      resection_date=dt.date(2025, 1, 6))
    logbook.save_patient(patient)
    procedure = Procedure(patient_id=patient.id, date=dt.date(2025, 2, 3), cycle=1, operator="Chen Wei",
                          tumor_staining="present", stained_segments=["VII", "VIII"],
                          embolization="superselective_chemoembolization", selectivity="segmental",
                          agents=[AgentDose(agent="lipiodol", dose=5, unit="mL"),
                                  AgentDose(agent="epirubicin", dose=30, unit="mg")],
                          complications=[Complication(term="Nausea", ctcae_grade=1)],
                          impression="Superselective TACE of segments VII and VIII.")
    logbook.save_procedure(procedure)
    assert not logbook.signing.findings_to_sign(procedure.id), logbook.signing.findings_to_sign(procedure.id)
    return logbook, patient, procedure
