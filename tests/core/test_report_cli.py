"""`tace-log report`: one procedure to a file, or every procedure into a folder."""

from __future__ import annotations

import copy
import datetime as dt

from tace_log.cli import main
from tace_log.model import Patient, Procedure, new_id
from tace_log.reports import procedure_report, report_file_name
from tace_log.storage import Logbook
from tests.core.test_text_lengths import DROPPED_CHOICE, LONG_VALUES, EarlierRules


def test_report_writes_the_procedure_report(report_logbook, typical_procedure_id, tmp_path, capsys):
    out = tmp_path / "report.pdf"
    assert main(["--db", str(report_logbook.path), "report", typical_procedure_id, "-o", str(out)]) == 0
    assert out.read_bytes() == procedure_report(report_logbook, typical_procedure_id)
    assert f"wrote {out}" in capsys.readouterr().err


def test_report_all_writes_one_file_per_procedure_named_by_date_mrn_and_id(report_logbook, typical_procedure_id,
                                                                          tmp_path, capsys):
    stored = report_logbook.get_procedure(typical_procedure_id)
    ids = [typical_procedure_id]
    for cycle in (2, 3):
        later = copy.deepcopy(stored)
        later.id, later.cycle = new_id(), cycle
        report_logbook.save_procedure(later)
        ids.append(later.id)
    folder = tmp_path / "chart" / "reports"
    assert main(["--db", str(report_logbook.path), "report", "--all", "-d", str(folder), "--jobs", "2"]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"2026-03-14_H_2026_0042_{i}.pdf" for i in ids)
    for i in ids:
        assert (folder / f"2026-03-14_H_2026_0042_{i}.pdf").read_bytes() == procedure_report(report_logbook, i)
    err = capsys.readouterr().err
    assert "wrote 3 of 3 reports" in err
    assert "reports: " not in err  # no progress line when stderr is not a terminal


def test_report_refuses_an_incomplete_command_line(report_logbook, tmp_path, capsys):
    db = ["--db", str(report_logbook.path)]
    assert main([*db, "report", "--all"]) == 2
    assert "--all needs -d DIR" in capsys.readouterr().err
    assert main([*db, "report", "some-id"]) == 2
    assert main([*db, "report", "--all", "-d", str(tmp_path), "-o", "x.pdf"]) == 2
    assert list(tmp_path.glob("*.pdf")) == []


def test_report_of_an_unknown_procedure_fails_with_a_message(report_logbook, tmp_path, capsys):
    out = tmp_path / "r.pdf"
    assert main(["--db", str(report_logbook.path), "report", "no-such-id", "-o", str(out)]) == 1
    assert "no procedure with id no-such-id" in capsys.readouterr().err
    assert not out.exists()


def test_report_never_creates_a_logbook(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "none.sqlite"), "report", "x", "-o", str(tmp_path / "r.pdf")]) == 1
    assert "no logbook at" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_report_all_names_each_procedure_it_cannot_print_and_writes_every_other(tmp_path, capsys):
    path, folder = tmp_path / "earlier.sqlite", tmp_path / "reports"
    with Logbook.open(path, validator=EarlierRules()) as logbook:
        patient = Patient(mrn="M0001", name="张伟")
        logbook.save_patient(patient)
        ids = {}
        for name, changes in (("plain", {}), ("long", {"target_vessels": LONG_VALUES["target_vessels"]}),
                              ("blocked", {}), ("dropped", {"access_site": DROPPED_CHOICE})):
            procedure = Procedure(patient_id=patient.id, date=dt.date(2025, 2, 3), tumor_staining="absent",
                                  embolization="none", **changes)
            logbook.save_procedure(procedure)
            ids[name] = procedure.id
    folder.mkdir()
    (folder / report_file_name("2025-02-03", "M0001", ids["blocked"])).mkdir()  # its file cannot be written
    assert main(["--db", str(path), "report", "--all", "-d", str(folder), "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert f"tace-log: report not written: {ids['blocked']}: cannot write" in err
    assert f"tace-log: report not written: {ids['dropped']}: unexpected error: KeyError: " in err
    assert "(details in the log)" in err and "Traceback" not in err
    assert "wrote 2 of 4 reports" in err
    for name in ("plain", "long"):  # the long value (stored before the limits) prints too
        assert (folder / report_file_name("2025-02-03", "M0001", ids[name])).read_bytes().startswith(b"%PDF")
