"""Every record rule of the patient's course (../shared/interchange-v2.md), one row each: a whole tace-log/2 document
with one thing changed goes through `Logbook.import_document`, and exactly these findings come back, with the
document's paths, their severities and message keys; an error refuses the import and writes nothing. Every finding
says it in Chinese too."""

from __future__ import annotations

import re

import pytest

from tace_log.errors import InvalidInputError
from tace_log.findings import ERROR, WARNING
from tace_log.protocol import protocol_for
from tace_log.storage import Logbook
from tace_log.validation import Validator

from .conftest import TODAY
from .course_example import AE_ID, with_course
from .test_protocol import site_file, with_tace_only_arm

P = "patients[0]"
TOMORROW = "2026-11-25"
assert TOMORROW > TODAY.isoformat()
CJK = re.compile("[\u4e00-\u9fff]")


def error(path: str, key: str) -> tuple[str, str, str]:
    return f"{P}.{path}", ERROR, key


def warning(path: str, key: str) -> tuple[str, str, str]:
    return f"{P}.{path}", WARNING, key


def edit(part: str, index: int | None = None, **values):
    """A change to one record of the course: `edit("labs", 0, value=8.5)`, `edit("screening", enrolled=False)`."""
    def change(patient: dict) -> None:
        record = patient[part] if index is None else patient[part][index]
        record.update(values)
    return change


def record(part: str, doc: dict | None):
    """A change that sets one of the patient's optional records (a death, a withdrawal) or a list."""
    def change(patient: dict) -> None:
        patient[part] = doc
    return change


def both(*changes):
    def change(patient: dict) -> None:
        for c in changes:
            c(patient)
    return change


DEATH = {"date": "2025-06-01", "cause": "hcc_progression", "source": "family"}
SECOND_PERIOD = {"id": "7d2c4e6a-0b1f-4c3d-9e8f-1a2b3c4d5e02", "start": "2024-11-20", "dose_mg": 4, "frequency": "qd"}
PHONE = {"type": "phone", "modality": None, "result": None}

