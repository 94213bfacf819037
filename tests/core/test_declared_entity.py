"""An entity is declared once: a declaration and its migration are all a new entity needs (docs/adding-an-entity.md).

The throwaway entity here is declared and migrated at test time, through the same two extension points a shipped
one uses (`dictionary.declare`, a migration creating its tables with `migrations.audit_triggers`), and then goes
through every layer unnamed: the record classes, storage, the bulk import, the interchange format, validation, the
JSON Schema, the audit trail, finding paths and the CLI's `show`. A layer that named its entities would drop it.
"""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from tace_log import dictionary, interchange
from tace_log.cli import main
from tace_log.dictionary import MANY, Choice, Entity, Field, FieldType, MultiTable
from tace_log.errors import InvalidInputError
from tace_log.model import Patient, record_class
from tace_log.storage import Logbook, migrations

SCAN = Entity("scan", "Scan", "扫描", (
    Field("site", "Site", "部位", FieldType.TEXT, required=True),
    Field("size_mm", "Size", "大小", FieldType.NUMBER, unit="mm", reject_min=0, reject_max=300),
    Field("modality", "Modality", "方式", FieldType.CHOICE,
          choices=(Choice("ct", "CT", "CT"), Choice("mri", "MRI", "磁共振"))),
    Field("phases", "Phases", "期相", FieldType.MULTI_CHOICE,
          choices=(Choice("arterial", "arterial", "动脉期"), Choice("portal", "portal venous", "门脉期"),
                   Choice("delayed", "delayed", "延迟期"))),
), parent="patient", cardinality=MANY, document_key="scans", table="test_scans", positioned=True, own_id=True,
    multi_tables={"phases": MultiTable("test_scan_phases", "scan_id", "phase")})

_TABLES = [
    """CREATE TABLE test_scans (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        site TEXT NOT NULL,
        size_mm REAL,
        modality TEXT,
        UNIQUE (patient_id, position)
    )""",
    """CREATE TABLE test_scan_phases (
        scan_id TEXT NOT NULL REFERENCES test_scans(id) ON DELETE CASCADE,
        phase TEXT NOT NULL,
        PRIMARY KEY (scan_id, phase)
    )""",
]


def migrate_scans(db) -> None:
    for statement in [*_TABLES, *migrations.audit_triggers(SCAN)]:
        db.execute(statement)


@pytest.fixture
def scans():
    entity = dictionary.declare(SCAN)
    take_back = migrations.add("9001_test_scans", migrate_scans)
    yield entity
    take_back()
    dictionary.withdraw(entity)


def scan_patient() -> Patient:
    Scan = record_class(SCAN)
    return Patient(mrn="SC-1", name="Scan Patient", sex="F", birth_date=dt.date(1960, 5, 1), scans=[
        Scan(site="segment VI", size_mm=23.5, modality="ct", phases=["arterial", "delayed"]),
        Scan(site="segment VIII", modality="mri"),
    ])


def test_a_declared_entity_is_saved_read_and_audited(scans, tmp_path):
    with Logbook.open(tmp_path / "l.sqlite") as book:
        patient = scan_patient()
        assert book.save_patient(patient).changed
        stored = book.get_patient(patient.id)
        assert stored.to_document() == patient.to_document()
        assert [s.phases for s in stored.scans] == [["arterial", "delayed"], []]
        assert stored.scans[0].id == patient.scans[0].id  # records with their own id keep it

        patient.scans[0].phases = ["portal"]
        patient.scans.reverse()
        assert book.save_patient(patient).changed
        assert book.get_patient(patient.id).to_document() == patient.to_document()
        assert not book.save_patient(book.get_patient(patient.id)).changed

        trail = [row for row in book.audit.rows() if row.table_name.startswith("test_scan")]
        assert {row.parent_id for row in trail} == {patient.id}  # kept under the patient's history
        assert {(row.table_name, row.action) for row in trail} >= {
            ("test_scans", "insert"), ("test_scans", "delete"), ("test_scan_phases", "insert"),
            ("test_scan_phases", "delete")}
        assert book.audited_field("test_scans", "size_mm") is SCAN["size_mm"]
        assert book.audited_field("test_scan_phases", "phase") is SCAN["phases"]
        assert book.audit.verify().ok


def test_a_declared_entity_goes_through_export_and_import(scans, tmp_path):
    with Logbook.open(tmp_path / "first.sqlite") as book:
        book.save_patient(scan_patient())
        exported = interchange.export_document(book)
    assert [s["site"] for s in exported["patients"][0]["scans"]] == ["segment VI", "segment VIII"]
    jsonschema.validate(exported, interchange.json_schema())
    with Logbook.open(tmp_path / "second.sqlite") as book:  # empty: the bulk path
        summary = book.import_document(json.loads(json.dumps(exported)))
        assert summary.patients_added == 1
        assert interchange.export_document(book) == exported
        again = book.import_document(exported)  # known: compared, nothing changes
        assert again.patients_unchanged == 1


