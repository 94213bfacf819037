"""Survival by group, computed as R's `survival` 3.5 computes it, in the standard library alone.

`analyse(observations, groups)` gives the Kaplan–Meier curve of each group, the log-rank test across them, each
group's hazard ratio against the first and the median follow-up; `Analysis.as_json()` is the contract's shape of
`tace-log survival --json`. Nothing is rounded. `tests/core/test_survival_vs_r.py` runs R on the same data.

R's conventions, which decide where two readings are possible:
- Times are days, an event is 1 and a censoring 0. At a tied time the events come first: a patient censored at t is
  still at risk at t. A curve has a step at every distinct time with an event or a censoring. (R also merges times
  closer than 1.5e-8 of each other, its `timefix`; whole days never are.)
- Kaplan–Meier with Greenwood's variance and the "log" confidence interval (`survfit`'s default `conf.type`):
  S·exp(±z·se), se the standard error of the cumulative hazard, the upper limit at most 1, no interval where S is 0.
- The median and its limits are `print.survfit`'s: the first time a curve (S, its lower or its upper limit) is
  below 0.5; where it sits at 0.5 (within √ε) and falls below later, the midpoint of that flat step; a curve that
  never falls below 0.5 gives None ("not reached").
- The survival at a time is the curve's last step at or before it (1 before the first step), and None past the last
  observed time (`summary.survfit(times=)`, which leaves such times out).
- The log-rank test is `survdiff`'s (rho = 0): groups with no expected event are left out, chi-square on their number
  less one degrees of freedom; None where there is no test (fewer than two such groups, or a singular variance).
- Hazard ratios are `coxph`'s with Efron's ties and the group a factor whose first level is the reference, with
  Wald intervals and p. A group without events has none (its hazard ratio is 0 or infinite: R warns "coefficient
  may be infinite"); the others are fitted without it, which is the limit R's iterations approach. Where the model
  still has no finite maximum (one group's events all come after the other groups left), none has one.
- The median follow-up is the reverse Kaplan–Meier's: the same curve with events and censorings swapped.
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add, mul, sub, truediv
from statistics import NormalDist
from typing import Any, NamedTuple

Z = NormalDist().inv_cdf(0.975)  # R's qnorm(0.975): the 95% intervals
TOLERANCE = sys.float_info.epsilon ** 0.5  # print.survfit's test of "exactly 0.5" (.Machine$double.eps^0.5)
DAYS_PER_MONTH = 30.4375
LANDMARK_MONTHS = (12, 24, 36)


class Observation(NamedTuple):
    """One patient: the time in days from the origin, 1 for an event or 0 for a censoring, and the group."""

    time: float
    event: int
    group: str = ""


@dataclass(frozen=True, slots=True)
class Estimate:
    """A value and its 95% confidence interval; None where not reached (a median) or not estimable."""

    value: float | None
    low: float | None
    high: float | None

    def as_json(self, key: str) -> dict[str, Any]:
        return {key: self.value, "ci": [self.low, self.high]}


@dataclass(frozen=True)
class Curve:
    """A Kaplan–Meier curve as columns, one entry a step (each distinct time with an event or a censoring); the
    interval is None where the survival is 0."""

    n: int
    events: int
    time: list[float]
    at_risk: list[int]
    died: list[int]
    censored: list[int]
    survival: list[float]
    lower: list[float | None]
    upper: list[float | None]

    def median(self) -> Estimate:
        return Estimate(_first_below_half(self.time, self.survival), _first_below_half(self.time, self.lower),
                        _first_below_half(self.time, self.upper))

    def at(self, time: float) -> Estimate:
        """The survival at `time` days with its interval; None past the last observed time."""
        if not self.time or time > self.time[-1]:
            return Estimate(None, None, None)
        index = bisect_right(self.time, time)
        if index == 0:
            return Estimate(1.0, 1.0, 1.0)
        return Estimate(self.survival[index - 1], self.lower[index - 1], self.upper[index - 1])


@dataclass(frozen=True, slots=True)
class LogRank:
    chi2: float | None
    df: int
    p: float | None


@dataclass(frozen=True, slots=True)
class HazardRatio:
    group: str
    reference: str
    hr: float | None
    low: float | None
    high: float | None
    p: float | None


@dataclass(frozen=True)
class Analysis:
    """Survival by group: what `tace-log survival` prints and the Kaplan–Meier figure draws."""

    curves: dict[str, Curve]  # in the groups' order, the first the reference
    logrank: LogRank
    hazard_ratios: tuple[HazardRatio, ...]
    follow_up: Estimate

    def as_json(self) -> dict[str, Any]:
        """The contract's JSON (interchange-v2, `tace-log survival --json`): times in days, nothing rounded."""
        return {
            "groups": [_group_json(group, curve) for group, curve in self.curves.items()],
            "logrank": {"chi2": self.logrank.chi2, "df": self.logrank.df, "p": self.logrank.p},
            "hazard_ratios": [{"group": h.group, "reference": h.reference, "hr": h.hr, "ci": [h.low, h.high],
                               "p": h.p} for h in self.hazard_ratios],
            "median_follow_up": self.follow_up.as_json("median"),
        }


