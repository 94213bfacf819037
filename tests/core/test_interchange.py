"""The tace-log/1 and /2 formats: all-or-nothing import, idempotent by id (signatures and addenda too), every key
exported, the schemas shipped."""

import base64
import copy
import datetime as dt
import hashlib
import json
import uuid

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tace_log import interchange
from tace_log.dictionary import AGENT, COMPLICATION, COURSE, MEDICATION, PATHOLOGY, PATIENT, PROCEDURE, FieldType
from tace_log.envelope import check_document
from tace_log.errors import InvalidInputError
from tace_log.findings import errors
from tace_log.model import Patient, Procedure
from tace_log.resources import resource
from tace_log.signing import (
    MEANING,
    addendum_sha256,
    content_v1,
    entered_in_error_sha256,
    sign,
    signature_document,
)
from tace_log.storage import Logbook

from ..course_strategies import courses, identifier, line, optional, text
from ..image_samples import angiogram, jpeg
from .conftest import TODAY
from .course_example import with_course


def test_the_example_imports_and_exports_every_key(logbook, example):
    summary = logbook.import_document(example)
    assert (summary.patients_added, summary.procedures_added) == (1, 1)
    out = interchange.export_document(logbook)
    patient = out["patients"][0]
    assert set(patient) == {"id", *PATIENT.keys, "pathology", "procedures", *(e.document_key for e in COURSE)}
    assert set(patient["pathology"]) == set(PATHOLOGY.keys)
    proc = patient["procedures"][0]
    assert set(proc) == {"id", *PROCEDURE.keys, "agents", "medications", "complications", "key_images",
                         "signature", "addenda", "entered_in_error"}
    assert (proc["signature"], proc["addenda"], proc["entered_in_error"], out["format"]) == (
        None, [], None, "tace-log/2")  # a draft
    assert set(proc["agents"][0]) == set(AGENT.keys)
    assert proc["agents"][0]["lot"] is None  # not recorded is written as null
    uuid.UUID(patient["id"]), uuid.UUID(proc["id"])
    assert patient["name"] == "林晓明" and proc["stained_segments"] == ["VI", "VII"]


def test_import_is_idempotent_by_id(logbook, example):
    logbook.import_document(example)
    exported = interchange.export_document(logbook)
    again = logbook.import_document(copy.deepcopy(exported))
    assert (again.patients_added, again.patients_updated, again.procedures_added, again.procedures_updated) == \
        (0, 0, 0, 0)
    assert interchange.export_document(logbook) == exported


def test_importing_the_same_id_less_file_twice_adds_nothing(logbook, example):
    logbook.import_document(copy.deepcopy(example))
    second = logbook.import_document(copy.deepcopy(example))
    assert (second.patients_unchanged, second.procedures_unchanged, second.procedures_added) == (1, 1, 0)
    assert logbook.counts()["procedures"] == 1


def test_an_import_with_an_id_updates_that_record(logbook, example):
    logbook.import_document(example)
    exported = interchange.export_document(logbook)
    exported["patients"][0]["procedures"][0]["findings"] = "Revised."
    summary = logbook.import_document(exported)
    assert summary.procedures_updated == 1
    proc_id = exported["patients"][0]["procedures"][0]["id"]
    assert logbook.get_procedure(proc_id).findings == "Revised."


def test_one_bad_record_deep_inside_writes_nothing(logbook, example):
    base = example["patients"][0]
    example["patients"] = []
    for i in range(5):
        p = copy.deepcopy(base)
        p["mrn"] = f"HS-{i}"
        p["procedures"] = [copy.deepcopy(base["procedures"][0]) for _ in range(3)]
        example["patients"].append(p)
    example["patients"][3]["procedures"][2]["agents"][1]["dose"] = -5
    with pytest.raises(InvalidInputError) as raised:
        logbook.import_document(example)
    assert any(str(f) == "patients[3].procedures[2].agents[1].dose: must be > 0" for f in raised.value.findings)
    assert "nothing imported" in str(raised.value)
    assert logbook.counts() == {"patients": 0, "procedures": 0, "agent_doses": 0, "complications": 0}


def test_an_mrn_held_by_another_patient_is_refused(logbook, example):
    logbook.import_document(copy.deepcopy(example))
    example["patients"][0]["id"] = str(uuid.uuid4())
    with pytest.raises(InvalidInputError) as raised:
        logbook.import_document(example)
    assert [str(f) for f in raised.value.findings] == [
        "patients[0].mrn: MRN 'HS-2024-0007' already belongs to another patient in the logbook"]


