"""The dictionary is the one definition of every clinical field: the model, the schema and storage follow it."""

import re
from pathlib import Path

import pytest

from tace_log.dictionary import (
    ADVERSE_EVENT,
    AGENT,
    COMPLICATION,
    COURSE,
    DEATH,
    DOSE_PERIOD,
    ENTITIES,
    FOLLOW_UP,
    LAB,
    LOST_TO_FOLLOW_UP,
    PATHOLOGY,
    PATIENT,
    PROCEDURE,
    RECURRENCE,
    SCREENING,
    WITHDRAWAL,
    FieldType,
    children,
)
from tace_log.model import record_class

CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "interchange-v1.md"
CONTRACT_2 = CONTRACT.with_name("interchange-v2.md")


def test_record_classes_have_exactly_the_dictionary_fields():
    bookkeeping = {"id", "patient_id", "status", "created_at", "updated_at"}
    for entity in ENTITIES:
        parts = {c.document_key for c in children(entity) if not c.standalone}
        names = set(record_class(entity).attribute_names()) - bookkeeping - parts
        assert names == set(entity.keys), entity.key


def test_every_field_has_an_english_and_a_chinese_label():
    for entity in ENTITIES:
        for f in entity.fields:
            assert f.en.strip() and f.zh.strip(), f.key
            assert re.search(r"[\u4e00-\u9fff]", f.zh) or f.zh.isascii(), f.key
            for choice in f.choices:
                assert choice.en and choice.zh, (f.key, choice.key)


def test_interchange_keys_match_the_contract_tables():
    """Every key in the contract's tables is in the dictionary, and nothing more (when the contract is beside us)."""
    if not CONTRACT.exists():
        pytest.skip(f"the interchange contract is not beside the repository ({CONTRACT})")
    text = CONTRACT.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\w+)\n(.*?)(?=^## )", text, flags=re.S | re.M))
    structural = {"id", "procedures", "pathology", "agents", "complications"}
    for title, entity in [("Patient", PATIENT), ("Procedure", PROCEDURE), ("Agent", AGENT),
                          ("Complication", COMPLICATION)]:
        assert _table_keys(sections[title]) - structural == {f.key for f in entity.fields if f.since == 1}, title


def _table_keys(section: str) -> set[str]:
    keys = set()
    for cell in re.findall(r"^\| `([^|]+)` \|", section, flags=re.M):
        keys.update(k.strip(" `") for k in cell.split(","))
    return keys


def test_the_course_keys_are_the_contracts():
    """tace-log/2's tables (and the keys its prose gives death, loss to follow-up and withdrawal) are the course's
    declarations, and what it adds to the pathology and the procedure is all that is new there."""
    if not CONTRACT_2.exists():
        pytest.skip(f"the interchange contract is not beside the repository ({CONTRACT_2})")
    text = CONTRACT_2.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (.+?)\n(.*?)(?=^## )", text, flags=re.S | re.M))
    assert _table_keys(sections["New patient keys (all optional; `null` or absent = not recorded)"]) == \
        {e.document_key for e in COURSE}
    for title, entity in [("Screening", SCREENING), ("Lab", LAB), ("DosePeriod (lenvatinib)", DOSE_PERIOD),
                          ("AdverseEvent", ADVERSE_EVENT), ("FollowUp", FOLLOW_UP), ("Recurrence", RECURRENCE)]:
        assert _table_keys(sections[title]) - {"id"} == set(entity.keys), title
    death = re.sub(r"\([^)]*\)", "", sections["Death"].split("\n\n")[0])
    assert set(re.findall(r"`(\w+)`", death)) == set(DEATH.keys)
    for entity in (LOST_TO_FOLLOW_UP, WITHDRAWAL):
        line = next(row for row in sections["New patient keys (all optional; `null` or absent = not recorded)"]
                    .splitlines() if row.startswith(f"| `{entity.document_key}`"))
        # the keys, without what the brackets say of each
        notes = re.sub(r"\([^)]*\)", "", re.split(r"(?<!\\)\|", line)[3])
        assert set(re.findall(r"`(\w+)`", notes)) == set(entity.keys), entity.key
    assert {f.key for f in PATHOLOGY.fields if f.since == 2} == {"hcc_confirmed"}
    contract_2 = {"intent", "stain_interpretation"}  # and the angiography record's keys (docs/interchange.md)
    assert contract_2 <= {f.key for f in PROCEDURE.fields if f.since == 2}


def test_required_keys_are_the_contracts():
    assert [f.key for f in PATIENT.fields if f.required] == ["mrn", "name"]
    assert [f.key for f in PROCEDURE.fields if f.required] == ["date", "tumor_staining", "embolization"]
    assert [f.key for f in AGENT.fields if f.required] == ["agent", "dose", "unit"]
    assert [f.key for f in COMPLICATION.fields if f.required] == ["term"]


def test_couinaud_segments_are_the_nine_of_the_clinic():
    assert PROCEDURE["stained_segments"].choice_keys == ("I", "II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII")
    assert PROCEDURE["stained_segments"].type is FieldType.MULTI_CHOICE


def test_display_uses_labels_and_units():
    assert PROCEDURE["embolization"].display("prophylactic_embolization") == "prophylactic embolization"
    assert PROCEDURE["embolization"].display("prophylactic_embolization", "zh") == "预防性栓塞"
    assert PATIENT["weight_kg"].display(64.5) == "64.5 kg"
    assert PROCEDURE["stained_segments"].display(["VI", "VII"]) == "VI, VII"
    assert PATHOLOGY["rupture"].display(False) == "no"


def test_every_field_of_the_procedure_page_is_in_exactly_one_section():
    """The form and the report both lay the page out by these sections: a field in none would be missing, a
    field in two shown twice; the page ends with the narrative the signature follows."""
    from tace_log.dictionary import PROCEDURE_PAGE, FieldType, declared

    for entity in ("patient", "pathology", "procedure"):
        placed = [key for section in PROCEDURE_PAGE if section.entity == entity for key in section.fields]
        assert sorted(placed) == sorted(declared(entity).keys), entity
    rows = {section.rows: section.entity for section in PROCEDURE_PAGE if section.rows}
    assert rows == {"agents": "agent", "medications": "medication", "complications": "complication",
                    "key_images": "key_image"}
    closing = PROCEDURE_PAGE[-1]
    assert closing.in_report and not closing.rows and closing.fields[-1] == "impression"
    assert all(PROCEDURE[key].type is FieldType.LONG_TEXT for key in closing.fields)


def test_a_sections_path_is_where_an_entrys_findings_name_its_fields():
    """The form finds a field's editor by the path validation gives its findings (`Logbook.check_entry`)."""
    from tace_log.dictionary import PROCEDURE_PAGE

    paths = {section.entity: section.path for section in PROCEDURE_PAGE if not section.rows}
    assert paths == {"patient": "patient.", "pathology": "patient.pathology.", "procedure": "procedure."}