def _group_json(group: str, curve: Curve) -> dict[str, Any]:
    median = curve.median()
    return {
        "group": group,
        "n": curve.n,
        "events": curve.events,
        "median": median.value,
        "median_ci": [median.low, median.high],
        "steps": [{"time": t, "at_risk": n, "events": d, "censored": c, "survival": s} for t, n, d, c, s
                  in zip(curve.time, curve.at_risk, curve.died, curve.censored, curve.survival, strict=True)],
        "survival_at": {str(months): curve.at(months * DAYS_PER_MONTH).as_json("survival")
                        for months in LANDMARK_MONTHS},
    }


def analyse(observations: Iterable[Observation], groups: Sequence[str]) -> Analysis:
    """Survival by group. `groups` orders them, the first present the reference; a group without patients is left
    out. An observation of a group not named, a negative or infinite time, or an event not 0 or 1 is a ValueError."""
    tally = _tally(observations)
    unknown = set(tally) - set(groups)
    if unknown:
        raise ValueError(f"observations of groups not named: {sorted(map(str, unknown))}")
    present = [g for g in dict.fromkeys(groups) if g in tally]
    time, died, left = _columns([tally[g] for g in present])
    table = _RiskTable([_at_risk(d, c) for d, c in zip(died, left, strict=True)], died)
    return Analysis(
        curves={g: _curve(*tally[g]) for g in present},
        logrank=_logrank(table),
        hazard_ratios=_hazard_ratios(tally, present, table),
        # the reverse Kaplan–Meier: every group's patients as one, events and censorings swapped
        follow_up=_steps(time, [sum(c) for c in zip(*left, strict=True)],
                         [sum(d) for d in zip(*died, strict=True)]).median(),
    )


# -- Kaplan–Meier ------------------------------------------------------------------------------------------------

Tally = tuple[Counter, Counter]  # a group's events and censorings by time


def _tally(observations: Iterable[Observation]) -> dict[Any, Tally]:
    """Each group's events and censorings by time. Counting equal observations first keeps 100,000 patients fast."""
    tally: dict[Any, Tally] = {}
    for (time, event, group), count in Counter(observations).items():
        if not 0 <= time < math.inf:
            raise ValueError(f"a survival time must be a finite number of days from 0, not {time!r}")
        if event not in (0, 1):
            raise ValueError(f"an event is 1 and a censoring 0, not {event!r}")
        counts = tally.get(group)
        if counts is None:
            counts = tally[group] = (Counter(), Counter())
        counts[0 if event else 1][time] += count
    return tally


def _curve(events: Counter, censored: Counter) -> Curve:
    time = sorted(events.keys() | censored.keys())
    return _steps(time, list(map(events.get, time, repeat(0))), list(map(censored.get, time, repeat(0))))


