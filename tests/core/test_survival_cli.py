"""`tace-log survival`: a logbook's endpoints by arm, analysed at a cutoff, as the contract's JSON and as a
Kaplan-Meier figure; the figures themselves are R's (tests/core/test_survival_vs_r.py)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

from tace_log.cli import main
from tace_log.storage import Logbook
from tace_log.times import as_utc

from .course_support import death, logbook_of, patient, recurrence, scan

CUTOFF = dt.date(2023, 1, 6)


def _cohort(tmp_path):
    book = logbook_of(
        tmp_path,
        patient("T1", follow_ups=[scan(91), scan(182)], recurrence=recurrence(200)),
        patient("T2", follow_ups=[scan(91), scan(182), scan(364)]),
        patient("T3", follow_ups=[scan(91)], recurrence=recurrence(120), death=death(400)),
        patient("L1", arm="lenvatinib", follow_ups=[scan(91)], recurrence=recurrence(100)),
        patient("L2", arm="lenvatinib", follow_ups=[scan(91), scan(182)], recurrence=recurrence(190)),
        patient("L3", arm="lenvatinib", follow_ups=[scan(91), scan(182), scan(273)]),
        patient("X1", screening=None))  # not enrolled: not analysed
    book.close()
    return book.path


def test_survival_by_arm_prints_the_contracts_json_in_the_protocols_arm_order(tmp_path, capsys):
    path = _cohort(tmp_path)
    assert main(["--db", str(path), "survival", "--endpoint", "rfs", "--by", "arm", "--cutoff",
                 CUTOFF.isoformat(), "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [(g["group"], g["n"], g["events"]) for g in data["groups"]] == [("lenvatinib", 3, 2),
                                                                         ("lenvatinib_tace", 3, 2)]
    lenvatinib = data["groups"][0]
    # RFS days from resection: L1 recurs on day 100, L2 on day 190, L3 censored at its last clear scan (273)
    assert [(s["time"], s["at_risk"], s["events"], s["censored"]) for s in lenvatinib["steps"]] == [
        (100, 3, 1, 0), (190, 2, 1, 0), (273, 1, 0, 1)]
    assert lenvatinib["median"] == 190 and lenvatinib["steps"][0]["survival"] == 2 / 3
    assert set(data["logrank"]) == {"chi2", "df", "p"} and data["logrank"]["df"] == 1
    [hr] = data["hazard_ratios"]
    assert (hr["group"], hr["reference"]) == ("lenvatinib_tace", "lenvatinib")
    assert "protocol: " in err and "6 patients analysed for RFS" in err


def test_survival_writes_the_kaplan_meier_figure(tmp_path, capsys):
    path = _cohort(tmp_path)
    figure = tmp_path / "rfs.pdf"
    assert main(["--db", str(path), "survival", "--cutoff", CUTOFF.isoformat(), "-o", str(figure)]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split("\t") == ["group", "n", "events", "median_days", "median_ci"]
    assert "log-rank chi2" in table and "HR lenvatinib + TACE vs lenvatinib" in table
    text = subprocess.run(["pdftotext", str(figure), "-"], capture_output=True, text=True, check=True).stdout
    assert "lenvatinib + TACE" in text


def test_the_study_report_prints_the_newest_change_in_the_workstations_time_with_its_zone(tmp_path, time_zone,
                                                                                        pdf_pages_text):
    path = _cohort(tmp_path)
    time_zone("Asia/Shanghai")
    with Logbook.open(path) as logbook:
        newest = as_utc(logbook.audit.newest()) + dt.timedelta(hours=8)
    out = tmp_path / "report.pdf"
    assert main(["--db", str(path), "study-report", "--cutoff", CUTOFF.isoformat(), "-o", str(out)]) == 0
    text = " ".join(" ".join(pdf_pages_text(out.read_bytes())).split())
    assert f"Data as of its newest change: {newest:%Y-%m-%d %H:%M:%S} +08:00" in text and " UTC" not in text


def test_the_study_report_is_the_studys_figures_and_the_same_bytes_each_time(tmp_path, capsys, pdf_pages_text):
    path = _cohort(tmp_path)
    first, second = tmp_path / "one.pdf", tmp_path / "two.pdf"
    for out in (first, second):
        assert main(["--db", str(path), "study-report", "--cutoff", CUTOFF.isoformat(), "-o", str(out)]) == 0
    assert first.read_bytes() == second.read_bytes()
    pages = pdf_pages_text(first.read_bytes())
    text = " ".join(" ".join(pages).split())
    assert "Data cutoff: 2023-01-06" in text and "Protocol in force:" in text
    assert "Assessed for eligibility: 6" in text and "Not enrolled: 0" in text
    assert "Recurrence-free survival" in text and "Overall survival" in text
    assert "Child-Pugh class A" in text and "ALBI grade 1" in text
    assert f"Page 1 of {len(pages)}" in text
    fonts = subprocess.run(["pdffonts", str(first)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    chinese = tmp_path / "zh.pdf"
    assert main(["--db", str(path), "study-report", "--cutoff", CUTOFF.isoformat(), "--language", "zh",
                 "-o", str(chinese)]) == 0
    assert "研究报告" in "".join(pdf_pages_text(chinese.read_bytes()))
