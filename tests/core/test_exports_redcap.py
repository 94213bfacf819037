"""REDCap export: the data dictionary, the repeating forms and the records import file, each rule of REDCap's
checked on the files written (exchange-reference §1)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tace_log import exports
from tace_log.choice_lists import ChoiceLists
from tace_log.dictionary import Choice, Entity, Field, FieldType, MultiTable, entities
from tace_log.exports import redcap

from .export_support import export_logbook, read_csv

# REDCap's own template's first line (vanderbilt-redcap/redcap_rsvc, Project1xml_DataDictionary.csv), as it is.
TEMPLATE_HEADER = ('"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, '
                   'Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text '
                   'Validation Min","Text Validation Max",Identifier?,"Branching Logic (Show field only if...)",'
                   '"Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name",'
                   '"Matrix Ranking?","Field Annotation"')


@pytest.fixture
def book(tmp_path):
    with export_logbook(tmp_path / "logbook.sqlite") as logbook:
        yield logbook


@pytest.fixture
def project(book, tmp_path):
    exports.write(book, "redcap", tmp_path / "rc")
    return tmp_path / "rc"


def _dictionary(folder) -> list[dict[str, str]]:
    return read_csv(folder / "data_dictionary.csv")


def test_the_header_is_redcaps_own_18_columns(project):
    first = (project / "data_dictionary.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert first == TEMPLATE_HEADER
    assert list(_dictionary(project)[0]) == list(redcap.HEADER) and len(redcap.HEADER) == 18


def test_variable_names_are_legal_unique_the_record_id_first_and_forms_contiguous(project):
    rows = _dictionary(project)
    names = [r["Variable / Field Name"] for r in rows]
    assert names[0] == "record_id"
    assert all(re.fullmatch(r"[a-z][a-z0-9_]{0,25}", n) for n in names), [n for n in names if len(n) > 26]
    assert len(set(names)) == len(names)
    forms = [r["Form Name"] for r in rows]
    assert [f for i, f in enumerate(forms) if i == 0 or forms[i - 1] != f] == [e.key for e in entities()]
    assert not any(n.endswith("_complete") for n in names)


def test_types_choices_validation_and_limits_come_from_the_dictionary(project, book):
    rows = {r["Variable / Field Name"]: r for r in _dictionary(project)}
    choices = "Choices, Calculations, OR Slider Labels"
    assert rows["proc_tumor_staining"]["Field Type"] == "radio"
    assert rows["proc_tumor_staining"][choices] == "present, present / 有 | absent, absent / 无 | equivocal, " \
                                                   "equivocal / 可疑"
    assert rows["proc_stained_segments"]["Field Type"] == "checkbox"
    assert rows["proc_dap_gycm2"]["Text Validation Type OR Show Slider Number"] == "number"
    assert (rows["proc_dap_gycm2"]["Text Validation Min"], rows["proc_dap_gycm2"]["Text Validation Max"]) == \
        ("0", "5000")
    assert rows["proc_dap_gycm2"]["Field Note"].startswith("Gy·cm²")
    assert rows["path_tumor_count"]["Text Validation Type OR Show Slider Number"] == "integer"
    assert rows["proc_date"]["Text Validation Type OR Show Slider Number"] == "date_ymd"
    assert rows["scre_enrolled"]["Field Type"] == "yesno"
    assert rows["proc_start_time"]["Text Validation Type OR Show Slider Number"] == "time"
    assert rows["proc_findings"]["Field Type"] == "notes"
    assert rows["dp_dose_mg"][choices] == "12, 12 mg | 8, 8 mg | 4, 4 mg"
    assert rows["lab_qualifier"][choices] == "1, < | 2, >"  # codes REDCap takes, for keys it would not
    assert rows["proc_tumor_staining"]["Required Field?"] == "y" and rows["proc_cycle"]["Required Field?"] == ""
    every = [c for c in rows.values() if c[choices]]
    for row in every:  # `code, label | ...`: a code without spaces, then a comma
        for option in row[choices].split(" | "):
            assert re.fullmatch(r"[A-Za-z0-9_]+, .+", option), (row["Variable / Field Name"], option)
    arms = rows["arm"][choices]
    assert all(f"{a.key}, " in arms for a in book.protocol.arms)
    # every declared number and int has its validation type, and its limits exactly
    for entity in entities():
        for f in entity.fields:
            if f.type in (FieldType.INT, FieldType.NUMBER) and not f.values:
                row = next(r for r in rows.values() if r["Form Name"] == entity.key
                           and r["Variable / Field Name"].endswith(f.key))
                assert row["Text Validation Type OR Show Slider Number"] == \
                    ("integer" if f.type is FieldType.INT else "number")
                assert row["Text Validation Min"] == ("" if f.reject_min is None else f"{f.reject_min:g}")


def test_branching_logic_is_applies_when_in_redcaps_syntax(project):
    rows = {r["Variable / Field Name"]: r["Branching Logic (Show field only if...)"] for r in _dictionary(project)}
    assert rows["proc_lesion_count"] == "[proc_tumor_staining] = 'present' or [proc_tumor_staining] = 'equivocal'"
    assert rows["scre_enrol_date"] == "[scre_enrolled] = '1'"
    assert rows["scre_not_enrolled_reason"] == "[scre_enrolled] = '0'"
    assert rows["fu_modality"] == "[fu_type] = 'imaging'"
    assert rows["recu_intrahepatic_type"] == "[recu_pattern] = 'intrahepatic' or [recu_pattern] = 'both'"
    assert sum(1 for logic in rows.values() if logic) == sum(1 for e in entities() for f in e.fields if f.applies_when)


def test_a_field_shown_for_a_checkbox_choice_branches_on_field_code():
    probe = Entity("probe", "Probe", "探", (
        Field("sites", "Sites", "部位", FieldType.MULTI_CHOICE, choices=(Choice("lung", "lung", "肺"),)),
        Field("lung_note", "Lung note", "肺备注", FieldType.TEXT, applies_when=("sites", ("lung",)))),
        multi_tables={"sites": MultiTable("probe_sites", "probe_id", "site")})
    project = redcap.Project(ChoiceLists())
    variables = project._variables(probe, redcap.Names())  # an entity not declared: its variables alone
    assert project._branching("probe", variables[-1]) == "[sites(lung)] = '1'"


def test_names_are_made_legal_and_unique():
    names = redcap.Names({"record_id"})
    made = [names.make("", "record_id"), names.make("", "1st"), names.make("", "redcap_event_name"),
            names.make("proc", "Dose (mg)"), names.make("ltfu", "a_field_name_far_longer_than_twenty_six"),
            names.make("ltfu", "a_field_name_far_longer_than_twenty_seven")]
    assert made == ["record_id_2", "v_1st", "v_redcap_event_name", "proc_dose_mg", "ltfu_a_field_name_far_long",
                    "ltfu_a_field_name_far_lo_2"]


def test_identifiers_are_marked(project):
    marked = {r["Variable / Field Name"] for r in _dictionary(project) if r["Identifier?"] == "y"}
    assert marked == {"mrn", "name", "birth_date"}


def test_repeating_instruments_and_the_records_file(project):
    repeating = {r["form_name"] for r in read_csv(project / "repeating_forms.csv")}
    assert repeating == {"procedure", "agent", "complication", "medication", "key_image", "lab", "dose_period",
                         "adverse_event", "follow_up"}
    records = read_csv(project / "records.csv")
    header = list(records[0])
    assert header[:3] == ["record_id", "redcap_repeat_instrument", "redcap_repeat_instance"]
    dictionary = _dictionary(project)
    expected = []
    for form in dict.fromkeys(r["Form Name"] for r in dictionary):
        for r in dictionary:
            if r["Form Name"] != form or r["Variable / Field Name"] == "record_id":
                continue
            if r["Field Type"] == "checkbox":
                expected += [f"{r['Variable / Field Name']}___{o.split(',')[0].lower()}"
                             for o in r["Choices, Calculations, OR Slider Labels"].split(" | ")]
            else:
                expected.append(r["Variable / Field Name"])
        expected.append(f"{form}_complete")
    assert header[3:] == expected
    for row in records:
        if row["redcap_repeat_instrument"]:
            assert row["redcap_repeat_instrument"] in repeating and int(row["redcap_repeat_instance"]) >= 1
        else:
            assert row["redcap_repeat_instance"] == ""
    keys = [(r["record_id"], r["redcap_repeat_instrument"], r["redcap_repeat_instance"]) for r in records]
    assert len(set(keys)) == len(keys)
    agents = [r for r in records if r["redcap_repeat_instrument"] == "agent"]
    procedures = {(r["record_id"], r["proc_id"]): r["redcap_repeat_instance"] for r in records
                  if r["redcap_repeat_instrument"] == "procedure"}
    for agent in agents:  # an agent names its procedure by id and instance, and is numbered within it
        instance = procedures[agent["record_id"], agent["agent_procedure_id"]]
        assert agent["agent_procedure_instance"] == instance
        assert int(agent["redcap_repeat_instance"]) // 1000 == int(instance)
    signed = [r for r in records if r["redcap_repeat_instrument"] == "procedure" and r["procedure_complete"] == "2"]
    assert len(signed) == 1
    first = next(r for r in records if r["mrn"] == "HS-2024-0007")
    assert first["path_thrombus___portal_vein"] == "1" and first["path_thrombus___bile_duct"] == "0"
    assert first["death_cause"] == "hcc_progression" and first["scre_ecog"] == "1"
    assert next(r for r in records if r["lab_qualifier"])["lab_qualifier"] == "1"


def _instances(folder) -> dict[tuple[str, str], str]:
    return {(r["record_id"], r.get("lab_id") or r.get("proc_id") or r.get("ae_id") or r.get("fu_id")
             or r.get("dp_id") or r["agent_procedure_id"] + r["agent_agent"] + r["comp_procedure_id"]
             + r["comp_term"]): r["redcap_repeat_instance"]
            for r in read_csv(folder / "records.csv") if r["redcap_repeat_instrument"]}


def test_instance_numbers_are_the_same_in_every_export_and_a_new_or_removed_lab_renumbers_none(book, tmp_path):
    exports.write(book, "redcap", tmp_path / "one")
    exports.write(book, "redcap", tmp_path / "two")
    before = _instances(tmp_path / "one")
    assert before == _instances(tmp_path / "two")
    patient = book.find_patient_by_mrn("HS-2024-0007")
    Lab = type(patient.labs[0])
    removed = patient.labs.pop(0)
    patient.labs.insert(0, Lab(date=dt.date(2024, 9, 5), test="plt", value=180, unit="10^9/L"))  # shown first
    book.save_patient(patient)
    exports.write(book, "redcap", tmp_path / "three")
    after = _instances(tmp_path / "three")
    kept = {key: n for key, n in before.items() if key[1] != removed.id}
    assert {key: after[key] for key in kept} == kept
    new = after[patient.id, patient.labs[0].id]
    assert int(new) == 5  # after the four ever written, the removed one's number left unused
