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


def test_a_procedure_on_the_same_date_and_cycle_as_a_stored_one_is_flagged_as_a_likely_duplicate(tmp_path):
    with Logbook.open(tmp_path / "l.sqlite") as logbook:
        patient, first = _entry()
        first.cycle = 1
        logbook.save_entry(patient, first)
        again = Procedure(patient_id=patient.id, date=first.date, cycle=1, tumor_staining="absent",
                          embolization="prophylactic_embolization")
        flagged = [f for f in logbook.check_entry(patient, again) if f.code == "likely_duplicate"]
        assert [(f.path, f.severity) for f in flagged] == [("procedure.date", "warning")]
        assert "2026-02-06, cycle 1" in flagged[0].text("en") and "重复录入" in flagged[0].text("zh")
        assert not [f for f in logbook.check_entry(patient, first) if f.code == "likely_duplicate"]
        second_cycle = Procedure(patient_id=patient.id, date=first.date, cycle=2, tumor_staining="absent",
                                 embolization="prophylactic_embolization")
        assert not [f for f in logbook.check_entry(patient, second_cycle) if f.code == "likely_duplicate"]
        logbook.save_entry(patient, again)  # a warning: saved once confirmed, never refused
        assert logbook.counts()["procedures"] == 2


def test_a_likely_duplicate_without_a_cycle_says_neither_has_one_not_cycle_question_mark(tmp_path):
    with Logbook.open(tmp_path / "l.sqlite") as logbook:
        patient, first = _entry()
        first.cycle = None
        logbook.save_entry(patient, first)
        again = Procedure(patient_id=patient.id, date=first.date, tumor_staining="absent",
                          embolization="prophylactic_embolization")
        [flagged] = [f for f in logbook.check_entry(patient, again) if f.code == "likely_duplicate"]
        assert flagged.text("en") == ("the patient already has a procedure on 2026-02-06, with no cycle either: the "
                                      "same one entered twice?")
        assert flagged.text("zh") == "该患者已有2026-02-06的手术记录，同样未填周期：是否重复录入？"


def test_an_imported_document_with_one_procedure_entered_twice_flags_both_copies(tmp_path):
    patient, procedure = _entry()
    doc = patient.to_document()
    once = {k: v for k, v in procedure.to_document().items() if k != "id"}  # two id-less copies
    doc["procedures"] = [once, dict(once)]
    with Logbook.open(tmp_path / "l.sqlite") as logbook:
        found = logbook.validator.patient(doc)
    assert sorted(f.path for f in found if f.code == "likely_duplicate") == \
        ["procedures[0].date", "procedures[1].date"]