def test_invalid_json_is_reported_with_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "tace-log/1",\n "patients": [}\n')
    with pytest.raises(InvalidInputError) as raised:
        interchange.read_file(path)
    assert "line 2, column" in str(raised.value)


# -- the JSON Schema ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["tace-log/1", "tace-log/2"])
def test_the_shipped_schema_is_the_one_the_dictionary_generates(version):
    name = f"tace-log-{version[-1]}.schema.json"
    shipped = json.loads(resource("schema", name).read_text(encoding="utf-8"))
    assert shipped == interchange.json_schema(version=version)


def test_the_schemas_accept_the_example_and_our_exports(logbook, example):
    old, new = interchange.json_schema(version="tace-log/1"), interchange.json_schema()
    for schema in (old, new):
        jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(example, old)
    jsonschema.validate({**example, "format": "tace-log/2"}, new)
    logbook.import_document(example)
    jsonschema.validate(interchange.export_document(logbook), new)


@pytest.mark.parametrize("change", [
    lambda d: d["patients"][0].update(sex="X"),
    lambda d: d["patients"][0].update(unknown=1),
    lambda d: d["patients"][0]["procedures"][0]["agents"][0].update(dose=0),
    lambda d: d["patients"][0]["procedures"][0].pop("embolization"),
    lambda d: d["patients"][0]["procedures"][0].update(stained_segments=["IX"]),
])
def test_the_schema_refuses_what_the_validator_refuses(validator, example, change):
    change(example)
    assert errors(check_document(example, validator))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(example, interchange.json_schema(version="tace-log/1"))


# -- property: export then import is the identity ------------------------------------------------------------
names = st.one_of(st.sampled_from(["张伟", "欧阳娜娜", "李娜", "Wang Fang", "O'Neil", "林晓明"]), line.filter(bool))
past = st.dates(min_value=TODAY.replace(year=2020), max_value=TODAY)


@st.composite
def agents(draw):
    key = draw(st.sampled_from(["epirubicin", "lipiodol", "oxaliplatin", "gelatin_sponge", "pva_particles"]))
    row = {"agent": key, "lot": draw(optional(identifier))}
    if key in ("gelatin_sponge", "pva_particles"):
        low = draw(st.integers(50, 700))
        row.update(dose=draw(st.sampled_from([0.5, 1, 2])), unit=draw(st.sampled_from(["vial", "mL"])),
                   particle_min_um=low, particle_max_um=low + draw(st.integers(1, 700)))
    else:
        row.update(dose=draw(st.floats(0.5, 20).map(lambda x: round(x, 1))),
                   unit="mL" if key == "lipiodol" else "mg", particle_min_um=None, particle_max_um=None)
    return row


@st.composite
def procedures(draw, resection):
    staining = draw(st.sampled_from(["present", "absent", "equivocal"]))
    segments = draw(st.lists(st.sampled_from(PROCEDURE["stained_segments"].choice_keys), unique=True,
                             min_size=1 if staining == "present" else 0, max_size=4 if staining == "present" else 0))
    return {
        "id": str(draw(st.uuids())),
        "date": draw(st.dates(min_value=resection, max_value=TODAY)).isoformat(),
        "cycle": draw(optional(st.integers(1, 10))),
        "intent": draw(optional(st.sampled_from(PROCEDURE["intent"].choice_keys))),
        "operator": draw(optional(names)),
        "access_site": draw(optional(st.sampled_from(PROCEDURE["access_site"].choice_keys))),
        "microcatheter": draw(optional(line)),
        "tumor_staining": staining,
        "stained_segments": segments,
        "lesion_count": draw(optional(st.integers(0, 50))) if staining != "absent" else None,
        "largest_lesion_mm": draw(optional(st.floats(0, 200, allow_nan=False))) if staining != "absent" else None,
        "stain_interpretation": draw(optional(st.sampled_from(PROCEDURE["stain_interpretation"].choice_keys)))
        if staining != "absent" else None,
        "embolization": draw(st.sampled_from(PROCEDURE["embolization"].choice_keys)),
        "selectivity": draw(optional(st.sampled_from(PROCEDURE["selectivity"].choice_keys))),
        "target_vessels": draw(optional(line)),
        "agents": draw(st.lists(agents(), max_size=4)),
        "endpoint": draw(optional(st.sampled_from(PROCEDURE["endpoint"].choice_keys))),
        "technical_success": draw(optional(st.sampled_from(PROCEDURE["technical_success"].choice_keys))),
        "contrast_ml": draw(optional(st.floats(0, 600, allow_nan=False))),
        "fluoroscopy_min": draw(optional(st.floats(0, 300, allow_nan=False))),
        "dap_gycm2": draw(optional(st.floats(0, 5000, allow_nan=False))),
        "air_kerma_mgy": draw(optional(st.integers(0, 30000))),
        "complications": draw(st.lists(st.fixed_dictionaries({
            "term": names, "ctcae_grade": optional(st.integers(1, 5)),
            "sir_class": optional(st.sampled_from(COMPLICATION["sir_class"].choice_keys)),
            "management": optional(line)}), max_size=2)),
        "findings": draw(optional(text)),
        "impression": draw(optional(text)),
        **draw(angiography_details()),
    }


