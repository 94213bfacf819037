"""Who was eligible and why: the registry record's inclusion and exclusion rules (NCT03838796), by the contract's
rule ids (../shared/interchange-v2.md, "Derived values" and "Precise rules"), computed from recorded items.

Every rule is three-valued: it passes, fails, or is unknown because an input is missing, and then it names the
inputs by their paths in the patient's document (`labs.tbil`, `screening.ecog`). A patient is not eligible when
any rule fails, unknown when none fails but one is unknown, eligible otherwise. The limits are the protocol file's,
compared in the lab catalogue's canonical units with the contract's tolerance; the readings this module had to
choose are in docs/eligibility.md.

The inputs (`EligibilityInputs`) are plain values the storage layer reads with a few queries
(`storage/eligibility_inputs.py`); nothing here runs SQL.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from ..catalogues import TOLERANCE, UNITLESS, LabCatalogue, default_lab_catalogue
from ..dictionary import PATHOLOGY
from ..messages import Message
from ..protocol import CHILD_PUGH_CLASSES, Protocol
from .scores import (
    ALBUMIN_POINTS,
    BILIRUBIN_POINTS,
    CLASS_OF_SCORE,
    INR_POINTS,
    Albi,
    ChildPugh,
    Span,
    albi,
    child_pugh,
)

# The contract's rule ids, in its order: the order `failed_rules` and `missing` follow.
RULES = ("INC-HCC-PATHOLOGY", "INC-HIGH-RISK", "INC-AGE", "INC-ASA", "INC-CHILD-PUGH-A", "INC-TBIL", "INC-ALB",
         "INC-AST", "INC-ALT", "INC-ALP", "INC-ANC", "INC-HB", "INC-PLT", "INC-INR", "INC-ECOG", "INC-TX-HISTORY",
         "EXC-R1-R2-OR-PALLIATIVE", "EXC-PREGNANT-OR-LACTATING", "EXC-OTHER-MALIGNANCY", "EXC-MENTAL-ILLNESS",
         "EXC-OTHER-TRIAL-WITHIN-3-MONTHS", "EXC-PROHIBITED-POSTOP-THERAPY")
HIGH_RISK_PARTS = ("A", "B", "C")  # A: MVI with number, size or margin; B: a tumour thrombus; C: rupture, invasion
LAB_TESTS = ("tbil", "alb", "ast", "alt", "alp", "anc", "hb", "plt", "inr")  # the tests the rules read
# The screening flags an exclusion reads: the rule passes when the flag is recorded false.
EXCLUSION_FLAGS = tuple((rule, flag, f"screening.{flag}") for rule, flag in (
    ("EXC-OTHER-MALIGNANCY", "other_malignancy"), ("EXC-MENTAL-ILLNESS", "mental_illness"),
    ("EXC-OTHER-TRIAL-WITHIN-3-MONTHS", "other_trial_within_3_months"),
    ("EXC-PROHIBITED-POSTOP-THERAPY", "prohibited_postop_therapy")))
_MVI_RANK = {key: rank for rank, key in enumerate(PATHOLOGY["mvi"].choice_keys)}  # M0 < M1 < M2
_CLASS_RANK = {key: rank for rank, key in enumerate(CHILD_PUGH_CLASSES)}  # A < B < C
# The path naming the dates a lab's and the age's reference date comes from, when none is recorded.
REFERENCE_DATE = "screening.consent_date"

MAX, MIN, ULN = "max", "min", "uln"  # a lab limit: at most, at least, at most a multiple of the result's ULN
Verdict = tuple  # (True | False | None, the missing inputs' paths when None)
_PASS: Verdict = (True, ())
_FAIL: Verdict = (False, ())


class LabResult(NamedTuple):
    """One stored lab result, as entered: its value in its unit, `<`/`>` when it is a bound, the lab's ULN, and
    its place in the patient's list (a later one on the same date was recorded last). A named tuple: a patient's
    candidates are many, and cheap to make."""

    test: str
    date: dt.date
    position: int
    value: float
    unit: str
    qualifier: str | None = None
    uln: float | None = None


@dataclass(slots=True)  # not frozen: 10,000 are made at once, and a frozen one is slower to make
class EligibilityInputs:
    """What the rules read of one patient: a few fields of the patient, the pathology and the screening (None:
    not recorded; `thrombus`: whether any tumour thrombus site is recorded, an empty list being none), and the lab
    results of the tests the rules read dated up to the reference date (more may be given: the rules choose)."""

    mrn: str
    sex: str | None = None
    birth_date: dt.date | None = None
    resection_date: dt.date | None = None
    resection_margin: str | None = None
    hcc_confirmed: bool | None = None
    mvi: str | None = None
    tumor_count: int | None = None
    max_diameter_cm: float | None = None
    capsule: str | None = None
    margin_clear: bool | None = None
    rupture: bool | None = None
    adjacent_invasion: bool | None = None
    screen_date: dt.date | None = None
    consent_date: dt.date | None = None
    enrol_date: dt.date | None = None
    resection_intent: str | None = None
    asa: int | None = None
    ecog: int | None = None
    ascites: str | None = None
    encephalopathy: str | None = None
    prior_lenvatinib: bool | None = None
    sorafenib_allergy: bool | None = None
    pregnant_or_lactating: bool | None = None
    other_malignancy: bool | None = None
    mental_illness: bool | None = None
    other_trial_within_3_months: bool | None = None
    prohibited_postop_therapy: bool | None = None
    thrombus: bool = False
    labs: tuple[LabResult, ...] = ()

    @property
    def lab_reference_date(self) -> dt.date | None:
        """The date each lab rule reads the latest result on or before: enrolment, else consent, else screening."""
        return self.enrol_date or self.consent_date or self.screen_date


@dataclass(slots=True)
class EligibilityResult:
    """One patient's eligibility: the verdict, each rule's (by id, with the high-risk parts A, B, C on their own),
    the scores, and the age in completed years at consent."""

    mrn: str
    eligible: bool | None
    rules: dict[str, Verdict]
    high_risk_parts: dict[str, Verdict]
    child_pugh: ChildPugh
    albi: Albi
    age_at_consent: int | None

    @property
    def failed_rules(self) -> list[str]:
        return [rule for rule, (passed, _) in self.rules.items() if passed is False]

    @property
    def missing(self) -> list[str]:
        """The inputs whose absence leaves a rule unknown, each once, in rule order."""
        return list(dict.fromkeys(path for passed, paths in self.rules.values() if passed is None for path in paths))

    def as_json(self) -> dict:
        """The contract's object for `tace-log eligibility --json`."""
        return {"mrn": self.mrn, "eligible": self.eligible, "failed_rules": self.failed_rules,
                "missing": self.missing, "child_pugh": {"score": self.child_pugh.score, "class": self.child_pugh.cls},
                "albi": {"score": self.albi.score, "grade": self.albi.grade}, "age_at_consent": self.age_at_consent}


