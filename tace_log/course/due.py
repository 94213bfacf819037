"""The research coordinator's flags as of a day (../shared/interchange-v2.md, "Derived values" and "Precise
rules"; course-reference.md §5, §6), computed only from records dated on or before that day.

Readings where the contract leaves room:
- Days count from the resection (day 0); the imaging schedule from its protocol `anchor` (resection or enrolment).
  Every range is inclusive at both ends.
- The study's schedule (TACE, imaging, `ltfu_candidate`) is kept for a patient whose screening says enrolled (the
  schedule runs from the resection, so TACE cycle 1 is upcoming even before the enrolment date), and for one with
  no screening record at all (a logbook started before the course was recorded: the arm and the resection say who
  is treated). A screening not enrolled keeps no schedule; `not_enrolled` says it is still pending (no reason).
- TACE: an adjuvant procedure (intent not `therapeutic_for_recurrence`) whose cycle is 1 or not recorded is cycle 1
  (as the TACE window check reads it); any later adjuvant procedure, or one recorded as cycle 2 or more, is cycle 2.
- A contact is a follow-up of any type (not one saying the patient had died), a procedure, the enrolment; a failed
  contact attempt is not one.
- Dose alerts: while a lenvatinib period covers the day, an adverse event with onset on or after the course's first
  day and on or before the day, without an action dated on or before the day (an action without a date counts from
  the onset): `LEN-AE-NOACTION` for grade 3 or more, `LEN-ATE-DISCONTINUE` for an arterial thromboembolism (the
  catalogue's kind) of any grade, which asks for discontinuation: an action other than `discontinued` still
  raises it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..catalogues import AdverseEventCatalogue, default_adverse_event_catalogue
from ..protocol import Protocol
from .inputs import AdverseEvent, PatientCourse

FLAGS = ("tace1_upcoming", "tace1_due", "tace1_overdue", "tace2_due", "imaging_due", "imaging_overdue",
         "ltfu_candidate", "lost_to_follow_up", "recurrence_recorded", "deceased", "not_enrolled",
         "dose_alert:LEN-ATE-DISCONTINUE", "dose_alert:LEN-AE-NOACTION")
UPCOMING_DAYS = 7  # tace1_upcoming: the days before the cycle 1 window opens
EARLY_YEARS_DAYS, LAST_DAY = 730, 1826  # imaging every early interval for 2 years, then every late one to 5 years
THERAPEUTIC = "therapeutic_for_recurrence"
ATE = "arterial_thromboembolism"
DISCONTINUED = "discontinued"
ALERT_GRADE = 3


@dataclass(frozen=True, slots=True)
class Due:
    mrn: str
    flags: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"mrn": self.mrn, "flags": list(self.flags)}


def imaging_visits(schedule) -> tuple[int, ...]:
    """The scheduled imaging days from the anchor: every early interval to 2 years, then every late one to
    5 years (91·k for k = 1..8, then every 182 to day 1820, by default)."""
    visits = list(range(schedule.interval_days_y1_2, EARLY_YEARS_DAYS + 1, schedule.interval_days_y1_2))
    last = visits[-1] if visits else 0
    visits += range(last + schedule.interval_days_y3_5, LAST_DAY + 1, schedule.interval_days_y3_5)
    return tuple(visits)


class DueRules:
    """The flags of the protocol in force, for any day."""

    def __init__(self, protocol: Protocol, catalogue: AdverseEventCatalogue | None = None):
        self.protocol = protocol
        self.tace_arms = frozenset(a.key for a in protocol.arms if a.tace)
        self.visits = imaging_visits(protocol.imaging_schedule)
        self.catalogue = catalogue or default_adverse_event_catalogue()

    def flags(self, course: PatientCourse, day: dt.date) -> tuple[str, ...]:
        return tuple(self.dated(course, day))

    def dated(self, course: PatientCourse, day: dt.date) -> dict[str, dt.date | None]:
        """Each flag raised on the day, in the contract's order, with the date it is about: when the window it is
        due in closes (or opens, for one upcoming; closed, for one overdue), when contact was due, the adverse
        event's onset, the screening's date; None for a state (lost, recurrence recorded, deceased)."""
        if course.death_date is not None and course.death_date <= day:
            return {"deceased": course.death_date}
        raised = dict(self._status(course, day))
        raised.update(self._dose_alerts(course, day))
        followed = course.screening is None or course.screening.enrolled is True
        if followed:
            recurred = course.recurrence is not None and course.recurrence.first_seen_date <= day
            lost = course.lost_date is not None and course.lost_date <= day
            withdrawn = course.withdrawal is not None and course.withdrawal.date <= day
            if not (recurred or lost or withdrawn):
                raised.update(self._tace(course, day))
                raised.update(self._imaging(course, day))
            if not lost:
                contacts = [d for d in course.contacts_alive() if d <= day]
                if contacts and (day - max(contacts)).days > self.protocol.ltfu_days:
                    raised["ltfu_candidate"] = max(contacts) + dt.timedelta(days=self.protocol.ltfu_days + 1)
        return {f: raised[f] for f in FLAGS if f in raised}

    def _status(self, course: PatientCourse, day: dt.date) -> Iterator[tuple[str, dt.date | None]]:
        if course.lost_date is not None and course.lost_date <= day:
            yield "lost_to_follow_up", course.lost_date
        if course.recurrence is not None and course.recurrence.first_seen_date <= day:
            yield "recurrence_recorded", course.recurrence.first_seen_date
        s = course.screening
        if (s is not None and (s.screen_date is None or s.screen_date <= day) and s.enrolled is not True
                and s.not_enrolled_reason is None):
            yield "not_enrolled", s.screen_date

    def _tace(self, course: PatientCourse, day: dt.date) -> Iterator[tuple[str, dt.date]]:
        if course.arm not in self.tace_arms or course.resection_date is None:
            return
        adjuvant = [p for p in course.procedures if p.intent != THERAPEUTIC and p.date <= day]
        first = next((p for p in adjuvant if p.cycle is None or p.cycle == 1), None)
        window = self.protocol.tace_window
        if first is None:
            since = (day - course.resection_date).days
            opens = course.resection_date + dt.timedelta(days=window.first_day)
            closes = course.resection_date + dt.timedelta(days=window.last_day)
            if window.first_day - UPCOMING_DAYS <= since < window.first_day:
                yield "tace1_upcoming", opens
            elif window.first_day <= since <= window.last_day:
                yield "tace1_due", closes
            elif since > window.last_day:
                yield "tace1_overdue", closes
            return
        cycle2 = self.protocol.tace_cycle2
        done = any(p is not first and (p.date > first.date or (p.cycle or 1) >= 2) for p in adjuvant)
        since = (day - first.date).days
        if cycle2.enabled and not done and cycle2.from_days_after_cycle1 <= since <= cycle2.to_days_after_cycle1:
            yield "tace2_due", first.date + dt.timedelta(days=cycle2.to_days_after_cycle1)

    def _imaging(self, course: PatientCourse, day: dt.date) -> Iterator[tuple[str, dt.date]]:
        schedule = self.protocol.imaging_schedule
        anchor = (course.resection_date if schedule.anchor == "resection"
                  else course.screening.enrol_date if course.screening is not None else None)
        if anchor is None:
            return
        since = (day - anchor).days
        scans = [(f.date - anchor).days for f in course.follow_ups if f.type == "imaging" and f.date <= day]
        latest = max(scans, default=None)  # no scan after the day counts, so the latest is the only one to look at
        w = schedule.window_days
        closed = None
        for visit in self.visits:
            if visit - w <= since <= visit + w:
                if latest is None or latest < visit - w:
                    yield "imaging_due", anchor + dt.timedelta(days=visit + w)
            elif visit + w < since:
                closed = visit
        # the latest window closed before the day: unsatisfied, and no imaging after it, is one scan behind
        if closed is not None and (latest is None or latest < closed - w):
            yield "imaging_overdue", anchor + dt.timedelta(days=closed + w)

    def _dose_alerts(self, course: PatientCourse, day: dt.date) -> Iterator[tuple[str, dt.date]]:
        if not any(p.start <= day and (p.end is None or day <= p.end) for p in course.dose_periods):
            return
        started = min(p.start for p in course.dose_periods)
        for ae in course.adverse_events:
            if not started <= ae.onset <= day:
                continue
            acted = _acted_by(ae, day)
            if self.catalogue.kind(ae.term) == ATE and not (acted and ae.action == DISCONTINUED):
                yield "dose_alert:LEN-ATE-DISCONTINUE", ae.onset
            if ae.grade >= ALERT_GRADE and not acted:
                yield "dose_alert:LEN-AE-NOACTION", ae.onset


def _acted_by(ae: AdverseEvent, day: dt.date) -> bool:
    """Whether the AE's lenvatinib action was taken on or before the day (undated: from the onset)."""
    return ae.action is not None and (ae.action_date or ae.onset) <= day


def due(courses: Iterable[PatientCourse], protocol: Protocol, day: dt.date) -> list[Due]:
    """Every patient's flags as of the day, in the order given."""
    rules = DueRules(protocol)
    return [Due(c.mrn, rules.flags(c, day)) for c in courses]
