"""What the eligibility rules read (`Logbook.eligibility`): the few columns of the patients, their pathology and
screening, and the lab results of the tests the rules read, for every patient or one MRN, in three queries, never
as whole patient records (10,000 patients with 60 lab results each are read in a fraction of a second).

The rules themselves are `course/eligibility.py`'s; this only fetches their inputs and hands them over.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import TYPE_CHECKING

from ..course.eligibility import LAB_TESTS, EligibilityInputs, EligibilityResult, EligibilityRules, LabResult
from ..dictionary import PATHOLOGY, PATIENT, SCREENING, FieldType
from .schema import MIGRATION_NAMES
from .session import Session

if TYPE_CHECKING:
    from .logbook import Logbook

_COURSE_VERSION = MIGRATION_NAMES.index("0007_course") + 1  # the schema that stores screenings and labs
_PATIENT = ("mrn", "sex", "birth_date", "resection_date", "resection_margin")
_PATHOLOGY = ("hcc_confirmed", "mvi", "tumor_count", "max_diameter_cm", "capsule", "margin_clear", "rupture",
              "adjacent_invasion")
_SCREENING = ("screen_date", "consent_date", "enrol_date", "resection_intent", "asa", "ecog", "ascites",
              "encephalopathy", "prior_lenvatinib", "sorafenib_allergy", "pregnant_or_lactating", "other_malignancy",
              "mental_illness", "other_trial_within_3_months", "prohibited_postop_therapy")
_COLUMNS = (*_PATIENT, *_PATHOLOGY, *_SCREENING)
# The inputs are made positionally from a row (10,000 rows): the row's columns are its first fields, in order.
assert _COLUMNS == tuple(f.name for f in fields(EligibilityInputs))[:len(_COLUMNS)]
_FIELDS = [*(PATIENT[c] for c in _PATIENT), *(PATHOLOGY[c] for c in _PATHOLOGY), *(SCREENING[c] for c in _SCREENING)]
# a date is stored as ISO text, a flag as 0/1
_CONVERT = tuple(dt.date.fromisoformat if f.type is FieldType.DATE else bool if f.type is FieldType.BOOL else None
                 for f in _FIELDS)
_TESTS = ", ".join(f"'{t}'" for t in LAB_TESTS)


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: the inputs and results of 10,000 patients are a million small objects
    made at once, none in a cycle, and collecting while they are made costs a quarter of the time."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class EligibilityReader:
    """Reads the eligibility rules' inputs and evaluates them with the logbook's protocol (`Logbook.eligibility`)."""

    def __init__(self, session: Session, logbook: Logbook):
        self._session = session
        self._logbook = logbook

    def evaluate(self, mrn: str | None = None) -> list[EligibilityResult]:
        """Each patient's eligibility (or the one with this MRN), ordered by MRN, by the logbook's protocol and lab
        catalogue (its validator's)."""
        rules = EligibilityRules(self._logbook.protocol, self._logbook.validator.choices.labs)
        with _no_collection():
            return rules.evaluate_all(self.inputs(mrn))

    def as_json(self, mrn: str | None = None) -> list[dict]:
        """`evaluate`'s results as the contract's objects (`tace-log eligibility --json`), made in one go."""
        results = self.evaluate(mrn)
        with _no_collection():
            return [r.as_json() for r in results]

    def inputs(self, mrn: str | None = None) -> list[EligibilityInputs]:
        """The rules' inputs of every patient, or of the one with this MRN (none: an empty list), by MRN."""
        db = self._session.db
        course = self._session.schema_version >= _COURSE_VERSION  # an older logbook read as it is: no course yet
        columns = [f"p.{c}" for c in _PATIENT]
        columns += [f"p.{PATHOLOGY.column_prefix}{c}" if course or c != "hcc_confirmed" else "NULL" for c in _PATHOLOGY]
        columns += [f"s.{c}" if course else "NULL" for c in _SCREENING]
        where, params = ("WHERE p.mrn = ?", [mrn]) if mrn is not None else ("", [])
        screenings = f"LEFT JOIN {SCREENING.table} s ON s.patient_id = p.id" if course else ""
        rows = db.execute(f"SELECT p.id, {', '.join(columns)} FROM patients p {screenings} {where} ORDER BY p.mrn",
                          params).fetchall()
        thrombus = {row[0] for row in db.execute(
            f"SELECT DISTINCT t.patient_id FROM {PATHOLOGY.multi_tables['thrombus'].table} t "
            f"JOIN patients p ON p.id = t.patient_id {where}", params)}
        labs: dict[str, list[LabResult]] = defaultdict(list)
        if course:
            # Only what a rule may read: the tests it reads, dated from the resection to the reference date, sought
            # for each screened patient (CROSS JOIN keeps that order) in the index made for it (labs_by_test,
            # migration 0008), never the labs table walked whole.
            for patient_id, test, date, position, value, unit, qualifier, uln in db.execute(
                    "SELECT l.patient_id, l.test, l.date, l.position, l.value, l.unit, l.qualifier, l.uln "
                    f"FROM {SCREENING.table} s JOIN patients p ON p.id = s.patient_id CROSS JOIN labs l "
                    f"WHERE l.patient_id = s.patient_id AND l.test IN ({_TESTS}) AND l.date >= p.resection_date "
                    f"AND l.date <= coalesce(s.enrol_date, s.consent_date, s.screen_date) "
                    f"{where.replace('WHERE', 'AND')}", params):
                labs[patient_id].append(LabResult(test, dt.date.fromisoformat(date), position, value, unit, qualifier,
                                                  uln))
        out = []
        for patient_id, *row in rows:
            values = [v if v is None or to is None else to(v) for to, v in zip(_CONVERT, row, strict=True)]
            out.append(EligibilityInputs(*values, thrombus=patient_id in thrombus,  # type: ignore[arg-type, misc]
                                         labs=tuple(labs.get(patient_id, ()))))
        return out
