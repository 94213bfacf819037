"""RFS, OS and TTR at an analysis cutoff, from the course (../shared/interchange-v2.md, "Derived values" and
"Precise rules"; course-reference.md §4.3).

- The origin, day 0, is the protocol's `rfs_origin` (the resection, or the enrolment), for all three endpoints:
  one analysis counts from one origin.
- A recurrence is the patient's recurrence record, dated by the protocol's `recurrence_date_rule`: `first_seen`
  (the first CT/MRI/CEUS or histology), `confirmation` (its confirmation date; the first-seen date while none is
  recorded), `earliest_including_dsa` (the earlier of first seen and a DSA stain). A stain at DSA alone (a
  procedure's stain, a `dsa_first_seen_date`) is never a recurrence.
- RFS: recurrence or death; TTR: recurrence, a death censored. Both are censored at the last imaging follow-up with
  result `no_evidence_of_disease` on or before the cutoff and before the recurrence, day 0 when there is none; a
  clinic visit or a phone call never censors them.
- OS: death, censored at the last contact known alive on or before the cutoff (a follow-up of any type, a procedure,
  the enrolment), or at the cutoff itself when the patient is known alive after it (a later contact, a later death).
- Events after the cutoff do not count; withdrawn and lost patients stay in, censored as above.
- Who is analysed: a patient whose screening says enrolled, on or before the cutoff. A patient without a screening
  record is not known to be enrolled and is left out (the command says how many). A day before the origin (a
  censoring scan before the enrolment) counts as day 0. With no origin recorded the days are None, and the patient
  is not analysed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..protocol import Protocol
from .inputs import PatientCourse, Recurrence

NO_EVIDENCE = "no_evidence_of_disease"
ENDPOINTS = ("rfs", "os", "ttr")


@dataclass(frozen=True, slots=True)
class Endpoints:
    """One patient's endpoints at a cutoff: days from the origin, and 1 for an event, 0 for a censoring."""

    mrn: str
    arm: str | None
    rfs_days: int | None
    rfs_event: int | None
    os_days: int | None
    os_event: int | None
    ttr_days: int | None
    ttr_event: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"mrn": self.mrn, "arm": self.arm, "rfs_days": self.rfs_days, "rfs_event": self.rfs_event,
                "os_days": self.os_days, "os_event": self.os_event, "ttr_days": self.ttr_days,
                "ttr_event": self.ttr_event}


def recurrence_date(recurrence: Recurrence | None, rule: str) -> dt.date | None:
    """The date a recurrence counts from under the protocol's rule."""
    if recurrence is None:
        return None
    if rule == "confirmation":
        return recurrence.confirmation_date or recurrence.first_seen_date
    if rule == "earliest_including_dsa" and recurrence.dsa_first_seen_date is not None:
        return min(recurrence.first_seen_date, recurrence.dsa_first_seen_date)
    return recurrence.first_seen_date


def origin(course: PatientCourse, rfs_origin: str) -> dt.date | None:
    if rfs_origin == "enrolment":
        return course.screening.enrol_date if course.screening is not None else None
    return course.resection_date


def analysed(courses: Iterable[PatientCourse], cutoff: dt.date) -> list[PatientCourse]:
    """The patients in the analysis at a cutoff: enrolled on or before it."""
    return [c for c in courses if c.enrolled_by(cutoff)]


def patient_endpoints(course: PatientCourse, protocol: Protocol, cutoff: dt.date) -> Endpoints:
    day0 = origin(course, protocol.rfs_origin)
    if day0 is None:
        return Endpoints(course.mrn, course.arm, None, None, None, None, None, None)

    def days(date: dt.date) -> int:
        return max(0, (date - day0).days)

    recurred = recurrence_date(course.recurrence, protocol.recurrence_date_rule)
    recurrence = recurred if recurred is not None and recurred <= cutoff else None
    death = course.death_date if course.death_date is not None and course.death_date <= cutoff else None
    # the last disease-free scan: on or before the cutoff, before the recurrence (wherever that is dated)
    scans = [f.date for f in course.follow_ups if f.type == "imaging" and f.result == NO_EVIDENCE
             and f.date <= cutoff and (recurred is None or f.date < recurred)]
    disease_free = days(max(scans)) if scans else 0

    if recurrence is not None and (death is None or recurrence <= death):
        rfs = (days(recurrence), 1)
    elif death is not None:
        rfs = (days(death), 1)
    else:
        rfs = (disease_free, 0)
    ttr = (days(recurrence), 1) if recurrence is not None else (disease_free, 0)
    if death is not None:
        os_ = (days(death), 1)
    else:
        contacts = course.contacts_alive()
        later = (course.death_date is not None and course.death_date > cutoff) or any(d > cutoff for d in contacts)
        known = [d for d in contacts if d <= cutoff]
        os_ = (days(cutoff), 0) if later else ((days(max(known)), 0) if known else (0, 0))
    return Endpoints(course.mrn, course.arm, rfs[0], rfs[1], os_[0], os_[1], ttr[0], ttr[1])


def endpoints(courses: Iterable[PatientCourse], protocol: Protocol, cutoff: dt.date) -> list[Endpoints]:
    """The endpoints of every patient analysed at the cutoff, in the order given."""
    return [patient_endpoints(c, protocol, cutoff) for c in analysed(courses, cutoff)]


def survival_data(courses: Iterable[PatientCourse], protocol: Protocol,
                  cutoff: dt.date) -> dict[str, list[tuple[str, str | None, int, int]]]:
    """What a survival analysis reads: per endpoint ("rfs", "os", "ttr"), (mrn, arm, days, event) for every patient
    analysed at the cutoff whose origin is recorded."""
    rows = [e for e in endpoints(courses, protocol, cutoff) if e.rfs_days is not None]
    return {name: [(e.mrn, e.arm, getattr(e, f"{name}_days"), getattr(e, f"{name}_event")) for e in rows]
            for name in ENDPOINTS}


def logbook_survival_data(logbook, cutoff: dt.date) -> dict[str, list[tuple[str, str | None, int, int]]]:
    """`survival_data` for a logbook (its courses, its protocol in force)."""
    return survival_data(logbook.courses.read(treatment=False), logbook.protocol, cutoff)
