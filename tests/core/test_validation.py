"""Each rule of clinical-reference §2 and the interchange contract: refused with a message naming the field,
and the legitimate edges accepted."""

import json

import pytest

from tace_log.dictionary import ENTITIES, FieldType
from tace_log.envelope import check_document
from tace_log.findings import WARNING, errors, warnings
from tace_log.formulary import Formulary


def findings_at(findings, path, severity=None):
    return [f for f in findings if f.path == path and (severity is None or f.severity == severity)]


def check(validator, doc):
    return check_document(doc, validator)


def test_the_contract_example_is_valid(validator, example):
    assert errors(check(validator, example)) == []


# (what to change, path of the finding, code, a phrase the message must carry)
P = "patients[0]"
PR = "patients[0].procedures[0]"
ERRORS = [
    (lambda d: d.update(format="tace-log/3"), "format", "format", "tace-log/2"),
    (lambda d: d.update(extra=1), "extra", "unknown_key", "unknown key"),
    (lambda d: d["patients"][0].pop("mrn"), f"{P}.mrn", "required", "is required"),
    (lambda d: d["patients"][0].update(name="   "), f"{P}.name", "required", "is required"),
    (lambda d: d["patients"][0].update(nmae="x"), f"{P}.nmae", "unknown_key", "'nmae'"),
    (lambda d: d["patients"][0].update(sex="male"), f"{P}.sex", "choice", "not one of M, F"),
    (lambda d: d["patients"][0].update(weight_kg="64"), f"{P}.weight_kg", "type", "must be a number"),
    (lambda d: d["patients"][0].update(weight_kg=29.9), f"{P}.weight_kg", "limit", "between 30 and 200 kg"),
    (lambda d: d["patients"][0].update(weight_kg=200.5), f"{P}.weight_kg", "limit", "between 30 and 200 kg"),
    (lambda d: d["patients"][0].update(birth_date="11/02/1968"), f"{P}.birth_date", "type", "YYYY-MM-DD"),
    (lambda d: d["patients"][0].update(birth_date="1968-02-30"), f"{P}.birth_date", "type", "not a real date"),
    (lambda d: d["patients"][0].update(resection_date="2027-01-01"), f"{P}.resection_date", "future_date",
     "in the future"),
    (lambda d: d["patients"][0].update(resection_date="1960-01-01"), f"{P}.resection_date", "date_order",
     "birth date"),
    (lambda d: d["patients"][0].update(arm="tace_only"), f"{P}.arm", "choice", "lenvatinib_tace"),
    (lambda d: d["patients"][0].update(id="not-a-uuid"), f"{P}.id", "type", "UUID"),
    (lambda d: d["patients"][0]["pathology"].update(mvi="M3"), f"{P}.pathology.mvi", "choice", "M0, M1, M2"),
    (lambda d: d["patients"][0]["pathology"].update(thrombus=["aorta"]), f"{P}.pathology.thrombus", "choice",
     "'aorta'"),
    (lambda d: d["patients"][0]["pathology"].update(margin_clear="no"), f"{P}.pathology.margin_clear", "type",
     "true or false"),
    (lambda d: d["patients"][0]["procedures"][0].pop("date"), f"{PR}.date", "required", "is required"),
    (lambda d: d["patients"][0]["procedures"][0].update(date="2024-09-01"), f"{PR}.date", "date_order",
     "resection date (2024-09-02)"),
    (lambda d: d["patients"][0]["procedures"][0].update(date="2026-11-25"), f"{PR}.date", "future_date",
     "in the future"),
    (lambda d: d["patients"][0]["procedures"][0].update(cycle=11), f"{PR}.cycle", "limit", "between 1 and 10"),
    (lambda d: d["patients"][0]["procedures"][0].update(cycle=1.5), f"{PR}.cycle", "type", "whole number"),
    (lambda d: d["patients"][0]["procedures"][0].update(tumor_staining="yes"), f"{PR}.tumor_staining", "choice",
     "present, absent, equivocal"),
    (lambda d: d["patients"][0]["procedures"][0].update(stained_segments=[]), f"{PR}.stained_segments",
     "segments_missing", "at least one stained segment"),
    (lambda d: d["patients"][0]["procedures"][0].update(stained_segments=["IV"]), f"{PR}.stained_segments",
     "choice", "'IV'"),
    (lambda d: d["patients"][0]["procedures"][0].update(stained_segments=["VI", "VI"]), f"{PR}.stained_segments",
     "duplicate", "twice"),
    (lambda d: d["patients"][0]["procedures"][0].update(lesion_count=51), f"{PR}.lesion_count", "limit", "50"),
    (lambda d: d["patients"][0]["procedures"][0].update(largest_lesion_mm=201), f"{PR}.largest_lesion_mm", "limit",
     "200 mm"),
    (lambda d: d["patients"][0]["procedures"][0].update(embolization="tace"), f"{PR}.embolization", "choice",
     "superselective_chemoembolization"),
    (lambda d: d["patients"][0]["procedures"][0].update(contrast_ml=601), f"{PR}.contrast_ml", "limit", "600 mL"),
    (lambda d: d["patients"][0]["procedures"][0].update(fluoroscopy_min=301), f"{PR}.fluoroscopy_min", "limit",
     "Minutes, not seconds"),
    (lambda d: d["patients"][0]["procedures"][0].update(dap_gycm2=5001), f"{PR}.dap_gycm2", "limit", "5000 Gy·cm²"),
    (lambda d: d["patients"][0]["procedures"][0].update(air_kerma_mgy=30001), f"{PR}.air_kerma_mgy", "limit",
     "30000 mGy"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][0].update(dose=-20), f"{PR}.agents[0].dose",
     "dose_not_positive", "must be > 0"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][0].update(dose=0), f"{PR}.agents[0].dose",
     "dose_not_positive", "must be > 0"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][0].update(unit="mL"), f"{PR}.agents[0].unit", "unit",
     "epirubicin is given in mg, not 'mL'"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][0].update(dose=151), f"{PR}.agents[0].dose",
     "dose_limit", "above the limit of 150 mg"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][1].update(dose=61), f"{PR}.agents[1].dose",
     "dose_limit", "60 mL"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][2].update(dose=10.5), f"{PR}.agents[2].dose",
     "dose_limit", "10.5 vial of gelatin sponge particles is above the limit of 10 vial per session"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][2].update(dose=31, unit="mL"), f"{PR}.agents[2].dose",
     "dose_limit", "above the limit of 30 mL per session"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][0].update(agent="aspirin"), f"{PR}.agents[0].agent",
     "choice", "'aspirin'"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][0].pop("unit"), f"{PR}.agents[0].unit", "required",
     "is required"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][2].update(particle_min_um=560),
     f"{PR}.agents[2].particle_max_um", "particle_range", "small to large"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][2].update(particle_max_um=3500),
     f"{PR}.agents[2].particle_max_um", "particle_size_limit", "50-3000 µm"),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][0].update(particle_min_um=100, particle_max_um=300),
     f"{PR}.agents[0].particle_min_um", "particle_size_not_applicable", "no particle size"),
    (lambda d: d["patients"][0]["procedures"][0]["complications"].append({"term": "pain", "ctcae_grade": 0}),
     f"{PR}.complications[0].ctcae_grade", "limit", "between 1 and 5"),
    (lambda d: d["patients"][0]["procedures"][0]["complications"].append({"term": "pain", "ctcae_grade": 6}),
     f"{PR}.complications[0].ctcae_grade", "limit", "between 1 and 5"),
    (lambda d: d["patients"][0]["procedures"][0]["complications"].append({"ctcae_grade": 2}),
     f"{PR}.complications[0].term", "required", "is required"),
    (lambda d: d["patients"].append(dict(d["patients"][0], procedures=[])), "patients[1].mrn", "duplicate_mrn",
     "also patients[0]"),
    # applies_when: what is recorded only for a stain is an error without one (it was a warning for segments)
    (lambda d: d["patients"][0]["procedures"][0].update(tumor_staining="absent", stained_segments=[]),
     f"{PR}.lesion_count", "not_applicable",
     "Stained lesions is recorded only when tumour staining is present or equivocal (it is absent)"),
    (lambda d: d["patients"][0]["procedures"][0].update(tumor_staining="absent", stained_segments=[]),
     f"{PR}.largest_lesion_mm", "not_applicable", "clear it, or correct tumour staining"),
    (lambda d: d["patients"][0]["procedures"][0].update(tumor_staining="absent"), f"{PR}.stained_segments",
     "not_applicable", "Stained segments is recorded only when"),
    (lambda d: d["patients"][0]["procedures"][0].update(tumor_staining=None), f"{PR}.lesion_count",
     "not_applicable", "(it is not recorded)"),
]


