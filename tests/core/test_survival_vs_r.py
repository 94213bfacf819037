"""tace_log/analysis/survival.py equals R's `survival` (Debian's r-cran-survival, installed by `make`), run at test
time on the same cohorts: generated ones with ties and censorings (batched, one R call per example, since R takes a
second to start), crafted edge cases, and R's own `lung` and `veteran` data with their published figures.

Without Rscript these tests skip and say so: they never pass without R."""

from __future__ import annotations

import csv
import io
import math
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tace_log.analysis.survival import LANDMARK_MONTHS, Observation, analyse

REFERENCE = Path(__file__).with_name("survival_reference.R")
RELATIVE = 1e-6


@pytest.fixture(scope="module")
def rscript() -> str:
    found = shutil.which("Rscript")
    if found is None:
        pytest.skip("R is not installed (no Rscript): `make` installs r-base-core and r-cran-survival as root")
    check = subprocess.run([found, "-e", "library(survival)"], capture_output=True, text=True)
    if check.returncode:
        pytest.skip(f"R is installed but its survival package is not (r-cran-survival): {check.stderr.strip()}")
    return found


def run_r(rscript: str, cohorts: dict[str, list[Observation]], tmp_path: Path) -> dict:
    """R's figures for each cohort, keyed as the reference script writes them."""
    source = tmp_path / "cohorts.csv"
    with source.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["cohort", "time", "status", "group"])
        for name, observations in cohorts.items():
            writer.writerows([name, repr(o.time), o.event, o.group] for o in observations)
    done = subprocess.run([rscript, str(REFERENCE), str(source)], capture_output=True, text=True, check=True)
    figures: dict = defaultdict(lambda: defaultdict(dict))
    for line in done.stdout.splitlines():
        kind, cohort, *rest = line.split("\t")
        if kind == "step":
            figures[cohort]["steps"].setdefault(rest[0], []).append(rest[1:])
        elif kind in ("median", "cox"):
            figures[cohort][kind][rest[0]] = rest[1:]
        elif kind == "at":
            figures[cohort]["at"][(rest[0], int(rest[1]))] = rest[2:]
        else:
            figures[cohort][kind] = rest
    return figures


def number(text: str) -> float | None:
    return None if text == "NA" else float(text)


def same(ours: float | None, theirs: str, relative: float = RELATIVE, what: str = "") -> None:
    expected = number(theirs)
    if expected is None or ours is None:
        assert ours is None and expected is None, f"{what}: ours {ours}, R {theirs}"
    else:
        assert math.isclose(ours, expected, rel_tol=relative, abs_tol=1e-300), f"{what}: ours {ours!r}, R {theirs}"