def _at_risk(died: list[int], left: list[int]) -> list[int]:
    """The number at risk at each time: everyone less those who died or left before it."""
    if not died:
        return []
    n = sum(died) + sum(left)
    return [n - gone for gone in accumulate(map(add, died[:-1], left[:-1]), initial=0)]


def _steps(time: list[float], died: list[int], left: list[int]) -> Curve:
    """The curve column-wise (accumulate and map, which keep 100,000 steps in C)."""
    at_risk = _at_risk(died, left)
    survival = list(accumulate(map(truediv, map(sub, at_risk, died), at_risk), mul))
    alive = survival.index(0.0) if survival and survival[-1] == 0 else len(survival)  # the steps where S > 0
    greenwood = accumulate(map(truediv, died[:alive], map(mul, at_risk[:alive], map(sub, at_risk[:alive], died))))
    spread = [Z * math.sqrt(v) for v in greenwood]
    log_s = list(map(math.log, survival[:alive]))
    lower: list[float | None] = list(map(math.exp, map(sub, log_s, spread)))
    upper: list[float | None] = [math.exp(x) if x < 0 else 1.0 for x in map(add, log_s, spread)]
    lower += [None] * (len(time) - alive)
    upper += [None] * (len(time) - alive)
    return Curve(sum(died) + sum(left), sum(died), time, at_risk, died, left, survival, lower, upper)


def _first_below_half(times: list[float], values: Sequence[float | None]) -> float | None:
    """print.survfit's quantile: the first time below 0.5, or the midpoint of a flat step at 0.5 left later."""
    start, level = None, 0.5
    for time, value in zip(times, values, strict=True):
        if value is None:
            continue
        if start is None:
            if value < 0.5 + TOLERANCE:
                if abs(value - 0.5) >= TOLERANCE:
                    return time
                start, level = time, value
        elif value < level:
            return (start + time) / 2
    return start


# -- the groups side by side: log-rank and Cox ---------------------------------------------------------------------

class _RiskTable:
    """At each time with an event, in time order: each group's number at risk and number of events, as columns."""

    def __init__(self, at_risk: list[list[int]], events: list[list[int]]):
        deaths = [sum(column) for column in zip(*events, strict=True)]
        keep = [i for i, d in enumerate(deaths) if d]
        self.k = len(at_risk)
        self.at_risk = [[column[i] for i in keep] for column in at_risk]
        self.events = [[column[i] for i in keep] for column in events]
        self.deaths = [deaths[i] for i in keep]
        self.total = [sum(column) for column in zip(*self.at_risk, strict=True)]
        self.tied = [i for i, d in enumerate(self.deaths) if d > 1]

    def restricted(self, groups: list[int]) -> _RiskTable:
        """The same table with only these groups' patients."""
        return _RiskTable([self.at_risk[g] for g in groups], [self.events[g] for g in groups])


def _columns(tallies: list[Tally]) -> tuple[list[float], list[list[int]], list[list[int]]]:
    """The distinct times of all groups, and each group's events and censorings at each."""
    time = sorted(set().union(*(counts.keys() for tally in tallies for counts in tally)))
    died = [list(map(events.get, time, repeat(0))) for events, _ in tallies]
    left = [list(map(censored.get, time, repeat(0))) for _, censored in tallies]
    return time, died, left


def _logrank(table: _RiskTable) -> LogRank:
    k, n, d = table.k, table.total, table.deaths
    observed = [sum(column) for column in table.events]
    expected = [math.fsum(map(truediv, map(mul, d, column), n)) for column in table.at_risk]
    factor = [di * (ni - di) / (ni * ni * (ni - 1)) if ni > 1 else 0.0 for ni, di in zip(n, d, strict=True)]
    weighted = [list(map(mul, factor, column)) for column in table.at_risk]
    kept = [g for g in range(k) if expected[g] > 0]
    if len(kept) < 2:
        return LogRank(None, 0, None)
    tested = kept[1:]
    variance = [[math.fsum(map(mul, weighted[g], map(sub, n, table.at_risk[g]))) if g == h
                 else -math.fsum(map(mul, weighted[g], table.at_risk[h])) for h in tested] for g in tested]
    difference = [observed[g] - expected[g] for g in tested]
    solved = _solve(variance, difference)
    if solved is None:
        return LogRank(None, len(kept) - 1, None)
    chi2 = math.fsum(map(mul, solved, difference))
    return LogRank(chi2, len(kept) - 1, _chi2_upper_tail(chi2, len(kept) - 1))


