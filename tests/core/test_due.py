"""The coordinator's flags read like the contract's rules (interchange-v2.md, "Precise rules"; course-reference.md
§6), each on its first and last day. Every patient is resected on day 0 and enrolled on day 20; the bundled
protocol: TACE cycle 1 on days 21-56, cycle 2 28-91 days after it, imaging at days 91·k ± 14, no contact for 183
days. Only records dated on or before the day count, so one patient's course answers for every day."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tace_log.cli import main
from tace_log.course.due import DueRules, imaging_visits
from tace_log.protocol import default_protocol

from .course_support import day, death, logbook_of, patient, procedure, recurrence, scan, visit

LEN = "lenvatinib"  # an arm without TACE
VISITS = (91, 182, 273, 364, 455, 546, 637, 728, 910, 1092, 1274, 1456, 1638, 1820)


def _every_scan_but(*missed: int) -> list[dict]:
    return [scan(v) for v in VISITS if v not in missed]


def _stroke(onset: int, grade: int = 2, action: str | None = None, on: int | None = None) -> dict:
    return {"term": "Stroke", "ctcae_grade": grade, "onset": day(onset), "action_lenvatinib": action,
            "action_date": day(on)}


def _lenvatinib(start: int = 30, end: int | None = 200) -> list[dict]:
    return [{"start": day(start), "end": day(end), "dose_mg": 12, "frequency": "qd", "weight_kg": 64.5}]


PATIENTS = [
    patient("NO-TACE-YET"),
    patient("NO-TACE-ARM", arm=LEN),
    patient("CYCLE-1", procedures=[procedure(30)], follow_ups=[scan(80), scan(180)]),
    patient("CYCLE-2", procedures=[procedure(30), procedure(70, cycle=2)], follow_ups=[scan(80)]),
    patient("FOR-RECURRENCE", procedures=[procedure(30, intent="therapeutic_for_recurrence")]),
    patient("SCANS", arm=LEN, follow_ups=[scan(105), scan(200), *_every_scan_but(91, 182, 910, 1820),
                                          visit(850, "phone"), visit(1800, "phone")]),
    patient("SILENT", arm=LEN, follow_ups=[scan(80)],
            lost_to_follow_up={"declared_date": day(400), "attempt_dates": [day(380), day(390), day(395)]}),
    patient("RECURRED", recurrence=recurrence(60)),
    patient("WITHDRAWN", withdrawal={"date": day(60), "reason": "consent_withdrawn"}),
    patient("DIES", recurrence=recurrence(150), lenvatinib=_lenvatinib(30, None), adverse_events=[_stroke(100, 3)],
            death=death(300)),
    patient("PENDING", screening={"screen_date": day(10), "enrolled": False}),
    patient("DECLINED", screening={"screen_date": day(10), "enrolled": False, "not_enrolled_reason": "declined"}),
    patient("LEGACY", screening=None),
    patient("STROKE", arm=LEN, follow_ups=_every_scan_but(), lenvatinib=_lenvatinib(30, 200),
            adverse_events=[_stroke(100)]),
    patient("STROKE-STOPPED", arm=LEN, follow_ups=_every_scan_but(), lenvatinib=_lenvatinib(30, 200),
            adverse_events=[_stroke(100, action="discontinued", on=110)]),
    patient("STROKE-NOTED", arm=LEN, follow_ups=_every_scan_but(), lenvatinib=_lenvatinib(30, 200),
            adverse_events=[_stroke(100, action="none", on=100)]),
    patient("GRADE-3", arm=LEN, follow_ups=_every_scan_but(), lenvatinib=_lenvatinib(30, 200),
            adverse_events=[{"term": "Hypertension", "ctcae_grade": 3, "onset": day(100),
                             "action_lenvatinib": "reduced", "action_date": day(120)},
                            {"term": "Diarrhea", "ctcae_grade": 3, "onset": day(150),
                             "action_lenvatinib": "interrupted_resumed_same_dose"}]),
    patient("BEFORE-LENVATINIB", arm=LEN, follow_ups=_every_scan_but(), lenvatinib=_lenvatinib(60, 200),
            adverse_events=[{"term": "Hypertension", "ctcae_grade": 3, "onset": day(40)}]),
]


@pytest.fixture(scope="module")
def flags(tmp_path_factory):
    with logbook_of(tmp_path_factory.mktemp("due"), *PATIENTS) as book:
        courses = {c.mrn: c for c in book.courses.read()}
        rules = DueRules(book.protocol)

    def on(mrn: str, n: int) -> list[str]:
        return list(rules.flags(courses[mrn], _date(n)))
    return on


def _date(n: int) -> dt.date:
    return dt.date.fromisoformat(day(n))


# (patient, day, flags): each flag on the day before it starts, its first and last day, and the day after
RULES = [
    ("NO-TACE-YET", 13, []),
    ("NO-TACE-YET", 14, ["tace1_upcoming"]),  # the 7 days before the window opens, before the enrolment too
    ("NO-TACE-YET", 20, ["tace1_upcoming"]),
    ("NO-TACE-YET", 21, ["tace1_due"]),
    ("NO-TACE-YET", 56, ["tace1_due"]),
    ("NO-TACE-YET", 57, ["tace1_overdue"]),
    ("NO-TACE-ARM", 21, []),  # only arms with TACE get TACE flags
    ("NO-TACE-ARM", 57, []),
    ("CYCLE-1", 57, []),
    ("CYCLE-1", 58, ["tace2_due"]),  # 28 days after cycle 1
    ("CYCLE-1", 121, ["tace2_due"]),  # 91 days after
    ("CYCLE-1", 122, []),
    ("CYCLE-1", 29, ["tace1_due"]),  # the TACE of day 30 does not count on day 29
    ("CYCLE-2", 69, ["tace2_due"]),
    ("CYCLE-2", 70, []),
    ("FOR-RECURRENCE", 57, ["tace1_overdue"]),  # a TACE for recurrence is no adjuvant cycle
    ("SCANS", 76, []),
    ("SCANS", 77, ["imaging_due"]),  # day 91 - 14
    ("SCANS", 105, []),  # a scan inside the window, on its last day, satisfies it
    ("SCANS", 104, ["imaging_due"]),
    ("SCANS", 168, ["imaging_due"]),
    ("SCANS", 196, ["imaging_due"]),  # day 182 + 14
    ("SCANS", 197, ["imaging_overdue"]),  # the window closed unsatisfied ...
    ("SCANS", 199, ["imaging_overdue"]),
    ("SCANS", 200, []),  # ... until a late scan comes
    ("SCANS", 895, []),
    ("SCANS", 896, ["imaging_due"]),  # day 910: after 8 visits 91 days apart, every 182 days
    ("SCANS", 924, ["imaging_due"]),
    ("SCANS", 925, ["imaging_overdue"]),
    ("SCANS", 1805, []),
    ("SCANS", 1806, ["imaging_due"]),  # the last visit, day 1820
    ("SCANS", 1834, ["imaging_due"]),
    ("SCANS", 1835, ["imaging_overdue"]),
    ("SCANS", 1983, ["imaging_overdue"]),  # no visit after day 1820: it stays the one behind
    ("SCANS", 1984, ["imaging_overdue", "ltfu_candidate"]),  # the phone call of day 1800 + 183 + 1
    ("SILENT", 263, ["imaging_due", "imaging_overdue"]),  # last contact: the scan of day 80
    ("SILENT", 264, ["imaging_due", "imaging_overdue", "ltfu_candidate"]),  # day 80 + 183 + 1
    ("SILENT", 399, ["imaging_overdue", "ltfu_candidate"]),
    ("SILENT", 400, ["lost_to_follow_up"]),  # declared lost: no imaging flag, no longer a candidate
    ("RECURRED", 59, ["tace1_overdue"]),
    ("RECURRED", 60, ["recurrence_recorded"]),  # no TACE or imaging flag after a recurrence
    ("WITHDRAWN", 59, ["tace1_overdue"]),
    ("WITHDRAWN", 60, []),
    ("DIES", 299, ["ltfu_candidate", "recurrence_recorded", "dose_alert:LEN-ATE-DISCONTINUE",
                   "dose_alert:LEN-AE-NOACTION"]),
    ("DIES", 300, ["deceased"]),  # then the only flag
    ("PENDING", 9, []),
    ("PENDING", 10, ["not_enrolled"]),  # a screening not enrolled, without a reason: still pending
    ("PENDING", 57, ["not_enrolled"]),  # and no TACE flag
    ("DECLINED", 57, []),
    ("LEGACY", 57, ["tace1_overdue"]),  # no screening record: followed by its arm and resection
    ("STROKE", 99, []),
    ("STROKE", 100, ["dose_alert:LEN-ATE-DISCONTINUE"]),  # an arterial thromboembolism of any grade
    ("STROKE", 200, ["dose_alert:LEN-ATE-DISCONTINUE"]),  # the period's last day
    ("STROKE", 201, []),  # no period covers the day
    ("STROKE-STOPPED", 109, ["dose_alert:LEN-ATE-DISCONTINUE"]),
    ("STROKE-STOPPED", 110, []),  # discontinued that day
    ("STROKE-NOTED", 150, ["dose_alert:LEN-ATE-DISCONTINUE"]),  # an action other than discontinuing
    ("GRADE-3", 99, []),
    ("GRADE-3", 100, ["dose_alert:LEN-AE-NOACTION"]),
    ("GRADE-3", 119, ["dose_alert:LEN-AE-NOACTION"]),
    ("GRADE-3", 120, []),  # the reduction is dated that day
    ("GRADE-3", 150, []),  # an undated action counts from the onset
    ("BEFORE-LENVATINIB", 100, []),  # an AE before the lenvatinib course asks no lenvatinib action
]


@pytest.mark.parametrize(("mrn", "n", "expected"), RULES, ids=[f"{m}-day{n}" for m, n, _ in RULES])
def test_each_flag_on_its_first_and_last_day(flags, mrn, n, expected):
    assert flags(mrn, n) == expected


def test_the_imaging_schedule_is_91_days_for_two_years_then_182_to_day_1820():
    assert imaging_visits(default_protocol().imaging_schedule) == VISITS


def test_the_protocol_decides_the_windows(tmp_path):
    protocol = {"tace_cycle2": {"enabled": False, "from_days_after_cycle1": 28, "to_days_after_cycle1": 91},
                "ltfu_days": 90, "tace_window_days": {"cycle": 1, "from": 28, "to": 42}}
    with logbook_of(tmp_path, patient("P", procedures=[procedure(30)], follow_ups=[scan(80)]),
                    patient("Q"), protocol=protocol) as book:
        courses = {c.mrn: c for c in book.courses.read()}
        rules = DueRules(book.protocol)
    assert rules.flags(courses["P"], _date(60)) == ()  # no cycle 2 in this protocol
    assert "ltfu_candidate" not in rules.flags(courses["P"], _date(170))
    assert "ltfu_candidate" in rules.flags(courses["P"], _date(171))  # day 80 + 90 + 1
    assert [rules.flags(courses["Q"], _date(n)) for n in (20, 21, 27, 28, 42, 43)] == [
        (), ("tace1_upcoming",), ("tace1_upcoming",), ("tace1_due",), ("tace1_due",), ("tace1_overdue",)]


def test_the_command_prints_every_patients_flags_as_json(tmp_path, capsys):
    book = logbook_of(tmp_path, patient("A"), patient("B", arm=LEN), patient("C", death=death(40)))
    book.close()
    assert main(["--db", str(book.path), "due", "--as-of", day(45), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == [{"mrn": "A", "flags": ["tace1_due"]}, {"mrn": "B", "flags": []},
                               {"mrn": "C", "flags": ["deceased"]}]
    assert "protocol: " in err
    assert main(["--db", str(book.path), "due", "A", "--as-of", day(45), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"mrn": "A", "flags": ["tace1_due"]}]
    assert main(["--db", str(book.path), "due", "A", "NOBODY", "--json"]) == 2  # never an empty answer
    out, err = capsys.readouterr()
    assert out == "" and "no patient with MRN NOBODY" in err


def test_the_imaging_schedule_may_count_from_the_enrolment(tmp_path):
    schedule = {"interval_days_y1_2": 91, "interval_days_y3_5": 182, "window_days": 14, "anchor": "enrolment"}
    with logbook_of(tmp_path, patient("E", arm=LEN), patient("N", arm=LEN, screening=None),
                    protocol={"imaging_schedule": schedule}) as book:
        courses = {c.mrn: c for c in book.courses.read()}
        rules = DueRules(book.protocol)
    # enrolled on day 20: the first visit is day 111 after the resection, its window days 97-125
    assert [rules.flags(courses["E"], _date(n)) for n in (96, 97, 125, 126)] == [
        (), ("imaging_due",), ("imaging_due",), ("imaging_overdue",)]
    assert rules.flags(courses["N"], _date(126)) == ()  # no enrolment recorded: no schedule to count from