@st.composite
def angiography_details(draw):
    """The angiography record's details (issue 20), each optional, by its field's type and limits."""
    out = {}
    for f in PROCEDURE.fields:
        if f.since < 2 or f.key in ("intent", "stain_interpretation"):
            continue
        if f.type is FieldType.CHOICE:
            value = st.sampled_from(f.choice_keys)
        elif f.type is FieldType.BOOL:
            value = st.booleans()
        elif f.type is FieldType.TIME:
            value = st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]:02d}:{t[1]:02d}")
        elif f.type is FieldType.NUMBER:
            value = st.floats(f.reject_min, f.reject_max, allow_nan=False)
        elif f.type is FieldType.INT:
            value = st.integers(int(f.reject_min), int(f.reject_max))
        else:
            value = text if f.type is FieldType.LONG_TEXT else line
        out[f.key] = draw(optional(value))
    if out["closure"] != "closure_device":
        out["closure_device"] = None
    if out["start_time"] and out["end_time"] and out["end_time"] < out["start_time"]:
        out["start_time"], out["end_time"] = out["end_time"], out["start_time"]
    out["key_images"] = [{"caption": draw(optional(line)), "media_type": kind, "sha256": sha256}
                         for sha256, kind in draw(st.lists(st.sampled_from(sorted(KEY_IMAGES.items())), max_size=2))]
    out["medications"] = draw(st.lists(st.fixed_dictionaries({
        "drug": line.filter(bool), "dose": optional(st.floats(0, 500, allow_nan=False)), "unit": optional(line),
        "route": optional(st.sampled_from(MEDICATION["route"].choice_keys))}), max_size=2))
    return out


# Real images, a PNG and a JPEG, by SHA-256 -> media type; a document carries the ones its records name.
KEY_IMAGE_BYTES = {hashlib.sha256(data).hexdigest(): (data, kind) for data, kind in ((angiogram(), "png"),
                                                                                      (jpeg(), "jpeg"))}
KEY_IMAGES = {sha256: kind for sha256, (_, kind) in KEY_IMAGE_BYTES.items()}