def _hazard_ratios(tally: dict[Any, Tally], present: list[str], table: _RiskTable) -> tuple[HazardRatio, ...]:
    if len(present) < 2:
        return ()
    reference = present[0]
    fitted = [i for i, g in enumerate(present) if sum(tally[g][0].values())]
    estimates: dict[str, tuple[float, float]] = {}
    if fitted[:1] == [0] and len(fitted) > 1:
        if len(fitted) < len(present):
            table = table.restricted(fitted)
        fit = _cox(table) if _has_finite_maximum(table) else None
        if fit is not None:
            estimates = dict(zip([present[i] for i in fitted[1:]], fit, strict=True))
    ratios = []
    for group in present[1:]:
        if group in estimates:
            beta, se = estimates[group]
            ratios.append(HazardRatio(group, reference, math.exp(beta), math.exp(beta - Z * se),
                                      math.exp(beta + Z * se), math.erfc(abs(beta / se) / math.sqrt(2))))
        else:
            ratios.append(HazardRatio(group, reference, None, None, None, None))
    return tuple(ratios)


def _has_finite_maximum(table: _RiskTable) -> bool:
    """False when some direction raises the partial likelihood for ever (or leaves it flat): a proper subset T of
    the groups such that at every event time where T has someone at risk, every event is in T."""
    k = table.k
    patterns = set(zip(zip(*(map(bool, column) for column in table.at_risk), strict=True),
                       zip(*(map(bool, column) for column in table.events), strict=True), strict=True))
    masks = {(sum(1 << g for g, a in enumerate(at_risk) if a), sum(1 << g for g, e in enumerate(events) if e))
             for at_risk, events in patterns}
    return not any(all(not at_risk & subset or not events & ~subset for at_risk, events in masks)
                   for subset in range(1, (1 << k) - 1))


def _cox(table: _RiskTable) -> list[tuple[float, float]] | None:
    """Newton–Raphson on the Efron partial likelihood of the group factor (group 0 the reference), from beta = 0
    with step halving, as coxph; (beta, se) of each other group, or None if it does not converge."""
    p = table.k - 1
    beta = [0.0] * p
    loglik, score, information = _efron(table, beta)
    for _ in range(60):
        step = _solve(information, score)
        if step is None:
            return None
        for _ in range(40):
            trial = [b + s for b, s in zip(beta, step, strict=True)]
            trial_loglik, trial_score, trial_information = _efron(table, trial)
            if trial_loglik >= loglik - 1e-13 * abs(loglik):
                break
            step = [s / 2 for s in step]
        beta, loglik, score, information = trial, trial_loglik, trial_score, trial_information
        if max(abs(s) for s in step) <= 1e-10:
            inverse = _inverse(information)
            if inverse is None or any(inverse[g][g] <= 0 for g in range(p)):
                return None
            return [(beta[g], math.sqrt(inverse[g][g])) for g in range(p)]
    return None


