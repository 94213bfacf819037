"""The app's form saves a patient and a procedure together: one validation, one transaction."""

import datetime as dt

import pytest

from tace_log.errors import InvalidInputError
from tace_log.model import AgentDose, Patient, Procedure
from tace_log.storage import Change, Changed, Logbook


def _entry(dose=20):
    patient = Patient(mrn="H100", name="欧阳娜娜", weight_kg=64, resection_date=dt.date(2026, 1, 5))
    procedure = Procedure(date=dt.date(2026, 2, 6), tumor_staining="absent",
                          embolization="prophylactic_embolization",
                          agents=[AgentDose(agent="epirubicin", dose=dose, unit="mg")])
    return patient, procedure


def test_a_new_patient_and_procedure_are_saved_together_and_read_back(tmp_path):
    with Logbook.open(tmp_path / "l.sqlite") as logbook:
        changes = []
        logbook.subscribe(changes.append)
        patient, procedure = _entry()
        result = logbook.save_entry(patient, procedure)
        assert result.changed
        stored = logbook.get_procedure(procedure.id)
        assert stored.patient_id == patient.id
        assert stored.agents[0].dose == 20
        assert logbook.get_patient(patient.id).name == "欧阳娜娜"
        assert changes == [Change(Changed.PROCEDURE_SAVED, (procedure.id,))]


def test_a_negative_dose_refuses_the_whole_entry_and_names_the_dose(tmp_path):
    with Logbook.open(tmp_path / "l.sqlite") as logbook:
        patient, procedure = _entry(dose=-20)
        with pytest.raises(InvalidInputError) as refused:
            logbook.save_entry(patient, procedure)
        assert "procedure.agents[0].dose" in str(refused.value)
        assert logbook.counts()["patients"] == 0  # the valid patient was not written either


def test_entry_findings_are_prefixed_and_the_mrn_must_be_free(tmp_path):
    with Logbook.open(tmp_path / "l.sqlite") as logbook:
        logbook.save_entry(*_entry())
        other, procedure = _entry()
        other.name = "张伟"
        paths = {f.path: f.code for f in logbook.check_entry(other, procedure)}
        assert paths["patient.mrn"] == "mrn_taken"
