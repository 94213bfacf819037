"""Dose reports read from real angiography RDSRs (the pseudonymised Philips Allura and Siemens Axiom files shipped,
MIT-licensed, in the pyskindose wheel, which `make` downloads and never installs) and from one built with pydicom,
each value checked against DCMTK's `dsrdump` reading the same file: an independent reader."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from dose_samples import dose_report, event, plane

from tace_log.cli import main
from tace_log.rdsr import DoseFileError, read_dose_report

ROOT = Path(__file__).resolve().parents[2]
WHEELS = sorted((ROOT / ".venv" / "wheels").glob("pyskindose-*.whl"))
# dsrdump's names of the totals, with what each converts to ours (its value is printed in its unit)
AREA_DOSE = {"Gym2": 1e4, "Gy.m2": 1e4, "dGy.cm2": 0.1}
TOTALS = {"Dose Area Product Total": ("dap_gycm2", AREA_DOSE),
          "Fluoro Dose Area Product Total": ("fluoro_dap_gycm2", AREA_DOSE),
          "Acquisition Dose Area Product Total": ("acquisition_dap_gycm2", AREA_DOSE),
          "Dose (RP) Total": ("air_kerma_mgy", {"Gy": 1e3, "mGy": 1.0}),
          "Total Fluoro Time": ("fluoroscopy_min", {"s": 1 / 60, "min": 1.0})}


@pytest.fixture(scope="module")
def vendor_files(tmp_path_factory) -> list[Path]:
    if not WHEELS:
        pytest.skip("the pyskindose wheel with the vendor RDSRs is not in .venv/wheels (run make)")
    folder = tmp_path_factory.mktemp("rdsr")
    with zipfile.ZipFile(WHEELS[-1]) as wheel:
        names = [n for n in wheel.namelist() if n.endswith(".dcm") and "/RDSR/" in n]
        for name in names:
            (folder / Path(name).name).write_bytes(wheel.read(name))
    return sorted(folder.glob("*.dcm"))


def dsrdump_totals(path: Path) -> dict[str, float]:
    """The accumulated totals as DCMTK prints them, summed over the planes, in our units, and the number of
    irradiation events it lists."""
    if shutil.which("dsrdump") is None:
        pytest.skip("DCMTK's dsrdump is not installed (Debian dcmtk, installed by make)")
    # vendors' files break some of the SR rules; DCMTK is told to read what it can, as a viewer would
    text = subprocess.run(["dsrdump", "-Er", "-Ev", "-Ec", "-Ee", str(path)], capture_output=True, text=True,
                          errors="replace").stdout
    out: dict[str, float] = {}
    for name, value, unit in re.findall(r'NUM:\(,,"([^"]+)"\)="([^"]+)" \(([^,]+),UCUM', text):
        if name in TOTALS:
            key, factors = TOTALS[name]
            out[key] = out.get(key, 0.0) + float(value) * factors[unit]
    out["irradiation_events"] = len(re.findall(r'CONTAINER:\(,,"Irradiation Event X-Ray Data"\)', text))
    return out


def test_every_vendor_file_reads_as_dcmtk_reads_it(vendor_files):
    assert len(vendor_files) >= 3
    for path in vendor_files:
        ours = read_dose_report(path)
        theirs = dsrdump_totals(path)
        assert set(theirs) == {*(key for key, _units in TOTALS.values()), "irradiation_events"}, path.name
        assert theirs["irradiation_events"] > 0, path.name
        for key, value in theirs.items():
            assert getattr(ours, key) == pytest.approx(value, rel=1e-9), (path.name, key)
        assert ours.form_values() == pytest.approx({key: round(value, 2) for key, value in theirs.items()})
        assert ours.planes >= 1 and ours.device


def test_a_biplane_report_sums_its_planes(tmp_path):
    content = [plane(0.0120, 0.0050, 0.850, 900), plane(0.0040, 0.0010, 0.350, 300),
               *(event(0.0001) for _ in range(7))]
    path = dose_report(tmp_path / "biplane.dcm", content)
    summary = read_dose_report(path)
    assert summary.planes == 2 and summary.irradiation_events == 7
    expected = {"dap_gycm2": 160.0, "fluoro_dap_gycm2": 60.0, "acquisition_dap_gycm2": 100.0,
                "air_kerma_mgy": 1200.0, "fluoroscopy_min": 20.0, "irradiation_events": 7}
    assert summary.form_values() == pytest.approx(expected)
    assert dsrdump_totals(path) == pytest.approx(expected)


def test_a_file_that_is_no_dose_report_says_so(tmp_path):
    not_dicom = tmp_path / "notes.dcm"
    not_dicom.write_text("not a DICOM file")
    with pytest.raises(DoseFileError, match="is not a DICOM file"):
        read_dose_report(not_dicom)
    other = dose_report(tmp_path / "other.dcm", [], concept=("18748-4", "LN", "Diagnostic imaging report"))
    with pytest.raises(DoseFileError, match="not an X-ray radiation dose report"):
        read_dose_report(other)


def test_dose_import_fills_an_unsigned_procedure_and_refuses_a_signed_one(vendor_files, tmp_path, capsys,
                                                                          pdf_pages_text):
    from tace_log import exports
    from tace_log.dictionary import PROCEDURE
    from tace_log.reports import procedure_report

    from .signing_support import PASSWORD, signable_logbook

    logbook, _patient, procedure = signable_logbook(tmp_path / "l.sqlite")
    logbook.close()
    path = vendor_files[0]
    expected = read_dose_report(path).form_values()
    assert set(expected) == {"fluoroscopy_min", "dap_gycm2", "air_kerma_mgy", "fluoro_dap_gycm2",
                             "acquisition_dap_gycm2", "irradiation_events"}
    # a pseudonymised file: its patient ID and study date are not the procedure's patient's
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(path), "--force"]) == 0
    out = capsys.readouterr().out
    assert "not saved" in out and "Dose-area product" in out and "Irradiation events" in out
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(path), "--save", "--force"]) == 0
    from tace_log.storage import Logbook

    with Logbook.open(logbook.path) as book:
        stored = book.get_procedure(procedure.id)
        assert {k: getattr(stored, k) for k in expected} == expected
        assert any(r.reason and path.name in r.reason for r in book.audit.history(procedure.id))
        # the details read from the file print in the report and export, as any recorded field
        text = "".join("".join(pdf_pages_text(procedure_report(book, procedure.id))).split())  # a label may wrap
        for key, value in expected.items():
            assert "".join(PROCEDURE[key].label().split()) in text, key
            assert "".join(PROCEDURE[key].display(value).split()) in text, key
        exports.write(book, "csv", tmp_path / "csv")
        with (tmp_path / "csv" / "procedures.csv").open(encoding="utf-8-sig") as handle:
            row = next(csv.DictReader(handle))
        assert {key: float(row[key]) for key in expected} == expected
        book.signing.sign(procedure.id, "chen", PASSWORD, acknowledge_warnings=True)
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(path), "--save", "--force"]) != 0


def test_dose_import_refuses_a_file_of_another_patient_or_day_unless_forced(tmp_path, capsys):
    from tace_log.storage import Logbook

    from .signing_support import signable_logbook

    logbook, _patient, procedure = signable_logbook(tmp_path / "l.sqlite")  # MRN M0001, on 2025-02-03
    logbook.close()
    content = [plane(0.0120, 0.0050, 0.850, 900)]
    other = dose_report(tmp_path / "other.dcm", content, patient_id="M0002", study_date="20250204")
    capsys.readouterr()
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(other), "--save"]) == 2
    err = capsys.readouterr().err
    assert (f"{other} may be another patient's or another day's dose report: patient ID M0002 (this patient's MRN: "
            "M0001), study date 2025-02-04 (this procedure: 2025-02-03); nothing imported: check the file, or add "
            "--force to import it anyway") in err
    assert main(["--lang", "zh", "--db", str(logbook.path), "dose-import", procedure.id, str(other)]) == 2
    assert "患者ID M0002（本患者住院号：M0001）、检查日期2025-02-04（本次手术：2025-02-03）" in capsys.readouterr().err
    with Logbook.open(logbook.path) as book:
        assert book.get_procedure(procedure.id).dap_gycm2 is None
    day_only = dose_report(tmp_path / "day.dcm", content, patient_id="m0001 ", study_date="20250204")
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(day_only)]) == 2
    assert "patient ID" not in capsys.readouterr().err  # the same MRN, written in lower case
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(other), "--save", "--force"]) == 0
    assert "patient ID M0002" in capsys.readouterr().err  # imported as asked, and said
    same = dose_report(tmp_path / "same.dcm", [plane(0.0100, 0.0050, 0.850, 900)], patient_id="M0001",
                       study_date="20250203")
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(same), "--save"]) == 0
    with Logbook.open(logbook.path) as book:
        assert book.get_procedure(procedure.id).dap_gycm2 == 100
        reasons = [r.reason for r in book.audit.history(procedure.id) if r.reason]
        assert any(r.endswith("other.dcm (--force)") for r in reasons) and any(r.endswith("same.dcm") for r in reasons)
