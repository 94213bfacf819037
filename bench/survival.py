"""Survival by arm over 100,000 patients: Kaplan–Meier, log-rank, Cox and the median follow-up, ours against R's
survfit, survdiff and coxph on the same data in the same run (where Rscript and its survival package are installed).

Two cohorts: times in whole days, as the endpoints give them (many ties), and every time distinct (the most steps
and risk sets, the slowest case). R's time is measured inside R, without its start-up or reading the file."""

from __future__ import annotations

import csv
import math
import random
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from tace_log.analysis.survival import DAYS_PER_MONTH, Observation, analyse

from .result import Result

PATIENTS = 100_000
RUNS = 5
ARMS = ["tace", "len_tace"]

R_TIMING = """
suppressPackageStartupMessages(library(survival))
d <- read.csv(commandArgs(trailingOnly = TRUE)[1])
d$group <- factor(d$group, levels = c("tace", "len_tace"))
seconds <- numeric(0)
for (i in 1:{runs}) seconds[i] <- system.time({{
    curves <- summary(survfit(Surv(time, status) ~ group, data = d))$table
    test <- survdiff(Surv(time, status) ~ group, data = d)
    cox <- coxph(Surv(time, status) ~ group, data = d, ties = "efron")
    follow_up <- summary(survfit(Surv(time, 1 - status) ~ 1, data = d))$table
}})[["elapsed"]]
cat(sprintf("%.17g", c(median(seconds), test$chisq, exp(coef(cox)))), sep = "\\n")
"""


def cohort(whole_days: bool, seed: int = 16) -> list[Observation]:
    """Recurrence-like times (median about 19 months with lenvatinib, 10 without), censored over 4 years."""
    rng = random.Random(seed)
    patients = []
    for i in range(PATIENTS):
        arm = ARMS[i % 2]
        event = rng.expovariate(math.log(2) / ((19 if arm == "len_tace" else 10) * DAYS_PER_MONTH))
        censoring = rng.uniform(0, 4 * 365.25)
        days = min(event, censoring)
        patients.append(Observation(float(round(days)) if whole_days else days, int(event <= censoring), arm))
    return patients


def _r(patients: list[Observation], work: Path) -> tuple[float, float, float] | None:
    """R's median seconds, chi-square and hazard ratio on the same patients; None without Rscript."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    source = work / "survival-bench.csv"
    with source.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["time", "status", "group"])
        writer.writerows((repr(p.time), p.event, p.group) for p in patients)
    done = subprocess.run([rscript, "-e", R_TIMING.format(runs=RUNS), str(source)], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"R failed on the survival bench: {done.stderr[-2000:]}")
    seconds, chi2, hr = (float(x) for x in done.stdout.split())
    return seconds, chi2, hr


def versus_r(work: Path) -> list[Result]:
    results = []
    for whole_days, kind in [(True, "times in whole days"), (False, "every time distinct")]:
        patients = cohort(whole_days)
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            analysis = analyse(patients, ARMS)
            timings.append(time.perf_counter() - start)
        ours = statistics.median(timings) * 1000
        r = _r(patients, work)
        chi2, hr = analysis.logrank.chi2, analysis.hazard_ratios[0].hr
        note = f"{kind}; median of {RUNS}; log-rank chi2 {chi2:.6f}, HR {hr:.6f}"
        if r is None:
            note += "; R not installed (Rscript and r-cran-survival): no baseline"
        else:
            note += f"; R survfit + survdiff + coxph: chi2 {r[1]:.6f}, HR {r[2]:.6f}"
        results.append(Result(f"survival by arm (KM, log-rank, Cox, follow-up) over {PATIENTS:,} patients", ours,
                              None if r is None else r[0] * 1000, "ms",
                              ratio=None if r is None else ours / (r[0] * 1000), target="< 1000 ms",
                              ok=ours < 1000, note=note))
    return results