@pytest.mark.parametrize("change,path,code,phrase", ERRORS, ids=[f"{e[2]}@{e[1]}" for e in ERRORS])
def test_each_rule_is_refused_with_a_message_naming_the_field(validator, example, change, path, code, phrase):
    change(example)
    found = findings_at(errors(check(validator, example)), path)
    assert found, f"no error at {path}; got {[str(f) for f in check(validator, example)]}"
    assert any(f.code == code and phrase in f.message for f in found), [str(f) for f in found]
    assert str(found[0]).startswith(path + ": ")


WARNINGS = [
    (lambda p: p.update(date="2024-11-15"), "date", "tace_window", "74 days after resection"),
    (lambda p: p.update(date="2024-09-15"), "date", "tace_window", "day 21-56"),
    (lambda p: p.update(embolization="prophylactic_embolization"), "embolization", "staining_mismatch", "reason"),
    (lambda p: p.update(tumor_staining="absent", stained_segments=[], lesion_count=None, largest_lesion_mm=None),
     "embolization", "staining_mismatch",
     "tumour staining is absent but the embolization is superselective chemoembolization"),
    (lambda p: p.update(selectivity="whole_liver"), "selectivity", "selectivity_mismatch", "whole-liver"),
    (lambda p: p["agents"].append({"agent": "pirarubicin", "dose": 20, "unit": "mg"}), "agents",
     "two_anthracyclines", "epirubicin, pirarubicin (THP)"),
    (lambda p: p.update(dap_gycm2=0.5), "dap_gycm2", "low", "1 Gy·m² = 10,000 Gy·cm²"),
    (lambda p: p.update(dap_gycm2=500.1), "dap_gycm2", "dose_follow_up",
     "500.1 Gy·cm² is above the SIR/NCRP threshold for radiation follow-up (500 Gy·cm²): arrange a skin check"),
    (lambda p: p.update(contrast_ml=251), "contrast_ml", "high", "250 mL"),
    (lambda p: p.update(fluoroscopy_min=60.5), "fluoroscopy_min", "dose_follow_up", "(60 min): arrange a skin "
     "check (Minutes, not seconds)"),
    (lambda p: p.update(air_kerma_mgy=5001), "air_kerma_mgy", "dose_follow_up", "threshold for radiation "
     "follow-up (5000 mGy)"),
    (lambda p: p["agents"][0].update(dose=81), "agents[0].dose", "dose_high", "usual 80 mg"),
    (lambda p: p["agents"][2].update(dose=5), "agents[2].dose", "dose_high", "usual 4 vial"),
    (lambda p: p["agents"][2].update(dose=12, unit="mL"), "agents[2].dose", "dose_high", "usual 10 mL"),
    (lambda p: p["agents"][2].pop("particle_max_um"), "agents[2].particle_max_um", "particle_range_incomplete",
     "both ends"),
]