def compare(name: str, observations: list[Observation], r: dict) -> None:
    """Every figure of ours for the cohort against R's."""
    groups = sorted({o.group for o in observations})
    analysis = analyse(observations, groups)
    ours = analysis.as_json()
    assert [g["group"] for g in ours["groups"]] == groups
    for group in ours["groups"]:
        g, curve = group["group"], analysis.curves[group["group"]]
        where = f"cohort {name} group {g}"
        steps = r["steps"][g]
        assert len(steps) == len(group["steps"]), where
        for step, lower, upper, theirs in zip(group["steps"], curve.lower, curve.upper, steps, strict=True):
            time, at_risk, events, censored, survival, low, high = theirs
            assert math.isclose(step["time"], float(time), rel_tol=1e-15), where
            assert (step["at_risk"], step["events"], step["censored"]) == (int(at_risk), int(events), int(censored)), \
                f"{where} at {time}"
            same(step["survival"], survival, 1e-12, f"{where} survival at {time}")
            same(lower, low, 1e-9, f"{where} lower at {time}")
            same(upper, high, 1e-9, f"{where} upper at {time}")
        assert group["n"] == sum(int(s[2]) + int(s[3]) for s in steps), where
        assert group["events"] == sum(int(s[2]) for s in steps), where
        median, low, high = r["median"][g]
        same(group["median"], median, what=f"{where} median")
        same(group["median_ci"][0], low, what=f"{where} median's lower limit")
        same(group["median_ci"][1], high, what=f"{where} median's upper limit")
        for months in LANDMARK_MONTHS:
            at = group["survival_at"][str(months)]
            survival, low, high = r["at"][(g, months)]
            same(at["survival"], survival, what=f"{where} survival at {months} months")
            same(at["ci"][0], low, what=f"{where} lower limit at {months} months")
            same(at["ci"][1], high, what=f"{where} upper limit at {months} months")
    logrank = ours["logrank"]
    if len(groups) > 1:
        chi2, df, p = r["logrank"]
        if chi2 == "NA" or int(df) < 1:  # R refuses (a singular variance), or fewer than two groups expect events
            assert logrank["chi2"] is None and logrank["p"] is None, (name, logrank, r["logrank"])
        else:
            assert logrank["df"] == int(df), name
            same(logrank["chi2"], chi2, what=f"cohort {name} log-rank chi2")
            same(logrank["p"], p, what=f"cohort {name} log-rank p")
    else:
        assert logrank == {"chi2": None, "df": 0, "p": None} and ours["hazard_ratios"] == []
    # R warns that a coefficient may be infinite, or gives none (NA) where the groups are aliased (the reference
    # has no one at risk at any event): then we give none, or the limit R's iterations approach
    degenerate = any(theirs[0] == "NA" or theirs[5] == "TRUE" for theirs in r["cox"].values())
    for ratio in ours["hazard_ratios"]:
        coef, hr, low, high, p, warned = r["cox"][ratio["group"]]
        where = f"cohort {name} hazard ratio of {ratio['group']}"
        assert ratio["reference"] == groups[0]
        if ratio["hr"] is None:
            assert degenerate or abs(number(coef)) > 8, (where, r["cox"])
        elif degenerate:
            same(ratio["hr"], hr, 1e-3, where)
        else:
            same(ratio["hr"], hr, what=where)
            same(ratio["ci"][0], low, what=f"{where}: lower limit")
            same(ratio["ci"][1], high, what=f"{where}: upper limit")
            same(ratio["p"], p, what=f"{where}: p")
    median, low, high = r["followup"]
    follow_up = ours["median_follow_up"]
    same(follow_up["median"], median, what=f"cohort {name} median follow-up")
    same(follow_up["ci"][0], low, what=f"cohort {name} median follow-up's lower limit")
    same(follow_up["ci"][1], high, what=f"cohort {name} median follow-up's upper limit")


# Times on a coarse grid tie often; the grid's span puts 12, 24 and 36 months inside and beyond the follow-up.
# Others have hundredths of days, which R reads as the same doubles (and which its aeqSurv leaves apart).
times = st.one_of(st.integers(0, 40).map(lambda k: k * 35.0), st.integers(0, 150_000).map(lambda k: k / 100))
patient = st.builds(Observation, times, st.integers(0, 1), st.sampled_from(["arm1", "arm2", "arm3"]))
cohort = st.lists(patient, min_size=1, max_size=80)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(cohort, min_size=30, max_size=40))
def test_generated_cohorts_equal_r(rscript, tmp_path_factory, cohorts):
    named = {f"c{i}": observations for i, observations in enumerate(cohorts)}
    r = run_r(rscript, named, tmp_path_factory.mktemp("r"))
    for name, observations in named.items():
        compare(name, observations, r[name])


def _crafted() -> dict[str, list[Observation]]:
    def cohort(*rows):
        return [Observation(float(t), e, g) for t, e, g in rows]

    return {
        # S is 0.5 from day 2 and falls at day 4: the median is the flat step's midpoint, 3
        "plateau": cohort((1, 1, "a"), (2, 1, "a"), (3, 0, "a"), (4, 1, "a")),
        # S is 0.5 from day 2 and never falls: the median is day 2
        "plateau_to_the_end": cohort((1, 1, "a"), (2, 1, "a"), (3, 0, "a"), (4, 0, "a")),
        # never below 0.5: median and limits not reached
        "not_reached": cohort((1, 1, "a"), (2, 0, "a"), (3, 0, "a"), (5, 0, "a")),
        # everyone at risk dies at day 1: the log-rank variance is 0 (R: "exactly singular")
        "no_variance": cohort((1, 1, "a"), (1, 1, "b")),
        # b is censored before any event: it expects none, so there is no test and no hazard ratio
        "one_group_expects": cohort((0, 0, "b"), (3, 1, "a"), (4, 1, "a"), (5, 0, "a")),
        # b's events all come when only b is at risk: its hazard ratio is infinite
        "separated": cohort((1, 1, "a"), (2, 1, "a"), (3, 1, "a"), (4, 1, "b"), (5, 0, "b"), (6, 0, "b")),
        # events and censorings tied at one time: the censored are at risk at it
        "ties": cohort(*[(t, e, g) for t in (10, 20, 30) for e in (0, 1) for g in "ab"],
                       (20, 1, "a"), (20, 1, "a"), (30, 1, "b"), (40, 0, "a"), (40, 1, "b")),
        # three groups, one without events: the others are fitted without it
        "three_one_silent": cohort(*[(t, 1, "a") for t in (3, 5, 8, 9, 12)], *[(t, 1, "b") for t in (2, 4, 4, 7)],
                                   (6, 0, "b"), (1, 0, "c"), (10, 0, "c"), (11, 0, "c")),
    }


