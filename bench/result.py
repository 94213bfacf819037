"""One measured figure: the product's value, the bare baseline measured in the same run, and their ratio."""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import asdict, dataclass


@dataclass
class Result:
    figure: str
    value: float
    baseline: float | None
    unit: str
    ratio: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def median_seconds(work, runs: int) -> float:
    """The median wall time of `runs` calls of `work`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    rank = max(0, math.ceil(pct / 100 * len(ordered)) - 1)
    return ordered[rank]


def table(results: list[Result]) -> str:
    def num(x):
        return "" if x is None else (f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}")

    lines = ["| figure | TACE Log | bare baseline | ratio | target | met |", "|---|---|---|---|---|---|"]
    for r in results:
        met = "" if r.ok is None else ("yes" if r.ok else "**no**")
        value = f"{num(r.value)} {r.unit}"
        base = f"{num(r.baseline)} {r.unit}" if r.baseline is not None else ""
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        note = f" ({r.note})" if r.note else ""
        lines.append(f"| {r.figure}{note} | {value} | {base} | {ratio} | {r.target} | {met} |")
    return "\n".join(lines)
