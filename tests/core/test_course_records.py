"""The patient's course is stored like the rest of the record: saved, read, audited and exported, one id one record,
and editable around a signed procedure without touching what was signed."""

from __future__ import annotations

import copy
import datetime as dt
import uuid

import pytest

from tace_log import interchange
from tace_log.dictionary import DEATH, LAB, SCREENING
from tace_log.errors import InvalidInputError
from tace_log.model import record_class
from tace_log.storage import Logbook

from .signing_support import PASSWORD, signable_logbook

Lab, Screening, Death = record_class(LAB), record_class(SCREENING), record_class(DEATH)


def _lab(day: int, test: str = "alb", value: float = 40, unit: str = "g/L") -> object:
    return Lab(date=dt.date(2025, 1, day), test=test, value=value, unit=unit)


def _course_document(example: dict) -> dict:
    doc = copy.deepcopy(example)
    doc["format"] = "tace-log/2"
    patient = doc["patients"][0]
    patient["labs"] = [{"id": str(uuid.uuid4()), "date": "2025-01-02", "test": "alb", "value": 40, "unit": "g/L"}]
    return doc


def test_an_optional_part_is_none_until_recorded_and_goes_when_cleared(tmp_path):
    with Logbook.open(tmp_path / "l.sqlite") as book:
        patient = _patient()
        book.save_patient(patient)
        stored = book.get_patient(patient.id)
        assert stored.screening is None and stored.to_document()["screening"] is None
        stored.screening = Screening(screen_date=dt.date(2025, 1, 20), enrolled=True, enrol_date=dt.date(2025, 1, 25),
                                     ecog=0)
        book.save_patient(stored)
        again = book.get_patient(patient.id)
        assert again.screening.ecog == 0 and again.screening.enrolled is True
        again.screening = None
        book.save_patient(again)
        assert book.get_patient(patient.id).screening is None
        deleted = [r for r in book.audit.rows() if r.table_name == "screenings" and r.action == "delete"]
        assert len(deleted) == 1 and deleted[0].parent_id == patient.id


def _patient():
    from tace_log.model import Patient

    return Patient(mrn="C-1", name="Course Patient", sex="M", resection_date=dt.date(2025, 1, 10))


def test_one_changed_lab_is_one_audited_change(tmp_path):
    with Logbook.open(tmp_path / "l.sqlite") as book:
        patient = _patient()
        patient.labs = [_lab(2), _lab(3, "plt", 150, "10^9/L"), _lab(4, "hb", 120)]
        book.save_patient(patient)
        before = len(list(book.audit.rows()))
        stored = book.get_patient(patient.id)
        stored.labs[1].value = 160
        stored.labs.append(_lab(20, "tbil", 12, "µmol/L"))
        del stored.labs[0]
        book.save_patient(stored)
        new = list(book.audit.rows())[before:]
        assert sorted((r.table_name, r.action, r.field) for r in new) == [
            ("labs", "delete", None), ("labs", "insert", None), ("labs", "update", "value")]
        assert [lab.to_document() for lab in book.get_patient(patient.id).labs] == \
            [lab.to_document() for lab in stored.labs]


def test_an_id_is_one_record_across_a_document_and_the_logbook(logbook, example):
    doc = _course_document(example)
    second = copy.deepcopy(doc["patients"][0])
    second.update(id=str(uuid.uuid4()), mrn="HS-OTHER", procedures=[])
    doc["patients"].append(second)
    with pytest.raises(InvalidInputError) as twice:
        logbook.import_document(copy.deepcopy(doc))
    assert [(f.path, f.code) for f in twice.value.findings] == [("patients[1].labs[0].id", "duplicate_id")]
    doc["patients"].pop()
    logbook.import_document(copy.deepcopy(doc))
    second["labs"][0]["value"] = 41
    with pytest.raises(InvalidInputError) as moved:
        logbook.import_document({"format": "tace-log/2", "patients": [second]})
    [finding] = moved.value.findings
    assert (finding.path, finding.code) == ("patients[0].labs[0].id", "id_taken")
    assert "lab result of another patient" in finding.message


def test_the_course_around_a_signed_procedure_stays_editable_and_the_signature_holds(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "l.sqlite")
    with logbook:
        logbook.signing.sign(procedure.id, "chen", PASSWORD)
        stored = logbook.get_patient(patient.id)
        stored.labs = [_lab(20)]
        stored.death = Death(date=dt.date.today(), cause="unknown")
        logbook.save_patient(stored)
        check = logbook.signing.check(procedure.id)
        assert check.ok and check.changes == ()
        assert logbook.signing.verify().ok
        history = [r.table_name for r in logbook.audit.history(patient.id)]
        assert "labs" in history and "deaths" in history
        exported = interchange.export_document(logbook)
    with Logbook.open(tmp_path / "empty.sqlite") as empty:
        empty.import_document(copy.deepcopy(exported))
        assert interchange.export_document(empty) == exported


def test_an_id_less_course_imported_twice_neither_doubles_nor_rewrites(logbook, example):
    doc = _course_document(example)
    del doc["patients"][0]["labs"][0]["id"]
    doc["patients"][0]["labs"].append({"date": "2025-01-02", "test": "alb", "value": 40, "unit": "g/L"})  # twice
    logbook.import_document(copy.deepcopy(doc))
    first = [lab.id for lab in logbook.find_patient_by_mrn(doc["patients"][0]["mrn"]).labs]
    rows = len(list(logbook.audit.rows()))
    again = logbook.import_document(copy.deepcopy(doc))
    assert again.patients_unchanged == 1 and len(list(logbook.audit.rows())) == rows
    assert [lab.id for lab in logbook.find_patient_by_mrn(doc["patients"][0]["mrn"]).labs] == first
    assert len(set(first)) == 2
