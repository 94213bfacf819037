"""Eligibility, rule by rule, as the registry record words it (NCT03838796; the contract's ids and precise rules in
interchange-v2.md): each table is one rule's clinical cases with every boundary, the patients imported as tace-log/2
documents into a real logbook and read back through `Logbook.eligibility`. Child-Pugh and ALBI are checked against
the published formulas' worked values (course-reference.md §2.2)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import replace

import pytest

from tace_log.catalogues import LabCatalogue, default_lab_catalogue
from tace_log.cli import main
from tace_log.course.eligibility import RULES, EligibilityInputs, EligibilityRules, LabResult, completed_years
from tace_log.course.scores import Albi, Span, albi, child_pugh
from tace_log.dictionary import LAB
from tace_log.model import Patient, record_class
from tace_log.protocol import SITE_FILENAME, default_protocol, protocol_for
from tace_log.resources import resource
from tace_log.storage import Logbook
from tace_log.validation import Validator

from .conftest import TODAY

RESECTION, SCREEN, CONSENT, ENROL = "2025-03-10", "2025-03-24", "2025-03-26", "2025-03-28"
PANEL_DATE = "2025-03-25"  # the screening blood draw, between screening and consent
# A patient who meets every rule with room to spare: each case changes one thing.
PANEL = {"tbil": (12, "µmol/L"), "alb": (42, "g/L"), "inr": (1.0, "1"), "ast": (30, "U/L"), "alt": (30, "U/L"),
         "alp": (90, "U/L"), "anc": (3.0, "10^9/L"), "hb": (130, "g/L"), "plt": (180, "10^9/L")}
ULN = {"ast": 40, "alt": 40, "alp": 120}
FLAGS = ("prior_lenvatinib", "sorafenib_allergy", "pregnant_or_lactating", "other_malignancy", "mental_illness",
         "other_trial_within_3_months", "prohibited_postop_therapy")


def _lab(test: str, value: float, unit: str, date: str = PANEL_DATE, **extra) -> dict:
    row = {"id": str(uuid.uuid4()), "date": date, "test": test, "value": value, "unit": unit, **extra}
    if test in ULN and "uln" not in extra:
        row["uln"] = ULN[test]
    return row


def eligible_patient(mrn: str) -> dict:
    return {
        "mrn": mrn, "name": "Eligible Patient", "sex": "M", "birth_date": "1965-06-15", "weight_kg": 66,
        "arm": "lenvatinib_tace", "resection_date": RESECTION, "resection_margin": "R0",
        "pathology": {"hcc_confirmed": True, "mvi": "M2", "tumor_count": 3, "max_diameter_cm": 5.0,
                      "capsule": "complete", "margin_clear": True, "thrombus": [], "rupture": False,
                      "adjacent_invasion": False},
        "screening": {"screen_date": SCREEN, "consent_date": CONSENT, "enrolled": True, "enrol_date": ENROL,
                      "arm_basis": "patient_choice", "resection_intent": "curative", "asa": 2, "ecog": 0,
                      "ascites": "none", "encephalopathy": "none", **dict.fromkeys(FLAGS, False)},
        "labs": [_lab(test, value, unit) for test, (value, unit) in PANEL.items()],
    }


# -- editing the eligible patient: each case is a list of these ------------------------------------------------
Edit = Callable[[dict], None]


def at(path: str, value) -> Edit:
    """Set a key by its path in the patient's document (`pathology.mvi`); None removes it (not recorded)."""
    *parents, key = path.split(".")

    def edit(doc: dict) -> None:
        for part in parents:
            doc = doc[part]
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return edit


def lab(test: str, value: float, unit: str, **extra) -> Edit:
    """The screening panel's result of `test` replaced by this one."""
    def edit(doc: dict) -> None:
        doc["labs"] = [row for row in doc["labs"] if row["test"] != test] + [_lab(test, value, unit, **extra)]
    return edit


def added(test: str, value: float, unit: str, date: str, **extra) -> Edit:
    """Another result of `test`, recorded after the others."""
    def edit(doc: dict) -> None:
        doc["labs"].append(_lab(test, value, unit, date, **extra))
    return edit


def without_lab(test: str) -> Edit:
    def edit(doc: dict) -> None:
        doc["labs"] = [row for row in doc["labs"] if row["test"] != test]
    return edit


