"""The lab and adverse-event catalogues (resources/lab_catalogue.json, ae_catalogue.json): the contract's tests in
its units, conversions to the canonical unit, the unit slip named, CTCAE v5 terms found without regard to case
with their kind and grades, and a malformed file refused naming the key that is wrong."""

from __future__ import annotations

import json
import re

import pytest

from tace_log.catalogues import (
    KINDS,
    OTHER,
    AdverseEventCatalogue,
    LabCatalogue,
    default_adverse_event_catalogue,
    default_lab_catalogue,
    unit_spelling,
    within,
)
from tace_log.choice_lists import ChoiceLists
from tace_log.dictionary import Field, FieldType
from tace_log.findings import ERROR, WARNING
from tace_log.resources import resource
from tace_log.validation import Validator

LABS = default_lab_catalogue()
EVENTS = default_adverse_event_catalogue()
CJK = re.compile(r"[\u3400-\u9fff]")

# The contract's tests (interchange-v2.md, Lab) and the units it names for each, the canonical one first.
CONTRACT_UNITS = {
    "tbil": ("µmol/L", "mg/dL"), "alb": ("g/L", "g/dL"), "inr": ("1",), "alt": ("U/L",), "ast": ("U/L",),
    "alp": ("U/L",), "anc": ("10^9/L",), "hb": ("g/L", "g/dL"), "plt": ("10^9/L",), "creatinine": ("µmol/L", "mg/dL"),
    "afp": ("ng/mL",), "pivka_ii": ("mAU/mL",), "hbv_dna": ("IU/mL",), "tsh": ("mIU/L",),
    "urine_protein_24h": ("g/24h",), "upcr": ("g/g",), "sbp": ("mmHg",), "dbp": ("mmHg",),
}


def _lab(row: dict) -> list:
    out: list = []
    Validator().lab_result(row, "patients[0].labs[0]", out)
    return out


def _event(row: dict) -> list:
    out: list = []
    Validator().adverse_event(row, "patients[0].adverse_events[0]", out)
    return out


# -- the shipped files ---------------------------------------------------------------------------------------
def test_the_lab_catalogue_has_the_contracts_tests_in_its_units_the_first_canonical():
    assert LABS.keys == tuple(CONTRACT_UNITS)
    for key, units in CONTRACT_UNITS.items():
        test = LABS[key]
        assert test.unit == units[0], key
        assert set(units) <= set(test.units), key
        assert test.units[0] == test.unit and test.factors[test.unit] == 1
        assert test.low < test.high
    assert {t.key for t in LABS.tests if t.takes_uln} == {"alt", "ast", "alp"}  # the contract's tests with a ULN


def test_every_catalogue_entry_has_an_english_and_a_chinese_name():
    for test in LABS.tests:
        assert test.en.strip() and not CJK.search(test.en), test.key
        assert CJK.search(test.zh) and test.label("zh") == test.zh and test.label("en") == test.en, test.key
    for term in EVENTS.terms:
        assert term.term.strip() and not CJK.search(term.term), term.term
        assert CJK.search(term.zh) and term.label("zh") == term.zh and term.label("en") == term.term, term.term


def test_the_ae_catalogue_has_a_term_of_every_kind_and_ctcae_grades():
    assert {t.kind for t in EVENTS.terms} == set(KINDS)
    for term in EVENTS.terms:
        assert 1 <= term.min_grade <= term.max_grade <= 5, term.term


@pytest.mark.parametrize(("term", "kind", "grades"), [
    ("Hypertension", "hypertension", (1, 5)),
    ("Proteinuria", "proteinuria", (1, 3)),  # CTCAE v5 has no grade 4 or 5
    ("Palmar-plantar erythrodysesthesia syndrome", "palmar_plantar_erythrodysesthesia", (1, 3)),
    ("Diarrhea", "diarrhoea", (1, 5)),
    ("Fatigue", "fatigue", (1, 3)),
    ("Alanine aminotransferase increased", "hepatic", (1, 4)),  # a laboratory abnormality: no grade 5
    ("Platelet count decreased", "haematological", (1, 4)),
    ("Hepatic failure", "hepatic_failure", (3, 5)),  # no grade 1 or 2
    ("Nephrotic syndrome", "nephrotic_syndrome", (3, 5)),
    ("Arterial thromboembolism", "arterial_thromboembolism", (3, 5)),
    ("Stroke", "arterial_thromboembolism", (1, 5)),
    ("Myocardial infarction", "arterial_thromboembolism", (2, 5)),
    ("Hypothyroidism", "other", (1, 5)),
])
def test_a_term_has_its_kind_and_its_ctcae_v5_grades(term, kind, grades):
    found = EVENTS[term]
    assert (found.kind, (found.min_grade, found.max_grade)) == (kind, grades)
    assert EVENTS.kind(term) == kind