@st.composite
def documents(draw):
    patients = []
    for i in range(draw(st.integers(0, 3))):
        resection = draw(past)
        arm = draw(optional(st.sampled_from(["lenvatinib", "lenvatinib_tace"])))
        procs = draw(st.lists(procedures(resection), max_size=3))
        patients.append({
            "id": str(draw(st.uuids())),
            "mrn": f"HS-{i}-{draw(st.integers(0, 10**6))}",
            "name": draw(names),
            "sex": draw(optional(st.sampled_from(["M", "F"]))),
            # 75 and 18 years before, by days: a resection on 29 February has no such day in most years
            "birth_date": draw(optional(st.dates(min_value=resection - dt.timedelta(days=75 * 365),
                                                 max_value=resection - dt.timedelta(days=18 * 366)))
                               .map(lambda d: d and d.isoformat())),
            "weight_kg": draw(optional(st.floats(30, 200, allow_nan=False))),
            "height_cm": draw(optional(st.integers(100, 230))),
            "arm": arm,
            "study_id": draw(optional(identifier)),
            "resection_date": resection.isoformat(),
            "resection_margin": draw(optional(st.sampled_from(["R0", "R1", "R2"]))),
            "pathology": {
                "mvi": draw(optional(st.sampled_from(["M0", "M1", "M2"]))),
                "tumor_count": draw(optional(st.integers(1, 50))),
                "max_diameter_cm": draw(optional(st.floats(0.1, 40, allow_nan=False))),
                "capsule": draw(optional(st.sampled_from(["complete", "incomplete", "absent"]))),
                "margin_clear": draw(optional(st.booleans())),
                "thrombus": draw(st.lists(st.sampled_from(["portal_vein", "hepatic_vein", "bile_duct"]),
                                          unique=True)),
                "rupture": draw(optional(st.booleans())),
                "adjacent_invasion": draw(optional(st.booleans())),
                "hcc_confirmed": draw(optional(st.booleans())),
            },
            "procedures": procs,
            **draw(courses(resection, arm, [dt.date.fromisoformat(p["date"]) for p in procs])),
        })
        for procedure in patients[-1]["procedures"]:
            procedure.update(signature=None, addenda=[], entered_in_error=None)
            if draw(st.booleans()):
                draw(signed(patients[-1], procedure))
    named = sorted({i["sha256"] for p in patients for proc in p["procedures"] for i in proc["key_images"]})
    carried = {"key_image_files": {h: base64.b64encode(KEY_IMAGE_BYTES[h][0]).decode() for h in named}} \
        if named else {}
    return {"format": "tace-log/2", "patients": patients, **carried}


moments = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2026, 11, 1)).map(
    lambda t: t.replace(microsecond=0).isoformat() + "Z")


@st.composite
def signed(draw, patient_doc, procedure_doc):
    """A signature, as another logbook made it, and its addenda on a procedure of the document: of the current
    content version (over the patient as signed, whose weight may have changed since) or of version 1."""
    patient, procedure = Patient.from_document(patient_doc), Procedure.from_document(procedure_doc)
    username, name = draw(st.sampled_from([("chen", "陈伟 Chen Wei"), ("o.neil", "Pat O'Neil")]))
    signed_at = draw(moments)
    if draw(st.booleans()):
        if draw(st.booleans()):  # the patient was weighed again after signing
            patient.weight_kg = draw(st.integers(30, 200))
        signature = sign(patient, procedure, username=username, name=name, signed_at=signed_at,
                         role=draw(st.sampled_from(["radiologist", None])))
        document = signature_document(signature, patient, procedure)
    else:  # made before the signed content was stored: the role is the user's, if the logbook knew it
        content = content_v1(patient, procedure)
        document = {"signer": username, "signer_name": name, "signer_role": draw(st.sampled_from(["radiologist",
                                                                                                   None])),
                    "signed_at": signed_at, "meaning": MEANING, "sha256": hashlib.sha256(content).hexdigest(),
                    "content": content.decode()}
    procedure_doc["signature"] = document
    for at in sorted(draw(st.lists(moments.filter(lambda t: t > signed_at), max_size=2, unique=True))):
        words, reason = draw(text.filter(str.strip)), draw(line.filter(bool))
        procedure_doc["addenda"].append({
            "text": words, "reason": reason, "signer": username, "signer_name": name, "signed_at": at,
            "sha256": addendum_sha256(procedure.id, document["sha256"], words, reason, username, at)})
    if draw(st.booleans()):
        at, reason = draw(moments.filter(lambda t: t > signed_at)), draw(line.filter(bool))
        procedure_doc["entered_in_error"] = {
            "reason": reason, "signer": username, "signer_name": name, "signed_at": at,
            "sha256": entered_in_error_sha256(procedure.id, document["sha256"], reason, username, at)}
    return procedure_doc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(doc=documents())
def test_export_then_import_is_the_identity(tmp_path_factory, validator, doc):
    """Import into an empty logbook, then export, gives the document back, signatures and addenda too; and
    importing it again changes nothing."""
    assert [f for f in check_document(doc, validator) if f.severity == "error"] == []
    path = tmp_path_factory.mktemp("roundtrip") / "logbook.sqlite"
    with Logbook.open(path, validator=validator) as book:
        book.import_document(copy.deepcopy(doc))
        exported = interchange.export_document(book)
        again = book.import_document(copy.deepcopy(exported))
        assert (again.procedures_added, again.procedures_updated, again.patients_updated) == (0, 0, 0)
        assert interchange.export_document(book) == exported
        signed_here = [p["id"] for patient in doc["patients"] for p in patient["procedures"] if p["signature"]]
        assert all(book.signing.is_signed(i) and book.signing.signature_of(i).signed_elsewhere for i in signed_here)
        assert book.signing.verify().ok
    assert exported == doc
    assert json.loads(json.dumps(exported, ensure_ascii=False)) == exported


