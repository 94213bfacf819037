"""A value recorded where it does not apply (`applies_when`: stained lesions with no stain) is refused on every
path: the Logbook's saves, `import` and `validate`. A record stored before the rule still exports, and does not
block its patient's other saves; it is refused when it is itself saved again, until one of the two is corrected."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from tace_log.cli import main
from tace_log.errors import InvalidInputError
from tace_log.model import AgentDose, Patient, Procedure
from tace_log.storage import Logbook
from tace_log.validation import Validator
from tests.core.signing_support import PASSWORD

LESIONS = "Stained lesions is recorded only when tumour staining is present or equivocal (it is absent)"


def unstained(patient: Patient, **values) -> Procedure:
    """A procedure with no stain that still records 3 stained lesions (and whatever else is given)."""
    values = {"date": dt.date(2025, 2, 3), "tumor_staining": "absent", "embolization": "prophylactic_embolization",
              "lesion_count": 3, "impression": "Prophylactic embolization.", **values}
    return Procedure(patient_id=patient.id, agents=[AgentDose(agent="lipiodol", dose=5, unit="mL")], **values)


def patient() -> Patient:
    return Patient(mrn="M0001", name="张伟", resection_date=dt.date(2025, 1, 6))


def test_save_procedure_refuses_lesions_without_a_stain_and_writes_nothing(logbook):
    someone = patient()
    logbook.save_patient(someone)
    procedure = unstained(someone, largest_lesion_mm=12, stained_segments=["VI"])
    with pytest.raises(InvalidInputError) as refused:
        logbook.save_procedure(procedure)
    assert {str(f) for f in refused.value.findings if f.code == "not_applicable"} >= {
        f"lesion_count: {LESIONS}: clear it, or correct tumour staining"}
    assert {f.path for f in refused.value.findings if f.code == "not_applicable"} == {
        "lesion_count", "largest_lesion_mm", "stained_segments"}
    assert logbook.counts()["procedures"] == 0
    procedure.lesion_count = procedure.largest_lesion_mm = None
    procedure.stained_segments = []
    assert logbook.save_procedure(procedure).changed  # corrected, it saves


def test_save_entry_refuses_them_and_leaves_no_half_new_patient(logbook):
    someone = patient()
    with pytest.raises(InvalidInputError) as refused:
        logbook.save_entry(someone, unstained(someone))
    assert f"procedure.lesion_count: {LESIONS}" in str(refused.value)
    assert logbook.counts() == {"patients": 0, "procedures": 0, "agent_doses": 0, "complications": 0}


def test_an_equivocal_stain_records_its_lesions(logbook):
    someone = patient()
    assert logbook.save_entry(someone, unstained(someone, tumor_staining="equivocal")).changed


@pytest.mark.parametrize("command", ["validate", "import"])
def test_import_and_validate_exit_2_naming_the_path(tmp_path, example, command, capsys):
    example["patients"][0]["procedures"][0].update(tumor_staining="absent", stained_segments=[])
    document = tmp_path / "doc.json"
    document.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "logbook.sqlite"
    assert main(["--db", str(db), command, str(document)]) == 2
    said = "".join(capsys.readouterr())  # validate lists findings on stdout, import on stderr
    assert f"patients[0].procedures[0].lesion_count: {LESIONS}" in said
    assert "patients[0].procedures[0].largest_lesion_mm: Largest lesion is recorded only when" in said
    assert not db.exists()  # nothing written, not even an empty logbook


# -- what was stored before the rule -----------------------------------------------------------------------
class EarlierRules(Validator):
    """The rules of an earlier version, which saved a value where it did not apply (the form only disabled it)."""

    def _applies(self, entity, f, doc, path, out):
        return None


@pytest.fixture
def stored_before_the_rule(tmp_path) -> tuple[Path, Patient, Procedure, Procedure]:
    """A logbook holding a signed procedure and a draft, each with 3 stained lesions and no stain."""
    path = tmp_path / "older.sqlite"
    with Logbook.open(path, validator=EarlierRules()) as logbook:
        logbook.users.add("chen", "陈伟 Chen Wei", "radiologist", PASSWORD)
        someone = patient()
        logbook.save_patient(someone)
        signed = unstained(someone, operator="Chen Wei")
        draft = unstained(someone, date=dt.date(2025, 3, 3), cycle=2, stained_segments=["VI"])
        logbook.save_procedure(signed)
        logbook.save_procedure(draft)
        logbook.signing.sign(signed.id, "chen", PASSWORD, acknowledge_warnings=True)
    as_before_migration_0006(path)
    return path, someone, signed, draft


def as_before_migration_0006(path: Path) -> None:
    """The logbook as a version without migration 0006 left it: the migration not yet applied."""
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("DELETE FROM _sqlite_migrations WHERE name = '0006_clear_values_not_applying'")
        connection.execute("PRAGMA user_version = 5")
    connection.close()


def test_a_record_stored_before_the_rule_still_exports_as_stored(stored_before_the_rule, tmp_path):
    path, _someone, signed, _draft = stored_before_the_rule
    exported = tmp_path / "export.json"
    assert main(["--db", str(path), "export", "-o", str(exported)]) == 0
    procedures = json.loads(exported.read_text(encoding="utf-8"))["patients"][0]["procedures"]
    assert [p["lesion_count"] for p in procedures if p["id"] == signed.id] == [3]


def test_it_does_not_block_its_patients_other_saves(stored_before_the_rule):
    path, someone, _signed, _draft = stored_before_the_rule
    with Logbook.open(path) as logbook:
        someone.weight_kg = 61
        assert logbook.save_patient(someone).changed
        cycle3 = Procedure(patient_id=someone.id, date=dt.date(2025, 4, 3), cycle=3, tumor_staining="absent",
                           embolization="prophylactic_embolization")
        saved = logbook.save_entry(someone, cycle3)
        assert saved.changed and not [f for f in saved.findings if f.code == "not_applicable"]


def test_the_upgrade_clears_the_drafts_value_audited_with_its_reason_and_keeps_the_signed_one(
        stored_before_the_rule):
    """Migration 0006 does what the form does when the stain is set to absent, for every unsigned procedure, each
    change in the audit trail with its reason; a signed record is as it was signed."""
    from tace_log.storage.migrations import CLEARED_0006

    path, _someone, signed, draft = stored_before_the_rule
    with Logbook.open(path) as logbook:
        cleared = logbook.get_procedure(draft.id)
        assert (cleared.lesion_count, cleared.largest_lesion_mm, cleared.stained_segments) == (None, None, [])
        assert logbook.get_procedure(signed.id).lesion_count == 3 and logbook.signing.intact(signed.id)
        changes = [row for row in logbook.audit.history(draft.id) if row.reason == CLEARED_0006]
        assert {(row.table_name, row.action, row.field, row.old_value) for row in changes} == {
            ("procedures", "update", "lesion_count", 3), ("procedure_segments", "delete", "segment", "VI")}
        assert not [row for row in logbook.audit.history(signed.id) if row.reason == CLEARED_0006]
        assert logbook.audit.verify().ok
        cleared.contrast_ml = 80
        assert logbook.save_procedure(cleared).changed  # nothing left to refuse


def test_its_export_imports_into_an_empty_logbook_the_signed_one_flagged_the_draft_cleared(
        stored_before_the_rule, tmp_path, capsys):
    """The contract's compatibility rule: a logbook's own export always imports. The signed record imports as signed,
    the value a later rule refuses kept and named in a warning; the draft's was cleared when the logbook was upgraded
    (migration 0006, below), so its export holds none."""
    path, _someone, signed, draft = stored_before_the_rule
    exported = tmp_path / "export.json"
    assert main(["--db", str(path), "export", "-o", str(exported)]) == 0
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "new.sqlite"), "import", str(exported)]) == 0
    assert f"lesion_count: {LESIONS}" in "".join(capsys.readouterr())
    with Logbook.open(tmp_path / "new.sqlite") as imported:
        assert imported.get_procedure(signed.id).lesion_count == 3
        assert imported.signing.intact(signed.id)
        assert imported.get_procedure(draft.id).lesion_count is None


def test_an_unsigned_document_with_the_value_is_still_refused(stored_before_the_rule, tmp_path, capsys):
    """Without a signature, a record in a document is new input: the rule holds."""
    path, _someone, _signed, _draft = stored_before_the_rule
    exported = tmp_path / "export.json"
    assert main(["--db", str(path), "export", "-o", str(exported)]) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    for procedure in document["patients"][0]["procedures"]:
        procedure.pop("signature", None)
        procedure.pop("addenda", None)
        procedure["lesion_count"] = 3
    exported.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "new.sqlite"), "import", str(exported)]) == 2
    assert f"patients[0].procedures[0].lesion_count: {LESIONS}" in capsys.readouterr().err