# -- the tables: (case, edits, the rule's verdict, the inputs it says are missing) -----------------------------
AGE = [  # INC-AGE: 18-75 in completed years at consent; consent 2025-03-26
    ("exactly 75 on the day of consent", [at("birth_date", "1950-03-26")], True, ()),
    ("75 years and 364 days", [at("birth_date", "1949-03-27")], True, ()),
    ("76 on the day of consent", [at("birth_date", "1949-03-26")], False, ()),
    ("exactly 18 on the day of consent", [at("birth_date", "2007-03-26")], True, ()),
    ("18 the day after consent", [at("birth_date", "2007-03-27")], False, ()),
    ("born 29 Feb: 18 on 1 Mar of a common year", [at("birth_date", "2008-02-29"), at("resection_date", "2026-02-02"),
                                                   at("screening.screen_date", "2026-02-20"),
                                                   at("screening.consent_date", "2026-03-01"),
                                                   at("screening.enrol_date", "2026-03-02")], True, ()),
    ("born 29 Feb: still 17 on 28 Feb of a common year", [
        at("birth_date", "2008-02-29"), at("resection_date", "2026-02-02"), at("screening.screen_date", "2026-02-20"),
        at("screening.consent_date", "2026-02-28"), at("screening.enrol_date", "2026-03-02")], False, ()),
    ("no consent date: the age at screening", [at("birth_date", "1949-03-25"), at("screening.consent_date", None),
                                               at("screening.enrolled", False), at("screening.enrol_date", None),
                                               at("screening.arm_basis", None)], True, ()),
    ("birth date not recorded", [at("birth_date", None)], None, ("birth_date",)),
]
HIGH_RISK = [  # INC-HIGH-RISK: A (MVI M2 and number, size or margin), B (tumour thrombus) or C (rupture, invasion)
    ("M2 with 3 tumours", [], True, ()),
    ("M2 with 2 tumours of 5 cm, clear margin", [at("pathology.tumor_count", 2)], False, ()),
    ("M1 with 5 tumours", [at("pathology.mvi", "M1"), at("pathology.tumor_count", 5)], False, ()),
    ("M2, a single 8.0 cm tumour (>= 8 cm)", [at("pathology.tumor_count", 1), at("pathology.max_diameter_cm", 8.0)],
     True, ()),
    ("M2, a single 7.9 cm tumour", [at("pathology.tumor_count", 1), at("pathology.max_diameter_cm", 7.9)], False, ()),
    ("M2, margin not clear and capsule incomplete", [
        at("pathology.tumor_count", 1), at("pathology.margin_clear", False), at("pathology.capsule", "incomplete")],
     True, ()),
    ("M2, margin not clear but capsule complete", [
        at("pathology.tumor_count", 1), at("pathology.margin_clear", False)], False, ()),
    ("M0 with a portal vein thrombus", [at("pathology.mvi", "M0"), at("pathology.thrombus", ["portal_vein"])], True,
     ()),
    ("M0 with a bile duct thrombus", [at("pathology.mvi", "M0"), at("pathology.thrombus", ["bile_duct"])], True, ()),
    ("M0 with preoperative rupture", [at("pathology.mvi", "M0"), at("pathology.rupture", True)], True, ()),
    ("M0 invading an adjacent organ", [at("pathology.mvi", "M0"), at("pathology.adjacent_invasion", True)], True, ()),
    ("MVI not recorded, 3 tumours", [at("pathology.mvi", None)], None, ("pathology.mvi",)),
    ("M2, tumour number not recorded", [at("pathology.tumor_count", None)], None, ("pathology.tumor_count",)),
    ("MVI not recorded but a thrombus", [at("pathology.mvi", None), at("pathology.thrombus", ["hepatic_vein"])], True,
     ()),
]
LABS = [  # INC-TBIL <= 3.0 mg/dL, INC-ALB >= 28 g/L, INC-ANC >= 1.5, INC-HB >= 8.5 g/dL, INC-PLT >= 75, INC-INR <= 2.3
    ("INC-TBIL", "bilirubin 3.0 mg/dL", [lab("tbil", 3.0, "mg/dL")], True, ()),
    ("INC-TBIL", "bilirubin 51.3 µmol/L", [lab("tbil", 51.3, "µmol/L")], True, ()),
    ("INC-TBIL", "bilirubin 51.4 µmol/L", [lab("tbil", 51.4, "µmol/L")], False, ()),
    ("INC-TBIL", "bilirubin 3.1 mg/dL", [lab("tbil", 3.1, "mg/dL")], False, ()),
    ("INC-TBIL", "bilirubin written umol/L", [lab("tbil", 51.3, "umol/L")], True, ()),
    ("INC-TBIL", "bilirubin < 20 µmol/L: the bound settles it", [lab("tbil", 20, "µmol/L", qualifier="<")], True, ()),
    ("INC-TBIL", "bilirubin < 60 µmol/L: it does not", [lab("tbil", 60, "µmol/L", qualifier="<")], None,
     ("labs.tbil",)),
    ("INC-TBIL", "bilirubin > 3.0 mg/dL", [lab("tbil", 3.0, "mg/dL", qualifier=">")], False, ()),
    ("INC-TBIL", "bilirubin > 40 µmol/L", [lab("tbil", 40, "µmol/L", qualifier=">")], None, ("labs.tbil",)),
    ("INC-TBIL", "no bilirubin", [without_lab("tbil")], None, ("labs.tbil",)),
    ("INC-ALB", "albumin 28 g/L", [lab("alb", 28, "g/L")], True, ()),
    ("INC-ALB", "albumin 2.8 g/dL", [lab("alb", 2.8, "g/dL")], True, ()),
    ("INC-ALB", "albumin 27.9 g/L", [lab("alb", 27.9, "g/L")], False, ()),
    ("INC-ANC", "neutrophils exactly 1.5", [lab("anc", 1.5, "10^9/L")], True, ()),
    ("INC-ANC", "neutrophils 1500 /µL", [lab("anc", 1500, "/µL")], True, ()),
    ("INC-ANC", "neutrophils 1.49", [lab("anc", 1.49, "10^9/L")], False, ()),
    ("INC-ANC", "neutrophils < 1.5", [lab("anc", 1.5, "10^9/L", qualifier="<")], False, ()),
    ("INC-HB", "haemoglobin exactly 85 g/L", [lab("hb", 85, "g/L")], True, ()),
    ("INC-HB", "haemoglobin exactly 8.5 g/dL", [lab("hb", 8.5, "g/dL")], True, ()),
    ("INC-HB", "haemoglobin 84 g/L", [lab("hb", 84, "g/L")], False, ()),
    ("INC-HB", "haemoglobin 8.4 g/dL", [lab("hb", 8.4, "g/dL")], False, ()),
    ("INC-PLT", "platelets exactly 75", [lab("plt", 75, "10^9/L")], True, ()),
    ("INC-PLT", "platelets 75 x 10^3/µL", [lab("plt", 75, "10^3/µL")], True, ()),
    ("INC-PLT", "platelets 74", [lab("plt", 74, "10^9/L")], False, ()),
    ("INC-INR", "INR exactly 2.3", [lab("inr", 2.3, "1")], True, ()),
    ("INC-INR", "INR 2.31", [lab("inr", 2.31, "1")], False, ()),
    # AST, ALT, ALP <= 5 x ULN, each against the ULN its own result carries
    ("INC-AST", "AST 200 with ULN 40 (5 x ULN)", [lab("ast", 200, "U/L")], True, ()),
    ("INC-AST", "AST 201 with ULN 40", [lab("ast", 201, "U/L")], False, ()),
    ("INC-ALT", "ALT 250 with its lab's ULN 50", [lab("alt", 250, "U/L", uln=50)], True, ()),
    ("INC-ALT", "ALT 250 with ULN 40", [lab("alt", 250, "U/L", uln=40)], False, ()),
    ("INC-ALP", "ALP 600 with ULN 120", [lab("alp", 600, "U/L")], True, ()),
    ("INC-ALP", "ALP 601 with ULN 120", [lab("alp", 601, "U/L")], False, ()),
    ("INC-ALP", "ALP without its ULN", [lab("alp", 90, "U/L", uln=None)], None, ("labs.alp.uln",)),
]
WHICH_RESULT = [  # each lab rule reads the latest result on or before enrolment, else consent, else screening
    ("a later result before enrolment wins", [added("hb", 80, "g/L", "2025-03-20"), added("hb", 120, "g/L", ENROL)],
     True, ()),
    ("a low result after enrolment is not read", [added("hb", 70, "g/L", "2025-03-29")], True, ()),
    ("a low result on the enrolment day is read", [added("hb", 70, "g/L", ENROL)], False, ()),
    ("on one date, the one recorded last wins", [added("hb", 70, "g/L", PANEL_DATE),
                                                 added("hb", 90, "g/L", PANEL_DATE)], True, ()),
    ("on one date, the one recorded last wins (low)", [added("hb", 90, "g/L", PANEL_DATE),
                                                      added("hb", 70, "g/L", PANEL_DATE)], False, ()),
    ("a result before the resection is not read", [without_lab("hb"), added("hb", 130, "g/L", "2025-03-08")], None,
     ("labs.hb",)),
    ("not enrolled: read up to the consent date", [
        at("screening.enrolled", False), at("screening.enrol_date", None), at("screening.arm_basis", None),
        added("hb", 70, "g/L", "2025-03-27")], True, ()),
    ("no consent: read up to the screening date", [
        at("screening.enrolled", False), at("screening.enrol_date", None), at("screening.arm_basis", None),
        at("screening.consent_date", None), without_lab("hb"), added("hb", 130, "g/L", SCREEN),
        added("hb", 70, "g/L", PANEL_DATE)], True, ()),
]
SCREENING = [  # the screening's own items: (rule, case, edits, verdict, missing)
    ("INC-HCC-PATHOLOGY", "pathology HCC", [], True, ()),
    ("INC-HCC-PATHOLOGY", "pathology not HCC", [at("pathology.hcc_confirmed", False)], False, ()),
    ("INC-HCC-PATHOLOGY", "pathology not recorded", [at("pathology.hcc_confirmed", None)], None,
     ("pathology.hcc_confirmed",)),
    ("INC-ASA", "ASA III", [at("screening.asa", 3)], True, ()),
    ("INC-ASA", "ASA IV", [at("screening.asa", 4)], False, ()),
    ("INC-ASA", "ASA not recorded", [at("screening.asa", None)], None, ("screening.asa",)),
    ("INC-ECOG", "ECOG 1 (less than 2 points)", [at("screening.ecog", 1)], True, ()),
    ("INC-ECOG", "ECOG 2", [at("screening.ecog", 2)], False, ()),
    ("INC-ECOG", "ECOG not recorded", [at("screening.ecog", None)], None, ("screening.ecog",)),
    ("INC-TX-HISTORY", "lenvatinib before", [at("screening.prior_lenvatinib", True)], False, ()),
    ("INC-TX-HISTORY", "allergic to sorafenib", [at("screening.sorafenib_allergy", True)], False, ()),
    ("INC-TX-HISTORY", "prior lenvatinib not recorded", [at("screening.prior_lenvatinib", None)], None,
     ("screening.prior_lenvatinib",)),
    ("EXC-R1-R2-OR-PALLIATIVE", "R1 resection", [at("resection_margin", "R1")], False, ()),
    ("EXC-R1-R2-OR-PALLIATIVE", "R2 resection", [at("resection_margin", "R2")], False, ()),
    ("EXC-R1-R2-OR-PALLIATIVE", "palliative resection", [at("screening.resection_intent", "palliative")], False, ()),
    ("EXC-R1-R2-OR-PALLIATIVE", "intent not recorded", [at("screening.resection_intent", None)], None,
     ("screening.resection_intent",)),
    ("EXC-PREGNANT-OR-LACTATING", "a man, pregnancy not recorded", [at("screening.pregnant_or_lactating", None)],
     True, ()),
    ("EXC-PREGNANT-OR-LACTATING", "a woman, neither", [at("sex", "F")], True, ()),
    ("EXC-PREGNANT-OR-LACTATING", "a woman, pregnant or lactating", [at("sex", "F"),
                                                                     at("screening.pregnant_or_lactating", True)],
     False, ()),
    ("EXC-PREGNANT-OR-LACTATING", "a woman, not recorded", [
        at("sex", "F"), at("screening.pregnant_or_lactating", None)], None, ("screening.pregnant_or_lactating",)),
    *[(rule, f"{flag} recorded", [at(f"screening.{flag}", True)], False, ()) for rule, flag in (
        ("EXC-OTHER-MALIGNANCY", "other_malignancy"), ("EXC-MENTAL-ILLNESS", "mental_illness"),
        ("EXC-OTHER-TRIAL-WITHIN-3-MONTHS", "other_trial_within_3_months"),
        ("EXC-PROHIBITED-POSTOP-THERAPY", "prohibited_postop_therapy"))],
    ("EXC-OTHER-MALIGNANCY", "other malignancy not recorded", [at("screening.other_malignancy", None)], None,
     ("screening.other_malignancy",)),
]
CHILD_PUGH = [  # INC-CHILD-PUGH-A: the binding rule; (case, edits, verdict, missing, score, class)
    ("every input normal", [], True, (), 5, "A"),
    ("at every registry lab limit: 2+2+2+1+1", [lab("tbil", 3.0, "mg/dL"), lab("alb", 28, "g/L"), lab("inr", 2.3, "1")],
     False, (), 8, "B"),
    ("bilirubin 2.0 mg/dL and albumin 35 g/L: 2+2+1+1+1", [lab("tbil", 2.0, "mg/dL"), lab("alb", 35, "g/L")], False,
     (), 7, "B"),
    ("mild ascites only", [at("screening.ascites", "mild")], True, (), 6, "A"),
    ("ascites not recorded", [at("screening.ascites", None)], None, ("screening.ascites",), None, None),
    ("bilirubin < 20 µmol/L: 1 point whatever it is", [lab("tbil", 20, "µmol/L", qualifier="<")], True, (), 5, "A"),
    ("no INR, the rest 2 points each: class B or C", [without_lab("inr"), lab("tbil", 40, "µmol/L"),
                                                     lab("alb", 30, "g/L"), at("screening.ascites", "mild"),
                                                     at("screening.encephalopathy", "grade_1_2")], False, (), None,
     None),
]


