"""Dose reports read from real angiography RDSRs (the pseudonymised Philips Allura and Siemens Axiom files shipped,
MIT-licensed, in the pyskindose wheel, which `make` downloads and never installs) and from one built with pydicom,
each value checked against DCMTK's `dsrdump` reading the same file: an independent reader."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tace_log.cli import main
from tace_log.rdsr import DoseFileError, read_dose_report

ROOT = Path(__file__).resolve().parents[2]
WHEELS = sorted((ROOT / ".venv" / "wheels").glob("pyskindose-*.whl"))
# dsrdump's names of the totals, with what each converts to ours (its value is printed in its unit)
TOTALS = {"Dose Area Product Total": ("dap_gycm2", {"Gym2": 1e4, "Gy.m2": 1e4, "dGy.cm2": 0.1}),
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
    """The accumulated totals as DCMTK prints them, summed over the planes, in our units."""
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
    return out


def test_every_vendor_file_reads_as_dcmtk_reads_it(vendor_files):
    assert len(vendor_files) >= 3
    for path in vendor_files:
        ours = read_dose_report(path)
        theirs = dsrdump_totals(path)
        assert theirs, path
        for key, value in theirs.items():
            assert getattr(ours, key) == pytest.approx(value, rel=1e-9), (path.name, key)
        assert ours.irradiation_events > 0 and ours.planes >= 1 and ours.device


def test_a_biplane_report_sums_its_planes(tmp_path):
    from pydicom.dataset import Dataset

    def code(value, scheme, meaning):
        item = Dataset()
        item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
        return item

    def number(concept, meaning, value, unit):
        item = Dataset()
        item.ValueType, item.RelationshipType = "NUM", "CONTAINS"
        item.ConceptNameCodeSequence = [code(concept, "DCM", meaning)]
        measured = Dataset()
        measured.NumericValue = str(value)
        measured.MeasurementUnitsCodeSequence = [code(unit, "UCUM", unit)]
        item.MeasuredValueSequence = [measured]
        return item

    def plane(dap_gym2, dose_gy, seconds):
        container = Dataset()
        container.ValueType, container.RelationshipType = "CONTAINER", "CONTAINS"
        container.ConceptNameCodeSequence = [code("113702", "DCM", "Accumulated X-Ray Dose Data")]
        container.ContentSequence = [number("113722", "Dose Area Product Total", dap_gym2, "Gy.m2"),
                                     number("113725", "Dose (RP) Total", dose_gy, "Gy"),
                                     number("113730", "Total Fluoro Time", seconds, "s")]
        return container

    path = _dose_sr(tmp_path / "biplane.dcm", [plane(0.0120, 0.850, 900), plane(0.0040, 0.350, 300)], code)
    summary = read_dose_report(path)
    assert summary.planes == 2
    assert summary.dap_gycm2 == pytest.approx(160.0) and summary.air_kerma_mgy == pytest.approx(1200.0)
    assert summary.fluoroscopy_min == pytest.approx(20.0)
    assert dsrdump_totals(path) == pytest.approx({"dap_gycm2": 160.0, "air_kerma_mgy": 1200.0,
                                                  "fluoroscopy_min": 20.0})


def _dose_sr(path: Path, content, code) -> Path:
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.88.67"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.Manufacturer, ds.ManufacturerModelName = "SR", "TestVendor", "Biplane"
    ds.PatientName, ds.PatientID, ds.StudyInstanceUID, ds.SeriesInstanceUID = "Test^Biplane", "B1", generate_uid(), \
        generate_uid()
    ds.ValueType, ds.ContinuityOfContent = "CONTAINER", "SEPARATE"
    ds.CompletionFlag, ds.VerificationFlag = "COMPLETE", "UNVERIFIED"
    ds.ConceptNameCodeSequence = [code("113701", "DCM", "X-Ray Radiation Dose Report")]
    ds.ContentSequence = content
    ds.save_as(path, enforce_file_format=True)
    return path


def test_a_file_that_is_no_dose_report_says_so(tmp_path):
    not_dicom = tmp_path / "notes.dcm"
    not_dicom.write_text("not a DICOM file")
    with pytest.raises(DoseFileError, match="is not a DICOM file"):
        read_dose_report(not_dicom)
    from pydicom.dataset import Dataset

    def code(value, scheme, meaning):
        item = Dataset()
        item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
        return item

    other = _dose_sr(tmp_path / "other.dcm", [], code)
    other_ds = __import__("pydicom").dcmread(other)
    other_ds.ConceptNameCodeSequence = [code("18748-4", "LN", "Diagnostic imaging report")]
    other_ds.save_as(other)
    with pytest.raises(DoseFileError, match="not an X-ray radiation dose report"):
        read_dose_report(other)


def test_dose_import_fills_an_unsigned_procedure_and_refuses_a_signed_one(vendor_files, tmp_path, capsys):
    from .signing_support import PASSWORD, signable_logbook

    logbook, _patient, procedure = signable_logbook(tmp_path / "l.sqlite")
    logbook.close()
    path = vendor_files[0]
    expected = read_dose_report(path).form_values()
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(path)]) == 0
    out = capsys.readouterr().out
    assert "not saved" in out and "Dose-area product" in out
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(path), "--save"]) == 0
    from tace_log.storage import Logbook

    with Logbook.open(logbook.path) as book:
        stored = book.get_procedure(procedure.id)
        assert {k: getattr(stored, k) for k in expected} == expected
        assert any(r.reason and path.name in r.reason for r in book.audit.history(procedure.id))
        book.signing.sign(procedure.id, "chen", PASSWORD, acknowledge_warnings=True)
    assert main(["--db", str(logbook.path), "dose-import", procedure.id, str(path), "--save"]) != 0
