"""What the course's derived rules read of each patient, and nothing more: plain records the storage layer fills
with a few queries over all patients (`Logbook.courses`), so endpoints, flags and the flow never build whole
patient records and never run SQL themselves. Dates are `datetime.date`; a value not recorded is None."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Screening:
    screen_date: dt.date | None
    enrolled: bool | None
    enrol_date: dt.date | None
    not_enrolled_reason: str | None


@dataclass(frozen=True, slots=True)
class Procedure:
    date: dt.date
    cycle: int | None
    intent: str | None  # None is the default, "adjuvant"


@dataclass(frozen=True, slots=True)
class FollowUp:
    date: dt.date
    type: str  # imaging, clinic, phone
    result: str | None  # imaging only
    alive: bool | None  # None is the default, alive


@dataclass(frozen=True, slots=True)
class Recurrence:
    first_seen_date: dt.date
    confirmation_date: dt.date | None
    dsa_first_seen_date: dt.date | None


@dataclass(frozen=True, slots=True)
class DosePeriod:
    start: dt.date
    end: dt.date | None  # the last day taken; None while ongoing
    intent: str | None  # None is the default, "adjuvant"
    end_reason: str | None


@dataclass(frozen=True, slots=True)
class AdverseEvent:
    term: str
    grade: int
    onset: dt.date
    action: str | None  # action_lenvatinib
    action_date: dt.date | None


@dataclass(frozen=True, slots=True)
class Withdrawal:
    date: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class PatientCourse:
    """One patient as the course's rules see them: procedures in date order, the other lists in no order."""

    mrn: str
    arm: str | None
    resection_date: dt.date | None
    screening: Screening | None = None
    procedures: tuple[Procedure, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    recurrence: Recurrence | None = None
    death_date: dt.date | None = None
    lost_date: dt.date | None = None  # the loss to follow-up's declared date
    withdrawal: Withdrawal | None = None
    dose_periods: tuple[DosePeriod, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    patient_id: str = ""  # the logbook's record of the patient (the app opens its chart by it)
    name: str = ""

    def enrolled_by(self, day: dt.date) -> bool:
        """Enrolled on or before `day`: the screening says enrolled, on an enrolment date not after it."""
        s = self.screening
        return s is not None and s.enrolled is True and s.enrol_date is not None and s.enrol_date <= day

    def contacts_alive(self) -> list[dt.date]:
        """Every date the patient is known alive by a contact: a follow-up of any type (not one that says they
        had died), a procedure, the enrolment."""
        dates = [f.date for f in self.follow_ups if f.alive is not False]
        dates += [p.date for p in self.procedures]
        if self.screening is not None and self.screening.enrolled and self.screening.enrol_date is not None:
            dates.append(self.screening.enrol_date)
        return dates
