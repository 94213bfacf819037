"""RFS, OS and TTR read like the contract's rules (interchange-v2.md, "Precise rules"; course-reference.md §4.3):
each row is a patient resected on day 0 and enrolled on day 20, analysed at a cutoff on day 365."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from tace_log.cli import main
from tace_log.course.endpoints import endpoints, logbook_survival_data
from tace_log.storage import Logbook

from .course_support import RESECTION, day, death, enrolled, logbook_of, patient, procedure, recurrence, scan, visit

CUTOFF = RESECTION + dt.timedelta(days=365)

# (what the row shows, the patient's course, (rfs_days, rfs_event), (os_days, os_event), (ttr_days, ttr_event))
RULES = [
    ("no scan: RFS and TTR censored at day 0, OS at the last contact (the enrolment)",
     {}, (0, 0), (20, 0), (0, 0)),
    ("a scan on the cutoff date counts",
     {"follow_ups": [scan(91), scan(365)]}, (365, 0), (365, 0), (365, 0)),
    ("a scan the day after the cutoff is ignored; OS is then censored at the cutoff",
     {"follow_ups": [scan(91), scan(366)]}, (91, 0), (365, 0), (91, 0)),
    ("a phone call never censors RFS, but is a contact for OS",
     {"follow_ups": [scan(91), visit(300, "phone")]}, (91, 0), (300, 0), (91, 0)),
    ("a clinic visit never censors RFS either",
     {"follow_ups": [scan(91), visit(200)]}, (91, 0), (200, 0), (91, 0)),
    ("an equivocal scan does not censor: only no evidence of disease does",
     {"follow_ups": [scan(91), scan(182, "equivocal")]}, (91, 0), (182, 0), (91, 0)),
    ("a procedure is a contact for OS",
     {"follow_ups": [scan(91)], "procedures": [procedure(130)]}, (91, 0), (130, 0), (91, 0)),
    ("a recurrence is the RFS and TTR event",
     {"follow_ups": [scan(91), scan(182, "recurrence"), visit(300, "phone")], "recurrence": recurrence(182)},
     (182, 1), (300, 0), (182, 1)),
    ("a recurrence after the cutoff does not count",
     {"follow_ups": [scan(91), scan(182)], "recurrence": recurrence(400)}, (182, 0), (182, 0), (182, 0)),
    ("a death without recurrence: an RFS event, TTR censored at the last disease-free scan",
     {"follow_ups": [scan(91), visit(200)], "death": death(250, "cardiovascular")}, (250, 1), (250, 1), (91, 0)),
    ("a death after the cutoff does not count: OS censored at the cutoff",
     {"follow_ups": [scan(91)], "death": death(500)}, (91, 0), (365, 0), (91, 0)),
    ("a recurrence, then a death: RFS at the recurrence",
     {"follow_ups": [scan(91)], "recurrence": recurrence(150), "death": death(300)}, (150, 1), (300, 1), (150, 1)),
    ("a recurrence is the event whatever scans came after it",
     {"follow_ups": [scan(91), scan(200)], "recurrence": recurrence(150)}, (150, 1), (200, 0), (150, 1)),
    ("a DSA stain alone is never a recurrence",
     {"follow_ups": [scan(91)], "procedures": [procedure(30, stain="recurrence_suspected")]}, (91, 0), (91, 0),
     (91, 0)),
    ("a follow-up saying the patient had died is no contact known alive",
     {"follow_ups": [scan(91), visit(300, "phone", alive=False)]}, (91, 0), (91, 0), (91, 0)),
    ("a withdrawn patient stays in, censored as anyone",
     {"follow_ups": [scan(91), scan(182)], "withdrawal": {"date": day(100), "reason": "consent_withdrawn"}},
     (182, 0), (182, 0), (182, 0)),
    ("a lost patient stays in, censored as anyone",
     {"follow_ups": [scan(91)], "lost_to_follow_up": {"declared_date": day(300),
                                                     "attempt_dates": [day(280), day(290), day(295)]}},
     (91, 0), (91, 0), (91, 0)),
]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    patients = [patient(f"R{i:02d}", **course) for i, (_, course, *_) in enumerate(RULES)]
    with logbook_of(tmp_path_factory.mktemp("endpoints"), *patients) as book:
        yield {e.mrn: e for e in endpoints(book.courses.read(), book.protocol, CUTOFF)}


@pytest.mark.parametrize(("i", "rule"), list(enumerate(RULES)), ids=[r[0] for r in RULES])
def test_each_censoring_rule(analysed, i, rule):
    _, _, rfs, os_, ttr = rule
    e = analysed[f"R{i:02d}"]
    assert ((e.rfs_days, e.rfs_event), (e.os_days, e.os_event), (e.ttr_days, e.ttr_event)) == (rfs, os_, ttr)


# The recurrence's DSA stain on day 120, first seen on CT on day 150, confirmed on day 180.
@pytest.mark.parametrize(("rule", "days"), [("first_seen", 150), ("confirmation", 180),
                                            ("earliest_including_dsa", 120)])
def test_the_recurrence_is_dated_by_the_protocols_rule(tmp_path, rule, days):
    dated = patient("D", follow_ups=[scan(91)], recurrence=recurrence(150, confirmation=180, dsa=120))
    unconfirmed = patient("U", follow_ups=[scan(91)], recurrence=recurrence(150))
    stain_only = patient("S", follow_ups=[scan(91)], procedures=[procedure(30, stain="recurrence_suspected")])
    with logbook_of(tmp_path, dated, unconfirmed, stain_only, protocol={"recurrence_date_rule": rule}) as book:
        got = {e.mrn: e for e in endpoints(book.courses.read(), book.protocol, CUTOFF)}
    assert (got["D"].rfs_days, got["D"].rfs_event, got["D"].ttr_days, got["D"].ttr_event) == (days, 1, days, 1)
    # not yet confirmed: dated by when it was first seen under every rule
    assert (got["U"].rfs_days, got["U"].rfs_event) == (150, 1)
    assert (got["S"].rfs_days, got["S"].rfs_event) == (91, 0)


def test_a_confirmation_after_the_cutoff_is_no_event_yet_and_censors_before_the_lesion(tmp_path):
    late = patient("L", follow_ups=[scan(91), scan(300, "recurrence")], recurrence=recurrence(300, 400))
    with logbook_of(tmp_path, late, protocol={"recurrence_date_rule": "confirmation"}) as book:
        [e] = endpoints(book.courses.read(), book.protocol, CUTOFF)
    assert (e.rfs_days, e.rfs_event, e.ttr_days, e.ttr_event) == (91, 0, 91, 0)


def test_rfs_origin_enrolment_counts_every_endpoint_from_the_enrolment(tmp_path):
    scanned = patient("E", screening=enrolled(on=40), follow_ups=[scan(30), scan(91)], recurrence=recurrence(200))
    early = patient("F", screening=enrolled(on=40), follow_ups=[scan(30)])  # the only scan before the enrolment
    with logbook_of(tmp_path, scanned, early, protocol={"rfs_origin": "enrolment"}) as book:
        got = {e.mrn: e for e in endpoints(book.courses.read(), book.protocol, CUTOFF)}
    assert (got["E"].rfs_days, got["E"].rfs_event, got["E"].os_days, got["E"].ttr_days) == (160, 1, 51, 160)
    assert (got["F"].rfs_days, got["F"].rfs_event, got["F"].os_days) == (0, 0, 0)


def test_only_patients_enrolled_by_the_cutoff_are_analysed(tmp_path):
    with logbook_of(tmp_path,
                    patient("IN"),
                    patient("LATE", screening=enrolled(on=400)),
                    patient("DECLINED", screening={"screen_date": day(10), "enrolled": False,
                                                   "not_enrolled_reason": "declined"}),
                    patient("NO-SCREENING", screening=None)) as book:
        assert [e.mrn for e in endpoints(book.courses.read(), book.protocol, CUTOFF)] == ["IN"]
        data = logbook_survival_data(book, CUTOFF)
    assert data == {"rfs": [("IN", "lenvatinib_tace", 0, 0)], "os": [("IN", "lenvatinib_tace", 20, 0)],
                    "ttr": [("IN", "lenvatinib_tace", 0, 0)]}


def test_the_command_prints_the_contracts_json_alone(tmp_path, capsys):
    book = logbook_of(tmp_path, patient("C1", follow_ups=[scan(91)], recurrence=recurrence(150)),
                      patient("C2", arm="lenvatinib", screening=None))
    book.close()
    assert main(["--db", str(book.path), "endpoints", "--cutoff", CUTOFF.isoformat(), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == [{"mrn": "C1", "arm": "lenvatinib_tace", "rfs_days": 150, "rfs_event": 1,
                                "os_days": 91, "os_event": 0, "ttr_days": 150, "ttr_event": 1}]
    assert "protocol: " in err and "1 without a screening record left out" in err


def test_a_logbook_without_the_course_tables_reads_as_no_course_yet(tmp_path):
    book = logbook_of(tmp_path, patient("OLD", screening=None, procedures=[procedure(30)]))
    book.close()
    connection = sqlite3.connect(book.path)  # what a logbook before migration 0007 lacks, as far as reading goes
    with connection:
        for table in ("recurrence_sites", "recurrence_treatments", "contact_attempts", "screenings", "labs",
                      "lenvatinib_periods", "adverse_events", "follow_ups", "recurrences", "deaths",
                      "losses_to_follow_up", "withdrawals"):
            connection.execute(f"DROP TABLE {table}")
    connection.close()
    with Logbook.read_only(book.path) as old:
        [course] = old.courses.read()
    assert (course.mrn, course.screening, course.follow_ups, [p.cycle for p in course.procedures]) == (
        "OLD", None, (), [1])
    assert endpoints([course], old.protocol, CUTOFF) == []