def test_laboratory_terms_are_the_ones_graded_by_a_value():
    assert EVENTS["Platelet count decreased"].laboratory and EVENTS["Blood bilirubin increased"].laboratory
    assert not EVENTS["Hypertension"].laboratory and not EVENTS["Hepatic failure"].laboratory


# -- units and conversions -----------------------------------------------------------------------------------
def test_every_unit_of_every_test_converts_to_the_canonical_unit_by_its_factor():
    for test in LABS.tests:
        for unit, factor in test.factors.items():
            assert test.accepts(unit)
            assert test.to_canonical(2.5, unit) == pytest.approx(2.5 * factor)
        assert test.to_canonical(2.5, test.unit) == 2.5


@pytest.mark.parametrize(("key", "value", "unit", "canonical"), [
    ("hb", 1, "g/dL", 10),  # g/L
    ("hb", 8.5, "g/dL", 85),
    ("tbil", 1, "mg/dL", 17.1),  # µmol/L
    ("tbil", 3.0, "mg/dL", 51.3),
    ("creatinine", 1, "mg/dL", 88.4),  # µmol/L
    ("alb", 1, "g/dL", 10),  # g/L
    ("plt", 150, "10^3/µL", 150),  # 10^9/L
    ("plt", 150_000, "/µL", 150),
    ("anc", 1500, "/µL", 1.5),
    ("urine_protein_24h", 500, "mg/24h", 0.5),  # g/24h
    ("upcr", 113, "mg/mmol", 1),  # g/g, 1 g/g ≈ 113 mg/mmol
])
def test_known_conversions(key, value, unit, canonical):
    assert LABS[key].to_canonical(value, unit) == pytest.approx(canonical, rel=1e-3)


@pytest.mark.parametrize("written", ["µmol/L", "\u03bcmol/L", "umol/L"])  # micro sign, Greek mu, u
def test_micro_may_be_written_mu_or_u(written):
    assert LABS["tbil"].accepts(written) and LABS["tbil"].to_canonical(10, written) == 10
    assert unit_spelling(written) == "µmol/L"


def test_only_a_micro_u_is_read_as_micro():
    assert [unit_spelling(u) for u in ("U/L", "IU/mL", "mIU/L", "10^3/uL", "uIU/mL")] == \
        ["U/L", "IU/mL", "mIU/L", "10^3/µL", "µIU/mL"]
    assert not LABS["alt"].accepts("u/L")  # not a micro unit: a unit the test is not given in


def test_a_unit_the_test_is_not_given_in_is_not_converted():
    assert not LABS["hb"].accepts("mmol/L") and not LABS["inr"].accepts("")
    with pytest.raises(KeyError):
        LABS["hb"].to_canonical(8, "mmol/L")


def test_limits_are_compared_in_canonical_units_with_the_contracts_tolerance():
    assert 3.0 * 17.1 != 51.3 and within(3.0 * 17.1, 0, 51.3)  # 3.0 mg/dL passes "<= 51.3 µmol/L"
    assert not within(51.31, 0, 51.3)
    tbil = LABS["tbil"]
    assert tbil.plausible(tbil.high / 17.1, "mg/dL") and tbil.plausible(tbil.low, "µmol/L")
    assert not tbil.plausible(tbil.high * 1.001, "µmol/L")


