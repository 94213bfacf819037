"""The lenvatinib course against the label (HCC: US PI, EU SmPC; course-reference.md §3): the starting dose by
weight, the reduction ladder after an adverse event, resuming at the same dose, the events that call for
discontinuation, and a start too soon after surgery. Each is a warning with its rule id (interchange-v2.md,
DosePeriod): the course is recorded as it was given, and a deviation is seen, never refused.

The adjuvant course is its periods with intent adjuvant (or not recorded), in order of start; post-recurrence
lenvatinib is not part of it. A hold is the gap between two periods: the first ends `held_for_ae` (naming the
event), the next is the dose it resumed at. The dose is never re-derived from a later weight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .catalogues import AdverseEventCatalogue, AdverseEventTerm
from .findings import INFO, WARNING, Finding, join
from .messages import Message
from .model import canonical_id
from .protocol import LenvatinibDosing
from .times import parse_date

# The label's dose levels, highest first: each reduction is one step down, and below the last is discontinuation
# (12 → 8 → 4 → 4 every other day; 8 → 4 → 4 every other day → stop). The protocol's `reduction_steps` say the same
# in words (tests/core/test_lenvatinib.py holds them together).
LADDER = ((12, "qd"), (8, "qd"), (4, "qd"), (4, "qod"))
EARLIEST_START_DAY = 14  # "at least 2 weeks following major surgery" (US label)
# Kinds of adverse event after which the label discontinues, whatever the grade.
DISCONTINUING_KINDS = frozenset({"arterial_thromboembolism", "hepatic_failure", "nephrotic_syndrome"})
# Kinds whose first occurrence may resume at the same dose under the EU label.
FIRST_OCCURRENCE_SAME_DOSE = frozenset({"proteinuria", "haematological"})


def next_step_down(level: tuple[int, str]) -> tuple[int, str] | None:
    """The dose level one step down the ladder, or None when there is none (discontinue)."""
    if level not in LADDER:
        return None
    i = LADDER.index(level)
    return LADDER[i + 1] if i + 1 < len(LADDER) else None


@dataclass(frozen=True)
class _Period:
    index: int  # its position in the document's list, for the path
    start: dt.date
    end: dt.date | None
    level: tuple[int, str]
    end_reason: Any
    adverse_event_id: str | None


@dataclass(frozen=True)
class _Event:
    index: int
    onset: dt.date
    grade: int | None
    term: AdverseEventTerm | None

    @property
    def kind(self) -> str | None:
        return self.term.kind if self.term else None

    @property
    def calls_for_discontinuation(self) -> bool:
        """An arterial thromboembolism, hepatic failure, nephrotic syndrome, or a grade 4 event that is not a
        laboratory value (a grade 4 laboratory abnormality not life-threatening is managed as grade 3)."""
        return self.kind in DISCONTINUING_KINDS or (
            self.grade == 4 and self.term is not None and not self.term.laboratory) or self.grade == 5


def _id(value: Any) -> str | None:
    try:
        return canonical_id(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _periods(patient: dict) -> list[_Period]:
    rows = patient.get("lenvatinib")
    out = []
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, dict) or row.get("intent") not in (None, "adjuvant"):
            continue
        start = parse_date(row.get("start"))
        dose, frequency = row.get("dose_mg"), row.get("frequency")
        if start is None or not isinstance(dose, int) or not isinstance(frequency, str):
            continue  # reported by the field checks
        out.append(_Period(i, start, parse_date(row.get("end")), (dose, frequency), row.get("end_reason"),
                           _id(row.get("adverse_event_id"))))
    return sorted(out, key=lambda p: p.start)


def _events(patient: dict, catalogue: AdverseEventCatalogue) -> dict[str | None, _Event]:
    rows = patient.get("adverse_events")
    out: dict[str | None, _Event] = {}
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        onset = parse_date(row.get("onset")) if isinstance(row, dict) else None
        if onset is None:
            continue
        grade = row.get("ctcae_grade")
        term = row.get("term")
        out[_id(row.get("id")) or f"#{i}"] = _Event(i, onset, grade if isinstance(grade, int) else None,
                                                    catalogue.find(term) if isinstance(term, str) else None)
    return out


class LenvatinibChecks:
    """The label's checks of one patient's adjuvant course, given the protocol's dosing and the AE catalogue."""

    def __init__(self, dosing: Callable[[], LenvatinibDosing], catalogue: Callable[[], AdverseEventCatalogue]):
        self._dosing, self._catalogue = dosing, catalogue

    def check(self, patient: dict, path: str, out: list[Finding]) -> None:
        periods = _periods(patient)
        if not periods:
            return
        dosing = self._dosing()
        events = _events(patient, self._catalogue())
        where = lambda p, key: join(join(join(path, "lenvatinib"), p.index), key)  # noqa: E731
        self._start(patient, periods[0], dosing, where, out)
        for before, after in zip(periods, periods[1:], strict=False):
            event = events.get(before.adverse_event_id)
            if before.end_reason == "held_for_ae":
                self._resumed(before, after, event, events, dosing, where, out)
        for event in sorted(events.values(), key=lambda e: e.onset):
            if event.calls_for_discontinuation:
                self._not_discontinued(event, periods, where, out)

    @staticmethod
    def _start(patient: dict, first: _Period, dosing: LenvatinibDosing, where, out: list[Finding]) -> None:
        resection = parse_date(patient.get("resection_date"))
        if resection is not None and 0 <= (first.start - resection).days < EARLIEST_START_DAY:
            out.append(Finding(where(first, "start"), WARNING, Message(
                "LEN-START-EARLY", days=(first.start - resection).days, earliest=EARLIEST_START_DAY)))
        weight = patient["lenvatinib"][first.index].get("weight_kg")  # a period read: its row is a dict
        if not isinstance(weight, (int, float)) or isinstance(weight, bool):
            weight = patient.get("weight_kg")
        if not isinstance(weight, (int, float)) or isinstance(weight, bool):
            return  # no weight recorded: nothing to check the dose against
        expected = (int(dosing.dose_mg(weight)), "qd")
        if first.level != expected:
            out.append(Finding(where(first, "dose_mg"), WARNING, Message(
                "LEN-DOSE-WEIGHT", dose=_level(first.level), weight=f"{weight:g}", expected=_level(expected),
                threshold=f"{dosing.threshold_kg:g}")))
        elif weight == dosing.threshold_kg:
            out.append(Finding(where(first, "dose_mg"), INFO, Message(
                "LEN-DOSE-WEIGHT.threshold", threshold=f"{dosing.threshold_kg:g}", dose=_level(expected))))

    @staticmethod
    def _resumed(before: _Period, after: _Period, event: _Event | None, events: dict[str | None, _Event],
                 dosing: LenvatinibDosing, where, out: list[Finding]) -> None:
        """After a hold for an adverse event: one step down, or the same dose where the label allows it."""
        if event is not None and event.calls_for_discontinuation:
            return  # LEN-DISCONTINUE says it
        qualifying = event is not None and event.grade is not None and event.grade >= 2
        step = next_step_down(before.level)
        if step is None and qualifying and event is not None:  # at the bottom of the ladder: nothing lower
            out.append(Finding(where(after, "start"), WARNING, Message(
                "LEN-DISCONTINUE", event=f"adverse_events[{event.index}]", onset=event.onset.isoformat())))
        elif after.level == before.level:
            if not qualifying or event is None:
                return  # a grade 1 event, or one not named: resuming at the same dose is the label's
            first_of_kind = event.kind in FIRST_OCCURRENCE_SAME_DOSE and not any(
                e.kind == event.kind and e.onset < event.onset for e in events.values())
            if first_of_kind and dosing.label_basis == "EU":
                return
            out.append(Finding(where(after, "dose_mg"), WARNING, Message(
                "LEN-RESUME-SAME", dose=_level(after.level), grade=event.grade, lower=_level(step))))
        elif after.level != step:
            out.append(Finding(where(after, "dose_mg"), WARNING, Message(
                "LEN-LADDER", dose=_level(after.level), before=_level(before.level),
                step=_level(step) if step else Message("lenvatinib.stop"))))

    @staticmethod
    def _not_discontinued(event: _Event, periods: list[_Period], where, out: list[Finding]) -> None:
        """An event that calls for discontinuation, or a qualifying one at the bottom of the ladder, with the
        course going on after it: a period still open on its onset, or one started after it."""
        going_on = [p for p in periods if p.start > event.onset or (p.start <= event.onset and p.end is None)]
        if going_on:
            p = going_on[0]
            out.append(Finding(where(p, "start" if p.start > event.onset else "end"), WARNING, Message(
                "LEN-DISCONTINUE", event=f"adverse_events[{event.index}]", onset=event.onset.isoformat())))


def _level(level: tuple[int, str] | None) -> str:
    if level is None:
        return ""
    dose, frequency = level
    return f"{dose} mg {frequency}"