@pytest.mark.parametrize("change,key,code,phrase", WARNINGS, ids=[w[2] + "@" + w[1] for w in WARNINGS])
def test_soft_limits_warn_and_do_not_block(validator, example, change, key, code, phrase):
    change(example["patients"][0]["procedures"][0])
    findings = check(validator, example)
    assert errors(findings) == []
    found = findings_at(findings, f"{PR}.{key}", WARNING)
    assert any(f.code == code and phrase in f.message for f in found), [str(f) for f in findings]


def test_particle_limits_are_by_unit(validator, example):
    agent = example["patients"][0]["procedures"][0]["agents"][2]
    agent.update(dose=8, unit="mL")  # 8 mL of particles is usual; 8 vials is not
    assert findings_at(check(validator, example), f"{PR}.agents[2].dose") == []
    agent.update(unit="vial")
    assert [f.code for f in findings_at(check(validator, example), f"{PR}.agents[2].dose")] == ["dose_high"]


@pytest.mark.parametrize("limit", [20, {"vial": 4, "syringe": 2}])
def test_a_formulary_limit_must_say_its_unit_when_the_agent_has_two(tmp_path, limit):
    row = {"key": "beads", "en": "beads", "zh": "微球", "kind": "particles", "units": ["vial", "mL"],
           "reject_above": limit}
    (tmp_path / "formulary.json").write_text(json.dumps({"agents": [row]}), encoding="utf-8")
    with pytest.raises(ValueError, match="beads.reject_above"):
        Formulary.from_file(tmp_path / "formulary.json")