def _cases() -> dict[str, list[Edit]]:
    found: dict[str, list[Edit]] = {"ELIGIBLE": []}
    for name, edits, *_ in AGE + HIGH_RISK + WHICH_RESULT:
        found[name] = edits
    for _rule, name, edits, *_ in LABS + SCREENING:
        found[name] = edits
    for name, edits, *_ in CHILD_PUGH:
        found[f"cp: {name}"] = edits
    return found


def _document(cases: dict[str, list[Edit]]) -> dict:
    """A tace-log/2 document of one patient per case, its MRN the case's number in the order given."""
    patients = []
    for number, edits in enumerate(cases.values()):
        doc = eligible_patient(f"HS-{number + 1}")
        for edit in edits:
            edit(doc)
        patients.append(doc)
    return {"format": "tace-log/2", "patients": patients}


def _evaluated(path, cases: dict[str, list[Edit]]) -> dict:
    """Each case's eligibility, by its name, once imported into a logbook at `path` (a protocol.json beside it in
    force)."""
    with Logbook.open(path, validator=Validator(today=TODAY, protocol=protocol_for(path))) as book:
        book.import_document(_document(cases))
        by_mrn = {r.mrn: r for r in book.eligibility.evaluate()}
    return {name: by_mrn[f"HS-{number + 1}"] for number, name in enumerate(cases)}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every case of every table, one patient each (the case names their MRN), in one logbook."""
    return _evaluated(tmp_path_factory.mktemp("eligibility") / "logbook.sqlite", _cases())


def _rule(result, rule: str):
    return result.rules[rule]


def test_a_patient_meeting_every_rule_is_eligible(results):
    result = results["ELIGIBLE"]
    assert (result.eligible, result.failed_rules, result.missing) == (True, [], [])
    assert list(result.rules) == list(RULES)
    assert (result.child_pugh.score, result.child_pugh.cls, result.albi.grade, result.age_at_consent) == (5, "A", 1, 59)


@pytest.mark.parametrize(("case", "edits", "passed", "missing"), AGE, ids=[c[0] for c in AGE])
def test_age_is_18_to_75_in_completed_years_at_consent(results, case, edits, passed, missing):
    result = results[case]
    assert _rule(result, "INC-AGE") == (passed, missing)
    assert result.eligible is not True if passed is not True else result.eligible in (True, None)


def test_the_age_reported_is_the_completed_years_at_consent(results):
    assert results["exactly 75 on the day of consent"].age_at_consent == 75
    assert results["75 years and 364 days"].age_at_consent == 75
    assert results["born 29 Feb: 18 on 1 Mar of a common year"].age_at_consent == 18
    assert results["born 29 Feb: still 17 on 28 Feb of a common year"].age_at_consent == 17
    assert results["birth date not recorded"].age_at_consent is None


@pytest.mark.parametrize(("born", "on", "years"), [
    ("2000-02-29", "2001-02-28", 0), ("2000-02-29", "2001-03-01", 1), ("2000-02-29", "2004-02-29", 4),
    ("2000-02-29", "2004-02-28", 3), ("1950-03-26", "2025-03-25", 74), ("1950-03-26", "2025-03-26", 75),
    ("1950-12-31", "2025-01-01", 74),
])
def test_completed_years_with_a_leap_day_birth_falling_on_1_march(born, on, years):
    assert completed_years(dt.date.fromisoformat(born), dt.date.fromisoformat(on)) == years


@pytest.mark.parametrize(("case", "edits", "passed", "missing"), HIGH_RISK, ids=[c[0] for c in HIGH_RISK])
def test_high_risk_is_any_of_its_three_parts(results, case, edits, passed, missing):
    assert _rule(results[case], "INC-HIGH-RISK") == (passed, missing)


def test_the_high_risk_parts_are_reported_each(results):
    parts = results["M0 with a portal vein thrombus"].high_risk_parts
    assert {part: verdict[0] for part, verdict in parts.items()} == {"A": False, "B": True, "C": False}
    parts = results["M2, margin not clear and capsule incomplete"].high_risk_parts
    assert {part: verdict[0] for part, verdict in parts.items()} == {"A": True, "B": False, "C": False}


@pytest.mark.parametrize(("rule", "case", "edits", "passed", "missing"), LABS, ids=[c[1] for c in LABS])
def test_each_lab_limit_in_canonical_units(results, rule, case, edits, passed, missing):
    assert _rule(results[case], rule) == (passed, missing)


@pytest.mark.parametrize(("case", "edits", "passed", "missing"), WHICH_RESULT, ids=[c[0] for c in WHICH_RESULT])
def test_which_result_a_lab_rule_reads(results, case, edits, passed, missing):
    assert _rule(results[case], "INC-HB") == (passed, missing)


@pytest.mark.parametrize(("rule", "case", "edits", "passed", "missing"), SCREENING, ids=[c[1] for c in SCREENING])
def test_the_screening_rules(results, rule, case, edits, passed, missing):
    result = results[case]
    assert _rule(result, rule) == (passed, missing)
    assert result.eligible is passed
    assert result.failed_rules == ([] if passed is not False else [rule])
    assert result.missing == list(missing)


@pytest.mark.parametrize(("case", "edits", "passed", "missing", "score", "cls"), CHILD_PUGH,
                         ids=[c[0] for c in CHILD_PUGH])
def test_child_pugh_a_is_the_binding_rule(results, case, edits, passed, missing, score, cls):
    result = results[f"cp: {case}"]
    assert _rule(result, "INC-CHILD-PUGH-A") == (passed, missing)
    assert (result.child_pugh.score, result.child_pugh.cls) == (score, cls)


def test_a_patient_at_every_registry_lab_limit_is_child_pugh_b_and_not_eligible(results):
    """course-reference.md §2.2: "A patient at every registry lab limit (TBil 51.3 µmol/L, Alb 28 g/L, INR 2.3)
    scores 8: class B"; every lab rule passes and Child-Pugh A alone fails."""
    result = results["cp: at every registry lab limit: 2+2+2+1+1"]
    assert result.failed_rules == ["INC-CHILD-PUGH-A"] and result.eligible is False
    assert all(result.rules[rule] == (True, ()) for rule in ("INC-TBIL", "INC-ALB", "INC-INR"))
    assert result.as_json()["child_pugh"] == {"score": 8, "class": "B"}