def completed_years(birth: dt.date, on: dt.date) -> int:
    """Age in completed years on a date; a 29 February birthday falls on 1 March in other years."""
    birthday = (birth.month, birth.day)
    if birthday == (2, 29) and not calendar.isleap(on.year):
        birthday = (3, 1)
    return on.year - birth.year - ((on.month, on.day) < birthday)


# -- three-valued logic over verdicts ----------------------------------------------------------------------------
def _known(value: bool | None, path: str) -> Verdict:
    return (None, (path,)) if value is None else (value, ())


def _is(value: object, wanted: object, path: str) -> Verdict:
    """Passes when the recorded value is the wanted one; unknown when not recorded."""
    return (None, (path,)) if value is None else (value == wanted, ())


def _all(*verdicts: Verdict) -> Verdict:
    """Kleene's and: false if any is false, else unknown (with every unknown one's inputs) if any is unknown."""
    missing: tuple[str, ...] = ()
    unknown = False
    for passed, paths in verdicts:
        if passed is False:
            return _FAIL
        if passed is None:
            unknown, missing = True, missing + paths
    return (None, missing) if unknown else _PASS


def _any(*verdicts: Verdict) -> Verdict:
    """Kleene's or: true if any is true, else unknown if any is unknown."""
    missing: tuple[str, ...] = ()
    unknown = False
    for passed, paths in verdicts:
        if passed is True:
            return _PASS
        if passed is None:
            unknown, missing = True, missing + paths
    return (None, missing) if unknown else _FAIL


def at_most(span: Span | float, limit: float) -> bool | None:
    """Whether every value the span allows is at most the limit (True), none is (False), or it is not settled."""
    slack = TOLERANCE * abs(limit)
    if not isinstance(span, Span):
        return span <= limit + slack
    if span.high <= limit + slack:
        return True
    if (span.low >= limit - slack) if span.low_open else (span.low > limit + slack):
        return False
    return None


def at_least(span: Span | float, limit: float) -> bool | None:
    """Whether every value the span allows is at least the limit (True), none is (False), or it is not settled."""
    slack = TOLERANCE * abs(limit)
    if not isinstance(span, Span):
        return span >= limit - slack
    if span.low >= limit - slack:
        return True
    if (span.high <= limit + slack) if span.high_open else (span.high < limit - slack):
        return False
    return None