# -- the unit slip -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "value", "unit", "slip"), [
    ("hb", 8.5, "g/L", ("g/dL", 85)),  # the registry's own slip: 8.5 g/dL = 85 g/L
    ("hb", 12, "g/dL", None),  # plausible in its own unit: no slip
    ("hb", 120, "g/L", None),
    ("hb", 120, "g/dL", ("g/L", 120)),
    ("hb", 25, "g/L", None),  # implausible in every unit (250 g/L too): plain implausible
    ("tbil", 0.5, "µmol/L", ("mg/dL", 8.55)),
    ("tbil", 0.5, "mg/dL", None),
    ("tbil", 120, "mg/dL", ("µmol/L", 120)),
    ("tbil", 20, "umol/L", None),
    ("tbil", 5000, "µmol/L", None),  # 5000 mg/dL is no more plausible
    ("creatinine", 1.2, "µmol/L", ("mg/dL", 106.08)),
    ("alb", 3.5, "g/L", ("g/dL", 35)),
    ("anc", 1500, "10^9/L", ("/µL", 1.5)),
    ("plt", 150_000, "10^9/L", ("/µL", 150)),
    ("plt", 150, "10^3/µL", None),  # the same amount as 10^9/L
])
def test_a_value_implausible_in_its_unit_names_the_unit_it_is_plausible_in(key, value, unit, slip):
    test = LABS[key]
    found = test.unit_slip(value, unit)
    if slip is None:
        assert found is None
    else:
        assert found is not None and found[0] == slip[0] and found[1] == pytest.approx(slip[1])
        assert not test.plausible(value, unit) and test.plausible(value, found[0])


def test_the_unit_slip_is_an_error_naming_the_slip_in_english_and_chinese():
    [finding] = _lab({"test": "hb", "value": 8.5, "unit": "g/L"})
    assert (finding.path, finding.severity, finding.code) == ("patients[0].labs[0].value", ERROR, "unit_slip")
    assert finding.message == "8.5 g/L is implausible for haemoglobin: 8.5 g/dL = 85 g/L?"
    assert finding.text("zh") == "血红蛋白为8.5 g/L，不合理：是否应为8.5 g/dL = 85 g/L？"
    [back] = _lab({"test": "tbil", "value": 120, "unit": "mg/dL"})
    assert back.message == "120 mg/dL = 2052 µmol/L is implausible for total bilirubin: 120 µmol/L?"


def test_a_value_implausible_in_every_unit_is_an_error_giving_the_range():
    [finding] = _lab({"test": "hb", "value": 25, "unit": "g/L"})
    assert (finding.path, finding.severity, finding.code) == ("patients[0].labs[0].value", ERROR, "implausible")
    assert finding.message == "25 g/L is implausible for haemoglobin: it must be between 30 and 220 g/L"
    assert CJK.search(finding.text("zh")) and "30至220 g/L" in finding.text("zh")
    [ratio] = _lab({"test": "inr", "value": 12, "unit": "1"})  # INR has no unit to write
    assert ratio.message == "12 is implausible for INR: it must be between 0.5 and 10"


@pytest.mark.parametrize("row", [
    {"test": "hb", "value": 120, "unit": "g/L"},
    {"test": "hb", "value": 12, "unit": "g/dL"},
    {"test": "tbil", "value": 3.0, "unit": "mg/dL"},
    {"test": "creatinine", "value": 80, "unit": "umol/L"},
    {"test": "alt", "value": 45, "unit": "U/L", "uln": 40},
    {"test": "inr", "value": 1.1, "unit": "1"},
    {"test": "hb", "value": "lots", "unit": "g/L"},  # the wrong type is the field's finding, not this rule's
    {"test": 7, "value": 120, "unit": "g/L"},
])
def test_a_plausible_result_has_no_finding(row):
    assert _lab(row) == []


def test_an_unknown_test_and_a_unit_the_test_is_not_given_in_are_errors():
    patient = {"mrn": "L-1", "name": "Lab Patient", "labs": [{"date": "2025-01-02", "test": "ggt", "value": 40,
                                                              "unit": "U/L"}]}
    [test] = Validator().patient(patient, "patients[0]")  # the test is a choice of the catalogue's tests
    assert (test.path, test.severity, test.code) == ("patients[0].labs[0].test", ERROR, "choice")
    assert "'ggt'" in test.message and "tbil, alb, inr" in test.message
    [unit] = _lab({"test": "hb", "value": 120, "unit": "mmol/L"})
    assert (unit.path, unit.severity, unit.code) == ("patients[0].labs[0].unit", ERROR, "lab_unit")
    assert unit.message == "haemoglobin is given in g/L or g/dL, not 'mmol/L'"
    assert unit.text("zh") == "血红蛋白的单位应为g/L或g/dL，不能是'mmol/L'"