def test_crafted_cases_equal_r(rscript, tmp_path):
    cases = _crafted()
    r = run_r(rscript, cases, tmp_path)
    for name, observations in cases.items():
        compare(name, observations, r[name])
    results = {name: analyse(obs, sorted({o.group for o in obs})).as_json() for name, obs in cases.items()}
    assert results["plateau"]["groups"][0]["median"] == 3
    assert results["plateau_to_the_end"]["groups"][0]["median"] == 2
    assert results["not_reached"]["groups"][0]["median"] is None
    assert results["no_variance"]["logrank"] == {"chi2": None, "df": 1, "p": None}
    assert results["one_group_expects"]["logrank"]["chi2"] is None
    assert results["one_group_expects"]["hazard_ratios"][0]["hr"] is None
    assert results["separated"]["hazard_ratios"][0]["hr"] is None
    [b, c] = results["three_one_silent"]["hazard_ratios"]
    assert b["hr"] is not None and c["hr"] is None


def _r_data(rscript: str, expression: str) -> list[dict]:
    done = subprocess.run([rscript, "-e", f"suppressPackageStartupMessages(library(survival)); "
                                          f"write.csv({expression}, stdout(), row.names = FALSE)"],
                          capture_output=True, text=True, check=True)
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_lung_by_sex_and_veteran_by_treatment_equal_r_and_its_published_figures(rscript, tmp_path):
    lung = [Observation(float(row["time"]), int(row["status"]) - 1, row["sex"])
            for row in _r_data(rscript, 'lung[, c("time", "status", "sex")]')]  # status 1 censored, 2 dead
    veteran = [Observation(float(row["time"]), int(row["status"]), row["trt"])
               for row in _r_data(rscript, 'veteran[, c("time", "status", "trt")]')]
    assert len(lung) == 228 and len(veteran) == 137
    r = run_r(rscript, {"lung": lung, "veteran": veteran}, tmp_path)
    compare("lung", lung, r["lung"])
    compare("veteran", veteran, r["veteran"])

    by_sex = analyse(lung, ["1", "2"]).as_json()
    male, female = by_sex["groups"]
    assert (male["n"], male["events"], male["median"], male["median_ci"]) == (138, 112, 270, [212, 310])
    assert (female["n"], female["events"], female["median"], female["median_ci"]) == (90, 53, 426, [348, 550])
    assert round(by_sex["logrank"]["chi2"], 4) == 10.3267 and by_sex["logrank"]["df"] == 1
    assert f"{by_sex['logrank']['p']:.6g}" == "0.00131116"
    [ratio] = by_sex["hazard_ratios"]
    assert f"{ratio['hr']:.4f}" == "0.5880" and f"{ratio['p']:.4g}" == "0.001491"  # coxph(~ sex): 0.588, p 0.00149
    assert analyse(veteran, ["1", "2"]).as_json()["groups"][1]["median"] == 52.5


@pytest.mark.slow
def test_without_r_the_tests_skip_saying_so(tmp_path):
    """A machine without Rscript: these tests are skipped with the reason, never passed."""
    bare = tmp_path / "bin"  # a PATH with no Rscript on it
    bare.mkdir()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:randomly", "-p", "no:cacheprovider",
                           __file__, "-k", "lung"], capture_output=True, text=True,
                          env={**os.environ, "PATH": str(bare)}, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout and "R is not installed (no Rscript)" in done.stdout, done.stdout
