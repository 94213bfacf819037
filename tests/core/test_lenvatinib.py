"""The lenvatinib course against the label, rule by rule: each check warns with its rule id and path, and a course
that follows the label says nothing (course-reference.md §3; interchange-v2.md, DosePeriod)."""

from __future__ import annotations

import json

import pytest

from tace_log.findings import INFO, WARNING
from tace_log.lenvatinib import LADDER, next_step_down
from tace_log.protocol import Protocol, default_protocol
from tace_log.resources import resource
from tace_log.validation import Validator

CJK = "\u4e00-\u9fff"
HTN, PROTEINURIA, NEUTROPENIA, STROKE, DIARRHOEA = (
    "00000000-0000-4000-8000-00000000000" + n for n in "12345")


def period(start, dose=12, frequency="qd", end=None, end_reason=None, event=None, **more):
    return {"start": start, "end": end, "dose_mg": dose, "frequency": frequency, "end_reason": end_reason,
            "adverse_event_id": event, **more}


def event(event_id, term, grade, onset):
    return {"id": event_id, "term": term, "ctcae_grade": grade, "onset": onset}


def patient(periods, events=(), weight=66, arm="lenvatinib_tace"):
    return {"mrn": "L-1", "name": "仑伐替尼 Patient", "weight_kg": weight, "arm": arm, "resection_date": "2025-01-06",
            "lenvatinib": list(periods), "adverse_events": list(events)}


def lenvatinib_findings(doc, validator=None):
    found = (validator or Validator()).patient(doc, "patients[0]")
    return [(f.path, f.severity, f.said.key) for f in found if f.said.key.startswith("LEN-")]


HELD_HTN = [period("2025-02-03", end="2025-03-01", end_reason="held_for_ae", event=HTN)]
GRADE_3_HTN = [event(HTN, "Hypertension", 3, "2025-02-27")]