def test_an_upper_limit_of_normal_is_for_alt_ast_and_alp_only():
    [uln] = _lab({"test": "hb", "value": 120, "unit": "g/L", "uln": 160})
    assert (uln.path, uln.severity, uln.code) == ("patients[0].labs[0].uln", ERROR, "uln_not_applicable")
    assert "ALT" in uln.message and "谷丙转氨酶" in uln.text("zh")


def test_a_sites_own_catalogue_decides(tmp_path):
    rows = [{"key": "hb", "en": "haemoglobin", "zh": "血红蛋白", "unit": "g/L", "units": {"g/L": 1, "g/dL": 10},
             "plausible": [50, 200]}]
    (tmp_path / "labs.json").write_text(json.dumps({"tests": rows}), encoding="utf-8")
    site = Validator(labs=LabCatalogue.from_file(tmp_path / "labs.json"))
    out: list = []
    site.lab_result({"test": "hb", "value": 45, "unit": "g/L"}, "", out)
    assert [f.code for f in out] == ["implausible"]  # plausible in the bundled catalogue, not in this one
    assert _lab({"test": "hb", "value": 45, "unit": "g/L"}) == []


# -- adverse events ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("written", ["Hypertension", "hypertension", "HYPERTENSION", " Hypertension "])
def test_a_term_is_found_without_regard_to_case(written):
    assert EVENTS.find(written) is EVENTS["Hypertension"] and written in EVENTS
    assert EVENTS.kind(written) == "hypertension"


def test_an_unknown_term_is_kept_with_kind_other_and_a_warning():
    assert EVENTS.find("Hand-foot skin reaction") is None and "Hand-foot skin reaction" not in EVENTS
    assert EVENTS.kind("Hand-foot skin reaction") == OTHER
    with pytest.raises(KeyError):
        EVENTS["Hand-foot skin reaction"]
    [finding] = _event({"term": "Hand-foot skin reaction", "ctcae_grade": 2})
    assert (finding.path, finding.severity, finding.code) == ("patients[0].adverse_events[0].term", WARNING,
                                                              "ae_term_unknown")
    assert "'Hand-foot skin reaction'" in finding.message and CJK.search(finding.text("zh"))


def test_a_grade_the_term_does_not_have_is_an_error():
    [above] = _event({"term": "palmar-plantar erythrodysesthesia syndrome", "ctcae_grade": 4})
    assert (above.path, above.severity, above.code) == ("patients[0].adverse_events[0].ctcae_grade", ERROR,
                                                        "ae_grade")
    assert above.message == "Palmar-plantar erythrodysesthesia syndrome is graded 1 to 3 in CTCAE v5, not 4"
    assert "掌跖红肿综合征" in above.text("zh")
    [below] = _event({"term": "Hepatic failure", "ctcae_grade": 2})
    assert below.message == "Hepatic failure is graded 3 to 5 in CTCAE v5, not 2"


@pytest.mark.parametrize("row", [
    {"term": "Proteinuria", "ctcae_grade": 3},
    {"term": "Hypertension", "ctcae_grade": 5},
    {"term": "Hepatic failure", "ctcae_grade": 3},
    {"term": "Proteinuria", "ctcae_grade": 9},  # outside 1-5: the grade field's own limit says so
    {"term": "Proteinuria"},
    {"term": None, "ctcae_grade": 2},
])
def test_a_grade_the_term_has_no_finding_from_the_catalogue(row):
    assert _event(row) == []


# -- as choice lists -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("source", "catalogue", "key", "zh"), [
    ("lab_catalogue.tests", LABS.tests, "hb", "血红蛋白"),
    ("ae_catalogue.terms", EVENTS.terms, "Proteinuria", "蛋白尿"),
])
def test_a_field_naming_a_catalogue_offers_accepts_and_shows_its_entries(source, catalogue, key, zh):
    field = Field("thing", "Thing", "项目", FieldType.CHOICE, choices_from=source)
    lists, validator = ChoiceLists(), Validator()
    assert lists.options(field) == catalogue and key in lists.keys(field)
    assert validator.choice_keys(field) == tuple(entry.key for entry in catalogue)  # what the schema lists
    assert lists.display(field, key, "zh") == zh
    assert validator.field(field, key, "thing") == []
    assert [f.code for f in validator.field(field, "not-listed", "thing")] == ["choice"]


