"""The lab and adverse-event catalogues, from site-editable files like the formulary: the tests a lab result may be
of (the units each is accepted in, their factors to its canonical unit, its plausible range, whether a result carries
the lab's upper limit of normal), and the CTCAE v5 terms an adverse event may name (Chinese name, kind, grades).

A lab value is stored as entered and converted to its test's canonical unit for every rule; the validator checks a
result and an adverse event against these (`Validator.lab_result`, `Validator.adverse_event`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .dictionary import Bilingual
from .resources import resource

# Comparisons against a limit are made in canonical units with this relative tolerance (interchange-v2.md, "Precise
# rules"): 3.0 mg/dL is 51.3 µmol/L, though 3.0 × 17.1 is not exactly 51.3 in binary.
TOLERANCE = 1e-9

# What the lenvatinib rules act on (interchange-v2.md, AdverseEvent); a term not in the catalogue is OTHER.
OTHER = "other"
KINDS = ("hypertension", "proteinuria", "haematological", "hepatic", "hepatic_failure", "nephrotic_syndrome",
         "arterial_thromboembolism", "palmar_plantar_erythrodysesthesia", "diarrhoea", "fatigue", OTHER)
MAX_GRADE = 5  # CTCAE's grades are 1 to 5; a term may have fewer
UNITLESS = "1"  # the unit of a ratio (INR), as the contract writes it

_MICRO = re.compile(r"(?<![A-Za-z])u(?=[A-Za-z])")  # "umol/L", "10^3/uL": u for µ before a unit, not in "IU"


def unit_spelling(unit: str) -> str:
    """A unit as the catalogue spells it: micro as µ (U+00B5), also when written μ (U+03BC, Greek mu) or u."""
    return _MICRO.sub("µ", unit.replace("\u03bc", "µ"))


def within(value: float, low: float, high: float) -> bool:
    """Whether a value in canonical units is inside [low, high], with the contract's tolerance."""
    return low - TOLERANCE * abs(low) <= value <= high + TOLERANCE * abs(high)


@dataclass(frozen=True)
class LabTest(Bilingual):
    """A laboratory test (or a measurement kept as one: blood pressure): its canonical unit, the units it is
    accepted in with their factors to the canonical unit, and its plausible range in the canonical unit."""

    key: str
    en: str
    zh: str
    unit: str  # the canonical unit: every rule compares in it
    factors: dict[str, float] = field(hash=False)  # by accepted unit, in the order offered: canonical = value × factor
    low: float  # the plausible range, both ends included, in the canonical unit
    high: float
    takes_uln: bool = False  # a result carries the lab's upper limit of normal (ALT, AST, ALP)

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(self.factors)

    def accepts(self, unit: str) -> bool:
        return unit_spelling(unit) in self.factors

    def to_canonical(self, value: float, unit: str) -> float:
        """The value in the canonical unit; KeyError for a unit the test is not accepted in."""
        return value * self.factors[unit_spelling(unit)]

    def plausible(self, value: float, unit: str) -> bool:
        return within(self.to_canonical(value, unit), self.low, self.high)

    def unit_slip(self, value: float, unit: str) -> tuple[str, float] | None:
        """For a value implausible in its unit, the first other unit of the test in which it would be plausible,
        and what it would then be in the canonical unit (hb 8.5 g/L: ("g/dL", 85.0)); None otherwise. A unit with
        the same factor (10^3/µL for 10^9/L) says the same amount, so it is no slip."""
        factor = self.factors[unit_spelling(unit)]
        if within(value * factor, self.low, self.high):
            return None
        for other, other_factor in self.factors.items():
            if other_factor != factor and within(value * other_factor, self.low, self.high):
                return other, value * other_factor
        return None


@dataclass(frozen=True)
class LabCatalogue:
    """The tests of `resources/lab_catalogue.json`, by key."""

    tests: tuple[LabTest, ...]

    @cached_property
    def _by_key(self) -> dict[str, LabTest]:
        return {t.key: t for t in self.tests}

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, key: str) -> LabTest:
        return self._by_key[key]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self._by_key)

    @classmethod
    def from_file(cls, path: Path) -> LabCatalogue:
        rows = _rows(path, "tests")
        tests = tuple(_lab_test(_Row(path.name, i, row, "key")) for i, row in enumerate(rows))
        _unique(path.name, "tests", [t.key for t in tests])
        return cls(tests)


@dataclass(frozen=True)
class AdverseEventTerm:
    """A CTCAE v5 term: in English as CTCAE writes it (the stored value), its Chinese name, its kind, the grades
    CTCAE gives it, and whether it is graded by a laboratory value."""

    term: str
    zh: str
    kind: str
    max_grade: int
    min_grade: int = 1  # a term without grade 1 or 2 (hepatic failure: 3-5)
    laboratory: bool = False

    @property
    def key(self) -> str:
        return self.term

    def label(self, language: str = "en") -> str:
        return self.zh if language == "zh" else self.term


