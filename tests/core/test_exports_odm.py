"""CDISC ODM 1.3.2 export: valid against the official XML Schema (the copy inside the odmlib wheel, offline), and
what the schema cannot check: every reference defined, repeat keys present and unique, each value valid for its
DataType and code list; an AuditRecord from the audit trail on each value, a Signature on the signed procedure."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import odmlib
import pytest
from lxml import etree

from tace_log import exports
from tace_log.cli import main

from .export_support import export_logbook

NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}
XSD = Path(odmlib.__file__).parent / "schemas" / "odm" / "1.3.2" / "ODM1-3-2.xsd"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    # its imports (xml.xsd, xmldsig-core-schema.xsd, xlink.xsd) sit beside it in the wheel: nothing is fetched
    assert {"ODM1-3-2-foundation.xsd", "xml.xsd", "xmldsig-core-schema.xsd"} <= {p.name for p in XSD.parent.iterdir()}
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(XSD), parser))


@pytest.fixture
def book(tmp_path):
    with export_logbook(tmp_path / "logbook.sqlite") as logbook:
        yield logbook


@pytest.fixture
def odm(book, tmp_path) -> etree._ElementTree:
    exports.write(book, "odm", tmp_path / "study.xml", batch=1)
    return etree.parse(str(tmp_path / "study.xml"))


def _all(tree, path: str) -> list:
    return tree.findall(path, NS) if hasattr(tree, "findall") else []


def _defined(tree, element: str) -> dict[str, etree._Element]:
    return {e.get("OID"): e for e in tree.iter(f"{{{NS['odm']}}}{element}")}


def _valid(data_type: str, value: str, length: str | None) -> bool:
    try:
        if data_type == "integer":
            return re.fullmatch(r"-?\d+", value) is not None
        if data_type == "float":
            float(value)
            return re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", value) is not None
        if data_type == "date":
            return dt.date.fromisoformat(value).isoformat() == value
        if data_type == "partialTime":
            return re.fullmatch(r"([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d)?)?", value) is not None
        if data_type == "boolean":
            return value in ("true", "false")
        return data_type == "text" and (length is None or len(value) <= int(length))
    except ValueError:
        return False


def problems(tree) -> list[str]:
    """What the schema does not check (exchange-reference §2.4): references, repeat keys, values."""
    found = []
    items, groups = _defined(tree, "ItemDef"), _defined(tree, "ItemGroupDef")
    forms, events, lists = _defined(tree, "FormDef"), _defined(tree, "StudyEventDef"), _defined(tree, "CodeList")
    units, users = _defined(tree, "MeasurementUnit"), _defined(tree, "User")
    meanings, locations = _defined(tree, "SignatureDef"), _defined(tree, "Location")
    refs = {"ItemRef": ("ItemOID", items), "ItemGroupRef": ("ItemGroupOID", groups), "FormRef": ("FormOID", forms),
            "StudyEventRef": ("StudyEventOID", events), "CodeListRef": ("CodeListOID", lists),
            "MeasurementUnitRef": ("MeasurementUnitOID", units), "UserRef": ("UserOID", users),
            "SignatureRef": ("SignatureOID", meanings), "LocationRef": ("LocationOID", locations),
            "ItemData": ("ItemOID", items), "ItemGroupData": ("ItemGroupOID", groups),
            "FormData": ("FormOID", forms), "StudyEventData": ("StudyEventOID", events)}
    for tag, (attribute, defined) in refs.items():
        for e in tree.iter(f"{{{NS['odm']}}}{tag}"):
            if e.get(attribute) not in defined:
                found.append(f"{tag} {attribute}={e.get(attribute)} is not defined")
    for subject in _all(tree, ".//odm:SubjectData"):
        keys = []
        for event in _all(subject, "odm:StudyEventData"):
            definition = events.get(event.get("StudyEventOID"))
            if definition is not None and definition.get("Repeating") == "Yes":
                keys.append((event.get("StudyEventOID"), event.get("StudyEventRepeatKey")))
                if event.get("StudyEventRepeatKey") is None:
                    found.append(f"{subject.get('SubjectKey')}: {event.get('StudyEventOID')} without a repeat key")
            for form in _all(event, "odm:FormData"):
                group_keys = []
                for group in _all(form, "odm:ItemGroupData"):
                    definition = groups.get(group.get("ItemGroupOID"))
                    if definition is None:
                        continue
                    key = group.get("ItemGroupRepeatKey")
                    if definition.get("Repeating") == "Yes":
                        if key is None:
                            found.append(f"{group.get('ItemGroupOID')} repeats without a repeat key")
                        group_keys.append((group.get("ItemGroupOID"), key))
                    allowed = {r.get("ItemOID") for r in _all(definition, "odm:ItemRef")}
                    for data in _all(group, "odm:ItemData"):
                        oid, value = data.get("ItemOID"), data.get("Value")
                        if oid not in allowed:
                            found.append(f"{oid} is not an item of {group.get('ItemGroupOID')}")
                        item = items.get(oid)
                        if item is None:
                            continue
                        if not _valid(item.get("DataType"), value, item.get("Length")):
                            found.append(f"{oid}: {value!r} is not a valid {item.get('DataType')}")
                        code_ref = item.find("odm:CodeListRef", NS)
                        if code_ref is not None:
                            codes = {c.get("CodedValue") for c in
                                     _all(lists[code_ref.get("CodeListOID")], "odm:CodeListItem")}
                            if value not in codes:
                                found.append(f"{oid}: {value!r} is not in its code list")
                if len(set(group_keys)) != len(group_keys):
                    found.append(f"{subject.get('SubjectKey')}: an item group repeat key is given twice")
        if len(set(keys)) != len(keys):
            found.append(f"{subject.get('SubjectKey')}: a study event repeat key is given twice")
    return found


def test_the_export_is_valid_against_the_odm_1_3_2_schema(odm, schema):
    assert schema.validate(odm), schema.error_log
    root = odm.getroot()
    assert root.get("ODMVersion") == "1.3.2" and root.get("FileType") == "Snapshot"


def test_what_the_schema_cannot_check_holds(odm):
    assert problems(odm) == []
    subjects = odm.findall(".//odm:SubjectData", NS)
    assert len(subjects) == 2
    labs = subjects[0].findall(".//odm:ItemGroupData[@ItemGroupOID='IG.LAB']", NS)
    assert sorted(g.get("ItemGroupRepeatKey") for g in labs) == ["1", "2", "3", "4"]
    procedure = subjects[0].find("odm:StudyEventData[@StudyEventOID='SE.PROCEDURE']", NS)
    assert procedure.get("StudyEventRepeatKey") == "1"
    agents = procedure.findall(".//odm:ItemGroupData[@ItemGroupOID='IG.AGENT']", NS)
    assert [g.get("ItemGroupRepeatKey") for g in agents] == ["1001", "1002", "1003"]


def test_text_comes_back_as_it_was_written(odm, book):
    """Quotes, ampersands, angle brackets, tabs and line breaks in values are escaped, and read back the same."""
    second = odm.findall(".//odm:SubjectData", NS)[1]
    patient = book.find_patient_by_mrn("ZS-2025-0113")
    assert second.find(".//odm:ItemData[@ItemOID='IT.PATIENT.NAME']", NS).get("Value") == patient.name
    findings = second.find(".//odm:ItemData[@ItemOID='IT.PROCEDURE.FINDINGS']", NS).get("Value")
    assert findings == book.procedures_of(patient.id)[0].findings and "\n" in findings and "\t" in findings


def test_the_checks_catch_what_the_schema_lets_through(odm, schema):
    """A wrong file the schema accepts (exchange-reference §2.4): the checks above name each fault."""
    lab = odm.find(".//odm:ItemGroupData[@ItemGroupOID='IG.LAB']", NS)
    del lab.attrib["ItemGroupRepeatKey"]
    odm.find(".//odm:ItemData[@ItemOID='IT.LAB.DATE']", NS).set("Value", "2026-13-29")
    odm.find(".//odm:ItemData[@ItemOID='IT.LAB.TEST']", NS).set("ItemOID", "IT.NOPE")
    assert schema.validate(odm)
    found = problems(odm)
    assert "IG.LAB repeats without a repeat key" in found
    assert "IT.LAB.DATE: '2026-13-29' is not a valid date" in found
    assert "ItemData ItemOID=IT.NOPE is not defined" in found


def test_items_have_types_lengths_units_ranges_and_bilingual_code_lists(odm):
    items = _defined(odm, "ItemDef")
    dap = items["IT.PROCEDURE.DAP_GYCM2"]
    assert dap.get("DataType") == "float"
    unit = dap.find("odm:MeasurementUnitRef", NS).get("MeasurementUnitOID")
    symbol = _defined(odm, "MeasurementUnit")[unit].find("odm:Symbol/odm:TranslatedText", NS)
    assert symbol.text == "Gy·cm²"
    assert [(r.get("Comparator"), r.find("odm:CheckValue", NS).text) for r in dap.findall("odm:RangeCheck", NS)] \
        == [("GE", "0"), ("LE", "5000")]
    assert items["IT.PATIENT.NAME"].get("Length") == "200"
    assert items["IT.PROCEDURE.START_TIME"].get("DataType") == "partialTime"
    assert odm.find(".//odm:ItemData[@ItemOID='IT.PROCEDURE.START_TIME']", NS).get("Value") == "09:05"
    question = {t.get(LANG): t.text for t in items["IT.PROCEDURE.TUMOR_STAINING"].findall(".//odm:TranslatedText",
                                                                                             NS)}
    assert question == {"en": "Tumour staining", "zh": "肿瘤染色"}
    code_list = _defined(odm, "CodeList")["CL.PROCEDURE.TUMOR_STAINING"]
    decodes = {(c.get("CodedValue"), t.get(LANG)): t.text for c in code_list.findall("odm:CodeListItem", NS)
               for t in c.findall(".//odm:TranslatedText", NS)}
    assert decodes["present", "zh"] == "有" and decodes["equivocal", "en"] == "equivocal"
    assert items["IT.PROCEDURE.STAINED_SEGMENTS.VII"].get("DataType") == "boolean"
    assert _defined(odm, "ItemGroupDef")["IG.AGENT"].get("Repeating") == "Yes"
    assert _defined(odm, "ItemGroupDef")["IG.PATHOLOGY"].get("Repeating") == "No"


def test_each_value_carries_the_audit_row_that_wrote_it(odm):
    users = {u.get("OID"): u.find("odm:LoginName", NS).text for u in odm.iter(f"{{{NS['odm']}}}User")}
    first = odm.find(".//odm:SubjectData", NS)
    edited = [d for d in first.iterfind(".//odm:ItemData[@ItemOID='IT.LAB.VALUE']", NS) if d.get("Value") == "40"]
    record = edited[0].find("odm:AuditRecord", NS)
    assert "(update)" in record.find("odm:SourceID", NS).text
    assert users[record.find("odm:UserRef", NS).get("UserOID")].startswith("os:")
    assert record.find("odm:DateTimeStamp", NS).text.endswith("Z")
    # the screening was saved by writing its row again: the changed value has that write, the others their first
    changed, kept = (_source(first, "IT.SCREENING.ECOG"), _source(first, "IT.SCREENING.ASA"))
    assert changed[0] > kept[0] and changed[1] == kept[1] == "insert"
    assert kept[0] < _source(first, "IT.LAB.DATE")[0]  # written with the import, before the labs
    staining = first.find(".//odm:ItemData[@ItemOID='IT.PROCEDURE.TUMOR_STAINING']", NS)
    assert "(insert)" in staining.find("odm:AuditRecord/odm:SourceID", NS).text
    segment = first.find(".//odm:ItemData[@ItemOID='IT.PROCEDURE.STAINED_SEGMENTS.VI']", NS)
    assert segment.get("Value") == "true" and segment.find("odm:AuditRecord", NS) is not None
    agent = first.find(".//odm:ItemData[@ItemOID='IT.AGENT.DOSE']", NS)
    assert agent.find("odm:AuditRecord", NS) is not None
    values = list(odm.iter(f"{{{NS['odm']}}}ItemData"))
    # every value but a choice never chosen (no row of the trail wrote it)
    assert all(d.find("odm:AuditRecord", NS) is not None for d in values if d.get("Value") != "false")
    assert segment.find("odm:AuditRecord", NS) is not None


def _source(subject, oid: str) -> tuple[int, str]:
    """(audit row, action) of the AuditRecord of an item's first value in a subject."""
    text = subject.find(f".//odm:ItemData[@ItemOID='{oid}']/odm:AuditRecord/odm:SourceID", NS).text
    seq, action = re.match(r"audit row (\d+) \((\w+)\)", text).groups()
    return int(seq), action