def test_a_missing_input_makes_the_verdict_unknown_and_names_it(results):
    result = results["ECOG not recorded"]
    assert result.as_json() == {"mrn": result.mrn, "eligible": None, "failed_rules": [],
                                "missing": ["screening.ecog"], "child_pugh": {"score": 5, "class": "A"},
                                "albi": {"score": result.albi.score, "grade": 1}, "age_at_consent": 59}


def test_a_failed_rule_decides_while_another_input_is_missing(tmp_path):
    cases = {"failing and missing": [at("screening.ecog", None), at("screening.asa", 4)]}
    result = _evaluated(tmp_path / "l.sqlite", cases)["failing and missing"]
    assert (result.eligible, result.failed_rules, result.missing) == (False, ["INC-ASA"], ["screening.ecog"])


def test_a_patient_without_a_screening_is_unknown_with_every_screening_input_missing(tmp_path):
    cases = {"not screened": [at("screening", None)]}
    result = _evaluated(tmp_path / "l.sqlite", cases)["not screened"]
    assert result.eligible is None and result.failed_rules == []
    assert {"screening.consent_date", "screening.asa", "screening.ecog", "screening.ascites"} <= set(result.missing)
    assert not any(path.startswith("labs.") for path in result.missing)  # no reference date: the date is missing


