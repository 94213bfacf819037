"""What the eligibility rules read (`Logbook.eligibility`): the few columns of the patients, their pathology and
screening, and the lab results of the tests the rules read, for every patient or one MRN, in three queries, never
as whole patient records (10,000 patients with 60 lab results each are read in a fraction of a second).

The rules themselves are `course/eligibility.py`'s; this only fetches their inputs and hands them over.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..course.eligibility import LAB_TESTS, EligibilityInputs, EligibilityResult, EligibilityRules, LabResult
from ..dictionary import PATHOLOGY, PATIENT, SCREENING, FieldType
from .schema import MIGRATION_NAMES
from .session import Session

if TYPE_CHECKING:
    from ..protocol import Protocol

_COURSE_VERSION = MIGRATION_NAMES.index("0007_course") + 1  # the schema that stores screenings and labs
_PATIENT = ("mrn", "sex", "birth_date", "resection_date", "resection_margin")
_PATHOLOGY = ("hcc_confirmed", "mvi", "tumor_count", "max_diameter_cm", "capsule", "margin_clear", "rupture",
              "adjacent_invasion")
_SCREENING = ("screen_date", "consent_date", "enrol_date", "resection_intent", "asa", "ecog", "ascites",
              "encephalopathy", "prior_lenvatinib", "sorafenib_allergy", "pregnant_or_lactating", "other_malignancy",
              "mental_illness", "other_trial_within_3_months", "prohibited_postop_therapy")
_FIELDS = [*(PATIENT[c] for c in _PATIENT), *(PATHOLOGY[c] for c in _PATHOLOGY), *(SCREENING[c] for c in _SCREENING)]
_DATES = frozenset(f.key for f in _FIELDS if f.type is FieldType.DATE)  # stored as ISO text
_FLAGS = frozenset(f.key for f in _FIELDS if f.type is FieldType.BOOL)  # stored as 0/1
_TESTS = ", ".join(f"'{t}'" for t in LAB_TESTS)


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


class EligibilityReader:
    """Reads the eligibility rules' inputs and evaluates them with the logbook's protocol (`Logbook.eligibility`)."""

    def __init__(self, session: Session, protocol: Callable[[], Protocol]):
        self._session = session
        self._protocol = protocol

    def evaluate(self, mrn: str | None = None) -> list[EligibilityResult]:
        """Each patient's eligibility (or the one with this MRN), ordered by MRN."""
        return EligibilityRules(self._protocol()).evaluate_all(self.inputs(mrn))

    def inputs(self, mrn: str | None = None) -> list[EligibilityInputs]:
        """The rules' inputs of every patient, or of the one with this MRN (none: an empty list), by MRN."""
        db = self._session.db
        course = self._session.schema_version >= _COURSE_VERSION  # an older logbook read as it is: no course yet
        columns = [f"p.{c}" for c in _PATIENT]
        columns += [f"p.{PATHOLOGY.column_prefix}{c}" if course or c != "hcc_confirmed" else "NULL" for c in _PATHOLOGY]
        columns += [f"s.{c}" if course else "NULL" for c in _SCREENING]
        names = (*_PATIENT, *_PATHOLOGY, *_SCREENING)
        where, params = ("WHERE p.mrn = ?", [mrn]) if mrn is not None else ("", [])
        screenings = f"LEFT JOIN {SCREENING.table} s ON s.patient_id = p.id" if course else ""
        rows = db.execute(f"SELECT p.id, {', '.join(columns)} FROM patients p {screenings} {where} ORDER BY p.mrn",
                          params).fetchall()
        thrombus = {row[0] for row in db.execute(
            f"SELECT DISTINCT t.patient_id FROM {PATHOLOGY.multi_tables['thrombus'].table} t "
            f"JOIN patients p ON p.id = t.patient_id {where}", params)}
        labs: dict[str, list[LabResult]] = defaultdict(list)
        if course:
            # Only what a rule may read: the tests it reads, dated from the resection to the reference date.
            for patient_id, test, date, position, value, unit, qualifier, uln in db.execute(
                    "SELECT l.patient_id, l.test, l.date, l.position, l.value, l.unit, l.qualifier, l.uln "
                    f"FROM {SCREENING.table} s JOIN patients p ON p.id = s.patient_id "
                    "JOIN labs l ON l.patient_id = s.patient_id "
                    f"WHERE l.test IN ({_TESTS}) AND l.date >= p.resection_date "
                    f"AND l.date <= coalesce(s.enrol_date, s.consent_date, s.screen_date) "
                    f"{where.replace('WHERE', 'AND')}", params):
                labs[patient_id].append(LabResult(test, dt.date.fromisoformat(date), position, value, unit, qualifier,
                                                  uln))
        out = []
        for row in rows:
            values: dict[str, Any] = {name: (_date(v) if name in _DATES else _flag(v) if name in _FLAGS else v)
                      for name, v in zip(names, row[1:], strict=True)}
            out.append(EligibilityInputs(**values, thrombus=row[0] in thrombus, labs=tuple(labs.get(row[0], ()))))
        return out