def _beyond(value: float, limit: float, inclusive: bool) -> bool:
    """`value >= limit` (inclusive) or `value > limit`, with the contract's tolerance at the limit itself."""
    slack = TOLERANCE * abs(limit)
    return value >= limit - slack if inclusive else value > limit + slack


# The result a lab rule reads for one test: (its value in the canonical unit, a `Span` when it is a bound, None when
# there is none; its ULN; why there is none, as the missing inputs' paths). A plain tuple: 90,000 are made for
# 10,000 patients.
_Reading = tuple[float | Span | None, float | None, tuple[str, ...]]
_LAB_PATHS = {test: (f"labs.{test}",) for test in LAB_TESTS}
_ULN_PATHS = {test: (f"labs.{test}.uln",) for test in LAB_TESTS}


class EligibilityRules:
    """The rules with a protocol's limits, converted once into the lab catalogue's canonical units."""

    def __init__(self, protocol: Protocol, catalogue: LabCatalogue | None = None):
        self.protocol = protocol
        self.catalogue = catalogue = catalogue or default_lab_catalogue()
        e = protocol.eligibility
        self.eligibility = e
        # (rule, test, MAX or MIN: the limit in the canonical unit, or ULN: the multiple of the result's own ULN)
        self.lab_limits = (
            ("INC-TBIL", "tbil", MAX, catalogue["tbil"].to_canonical(e.bilirubin_mg_dl_max, "mg/dL")),
            ("INC-ALB", "alb", MIN, catalogue["alb"].to_canonical(e.albumin_g_l_min, "g/L")),
            ("INC-AST", "ast", ULN, e.aminotransferases_uln_max),
            ("INC-ALT", "alt", ULN, e.aminotransferases_uln_max),
            ("INC-ALP", "alp", ULN, e.aminotransferases_uln_max),
            ("INC-ANC", "anc", MIN, catalogue["anc"].to_canonical(e.neutrophils_1e9_l_min, "10^9/L")),
            ("INC-HB", "hb", MIN, catalogue["hb"].to_canonical(e.hemoglobin_g_dl_min, "g/dL")),
            ("INC-PLT", "plt", MIN, catalogue["plt"].to_canonical(e.platelets_1e9_l_min, "10^9/L")),
            ("INC-INR", "inr", MAX, catalogue["inr"].to_canonical(e.inr_max, "1")),
        )
        self._mvi_rank = _MVI_RANK[e.high_risk.mvi]
        self._class_rank = _CLASS_RANK[e.child_pugh]
        self._max_age = None if e.labs_max_age_days is None else dt.timedelta(days=e.labs_max_age_days)
        # each test's units as the catalogue spells them, and their factors: a unit written otherwise (umol/L) is
        # converted by the catalogue itself
        self._factors = {(test, unit): factor for test in LAB_TESTS for unit, factor in catalogue[test].factors.items()}

    def evaluate_all(self, patients: Iterable[EligibilityInputs]) -> list[EligibilityResult]:
        return [self.evaluate(p) for p in patients]

    def evaluate(self, p: EligibilityInputs) -> EligibilityResult:
        readings = self._readings(p)
        rules: dict[str, Verdict] = {}
        rules["INC-HCC-PATHOLOGY"] = _is(p.hcc_confirmed, True, "pathology.hcc_confirmed")
        parts = self._high_risk(p)
        rules["INC-HIGH-RISK"] = _any(*parts.values())
        age = self._age(p)
        rules["INC-AGE"] = age[1]
        rules["INC-ASA"] = (None, ("screening.asa",)) if p.asa is None else (p.asa <= self.eligibility.asa_max, ())
        tbil, alb, inr = readings["tbil"], readings["alb"], readings["inr"]
        cp = child_pugh(tbil[0], alb[0], inr[0], p.ascites, p.encephalopathy)
        best, worst = _CLASS_RANK[CLASS_OF_SCORE[cp.lowest]], _CLASS_RANK[CLASS_OF_SCORE[cp.highest]]
        if best <= self._class_rank < worst:  # the scores the inputs allow lie on both sides of the protocol's class
            unsettled = [missing or _LAB_PATHS[test] for test, (value, _, missing), points in (
                ("tbil", tbil, BILIRUBIN_POINTS), ("alb", alb, ALBUMIN_POINTS), ("inr", inr, INR_POINTS))
                if value is None or points.settled(value) is None]
            unsettled += [(f"screening.{key}",) for key, value in (
                ("ascites", p.ascites), ("encephalopathy", p.encephalopathy)) if value is None]
            rules["INC-CHILD-PUGH-A"] = (None, tuple(path for paths in unsettled for path in paths))
        else:
            rules["INC-CHILD-PUGH-A"] = (worst <= self._class_rank, ())
        for rule, test, kind, limit in self.lab_limits:
            rules[rule] = self._lab_rule(test, readings[test], kind, limit)
        ecog_max = self.eligibility.ecog_max
        rules["INC-ECOG"] = (None, ("screening.ecog",)) if p.ecog is None else (p.ecog <= ecog_max, ())
        rules["INC-TX-HISTORY"] = _all(_is(p.prior_lenvatinib, False, "screening.prior_lenvatinib"),
                                       _is(p.sorafenib_allergy, False, "screening.sorafenib_allergy"))
        rules["EXC-R1-R2-OR-PALLIATIVE"] = _all(_is(p.resection_margin, "R0", "resection_margin"),
                                                _is(p.resection_intent, "curative", "screening.resection_intent"))
        rules["EXC-PREGNANT-OR-LACTATING"] = self._not_pregnant(p)
        for rule, flag, path in EXCLUSION_FLAGS:
            rules[rule] = _is(getattr(p, flag), False, path)
        verdicts = [passed for passed, _ in rules.values()]
        eligible = False if False in verdicts else None if None in verdicts else True
        return EligibilityResult(p.mrn, eligible, rules, parts, cp, albi(tbil[0], alb[0]), age[0])

    # -- the rules that take more than one line ------------------------------------------------------------------
    def _high_risk(self, p: EligibilityInputs) -> dict[str, Verdict]:
        """A: MVI of the protocol's class (or higher) with a tumour number or size at its limit, or an unclear
        margin without a complete capsule; B: a tumour thrombus in the portal vein, a hepatic vein or a bile duct;
        C: preoperative rupture or invasion of adjacent organs."""
        risk = self.eligibility.high_risk
        mvi = _known(None if p.mvi is None else _MVI_RANK[p.mvi] >= self._mvi_rank, "pathology.mvi")
        count = _known(None if p.tumor_count is None else _beyond(p.tumor_count, risk.tumor_count_min,
                                                                  risk.count_inclusive), "pathology.tumor_count")
        size = _known(None if p.max_diameter_cm is None else _beyond(p.max_diameter_cm, risk.max_diameter_cm_min,
                                                                     risk.size_inclusive), "pathology.max_diameter_cm")
        margin = _all(_is(p.margin_clear, False, "pathology.margin_clear"),
                      _known(None if p.capsule is None else p.capsule != "complete", "pathology.capsule"))
        return {"A": _all(mvi, _any(count, size, margin)),
                "B": _PASS if p.thrombus else _FAIL,
                "C": _any(_is(p.rupture, True, "pathology.rupture"),
                          _is(p.adjacent_invasion, True, "pathology.adjacent_invasion"))}

    def _age(self, p: EligibilityInputs) -> tuple[int | None, Verdict]:
        """Completed years at consent, else at screening, within the protocol's range (both ends included)."""
        on = p.consent_date or p.screen_date
        if p.birth_date is None or on is None:
            return None, (None, tuple(path for path, value in (("birth_date", p.birth_date), (REFERENCE_DATE, on))
                                      if value is None))
        years, ages = completed_years(p.birth_date, on), self.eligibility.age_years
        return years, (ages.min <= years <= ages.max, ())

    @staticmethod
    def _not_pregnant(p: EligibilityInputs) -> Verdict:
        """Passes for men, and for women recorded as neither pregnant nor lactating."""
        if p.sex == "M" or p.pregnant_or_lactating is False:
            return _PASS
        if p.pregnant_or_lactating:
            return _FAIL
        return None, ("screening.pregnant_or_lactating", *(("sex",) if p.sex is None else ()))

    def _readings(self, p: EligibilityInputs) -> dict[str, _Reading]:
        """For each test the rules read: the latest result on or before the reference date and not before the
        resection (on one date, the one recorded last), if not older than the protocol allows."""
        on, resection = p.lab_reference_date, p.resection_date
        if on is None or resection is None:
            why = tuple(path for path, value in (("resection_date", resection), (REFERENCE_DATE, on)) if value is None)
            return dict.fromkeys(LAB_TESTS, (None, None, why))
        latest: dict[str, LabResult] = {}
        for lab in p.labs:
            if resection <= lab.date <= on:
                found = latest.get(lab.test)
                if found is None or lab.date > found.date or (lab.date == found.date and lab.position > found.position):
                    latest[lab.test] = lab
        out: dict[str, _Reading] = {}
        for test in LAB_TESTS:
            lab = latest.get(test)  # type: ignore[assignment]
            if lab is None or (self._max_age is not None and on - lab.date > self._max_age):
                out[test] = (None, None, _LAB_PATHS[test])
                continue
            factor = self._factors.get((test, lab.unit))
            if factor is None:
                try:  # a unit spelt otherwise (umol/L)
                    factor = self.catalogue[test].to_canonical(1.0, lab.unit)
                except KeyError:  # a unit the catalogue no longer takes (a site edited it): no value to compare
                    out[test] = (None, None, _LAB_PATHS[test])
                    continue
            value = lab.value * factor
            out[test] = (value if lab.qualifier is None else Span.reading(value, lab.qualifier), lab.uln, ())
        return out

    @staticmethod
    def _lab_rule(test: str, reading: _Reading, kind: str, limit: float) -> Verdict:
        """A lab limit: in the canonical unit, or (AST, ALT, ALP) a multiple of the result's own ULN. A `<` or `>`
        result decides only where its bound settles it; else the input is missing."""
        value, uln, missing = reading
        if missing:
            return None, missing
        if kind == ULN:
            if uln is None:
                return None, _ULN_PATHS[test]
            passed = at_most(value, limit * uln)  # type: ignore[arg-type]
        else:
            passed = (at_most if kind == MAX else at_least)(value, limit)  # type: ignore[arg-type]
        return (None, _LAB_PATHS[test]) if passed is None else (passed, ())