ROWS = [
    # -- valid: no finding at all --------------------------------------------------------------------------------
    pytest.param(lambda p: None, [], None, id="the valid course"),
    pytest.param(edit("labs", 2, unit="umol/L", value=15.4), [], None, id="µ written u"),
    pytest.param(edit("labs", 2, unit="\u03bcmol/L", value=15.4), [], None, id="µ written as Greek mu"),
    pytest.param(edit("adverse_events", 0, term="HYPERTENSION"), [], None, id="an AE term in any case"),
    pytest.param(edit("lenvatinib", 0, adverse_event_id=AE_ID.upper()), [], None, id="an AE id in capitals"),
    pytest.param(both(record("death", {**DEATH, "date": "2024-12-10"}), edit("follow_ups", 0, alive=False, **PHONE)),
                 [], None, id="death before a phone call saying so"),
    pytest.param(both(record("death", {**DEATH, "date": "2024-12-10"}),
                      record("lost_to_follow_up", {"declared_date": "2025-06-01", "attempt_dates": []})),
                 [], None, id="death before a loss-to-follow-up declaration"),
    pytest.param(record("death", {**DEATH, "date": "2024-12-02"}), [], None, id="death on the day of a follow-up"),
    pytest.param(both(record("withdrawal", {"date": "2025-01-10", "reason": "consent_withdrawn"}),
                      record("lost_to_follow_up", {"declared_date": "2025-08-01",
                                                   "attempt_dates": ["2025-05-01", "2025-08-01"]})),
                 [], None, id="a withdrawal and a loss to follow-up"),
    # -- screening -----------------------------------------------------------------------------------------------
    pytest.param(edit("screening", screen_date="2024-09-01"), [error("screening.screen_date", "date_order.resection")],
                 "must not be before the resection date (2024-09-02)", id="screening before the resection"),
    pytest.param(edit("screening", consent_date="2024-09-09"),
                 [error("screening.consent_date", "date_order.before")],
                 "must not be before screening date (2024-09-10)", id="consent before screening"),
    pytest.param(edit("screening", enrol_date="2024-09-11"), [error("screening.enrol_date", "date_order.before")],
                 "must not be before consent date (2024-09-12)", id="enrolment before consent"),
    pytest.param(edit("screening", enrol_date=None), [error("screening.enrol_date", "required_when")],
                 "is required when enrolled is yes", id="enrolled without an enrolment date"),
    pytest.param(edit("screening", enrolled=False, arm_basis=None),
                 [error("screening.enrol_date", "not_applicable")], None, id="an enrolment date, not enrolled"),
    pytest.param(edit("screening", not_enrolled_reason="declined"),
                 [error("screening.not_enrolled_reason", "not_applicable")], None,
                 id="a reason not enrolled, enrolled"),
    pytest.param(edit("screening", enrolled=None, enrol_date=None, not_enrolled_note="thinking about it"),
                 [error("screening.arm_basis", "not_applicable"),
                  error("screening.not_enrolled_note", "not_applicable")], None,
                 id="enrolment fields while enrolment is not recorded"),
    pytest.param(edit("screening", asa=7), [error("screening.asa", "limit.between")], None, id="ASA 7"),
    pytest.param(edit("screening", ecog=-1), [error("screening.ecog", "limit.between")], None, id="ECOG -1"),
    pytest.param(edit("screening", ascites="a_lot"), [error("screening.ascites", "choice")], None,
                 id="ascites not a choice"),
    # -- labs ----------------------------------------------------------------------------------------------------
    pytest.param(edit("labs", 1, unit="mg/dL"), [error("labs[1].unit", "lab_unit")],
                 "ALT (alanine aminotransferase) is given in U/L, not 'mg/dL'", id="a unit the test does not take"),
    pytest.param(edit("labs", 0, value=8.5), [error("labs[0].value", "unit_slip")],
                 "8.5 g/L is implausible for haemoglobin: 8.5 g/dL = 85 g/L?", id="Hb 8.5 g/L names the slip"),
    pytest.param(edit("labs", 2, value=100), [error("labs[2].value", "unit_slip")],
                 "100 mg/dL = 1710 µmol/L is implausible for total bilirubin: 100 µmol/L?",
                 id="bilirubin in µmol/L written as mg/dL"),
    pytest.param(edit("labs", 0, value=500), [error("labs[0].value", "implausible")],
                 "500 g/L is implausible for haemoglobin: it must be between 30 and 220 g/L", id="Hb 500 g/L"),
    pytest.param(edit("labs", 0, uln=160), [error("labs[0].uln", "uln_not_applicable")],
                 "an upper limit of normal is recorded for ALT", id="an upper limit of normal on Hb"),
    pytest.param(edit("labs", 0, test="haemoglobin"), [error("labs[0].test", "choice")], None,
                 id="a test not in the catalogue"),
    pytest.param(edit("labs", 0, value=None), [error("labs[0].value", "required")], None, id="a lab without a value"),
    pytest.param(edit("labs", 0, date=None), [error("labs[0].date", "required")], None, id="a lab without a date"),
    pytest.param(edit("labs", 0, qualifier="<="), [error("labs[0].qualifier", "choice")], None,
                 id="a qualifier not < or >"),
    pytest.param(edit("labs", 1, uln=-1), [error("labs[1].uln", "limit.min")], None, id="a negative ULN"),
    # -- lenvatinib ----------------------------------------------------------------------------------------------
    pytest.param(edit("lenvatinib", 0, dose_mg=10), [error("lenvatinib[0].dose_mg", "values")],
                 "must be 12 or 8 or 4, not 10", id="10 mg"),
    pytest.param(edit("lenvatinib", 0, frequency="bid"), [error("lenvatinib[0].frequency", "lenvatinib_bid")],
                 "12 mg bid is 24 mg a day", id="bid, and why"),
    pytest.param(edit("lenvatinib", 0, frequency="tid"), [error("lenvatinib[0].frequency", "choice")], None,
                 id="a frequency not qd or qod"),
    pytest.param(record("lenvatinib", None), [], None, id="no lenvatinib recorded"),
    pytest.param(lambda p: p["lenvatinib"].append({**SECOND_PERIOD, "start": "2024-10-15"}),
                 [error("lenvatinib[1].start", "periods_overlap")],
                 "overlaps lenvatinib[0] (2024-09-20 to 2024-11-02)", id="overlapping periods"),
    pytest.param(both(edit("lenvatinib", 0, end=None), lambda p: p["lenvatinib"].append(SECOND_PERIOD)),
                 [error("lenvatinib[1].start", "periods_overlap")], "(2024-09-20 to ongoing)",
                 id="a period after an ongoing one"),
    pytest.param(lambda p: p["lenvatinib"].insert(0, {**SECOND_PERIOD, "start": "2024-11-02"}),
                 [error("lenvatinib[0].start", "periods_overlap")], "overlaps lenvatinib[1]",
                 id="periods listed out of order, sharing a day"),
    pytest.param(lambda p: p["lenvatinib"].append(SECOND_PERIOD), [], None, id="one period after another"),
    pytest.param(edit("lenvatinib", 0, end="2024-09-19"), [error("lenvatinib[0].end", "date_order.before")],
                 "must not be before start (2024-09-20)", id="a period ending before its start"),
    pytest.param(edit("lenvatinib", 0, start="2024-09-01"), [error("lenvatinib[0].start", "date_order.resection")],
                 None, id="lenvatinib before the resection"),
    pytest.param(edit("lenvatinib", 0, adverse_event_id="0b1e5b0c-6f0d-4d8e-9a57-3c2f4d1e7a11"),
                 [error("lenvatinib[0].adverse_event_id", "ae_reference")],
                 "names none of this patient's adverse events", id="an AE id naming no AE"),
    pytest.param(edit("lenvatinib", 0, start=None, dose_mg=None, frequency=None),
                 [error("lenvatinib[0].start", "required"), error("lenvatinib[0].dose_mg", "required"),
                  error("lenvatinib[0].frequency", "required")], None, id="a period without start, dose, frequency"),
    pytest.param(edit("lenvatinib", 0, weight_kg=250), [error("lenvatinib[0].weight_kg", "limit.between")], None,
                 id="a weight of 250 kg"),
    pytest.param(edit("lenvatinib", 0, end_reason="bored"), [error("lenvatinib[0].end_reason", "choice")], None,
                 id="an end reason not a choice"),
    # -- adverse events ------------------------------------------------------------------------------------------
    pytest.param(edit("adverse_events", 0, term="Headache of some kind"),
                 [warning("adverse_events[0].term", "ae_term_unknown")], "is not in the adverse-event catalogue",
                 id="an AE term not in the catalogue"),
    pytest.param(edit("adverse_events", 0, term="Proteinuria", ctcae_grade=4),
                 [error("adverse_events[0].ctcae_grade", "ae_grade")],
                 "Proteinuria is graded 1 to 3 in CTCAE v5, not 4", id="a grade above the term's maximum"),
    pytest.param(edit("adverse_events", 0, term="nephrotic syndrome", ctcae_grade=2),
                 [error("adverse_events[0].ctcae_grade", "ae_grade")], "graded 3 to 5",
                 id="a grade below the term's minimum"),
    pytest.param(edit("adverse_events", 0, ctcae_grade=6), [error("adverse_events[0].ctcae_grade", "limit.between")],
                 None, id="grade 6"),
    pytest.param(edit("adverse_events", 0, resolved="2024-10-31"),
                 [error("adverse_events[0].resolved", "date_order.before")], "must not be before onset (2024-11-01)",
                 id="resolved before onset"),
    pytest.param(edit("adverse_events", 0, action_date="2024-10-31"),
                 [error("adverse_events[0].action_date", "date_order.before")], None, id="action before onset"),
    pytest.param(edit("adverse_events", 0, term=None, onset=None),
                 [error("adverse_events[0].term", "required"), error("adverse_events[0].onset", "required")], None,
                 id="an AE without term or onset"),
    pytest.param(edit("adverse_events", 0, action_lenvatinib="paused"),
                 [error("adverse_events[0].action_lenvatinib", "choice")], None, id="an action not a choice"),
    # -- follow-ups ----------------------------------------------------------------------------------------------
    pytest.param(edit("follow_ups", 0, result=None), [error("follow_ups[0].result", "required_when")],
                 "is required when type is imaging", id="imaging without a result"),
    pytest.param(edit("follow_ups", 0, type="phone", result=None), [error("follow_ups[0].modality", "not_applicable")],
                 None, id="a modality on a phone call"),
    pytest.param(edit("follow_ups", 0, type="clinic", modality=None),
                 [error("follow_ups[0].result", "not_applicable")], None, id="a result on a clinic visit"),
    pytest.param(edit("follow_ups", 0, date="2024-08-30"), [error("follow_ups[0].date", "date_order.resection")],
                 None, id="a follow-up before the resection"),
    pytest.param(edit("follow_ups", 0, type=None),
                 [error("follow_ups[0].type", "required"), error("follow_ups[0].modality", "not_applicable"),
                  error("follow_ups[0].result", "not_applicable")], None, id="a follow-up without a type"),
    # -- recurrence ----------------------------------------------------------------------------------------------
    pytest.param(edit("recurrence", confirmation_date="2025-03-02"),
                 [error("recurrence.confirmation_date", "date_order.before")], "must not be before first seen",
                 id="confirmed before first seen"),
    pytest.param(edit("recurrence", pattern="extrahepatic", extrahepatic_sites=["lung"]),
                 [error("recurrence.intrahepatic_type", "not_applicable")], None,
                 id="an intrahepatic type with an extrahepatic pattern"),
    pytest.param(edit("recurrence", relation_to_resection="same_segment", pattern="extrahepatic",
                      intrahepatic_type=None),
                 [error("recurrence.relation_to_resection", "not_applicable")], None,
                 id="a relation to the resection with an extrahepatic pattern"),
    pytest.param(edit("recurrence", extrahepatic_sites=["bone"]),
                 [error("recurrence.extrahepatic_sites", "not_applicable")], None,
                 id="extrahepatic sites with an intrahepatic pattern"),
    pytest.param(edit("recurrence", pattern="both", extrahepatic_sites=["bone", "lung"],
                      relation_to_resection="resection_margin"), [], None, id="both: every key"),
    pytest.param(edit("recurrence", first_seen_date=None, pattern=None, confirmation_method=None),
                 [error("recurrence.first_seen_date", "required"), error("recurrence.pattern", "required"),
                  error("recurrence.confirmation_method", "required"),
                  error("recurrence.intrahepatic_type", "not_applicable")], None, id="a recurrence without its keys"),
    pytest.param(edit("recurrence", first_seen_date="2024-09-01"),
                 [error("recurrence.first_seen_date", "date_order.resection")], None,
                 id="a recurrence before the resection"),
    pytest.param(edit("recurrence", treatments=["tace", "tace"]), [error("recurrence.treatments", "duplicate")], None,
                 id="a treatment twice"),
    # -- death ---------------------------------------------------------------------------------------------------
    pytest.param(record("death", {**DEATH, "date": "2024-11-15"}), [error("death.date", "death_before_alive")],
                 "is before Follow-up 1 · Date (2024-12-02), which shows the patient alive",
                 id="death before a follow-up alive"),
    pytest.param(both(record("follow_ups", []), record("death", {**DEATH, "date": "2024-10-01"})),
                 [error("procedures[0].date", "after_death"), error("death.date", "death_before_alive")],
                 "is after the patient's recorded death (2024-10-01)", id="a procedure after the death"),
    pytest.param(both(record("follow_ups", []), record("procedures", []), record("death", {**DEATH,
                                                                                          "date": "2024-09-15"})),
                 [error("death.date", "death_before_alive")], "is before Lenvatinib period 1 · Start (2024-09-20)",
                 id="death before lenvatinib started"),
    pytest.param(both(record("follow_ups", []), record("procedures", []), record("lenvatinib", []),
                      record("death", {**DEATH, "date": "2024-09-05"})),
                 [error("death.date", "death_before_alive")], "is before Lab result 3 · Date (2024-09-10)",
                 id="death before a lab"),
    pytest.param(record("death", {**DEATH, "date": "2024-08-01"}),
                 [error("death.date", "date_order.resection"), error("death.date", "death_before_alive"),
                  error("procedures[0].date", "after_death")], None,
                 id="death before the resection"),
    pytest.param(record("death", {"date": "2025-06-01", "cause": None}), [error("death.cause", "required")], None,
                 id="a death without a cause"),
    # -- loss to follow-up, withdrawal ---------------------------------------------------------------------------
    pytest.param(record("lost_to_follow_up", {"declared_date": None, "attempt_dates": ["2025-05-01"]}),
                 [error("lost_to_follow_up.declared_date", "required")], None, id="lost without a declared date"),
    pytest.param(record("lost_to_follow_up", {"declared_date": "2025-05-01", "attempt_dates": ["2025-05-02"]}),
                 [warning("lost_to_follow_up.attempt_dates[0]", "attempt_after_declared")], None,
                 id="an attempt after the declaration"),
    pytest.param(record("lost_to_follow_up", {"declared_date": "2025-05-01", "attempt_dates": ["2025-04-01"] * 2}),
                 [error("lost_to_follow_up.attempt_dates", "duplicate")], None, id="an attempt twice"),
    pytest.param(record("lost_to_follow_up", {"declared_date": "2024-09-01"}),
                 [error("lost_to_follow_up.declared_date", "date_order.resection")], None,
                 id="lost before the resection"),
    pytest.param(record("withdrawal", {"date": "2025-01-10", "reason": None}), [error("withdrawal.reason", "required")],
                 None, id="a withdrawal without a reason"),
    pytest.param(record("withdrawal", {"date": "2025-01-10", "reason": "moved_away"}),
                 [error("withdrawal.reason", "choice")], None, id="a withdrawal reason not a choice"),
    pytest.param(record("withdrawal", {"date": None, "reason": "other"}), [error("withdrawal.date", "required")],
                 None, id="a withdrawal without a date"),
    pytest.param(record("withdrawal", {"date": "2024-09-01", "reason": "other"}),
                 [error("withdrawal.date", "date_order.resection")], None, id="a withdrawal before the resection"),
    # -- future dates --------------------------------------------------------------------------------------------
    pytest.param(edit("screening", enrol_date=TOMORROW), [error("screening.enrol_date", "future_date")],
                 f"{TOMORROW} is in the future (today is {TODAY.isoformat()})", id="enrolment tomorrow"),
    pytest.param(edit("labs", 1, date=TOMORROW), [error("labs[1].date", "future_date")], None, id="a lab tomorrow"),
    pytest.param(edit("lenvatinib", 0, end=TOMORROW), [error("lenvatinib[0].end", "future_date")], None,
                 id="a period ending tomorrow"),
    pytest.param(edit("adverse_events", 0, resolved=TOMORROW), [error("adverse_events[0].resolved", "future_date")],
                 None, id="an AE resolved tomorrow"),
    pytest.param(edit("follow_ups", 0, date=TOMORROW), [error("follow_ups[0].date", "future_date")], None,
                 id="a follow-up tomorrow"),
    pytest.param(edit("recurrence", confirmation_date=TOMORROW),
                 [error("recurrence.confirmation_date", "future_date")], None, id="a recurrence confirmed tomorrow"),
    pytest.param(record("death", {**DEATH, "date": TOMORROW}), [error("death.date", "future_date")], None,
                 id="a death tomorrow"),
    pytest.param(record("lost_to_follow_up", {"declared_date": TOMORROW}),
                 [error("lost_to_follow_up.declared_date", "future_date")], None, id="lost tomorrow"),
    pytest.param(record("withdrawal", {"date": TOMORROW, "reason": "other"}), [error("withdrawal.date", "future_date")],
                 None, id="a withdrawal tomorrow"),
    pytest.param(record("lost_to_follow_up", {"declared_date": TODAY.isoformat(),
                                              "attempt_dates": ["2025-05-01", TOMORROW]}),
                 [error("lost_to_follow_up.attempt_dates[1]", "future_date"),
                  warning("lost_to_follow_up.attempt_dates[1]", "attempt_after_declared")], None,
                 id="an attempt to reach the patient tomorrow"),
    pytest.param(record("lost_to_follow_up", {"declared_date": "2025-05-01", "attempt_dates": ["2025-04-01", 7]}),
                 [error("lost_to_follow_up.attempt_dates", "type.dates")], None, id="an attempt that is no date"),
    # -- the procedure's and pathology's new keys ----------------------------------------------------------------
    pytest.param(lambda p: p["procedures"][0].update(intent="palliative"), [error("procedures[0].intent", "choice")],
                 None, id="a procedure intent not a choice"),
    pytest.param(lambda p: p["procedures"][0].update(stain_interpretation="residual_suspected"), [], None,
                 id="a stain interpretation for a stain"),
    pytest.param(lambda p: p["pathology"].update(hcc_confirmed="yes"), [error("pathology.hcc_confirmed", "type.bool")],
                 None, id="hcc_confirmed not true or false"),
]