def test_a_document_mixing_new_and_known_records_takes_both_paths(logbook, example):
    logbook.import_document(example)
    exported = interchange.export_document(logbook)
    known = exported["patients"][0]
    known["procedures"][0]["impression"] = "Amended impression."
    newcomer = copy.deepcopy(known)
    newcomer.update(id=str(uuid.uuid4()), mrn="HS-NEW", name="欧阳娜娜")
    newcomer["procedures"][0]["id"] = str(uuid.uuid4())
    exported["patients"].append(newcomer)
    summary = logbook.import_document(exported)
    assert (summary.patients_added, summary.patients_unchanged) == (1, 1)
    assert (summary.procedures_added, summary.procedures_updated) == (1, 1)
    assert interchange.export_document(logbook) == exported


def test_an_mrn_with_stray_spaces_is_the_same_patient(logbook, example):
    logbook.import_document(copy.deepcopy(example))
    example["patients"][0]["mrn"] = " HS-2024-0007 "
    summary = logbook.import_document(example)
    assert (summary.patients_added, summary.patients_unchanged) == (0, 1)
    assert [p.mrn for p in logbook.search_patients("HS-2024")] == ["HS-2024-0007"]


def test_an_id_spelled_in_capitals_or_braces_is_the_same_record(logbook, example):
    logbook.import_document(example)
    exported = interchange.export_document(logbook)
    for spelling in (str.upper, lambda i: "{" + i + "}"):
        doc = copy.deepcopy(exported)
        doc["patients"][0]["id"] = spelling(doc["patients"][0]["id"])
        proc = doc["patients"][0]["procedures"][0]
        proc["id"] = spelling(proc["id"])
        summary = logbook.import_document(doc)
        assert (summary.patients_unchanged, summary.procedures_unchanged) == (1, 1)
    assert logbook.counts()["procedures"] == 1


# -- the course through the Logbook ---------------------------------------------------------------------------------
def test_a_changed_course_record_round_trips_and_one_lab_edited_is_one_audit_row(logbook, example):
    logbook.import_document(with_course(example))
    patient = logbook.find_patient_by_mrn("HS-2024-0007")
    before = patient.to_document()
    assert [lab["test"] for lab in before["labs"]] == ["hb", "alt", "tbil"]
    seq = max(row.seq for row in logbook.audit.rows())

    patient.labs[1].value = 58  # ALT again, read wrongly the first time
    assert logbook.save_patient(patient).changed
    new_rows = [row for row in logbook.audit.rows() if row.seq > seq]
    assert [(r.table_name, r.action, r.record_id, r.field, r.old_value, r.new_value) for r in new_rows] == [
        ("labs", "update", patient.labs[1].id, "value", 41, 58)]
    assert new_rows[0].parent_id == patient.id  # in the patient's history
    stored = logbook.get_patient(patient.id).to_document()
    assert stored == {**before, "labs": [before["labs"][0], {**before["labs"][1], "value": 58}, before["labs"][2]]}

    # each kind of course record changed: read back as saved
    patient.recurrence.extrahepatic_sites = ["lung"]
    patient.recurrence.pattern = "both"
    patient.screening.ecog = 1
    patient.follow_ups[0].result = "equivocal"
    patient.adverse_events[0].resolved = dt.date(2024, 11, 20)
    patient.lenvatinib[0].dose_mg = 4
    gone = patient.labs.pop(0)
    seq = max(row.seq for row in logbook.audit.rows())
    assert logbook.save_patient(patient).changed
    labs_written = [(r.action, r.record_id) for r in logbook.audit.rows() if r.seq > seq and r.table_name == "labs"]
    assert labs_written == [("delete", gone.id)]  # the other two labs are left alone
    assert logbook.get_patient(patient.id).to_document() == patient.to_document()
    assert logbook.audit.verify().ok
    assert interchange.export_document(logbook)["patients"][0]["recurrence"]["extrahepatic_sites"] == ["lung"]