# -- protocol settings: a site protocol.json beside the logbook ------------------------------------------------
def _site_protocol(folder, **eligibility) -> None:
    data = json.loads(resource("protocol.json").read_text(encoding="utf-8"))
    for key, value in eligibility.items():
        if key in ("count_inclusive", "size_inclusive"):
            data["eligibility"]["high_risk"][key] = value
        else:
            data["eligibility"][key] = value
    (folder / SITE_FILENAME).write_text(json.dumps(data), encoding="utf-8")


SINGLE_8_CM = [at("pathology.tumor_count", 1), at("pathology.max_diameter_cm", 8.0)]
THREE_TUMOURS = [at("pathology.tumor_count", 3)]


@pytest.mark.parametrize(("setting", "edits", "passed"), [
    ({}, SINGLE_8_CM, True),  # the registry's ">= 8 cm", the default
    ({"size_inclusive": True}, SINGLE_8_CM, True),
    ({"size_inclusive": False}, SINGLE_8_CM, False),  # the ESMO abstract's "larger than 8 cm"
    ({"size_inclusive": False}, [at("pathology.tumor_count", 1), at("pathology.max_diameter_cm", 8.1)], True),
    ({"count_inclusive": True}, THREE_TUMOURS, True),
    ({"count_inclusive": False}, THREE_TUMOURS, False),  # "more than 3"
    ({"count_inclusive": False}, [at("pathology.tumor_count", 4)], True),
], ids=["default: 8.0 cm", "inclusive: 8.0 cm", "exclusive: 8.0 cm", "exclusive: 8.1 cm", "inclusive: 3 tumours",
        "exclusive: 3 tumours", "exclusive: 4 tumours"])