def test_a_patient_in_the_lenvatinib_only_arm_with_a_tace_is_flagged(validator, example):
    example["patients"][0]["arm"] = "lenvatinib"
    assert any(f.code == "arm_without_tace" for f in warnings(check(validator, example)))


# -- legitimate edges ----------------------------------------------------------------------------------------
def test_exactly_60_kg_is_accepted_and_gets_12_mg(validator, example):
    from tace_log.protocol import default_protocol

    example["patients"][0]["weight_kg"] = 60.0
    assert errors(check(validator, example)) == []
    assert default_protocol().lenvatinib.dose_mg(60.0) == 12
    assert default_protocol().lenvatinib.dose_mg(59.9) == 8


def test_weight_limits_themselves_are_accepted(validator, example):
    for kg in (30, 200):
        example["patients"][0]["weight_kg"] = kg
        assert errors(check(validator, example)) == []


def test_staining_absent_with_lipiodol_only_is_accepted(validator, example):
    proc = example["patients"][0]["procedures"][0]
    proc.update(tumor_staining="absent", stained_segments=[], lesion_count=None, largest_lesion_mm=None,
                embolization="prophylactic_embolization", selectivity="lobar", target_vessels=None,
                agents=[{"agent": "lipiodol", "dose": 3, "unit": "mL"}])
    assert check(validator, example) == []


def test_what_applies_for_a_stain_is_accepted_for_an_equivocal_one(validator, example):
    example["patients"][0]["procedures"][0]["tumor_staining"] = "equivocal"
    assert not [f for f in check(validator, example) if f.code == "not_applicable"]


def test_a_wrong_staining_is_reported_once_not_again_on_what_depends_on_it(validator, example):
    example["patients"][0]["procedures"][0]["tumor_staining"] = "faint"
    found = check(validator, example)
    assert [f.code for f in found if f.code in ("choice", "not_applicable")] == ["choice"]


def test_every_applies_when_names_a_choice_or_yes_no_field_of_its_own_entity_and_its_values():
    for entity in ENTITIES:
        for f in entity.fields:
            if f.applies_when is not None:
                key, values = f.applies_when
                controlling = entity[key]
                if controlling.type is FieldType.BOOL:  # enrolment dates for the enrolled
                    assert set(values) <= {True, False}, f.key
                else:
                    assert controlling.type is FieldType.CHOICE and set(values) <= set(controlling.choice_keys)


def test_a_four_character_compound_surname_is_accepted(validator, example):
    example["patients"][0]["name"] = "欧阳娜娜"
    assert errors(check(validator, example)) == []