def test_the_signed_procedure_carries_its_signature(odm, book):
    signatures = list(odm.iter(f"{{{NS['odm']}}}Signature"))
    assert len(signatures) == 1
    signature = signatures[0]
    definition = _defined(odm, "SignatureDef")[signature.find("odm:SignatureRef", NS).get("SignatureOID")]
    assert definition.find("odm:Meaning", NS).text == "reviewed and signed by"
    user = _defined(odm, "User")[signature.find("odm:UserRef", NS).get("UserOID")]
    assert user.find("odm:LoginName", NS).text == "chen" and user.find("odm:FullName", NS).text == "陈伟 Chen Wei"
    patient = book.find_patient_by_mrn("HS-2024-0007")
    stored = book.signing.signature_of(book.procedures_of(patient.id)[0].id)
    assert signature.find("odm:DateTimeStamp", NS).text == stored.signed_at


def test_the_command_writes_the_file(book, tmp_path, schema):
    book.close()
    assert main(["--db", str(tmp_path / "logbook.sqlite"), "export", "--format", "odm", "-o",
                 str(tmp_path / "cli.xml")]) == 0
    assert schema.validate(etree.parse(str(tmp_path / "cli.xml")))


def test_a_list_saved_again_keeps_when_each_value_last_changed(book, tmp_path):
    """Saving a procedure writes its agents and segments again: a value that did not change keeps its first row."""
    patient = book.find_patient_by_mrn("ZS-2025-0113")
    procedure = book.procedures_of(patient.id)[0]
    procedure.agents[1].dose = 6
    procedure.stained_segments = [*procedure.stained_segments, "VIII"]
    before = max(row.seq for row in book.audit.rows())
    book.save_procedure(procedure)
    assert max(row.seq for row in book.audit.rows()) > before
    exports.write(book, "odm", tmp_path / "after.xml")
    second = etree.parse(str(tmp_path / "after.xml")).findall(".//odm:SubjectData", NS)[1]
    doses = [_seq(d) for d in second.iterfind(".//odm:ItemData[@ItemOID='IT.AGENT.DOSE']", NS)]
    assert doses[0] < before and doses[1] > before and doses[2] < before
    units = [_seq(d) for d in second.iterfind(".//odm:ItemData[@ItemOID='IT.AGENT.UNIT']", NS)]
    assert all(seq < before for seq in units)
    segments = {d.get("ItemOID").rsplit(".", 1)[1]: _seq(d) for d in
                second.iterfind(".//odm:ItemData[@Value='true']", NS) if ".STAINED_SEGMENTS." in d.get("ItemOID")}
    assert segments["VIII"] > before and all(seq < before for key, seq in segments.items() if key != "VIII")


def _seq(item) -> int:
    return int(re.match(r"audit row (\d+)", item.find("odm:AuditRecord/odm:SourceID", NS).text).group(1))