def test_the_high_risk_cut_offs_follow_the_protocol(tmp_path, setting, edits, passed):
    if setting:
        _site_protocol(tmp_path, **setting)
    result = _evaluated(tmp_path / "l.sqlite", {"case": edits})["case"]
    assert result.rules["INC-HIGH-RISK"] == (passed, ())


@pytest.mark.parametrize(("max_age", "passed", "missing"), [
    (None, True, ()), (14, None, ("labs.hb",)), (30, True, ())])
def test_labs_max_age_days_leaves_an_older_result_unread(tmp_path, max_age, passed, missing):
    if max_age is not None:
        _site_protocol(tmp_path, labs_max_age_days=max_age)
    old = [without_lab("hb"), added("hb", 130, "g/L", "2025-03-11")]  # 17 days before enrolment
    result = _evaluated(tmp_path / "l.sqlite", {"case": old})["case"]
    assert result.rules["INC-HB"] == (passed, missing)


def test_a_result_saved_later_on_the_same_date_is_the_one_read(tmp_path):
    """Through save_patient: a result added to the stored list on the panel's date is recorded last."""
    with Logbook.open(tmp_path / "l.sqlite", validator=Validator(today=TODAY)) as book:
        book.save_patient(Patient.from_document(eligible_patient("SAVED")))
        assert book.eligibility.evaluate("SAVED")[0].eligible is True
        patient = book.find_patient_by_mrn("SAVED")
        patient.labs.append(record_class(LAB)(date=dt.date.fromisoformat(PANEL_DATE), test="plt", value=60,
                                              unit="10^9/L"))
        book.save_patient(patient)
        result = book.eligibility.evaluate("SAVED")[0]
        assert (result.eligible, result.failed_rules) == (False, ["INC-PLT"])
        assert book.eligibility.evaluate("NOBODY") == []