CASES = {
    "12 mg from day 28 at 66 kg, untouched": (patient([period("2025-02-03")]), []),
    "started on day 10": (patient([period("2025-01-16")]),
                          [("patients[0].lenvatinib[0].start", WARNING, "LEN-START-EARLY")]),
    "started on day 14: not early": (patient([period("2025-01-20")]), []),
    "8 mg at 66 kg": (patient([period("2025-02-03", dose=8)]),
                      [("patients[0].lenvatinib[0].dose_mg", WARNING, "LEN-DOSE-WEIGHT")]),
    "12 mg at 59.9 kg": (patient([period("2025-02-03")], weight=59.9),
                         [("patients[0].lenvatinib[0].dose_mg", WARNING, "LEN-DOSE-WEIGHT")]),
    "12 mg at exactly 60.0 kg: a note, not a warning": (
        patient([period("2025-02-03")], weight=60.0),
        [("patients[0].lenvatinib[0].dose_mg", INFO, "LEN-DOSE-WEIGHT.threshold")]),
    "the period's own weight decides, not a later one": (
        patient([period("2025-02-03", dose=8, weight_kg=55)], weight=70), []),
    "grade 3 hypertension, resumed at 8 mg": (
        patient([*HELD_HTN, period("2025-03-10", dose=8)], GRADE_3_HTN), []),
    "grade 3 hypertension, resumed at 12 mg": (
        patient([*HELD_HTN, period("2025-03-10", dose=12)], GRADE_3_HTN),
        [("patients[0].lenvatinib[1].dose_mg", WARNING, "LEN-RESUME-SAME")]),
    "grade 3 hypertension, resumed at 4 mg (a step skipped)": (
        patient([*HELD_HTN, period("2025-03-10", dose=4)], GRADE_3_HTN),
        [("patients[0].lenvatinib[1].dose_mg", WARNING, "LEN-LADDER")]),
    "grade 1 event, resumed at the same dose": (
        patient([*HELD_HTN, period("2025-03-10", dose=12)], [event(HTN, "Hypertension", 1, "2025-02-27")]), []),
    "a first proteinuria may resume at the same dose (EU label)": (
        patient([period("2025-02-03", end="2025-03-01", end_reason="held_for_ae", event=PROTEINURIA),
                 period("2025-03-10")], [event(PROTEINURIA, "Proteinuria", 2, "2025-02-27")]), []),
    "a second proteinuria may not": (
        patient([period("2025-02-03", end="2025-03-01", end_reason="held_for_ae", event=PROTEINURIA),
                 period("2025-03-10")], [event(PROTEINURIA, "Proteinuria", 2, "2025-02-27"),
                                         event(HTN, "Proteinuria", 2, "2025-02-10")]),
        [("patients[0].lenvatinib[1].dose_mg", WARNING, "LEN-RESUME-SAME")]),
    "a peri-procedural hold resumed at the same dose is not a reduction": (
        patient([period("2025-02-03", end="2025-02-10", end_reason="held_peri_procedural"),
                 period("2025-02-14")]), []),
    "a stroke with lenvatinib going on": (
        patient([period("2025-02-03")], [event(STROKE, "Stroke", 2, "2025-04-01")]),
        [("patients[0].lenvatinib[0].end", WARNING, "LEN-DISCONTINUE")]),
    "a stroke, then discontinued": (
        patient([period("2025-02-03", end="2025-04-01", end_reason="discontinued_ae", event=STROKE)],
                [event(STROKE, "Stroke", 2, "2025-04-01")]), []),
    "grade 4 diarrhoea, then resumed lower": (
        patient([period("2025-02-03", end="2025-04-01", end_reason="held_for_ae", event=DIARRHOEA),
                 period("2025-04-20", dose=8)], [event(DIARRHOEA, "Diarrhea", 4, "2025-04-01")]),
        [("patients[0].lenvatinib[1].start", WARNING, "LEN-DISCONTINUE")]),
    "a qualifying event at 4 mg every other day, resumed": (
        patient([period("2025-02-03", dose=4, frequency="qod", end="2025-04-01", end_reason="held_for_ae",
                        event=HTN, weight_kg=61), period("2025-04-20", dose=4, frequency="qod")],
                [event(HTN, "Hypertension", 3, "2025-03-30")]),
        [("patients[0].lenvatinib[0].dose_mg", WARNING, "LEN-DOSE-WEIGHT"),
         ("patients[0].lenvatinib[1].start", WARNING, "LEN-DISCONTINUE")]),
    "post-recurrence lenvatinib is not the adjuvant course": (
        patient([period("2025-01-10", dose=8, intent="post_recurrence")]), []),
}


@pytest.mark.parametrize("case", CASES)
def test_each_label_check(case):
    doc, expected = CASES[case]
    assert lenvatinib_findings(doc) == expected


def test_each_warning_reads_in_chinese_too():
    for doc, _expected in CASES.values():
        for finding in Validator().patient(doc, "patients[0]"):
            if finding.said.key.startswith("LEN-"):
                assert any("\u4e00" <= c <= "\u9fff" for c in finding.text("zh")), finding


def test_resuming_at_the_same_dose_after_a_first_proteinuria_is_a_warning_under_the_us_label(tmp_path):
    data = json.loads(resource("protocol.json").read_text(encoding="utf-8"))
    data["lenvatinib"]["label_basis"] = "US"
    site = tmp_path / "protocol.json"
    site.write_text(json.dumps(data), encoding="utf-8")
    doc = CASES["a first proteinuria may resume at the same dose (EU label)"][0]
    assert lenvatinib_findings(doc, Validator(protocol=Protocol.from_file(site))) == [
        ("patients[0].lenvatinib[1].dose_mg", WARNING, "LEN-RESUME-SAME")]


def test_the_ladder_is_the_protocols_reduction_steps():
    """The label's ladder in code and the protocol's words for it say the same."""
    steps = default_protocol().lenvatinib.reduction_steps
    words = {"qd": "daily", "qod": "every other day"}
    assert [f"{dose} mg {words[frequency]}" for dose, frequency in LADDER] == list(steps["12"])
    from_8 = [f"{dose} mg {words[frequency]}" for dose, frequency in LADDER[1:]]
    assert from_8 + ["stop"] == list(steps["8"])
    assert next_step_down((4, "qod")) is None and next_step_down((8, "qd")) == (4, "qd")