# -- a malformed catalogue -----------------------------------------------------------------------------------
HB = {"key": "hb", "en": "haemoglobin", "zh": "血红蛋白", "unit": "g/L", "units": {"g/L": 1, "g/dL": 10},
      "plausible": [30, 220]}
PPE = {"term": "Palmar-plantar erythrodysesthesia syndrome", "zh": "手足综合征",
       "kind": "palmar_plantar_erythrodysesthesia", "max_grade": 3}


@pytest.mark.parametrize(("change", "named"), [
    ({"units": {"g/L": 1, "g/dL": 0}}, "hb.units.g/dL must be a number above 0"),
    ({"units": {"g/L": 1, "g/dL": "ten"}}, "hb.units.g/dL"),
    ({"units": []}, "hb.units must be an object"),
    ({"units": {"g/L": 1, "µg/L": 1, "ug/L": 1}}, "hb.units lists 'µg/L' twice"),
    ({"unit": "mg/dL"}, "hb.unit must be one of its units with the factor 1"),
    ({"unit": "g/dL"}, "hb.unit must be one of its units with the factor 1"),
    ({"plausible": [220, 30]}, "hb.plausible must go from low to high"),
    ({"plausible": [30]}, "hb.plausible must be [lowest, highest]"),
    ({"plausable": [30, 220]}, "hb.plausable is not a key of the catalogue"),
    ({"zh": ""}, "hb.zh must be text"),
    ({"uln": "yes"}, "hb.uln must be true or false"),
    ({"key": None}, "entry 1.key must be text"),
])
def test_a_malformed_lab_catalogue_names_the_key_that_is_wrong(tmp_path, change, named):
    path = tmp_path / "lab_catalogue.json"
    path.write_text(json.dumps({"tests": [{**HB, **change}]}), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"lab_catalogue.json: {named}")):
        LabCatalogue.from_file(path)


@pytest.mark.parametrize(("change", "named"), [
    ({"kind": "skin"}, "Palmar-plantar erythrodysesthesia syndrome.kind must be one of hypertension"),
    ({"max_grade": 6}, "Palmar-plantar erythrodysesthesia syndrome.max_grade must be a whole number from 1 to 5"),
    ({"min_grade": 4}, "Palmar-plantar erythrodysesthesia syndrome.min_grade must not be above max_grade (3)"),
    ({"laboratory": 1}, "Palmar-plantar erythrodysesthesia syndrome.laboratory must be true or false"),
    ({"grade": 3}, "Palmar-plantar erythrodysesthesia syndrome.grade is not a key of the catalogue"),
    ({"term": " "}, "entry 1.term must be text"),
])
def test_a_malformed_ae_catalogue_names_the_key_that_is_wrong(tmp_path, change, named):
    path = tmp_path / "ae_catalogue.json"
    path.write_text(json.dumps({"terms": [{**PPE, **change}]}), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"ae_catalogue.json: {named}")):
        AdverseEventCatalogue.from_file(path)


def test_a_catalogue_listing_an_entry_twice_or_not_a_list_or_not_json_is_refused(tmp_path):
    path = tmp_path / "ae_catalogue.json"
    path.write_text(json.dumps({"terms": [PPE, {**PPE, "term": "PALMAR-PLANTAR erythrodysesthesia syndrome"}]}),
                    encoding="utf-8")
    with pytest.raises(ValueError, match="lists 'palmar-plantar erythrodysesthesia syndrome' twice"):
        AdverseEventCatalogue.from_file(path)
    labs = tmp_path / "lab_catalogue.json"
    labs.write_text(json.dumps({"tests": [HB, HB]}), encoding="utf-8")
    with pytest.raises(ValueError, match="lab_catalogue.json: tests lists 'hb' twice"):
        LabCatalogue.from_file(labs)
    path.write_text(json.dumps({"term": []}), encoding="utf-8")
    with pytest.raises(ValueError, match="ae_catalogue.json: 'terms' must be a list of objects"):
        AdverseEventCatalogue.from_file(path)
    path.write_text('{"terms": [', encoding="utf-8")
    with pytest.raises(ValueError, match="ae_catalogue.json: not valid JSON"):
        AdverseEventCatalogue.from_file(path)


def test_the_shipped_files_are_the_ones_read():
    assert LabCatalogue.from_file(resource("lab_catalogue.json")) == LABS
    assert AdverseEventCatalogue.from_file(resource("ae_catalogue.json")) == EVENTS