# -- the scores against the published formulas' values (course-reference.md §2.2) -----------------------------
@pytest.mark.parametrize(("tbil", "alb", "score", "grade"), [
    # "TBil 14 µmol/L with Alb 40 g/L gives −2.644 (grade 1). With Alb 38 it gives −2.474 (grade 2). TBil 20, Alb 36
    # gives −2.201 (grade 2). TBil 51.3, Alb 28 gives −1.251 (grade 3)."
    (14, 40, -2.644, 1), (14, 38, -2.474, 2), (20, 36, -2.201, 2), (51.3, 28, -1.251, 3)])
def test_albi_against_the_worked_values(tbil, alb, score, grade):
    result = albi(tbil, alb)
    assert round(result.score, 3) == score and result.grade == grade


def test_albi_grade_settled_by_a_bound_and_not_by_a_missing_input():
    assert albi(Span.reading(5, "<"), 45) == Albi(None, 1)  # every score below 0.66 log10(5) - 0.085 x 45 = -3.36
    assert albi(Span.reading(40, "<"), 30).grade is None  # below 40 µmol/L may be any grade at albumin 30
    assert albi(None, 40) == Albi(None, None)


@pytest.mark.parametrize(("tbil", "alb", "inr", "ascites", "encephalopathy", "score", "cls"), [
    # "TBil 3.0 mg/dL, Alb 28 g/L and INR 2.3 score 2+2+2, plus 1+1, for a total of 8" (51.3 µmol/L = 3.0 mg/dL)
    (51.3, 28, 2.3, "none", "none", 8, "B"),
    (3.0 * 17.1, 28, 2.3, "none", "none", 8, "B"),
    (34.1, 35.1, 1.69, "none", "none", 5, "A"),  # just inside the 1-point bands
    (34.2, 35, 1.7, "none", "none", 8, "B"),  # each 2-point band from its lower end
    (51.4, 27.9, 2.31, "none", "none", 11, "C"),  # each 3-point band
    (20, 40, 1.1, "moderate_severe", "grade_3_4", 9, "B"),
    (60, 25, 2.5, "moderate_severe", "grade_3_4", 15, "C"),
    (20, 40, 1.1, None, "none", None, None),  # 5-7: A or B
    (60, 25, 2.5, None, "grade_3_4", None, "C"),  # 13-15: C whatever the ascites
])
def test_child_pugh_score_and_class(tbil, alb, inr, ascites, encephalopathy, score, cls):
    result = child_pugh(tbil, alb, inr, ascites, encephalopathy)
    assert (result.score, result.cls) == (score, cls)