def _efron(table: _RiskTable, beta: list[float]) -> tuple[float, list[float], list[list[float]]]:
    """The log partial likelihood (Efron's ties), its score and its information at beta.

    The covariates are group indicators, so a time's sum of weights at risk is s = Σ n_g·w_g and its dying's
    d·D = Σ e_g·w_g; the d tied deaths' denominators are s - r·D (r = 0 … d-1), and the score and information are
    the groups' counts times five sums over r of 1/den and 1/den², weighted by 1, r/d and (r/d)². At a time with
    one death (most, over a large cohort) these are 1/s and 1/s², taken column-wise; the tied times are added."""
    k, p = table.k, len(beta)
    weight = [1.0] + [math.exp(b) for b in beta]
    s0 = list(map(mul, table.at_risk[0], repeat(weight[0])))
    for g in range(1, k):
        s0 = list(map(add, s0, map(mul, table.at_risk[g], repeat(weight[g]))))
    a0 = list(map(truediv, repeat(1.0), s0))
    b0 = list(map(mul, a0, a0))
    loglik = -math.fsum(map(math.log, s0))
    tied = []  # (i, a1, b1, b2) with a0 and b0 replaced at i
    for i in table.tied:
        d = table.deaths[i]
        share = math.fsum(table.events[g][i] * weight[g] for g in range(k)) / d
        ranks = range(d)
        denominators = [s0[i] - r * share for r in ranks]
        inverse = [1 / x for x in denominators]
        squared = list(map(mul, inverse, inverse))
        ranked = list(map(mul, ranks, squared))
        loglik += math.log(s0[i]) - math.fsum(map(math.log, denominators))
        a0[i], b0[i] = math.fsum(inverse), math.fsum(squared)
        tied.append((i, math.fsum(map(mul, ranks, inverse)) / d, math.fsum(ranked) / d,
                     math.fsum(map(mul, ranks, ranked)) / (d * d)))
    score, information = [0.0] * p, [[0.0] * p for _ in range(p)]
    for g in range(p):
        x, wg = g + 1, weight[g + 1]
        n_x, e_x = table.at_risk[x], table.events[x]
        events = sum(e_x)
        loglik += events * beta[g]
        mean = wg * (math.fsum(map(mul, n_x, a0)) - math.fsum(e_x[i] * a1 for i, a1, _, _ in tied))
        score[g] = events - mean
        information[g][g] = mean
        for h in range(p):
            y, wh = h + 1, weight[h + 1]
            n_y, e_y = table.at_risk[y], table.events[y]
            square = math.fsum(map(mul, map(mul, n_x, n_y), b0))
            rest = math.fsum(e_x[i] * e_y[i] * b2 - (n_x[i] * e_y[i] + e_x[i] * n_y[i]) * b1 for i, _, b1, b2 in tied)
            information[g][h] -= wg * wh * (square + rest)
    return loglik, score, information


# -- small linear algebra and the chi-square tail --------------------------------------------------------------

def _solve(matrix: list[list[float]], vector: list[float]) -> list[float] | None:
    """matrix⁻¹·vector by Gaussian elimination with partial pivoting; None if the matrix is singular."""
    inverse = _inverse(matrix)
    if inverse is None:
        return None
    return [math.fsum(a * b for a, b in zip(row, vector, strict=True)) for row in inverse]


def _inverse(matrix: list[list[float]]) -> list[list[float]] | None:
    n = len(matrix)
    scale = max((abs(x) for row in matrix for x in row), default=0.0)
    work = [list(row) + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(work[r][col]))
        if abs(work[pivot][col]) <= scale * 1e-13 or scale == 0:
            return None
        work[col], work[pivot] = work[pivot], work[col]
        head = work[col]
        factor = head[col]
        head[:] = [x / factor for x in head]
        for r in range(n):
            if r != col and work[r][col]:
                f = work[r][col]
                work[r] = [x - f * y for x, y in zip(work[r], head, strict=True)]
    return [row[n:] for row in work]


def _chi2_upper_tail(x: float, df: int) -> float:
    """P(X > x) for chi-square with a whole number of degrees of freedom (R's pchisq(x, df, lower = FALSE)): the
    regularized upper incomplete gamma Q(df/2, x/2), whose series ends for half-integer and integer orders."""
    half = x / 2
    if half <= 0:
        return 1.0
    if df % 2:
        total, first = math.erfc(math.sqrt(half)), 0.5
    else:
        total, first = math.exp(-half), 1.0
    log_half = math.log(half)
    order = first
    while order < df / 2:  # the terms x^a e^-x / Γ(a+1) for a = first, first + 1, ... below df/2
        total += math.exp(order * log_half - half - math.lgamma(order + 1))
        order += 1
    return total
