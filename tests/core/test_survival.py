"""The survival module's own promises, R aside (tests/core/test_survival_vs_r.py compares the numbers with R): the
contract's JSON shape, the groups' order and reference, what it refuses, and that it needs the standard library
alone."""

from __future__ import annotations

import ast
import json
import math
import sys
from pathlib import Path

import pytest

from tace_log.analysis import survival
from tace_log.analysis.survival import DAYS_PER_MONTH, Observation, analyse


def test_it_imports_the_standard_library_alone():
    tree = ast.parse(Path(survival.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported and imported <= sys.stdlib_module_names | {"__future__"}, imported


def test_the_json_has_the_contracts_keys_and_is_plain_json():
    observations = [Observation(t, e, g) for t, e, g in
                    [(10, 1, "len_tace"), (40, 0, "len_tace"), (400, 1, "len_tace"), (5, 1, "tace"), (8, 1, "tace"),
                     (30, 0, "tace"), (90, 1, "tace")]]
    result = analyse(observations, ["tace", "len_tace", "nobody"]).as_json()
    assert list(result) == ["groups", "logrank", "hazard_ratios", "median_follow_up"]
    tace, lenvatinib = result["groups"]  # in the order given, a group without patients left out
    assert (tace["group"], lenvatinib["group"]) == ("tace", "len_tace")
    assert list(tace) == ["group", "n", "events", "median", "median_ci", "steps", "survival_at"]
    assert tace["steps"][0] == {"time": 5, "at_risk": 4, "events": 1, "censored": 0, "survival": 0.75}
    assert list(tace["survival_at"]) == ["12", "24", "36"] and list(tace["survival_at"]["12"]) == ["survival", "ci"]
    assert list(result["logrank"]) == ["chi2", "df", "p"] and result["logrank"]["df"] == 1
    [ratio] = result["hazard_ratios"]
    assert (ratio["group"], ratio["reference"]) == ("len_tace", "tace") and list(ratio) == [
        "group", "reference", "hr", "ci", "p"]
    assert list(result["median_follow_up"]) == ["median", "ci"]
    json.dumps(result, allow_nan=False)  # no NaN or infinity anywhere


def test_one_group_has_no_test_and_no_hazard_ratio():
    result = analyse([Observation(3, 1, "a"), Observation(5, 0, "a")], ["a", "b"]).as_json()
    assert result["logrank"] == {"chi2": None, "df": 0, "p": None} and result["hazard_ratios"] == []


def test_survival_at_reads_months_of_30_4375_days():
    # a death at each of days 365 and 366: 12 months (365.25 days) falls between them
    result = analyse([Observation(365, 1), Observation(366, 1), Observation(800, 0)], [""]).as_json()
    at = result["groups"][0]["survival_at"]
    assert 12 * DAYS_PER_MONTH == 365.25
    assert at["12"]["survival"] == 2 / 3 and at["24"]["survival"] == 1 / 3
    assert at["36"] == {"survival": None, "ci": [None, None]}  # past the last observed day, as R's summary


@pytest.mark.parametrize("bad", [Observation(-1, 1, "a"), Observation(math.inf, 0, "a"), Observation(math.nan, 0, "a"),
                                 Observation(3, 2, "a"), Observation(3, 1, "z")])
def test_it_refuses_what_is_not_a_survival_time(bad):
    with pytest.raises(ValueError):
        analyse([Observation(1, 1, "a"), bad], ["a"])


def test_no_patients_is_no_curve_and_no_test():
    assert analyse([], ["tace", "len_tace"]).as_json() == {
        "groups": [], "logrank": {"chi2": None, "df": 0, "p": None}, "hazard_ratios": [],
        "median_follow_up": {"median": None, "ci": [None, None]}}