def test_cycle_2_on_resection_day_plus_90_is_accepted_without_a_window_warning(validator, example):
    proc = example["patients"][0]["procedures"][0]
    proc.update(date="2024-12-01", cycle=2)  # resection 2024-09-02 + 90 days
    findings = check(validator, example)
    assert errors(findings) == []
    assert not any(f.code == "tace_window" for f in findings)


def test_a_procedure_on_the_resection_day_is_not_before_it(validator, example):
    example["patients"][0]["procedures"][0].update(date="2024-09-02", cycle=2)
    assert errors(check(validator, example)) == []


def test_nulls_mean_not_recorded(validator, example):
    patient = example["patients"][0]
    for key in ("sex", "birth_date", "weight_kg", "height_cm", "arm", "study_id", "resection_date", "pathology"):
        patient[key] = None
    proc = patient["procedures"][0]
    for key in ("cycle", "operator", "access_site", "microcatheter", "selectivity", "agents", "endpoint",
                "complications", "contrast_ml", "dap_gycm2", "findings"):
        proc[key] = None
    assert errors(check(validator, example)) == []


def test_every_problem_in_a_document_is_listed(validator, example):
    proc = example["patients"][0]["procedures"][0]
    proc["agents"][0]["dose"] = -1
    proc["cycle"] = 0
    example["patients"][0]["sex"] = "X"
    paths = {f.path for f in errors(check(validator, example))}
    assert {f"{PR}.agents[0].dose", f"{PR}.cycle", f"{P}.sex"} <= paths


@pytest.mark.parametrize("doc,message", [
    ([], "must be a JSON object"),
    ({"format": "tace-log/1"}, "must be a list of patients"),
    ({"format": "tace-log/1", "patients": [[]]}, "must be an object"),
])
def test_malformed_documents_are_reported_not_crashed_on(validator, doc, message):
    assert any(message in f.message for f in errors(check_document(doc, validator)))


def test_contrast_warns_above_250_ml_not_at_it(validator, example):
    proc = example["patients"][0]["procedures"][0]
    proc["contrast_ml"] = 250
    assert not any(f.code == "high" for f in check_document(example, validator))
    proc["contrast_ml"] = 250.5
    assert any(f.code == "high" and "usual up to 250 mL" in f.message for f in check_document(example, validator))


@pytest.mark.parametrize("key,threshold,above", [("air_kerma_mgy", 5000, 5000.5), ("dap_gycm2", 500, 500.01),
                                                 ("fluoroscopy_min", 60, 60.1)])
def test_a_dose_is_flagged_for_follow_up_above_the_sir_ncrp_threshold_not_at_it(validator, example, key, threshold,
                                                                                above):
    proc = example["patients"][0]["procedures"][0]
    proc[key] = threshold
    assert not findings_at(check_document(example, validator), f"{PR}.{key}")
    proc[key] = above
    found = findings_at(check_document(example, validator), f"{PR}.{key}", WARNING)
    assert [f.code for f in found] == ["dose_follow_up"]
    assert "超过SIR/NCRP辐射随访阈值" in found[0].text("zh")


def test_the_staining_to_embolization_rule_comes_from_the_protocol_file(example):
    import dataclasses

    from tace_log.protocol import default_protocol
    from tace_log.validation import Validator

    from .conftest import TODAY

    proc = example["patients"][0]["procedures"][0]
    proc["embolization"] = "prophylactic_embolization"  # against the default protocol for a stain
    site = dataclasses.replace(default_protocol(), embolization_for_staining={"present": "prophylactic_embolization"})
    assert any(f.code == "staining_mismatch" for f in check_document(example, Validator(today=TODAY)))
    at_this_site = Validator(protocol=site, today=TODAY)
    assert not any(f.code == "staining_mismatch" for f in check_document(example, at_this_site))
    assert site.proposed_embolization("present") == "prophylactic_embolization"