def rule_texts(protocol: Protocol) -> dict[str, Message]:
    """What each rule asks, with the protocol's limits (a lab's in its canonical unit), by rule id and high-risk
    part."""
    e, risk, labs = protocol.eligibility, protocol.eligibility.high_risk, default_lab_catalogue()
    limits = {rule: (test, kind, limit) for rule, test, kind, limit in EligibilityRules(protocol).lab_limits}

    def lab(rule: str) -> Message:
        test, kind, limit = limits[rule]
        if kind == ULN:
            return Message("eligibility.lab_uln", test=labs[test], times=f"{limit:g}")
        return Message("eligibility.lab_max" if kind == MAX else "eligibility.lab_min", test=labs[test],
                       limit=f"{limit:.4g}", unit="" if labs[test].unit == UNITLESS else f" {labs[test].unit}")

    return {
        "INC-HCC-PATHOLOGY": Message("eligibility.INC-HCC-PATHOLOGY"),
        "INC-HIGH-RISK": Message("eligibility.INC-HIGH-RISK"),
        "A": Message("eligibility.high_risk.A", mvi=risk.mvi,
                     count=f"{'>=' if risk.count_inclusive else '>'} {risk.tumor_count_min}",
                     size=f"{'>=' if risk.size_inclusive else '>'} {risk.max_diameter_cm_min:g}"),
        "B": Message("eligibility.high_risk.B"),
        "C": Message("eligibility.high_risk.C"),
        "INC-AGE": Message("eligibility.INC-AGE", low=e.age_years.min, high=e.age_years.max),
        "INC-ASA": Message("eligibility.INC-ASA", max=e.asa_max),
        "INC-CHILD-PUGH-A": Message("eligibility.INC-CHILD-PUGH-A", cls=e.child_pugh),
        **{rule: lab(rule) for rule in limits},
        "INC-ECOG": Message("eligibility.INC-ECOG", max=e.ecog_max),
        "INC-TX-HISTORY": Message("eligibility.INC-TX-HISTORY"),
        "EXC-R1-R2-OR-PALLIATIVE": Message("eligibility.EXC-R1-R2-OR-PALLIATIVE"),
        "EXC-PREGNANT-OR-LACTATING": Message("eligibility.EXC-PREGNANT-OR-LACTATING"),
        "EXC-OTHER-MALIGNANCY": Message("eligibility.EXC-OTHER-MALIGNANCY"),
        "EXC-MENTAL-ILLNESS": Message("eligibility.EXC-MENTAL-ILLNESS"),
        "EXC-OTHER-TRIAL-WITHIN-3-MONTHS": Message("eligibility.EXC-OTHER-TRIAL-WITHIN-3-MONTHS"),
        "EXC-PROHIBITED-POSTOP-THERAPY": Message("eligibility.EXC-PROHIBITED-POSTOP-THERAPY"),
    }