def test_a_declared_entity_is_validated_and_in_the_schema(scans, tmp_path):
    schema = interchange.json_schema()
    assert schema["$defs"]["patient"]["properties"]["scans"]["anyOf"][0]["items"] == {"$ref": "#/$defs/scan"}
    assert schema["$defs"]["scan"]["required"] == ["site"]
    doc = {"format": "tace-log/2", "patients": [{"mrn": "SC-2", "name": "Bad Scan", "scans": [
        {"site": "liver", "modality": "pet", "phases": ["arterial", "arterial"], "size_mm": 400, "colour": 1}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)
    with Logbook.open(tmp_path / "l.sqlite") as book, pytest.raises(InvalidInputError) as refused:
        book.import_document(doc)
    found = {(f.path, f.code) for f in refused.value.findings}
    assert found == {("patients[0].scans[0].modality", "choice"), ("patients[0].scans[0].phases", "duplicate"),
                     ("patients[0].scans[0].size_mm", "limit"), ("patients[0].scans[0].colour", "unknown_key")}
    assert dictionary.path_label("patients[0].scans[1].size_mm") == "Patient 1 · Scan 2 · Size"


def test_show_prints_a_declared_entity(scans, tmp_path, capsys):
    with Logbook.open(tmp_path / "l.sqlite") as book:
        book.save_patient(scan_patient())
    assert main(["--db", str(tmp_path / "l.sqlite"), "show", "SC-1"]) == 0
    out = capsys.readouterr().out
    assert "Scan: Site segment VI; Size 23.5 mm; Modality CT; Phases arterial, delayed" in out
    assert "Scan: Site segment VIII; Modality MRI" in out


def test_a_declared_entity_is_in_every_trial_export(scans, tmp_path):
    """CSV, REDCap and ODM walk the declarations: the scans appear in each with no code of their own."""
    from lxml import etree

    from tace_log import exports

    from .export_support import read_csv
    from .test_exports_odm import NS, XSD, problems

    with Logbook.open(tmp_path / "l.sqlite") as book:
        patient = scan_patient()
        book.save_patient(patient)
        for fmt in ("csv", "redcap"):
            exports.write(book, fmt, tmp_path / fmt)
        exports.write(book, "odm", tmp_path / "study.xml")
    scans_csv = read_csv(tmp_path / "csv" / "scans.csv")
    assert [(r["id"], r["patient_id"], r["position"], r["site"], r["size_mm"], r["phases"]) for r in scans_csv] == [
        (patient.scans[0].id, patient.id, "1", "segment VI", "23.5", "arterial; delayed"),
        (patient.scans[1].id, patient.id, "2", "segment VIII", "", "")]
    codebook = {r["column"]: r for r in read_csv(tmp_path / "csv" / "codebook.csv") if r["entity"] == "scan"}
    assert codebook["modality"]["choices_zh"] == "ct, CT | mri, 磁共振" and codebook["size_mm"]["unit"] == "mm"

    dictionary_rows = {r["Variable / Field Name"]: r for r in read_csv(tmp_path / "redcap" / "data_dictionary.csv")}
    assert dictionary_rows["scan_phases"]["Field Type"] == "checkbox"
    assert dictionary_rows["scan_size_mm"]["Text Validation Max"] == "300"
    assert dictionary_rows["scan_id"]["Form Name"] == "scan"
    assert "scan" in {r["form_name"] for r in read_csv(tmp_path / "redcap" / "repeating_forms.csv")}
    rows = [r for r in read_csv(tmp_path / "redcap" / "records.csv") if r["redcap_repeat_instrument"] == "scan"]
    assert [(r["redcap_repeat_instance"], r["scan_site"], r["scan_phases___arterial"]) for r in rows] == [
        ("1", "segment VI", "1"), ("2", "segment VIII", "0")]

    tree = etree.parse(str(tmp_path / "study.xml"))
    assert etree.XMLSchema(etree.parse(str(XSD))).validate(tree) and problems(tree) == []
    groups = tree.findall(".//odm:ItemGroupData[@ItemGroupOID='IG.SCAN']", NS)
    assert [g.get("ItemGroupRepeatKey") for g in groups] == ["1", "2"]
    site = groups[0].find("odm:ItemData[@ItemOID='IT.SCAN.SITE']", NS)
    assert site.get("Value") == "segment VI" and site.find("odm:AuditRecord", NS) is not None
    assert groups[0].find("odm:ItemData[@ItemOID='IT.SCAN.PHASES.DELAYED']", NS).get("Value") == "true"


def test_withdrawn_it_is_gone(scans):
    assert "scans" in Patient().to_document()
    dictionary.withdraw(SCAN)
    try:
        assert "scans" not in Patient().to_document()
        assert "scan" not in interchange.json_schema()["$defs"]
    finally:
        dictionary.declare(SCAN)


def test_the_declared_audit_triggers_are_the_shipped_ones_for_the_shipped_entities():
    """The helper a new entity's migration uses gives, for the shipped tables, what their migrations froze."""
    for entity in dictionary.entities():
        if entity.table is not None:
            for table, audited in migrations.audited_columns(entity).items():
                assert audited == migrations.AUDITED[table], table