# -- the command ---------------------------------------------------------------------------------------------
def test_the_eligibility_command_prints_the_contracts_json_alone(tmp_path, capsys):
    db = str(tmp_path / "l.sqlite")
    document = tmp_path / "course.json"
    document.write_text(json.dumps(_document({"HS-1": [], "HS-2": [at("screening.ecog", None)],
                                              "HS-3": [at("birth_date", "1949-03-26")]}), ensure_ascii=False),
                        encoding="utf-8")
    assert main(["--db", db, "import", str(document)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "eligibility", "--json"]) == 0
    out, err = capsys.readouterr()
    listed = json.loads(out)
    assert [row["mrn"] for row in listed] == ["HS-1", "HS-2", "HS-3"]
    for row in listed:
        assert list(row) == ["mrn", "eligible", "failed_rules", "missing", "child_pugh", "albi", "age_at_consent"]
        assert list(row["child_pugh"]) == ["score", "class"] and list(row["albi"]) == ["score", "grade"]
    assert [(r["eligible"], r["failed_rules"], r["missing"]) for r in listed] == [
        (True, [], []), (None, [], ["screening.ecog"]), (False, ["INC-AGE"], [])]
    assert (listed[0]["child_pugh"], listed[0]["albi"]["grade"], listed[0]["age_at_consent"]) == \
        ({"score": 5, "class": "A"}, 1, 59)
    assert err.startswith("protocol: ") and err.count("\n") == 1
    assert main(["--db", db, "eligibility", "HS-3", "--json"]) == 0
    assert [row["mrn"] for row in json.loads(capsys.readouterr().out)] == ["HS-3"]
    assert main(["--db", db, "eligibility", "HS-3"]) == 0
    table = capsys.readouterr().out
    assert "not eligible" in table and "INC-AGE" in table and "age 18-75 years at consent" in table
    assert main(["--db", db, "eligibility", "HS-404"]) == 1
    assert "no patient with MRN 'HS-404'" in capsys.readouterr().err


def test_a_logbook_from_before_the_course_is_read_as_it_is(tmp_path):
    """A logbook of schema 6 (no screenings or labs yet), opened read-only and never upgraded: every patient is listed,
    the course's inputs missing."""
    path = tmp_path / "l.sqlite"
    with Logbook.open(path, validator=Validator(today=TODAY)) as book:
        book.import_document(_document({"stored": []}))
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 6")
    connection.close()
    book = Logbook.read_only(path)
    try:
        (result,) = book.eligibility.evaluate()
    finally:
        book.close()
    assert result.eligible is None and result.age_at_consent is None
    assert {"pathology.hcc_confirmed", "screening.consent_date", "screening.ecog"} <= set(result.missing)
    assert result.rules["INC-HIGH-RISK"] == (True, ())  # the pathology is older than the course


def test_a_result_in_a_unit_the_catalogue_no_longer_takes_is_not_read():
    """A site catalogue that dropped g/dL for albumin: a result stored in it is no value to compare, not a crash."""
    catalogue = default_lab_catalogue()
    site = LabCatalogue(tuple(replace(t, factors={"g/L": 1}) if t.key == "alb" else t for t in catalogue.tests))
    day = dt.date(2025, 3, 25)
    inputs = EligibilityInputs(mrn="X", resection_date=dt.date(2025, 3, 10), screen_date=day,
                               labs=(LabResult("alb", day, 0, 2.8, "g/dL"), LabResult("hb", day, 1, 8.5, "g/dL")))
    result = EligibilityRules(default_protocol(), site).evaluate(inputs)
    assert result.rules["INC-ALB"] == (None, ("labs.alb",))
    assert result.rules["INC-HB"] == (True, ())