def findings_of(book: Logbook, doc: dict) -> list:
    """What an import of the document says: its findings if it imports, else the refusal's (nothing written)."""
    try:
        return book.import_document(doc).findings
    except InvalidInputError as refused:
        assert book.counts()["patients"] == 0
        assert refused.findings
        return refused.findings


def check(book: Logbook, doc: dict, expected: list, words: str | None) -> None:
    found = findings_of(book, doc)
    assert sorted((f.path, f.severity, f.said.key) for f in found) == sorted(expected)
    if any(severity == ERROR for _, severity, _ in expected):
        assert book.counts()["patients"] == 0
    if words is not None:
        assert any(words in f.message for f in found), [f.message for f in found]
    for f in found:  # said in Chinese too: the dictionary's labels and the catalogue's words
        assert CJK.search(f.text("zh")), f.text("zh")


@pytest.mark.parametrize("change, expected, words", ROWS)
def test_each_course_rule_is_refused_or_warned_with_its_path(tmp_path, example, change, expected, words):
    doc = with_course(example)
    change(doc["patients"][0])
    with Logbook.open(tmp_path / "logbook.sqlite", validator=Validator(today=TODAY)) as book:
        check(book, doc, expected, words)


@pytest.mark.parametrize("intent, expected", [
    (None, [warning("lenvatinib[0].start", "LEN-ARM")]),
    ("adjuvant", [warning("lenvatinib[0].start", "LEN-ARM")]),
    ("post_recurrence", []),
])
def test_adjuvant_lenvatinib_in_an_arm_without_it_is_a_warning(tmp_path, example, intent, expected):
    """A site's TACE-only arm (docs/protocol.md): adjuvant lenvatinib there is a crossover or a deviation, recorded
    with a warning, never refused; lenvatinib after a recurrence is no deviation."""
    path = tmp_path / "logbook.sqlite"
    site_file(tmp_path, with_tace_only_arm)
    doc = with_course(example)
    doc["patients"][0]["arm"] = "tace"
    doc["patients"][0]["lenvatinib"][0]["intent"] = intent
    with Logbook.open(path, validator=Validator(protocol=protocol_for(path), today=TODAY)) as book:
        check(book, doc, expected, "adjuvant lenvatinib in the arm TACE only, which has none" if expected else None)
        if expected:
            assert book.find_patient_by_mrn("HS-2024-0007").lenvatinib[0].start.isoformat() == "2024-09-20"


def test_an_adverse_event_id_that_is_no_uuid_says_so(tmp_path, example):
    doc = with_course(example)
    doc["patients"][0]["lenvatinib"][0]["adverse_event_id"] = "AE-1"
    with Logbook.open(tmp_path / "logbook.sqlite", validator=Validator(today=TODAY)) as book:
        check(book, doc, [error("lenvatinib[0].adverse_event_id", "type.uuid")], None)
