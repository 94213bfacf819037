"""Child-Pugh and ALBI from values in the lab catalogue's canonical units (bilirubin µmol/L, albumin g/L, INR):
pure functions.

An input may be known only as a bound: a result written `<` or `>` (below detection, above the assay's range), or
not recorded at all. It is then a `Span`, and a score or class is given only where every value the span allows
leads to the same one: bilirubin `< 20 µmol/L` scores 1 point whatever it is, `< 40` may score 1 or 2. A boundary
value is compared with the contract's relative tolerance (`catalogues.TOLERANCE`): 3.0 mg/dL is 51.3 µmol/L.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..catalogues import TOLERANCE, default_lab_catalogue

INF = math.inf


@dataclass(frozen=True, slots=True)
class Span:
    """The values an input may have: from `low` to `high`, each end included unless open. An exact value is a span
    of one point; a `<` result everything below it; an input not recorded, everything."""

    low: float = -INF
    high: float = INF
    low_open: bool = True
    high_open: bool = True

    @classmethod
    def exact(cls, value: float) -> Span:
        return cls(value, value, False, False)

    @classmethod
    def reading(cls, value: float, qualifier: str | None) -> Span:
        """A lab result: exact, or below (`<`) or above (`>`) its value, the value itself excluded."""
        if qualifier == "<":
            return cls(high=value)
        if qualifier == ">":
            return cls(low=value)
        return cls.exact(value)

    @property
    def value(self) -> float | None:
        """The one value, if the span is one."""
        return self.low if self.low == self.high else None


UNKNOWN = Span()


def _span(value: float | Span | None) -> Span:
    if value is None:
        return UNKNOWN
    return value if isinstance(value, Span) else Span.exact(value)


@dataclass(frozen=True)
class Bands:
    """A step function of a value: ascending cut points, each saying whether the point itself belongs to the band
    below it, and one outcome per band (one more than the cuts). A value within the tolerance of a cut is at it."""

    cuts: tuple[tuple[float, bool], ...]
    outcomes: tuple

    def __post_init__(self):
        object.__setattr__(self, "_cuts", tuple((bound - TOLERANCE * abs(bound), bound + TOLERANCE * abs(bound),
                                                 lower_owns) for bound, lower_owns in self.cuts))

    def _index(self, x: float, side: int) -> int:
        """The band of `x` (side 0), or of the values just below (-1) or just above (+1) it."""
        for i, (below, above, lower_owns) in enumerate(self._cuts):  # type: ignore[attr-defined]
            if x < below:
                return i
            if x <= above:  # at the cut
                return i if side < 0 or (side == 0 and lower_owns) else i + 1
        return len(self.cuts)

    def of(self, x: float) -> object:
        for i, (below, above, lower_owns) in enumerate(self._cuts):  # type: ignore[attr-defined]
            if x < below or (x <= above and lower_owns):
                return self.outcomes[i]
            if x <= above:
                return self.outcomes[i + 1]
        return self.outcomes[-1]

    def possible(self, span: Span) -> tuple:
        """The outcomes of every band the span reaches, in band order."""
        first = self._index(span.low, 1 if span.low_open else 0)
        last = self._index(span.high, -1 if span.high_open else 0)
        return self.outcomes[first:last + 1]

    def settled(self, span: Span | float) -> object | None:
        """The outcome if the span (or value) allows only one, else None."""
        if not isinstance(span, Span):
            return self.of(span)
        found = set(self.possible(span))
        return found.pop() if len(found) == 1 else None


# -- Child-Pugh ------------------------------------------------------------------------------------------------
# Bilirubin < 2 mg/dL 1 point, 2-3 mg/dL 2, > 3 mg/dL 3 (in µmol/L by the catalogue's factor: 34.2 and 51.3);
# albumin > 35 g/L 1, 28-35 g/L 2, < 28 g/L 3; INR < 1.7 1, 1.7-2.3 2, > 2.3 3 (course-reference.md §2.2).
_MG_DL = default_lab_catalogue()["tbil"].factors["mg/dL"]
BILIRUBIN_POINTS = Bands(((2.0 * _MG_DL, False), (3.0 * _MG_DL, True)), (1, 2, 3))
ALBUMIN_POINTS = Bands(((28.0, False), (35.0, True)), (3, 2, 1))
INR_POINTS = Bands(((1.7, False), (2.3, True)), (1, 2, 3))
ASCITES_POINTS = {"none": 1, "mild": 2, "moderate_severe": 3}
ENCEPHALOPATHY_POINTS = {"none": 1, "grade_1_2": 2, "grade_3_4": 3}
CHILD_PUGH_CLASS = Bands(((6, True), (9, True)), ("A", "B", "C"))  # 5-6 A, 7-9 B, 10-15 C
CLASS_OF_SCORE: dict[int, str] = {score: CHILD_PUGH_CLASS.of(score) for score in range(5, 16)}  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class ChildPugh:
    """The Child-Pugh score (5-15) and class (A, B, C); None where the inputs leave it open. The class may be
    settled when the score is not (every possible score in one class)."""

    score: int | None
    cls: str | None
    lowest: int = 5  # the lowest and highest scores the inputs allow (one when the score is settled)
    highest: int = 15


def child_pugh(bilirubin_umol_l: float | Span | None, albumin_g_l: float | Span | None,
               inr: float | Span | None, ascites: str | None, encephalopathy: str | None) -> ChildPugh:
    """Child-Pugh from bilirubin (µmol/L), albumin (g/L), INR, ascites and encephalopathy (the screening's
    choices); an input that is None may be anything."""
    lowest = highest = 0
    for bands, value in ((BILIRUBIN_POINTS, bilirubin_umol_l), (ALBUMIN_POINTS, albumin_g_l), (INR_POINTS, inr)):
        if value is None or isinstance(value, Span):
            points = bands.possible(_span(value))
            lowest, highest = lowest + min(points), highest + max(points)
        else:  # a value: its points (the common case, kept quick)
            point = bands.of(value)
            lowest, highest = lowest + point, highest + point  # type: ignore[operator]
    for table, choice in ((ASCITES_POINTS, ascites), (ENCEPHALOPATHY_POINTS, encephalopathy)):
        if choice is None:
            lowest, highest = lowest + 1, highest + 3
        else:
            lowest, highest = lowest + table[choice], highest + table[choice]
    cls = CLASS_OF_SCORE[lowest]
    return ChildPugh(lowest if lowest == highest else None, cls if cls == CLASS_OF_SCORE[highest] else None, lowest,
                     highest)


# -- ALBI ------------------------------------------------------------------------------------------------------
# ALBI = 0.66 · log10(bilirubin µmol/L) − 0.085 · albumin g/L (Johnson et al., J Clin Oncol 2015); grade 1 at or
# below −2.60, grade 2 above it to −1.39, grade 3 above −1.39.
ALBI_GRADE = Bands(((-2.60, True), (-1.39, True)), (1, 2, 3))


@dataclass(frozen=True, slots=True)
class Albi:
    """The ALBI score and grade (1-3); None where the inputs leave it open (a grade may be settled when the score
    is not)."""

    score: float | None
    grade: int | None


def _log10(x: float) -> float:
    return -INF if x <= 0 else math.log10(x)


def albi_score(bilirubin_umol_l: float, albumin_g_l: float) -> float:
    return 0.66 * _log10(bilirubin_umol_l) - 0.085 * albumin_g_l


def albi(bilirubin_umol_l: float | Span | None, albumin_g_l: float | Span | None) -> Albi:
    """ALBI from bilirubin (µmol/L) and albumin (g/L). The score rises with bilirubin and falls with albumin, so
    its span runs from (lowest bilirubin, highest albumin) to (highest bilirubin, lowest albumin)."""
    if isinstance(bilirubin_umol_l, (int, float)) and isinstance(albumin_g_l, (int, float)):
        value = albi_score(bilirubin_umol_l, albumin_g_l)
        return Albi(value, ALBI_GRADE.of(value))  # type: ignore[arg-type]
    tbil, alb = _span(bilirubin_umol_l), _span(albumin_g_l)
    score = Span(albi_score(tbil.low, alb.high), albi_score(tbil.high, alb.low),
                 tbil.low_open or alb.high_open, tbil.high_open or alb.low_open)
    return Albi(score.value, ALBI_GRADE.settled(score))  # type: ignore[arg-type]