@dataclass(frozen=True)
class AdverseEventCatalogue:
    """The terms of `resources/ae_catalogue.json`, looked up without regard to case."""

    terms: tuple[AdverseEventTerm, ...]

    @cached_property
    def _by_name(self) -> dict[str, AdverseEventTerm]:
        return {_folded(t.term): t for t in self.terms}

    def find(self, term: str) -> AdverseEventTerm | None:
        """The catalogue's term for one written in any case ("hypertension", "HYPERTENSION"), or None."""
        return self._by_name.get(_folded(term))

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.find(term) is not None

    def __getitem__(self, term: str) -> AdverseEventTerm:
        found = self.find(term)
        if found is None:
            raise KeyError(term)
        return found

    def kind(self, term: str) -> str:
        """The kind of a term; a term not in the catalogue is kept with kind other."""
        found = self.find(term)
        return found.kind if found else OTHER

    @classmethod
    def from_file(cls, path: Path) -> AdverseEventCatalogue:
        rows = _rows(path, "terms")
        terms = tuple(_ae_term(_Row(path.name, i, row, "term")) for i, row in enumerate(rows))
        _unique(path.name, "terms", [_folded(t.term) for t in terms])
        return cls(terms)


def _folded(term: str) -> str:
    return term.strip().casefold()


@lru_cache(maxsize=1)
def default_lab_catalogue() -> LabCatalogue:
    return LabCatalogue.from_file(resource("lab_catalogue.json"))


@lru_cache(maxsize=1)
def default_adverse_event_catalogue() -> AdverseEventCatalogue:
    return AdverseEventCatalogue.from_file(resource("ae_catalogue.json"))


# -- reading a catalogue file: a mistake names its file, entry and key ------------------------------------------
def _rows(path: Path, list_key: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path.name}: not valid JSON ({e})") from e
    rows = data.get(list_key) if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValueError(f"{path.name}: {list_key!r} must be a list of objects")
    return rows


def _unique(source: str, list_key: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{source}: {list_key} lists {name!r} twice")
        seen.add(name)


class _Row:
    """One entry of a catalogue file, read key by key: a wrong or unknown key is named with its entry
    (`lab_catalogue.json: hb.plausible must be ...`)."""

    def __init__(self, source: str, index: int, row: dict[str, Any], name_key: str):
        self.source, self.row = source, row
        name = row.get(name_key)
        self.name = name if isinstance(name, str) and name.strip() else f"entry {index + 1}"

    def problem(self, key: str, must: str) -> ValueError:
        return ValueError(f"{self.source}: {self.name}.{key} {must}")

    def only(self, *keys: str) -> None:
        for key in self.row:
            if key not in keys and key != "comment":
                raise self.problem(key, f"is not a key of the catalogue (keys: {', '.join(keys)})")

    def text(self, key: str) -> str:
        value = self.row.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.problem(key, "must be text, not blank")
        return value

    def number(self, value: Any, key: str, must: str = "must be a number") -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value:
            raise self.problem(key, must)
        return value

    def flag(self, key: str) -> bool:
        value = self.row.get(key, False)
        if not isinstance(value, bool):
            raise self.problem(key, "must be true or false")
        return value

    def grade(self, key: str, low: int, default: int | None = None) -> int:
        value = self.row.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= MAX_GRADE:
            raise self.problem(key, f"must be a whole number from {low} to {MAX_GRADE}")
        return value


def _lab_test(row: _Row) -> LabTest:
    row.only("key", "en", "zh", "unit", "units", "plausible", "uln")
    units = row.row.get("units")
    if not isinstance(units, dict) or not units:
        raise row.problem("units", "must be an object: each unit the test is accepted in, and its factor to the "
                                   "canonical unit")
    factors: dict[str, float] = {}
    for unit, factor in units.items():
        spelled = unit_spelling(unit)
        if spelled in factors:
            raise row.problem("units", f"lists {spelled!r} twice")
        factors[spelled] = row.number(factor, f"units.{unit}", "must be a number above 0")
        if factors[spelled] <= 0:
            raise row.problem(f"units.{unit}", "must be a number above 0")
    canonical = unit_spelling(row.text("unit"))
    if factors.get(canonical) != 1:
        raise row.problem("unit", f"must be one of its units with the factor 1 (the canonical unit), not {canonical!r}")
    plausible = row.row.get("plausible")
    if not isinstance(plausible, list) or len(plausible) != 2:
        raise row.problem("plausible", "must be [lowest, highest] in the canonical unit")
    low, high = (row.number(v, "plausible") for v in plausible)
    if low >= high:
        raise row.problem("plausible", "must go from low to high")
    return LabTest(row.text("key"), row.text("en"), row.text("zh"), canonical, factors, low, high, row.flag("uln"))


def _ae_term(row: _Row) -> AdverseEventTerm:
    row.only("term", "zh", "kind", "max_grade", "min_grade", "laboratory")
    kind = row.text("kind")
    if kind not in KINDS:
        raise row.problem("kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
    max_grade = row.grade("max_grade", 1)
    min_grade = row.grade("min_grade", 1, default=1)
    if min_grade > max_grade:
        raise row.problem("min_grade", f"must not be above max_grade ({max_grade})")
    return AdverseEventTerm(row.text("term").strip(), row.text("zh"), kind, max_grade, min_grade,
                            row.flag("laboratory"))
