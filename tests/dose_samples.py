"""X-ray radiation dose reports (RDSR, TID 10001) built with pydicom for the dose import's tests: each plane's
accumulated totals, irradiation events, and the patient and study date the file says it is of."""

from __future__ import annotations

from pathlib import Path

from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

DOSE_REPORT = ("113701", "DCM", "X-Ray Radiation Dose Report")


def code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


def number(concept: str, meaning: str, value: float, unit: str) -> Dataset:
    item = Dataset()
    item.ValueType, item.RelationshipType = "NUM", "CONTAINS"
    item.ConceptNameCodeSequence = [code(concept, "DCM", meaning)]
    measured = Dataset()
    measured.NumericValue = str(value)
    measured.MeasurementUnitsCodeSequence = [code(unit, "UCUM", unit)]
    item.MeasuredValueSequence = [measured]
    return item


def plane(dap_gym2: float, fluoro_gym2: float, dose_gy: float, seconds: float) -> Dataset:
    """One plane's Accumulated X-Ray Dose Data: its DAP (the acquisition part is the rest), air kerma, time."""
    container = Dataset()
    container.ValueType, container.RelationshipType = "CONTAINER", "CONTAINS"
    container.ConceptNameCodeSequence = [code("113702", "DCM", "Accumulated X-Ray Dose Data")]
    container.ContentSequence = [number("113722", "Dose Area Product Total", dap_gym2, "Gy.m2"),
                                 number("113726", "Fluoro Dose Area Product Total", fluoro_gym2, "Gy.m2"),
                                 number("113727", "Acquisition Dose Area Product Total",
                                        round(dap_gym2 - fluoro_gym2, 6), "Gy.m2"),
                                 number("113725", "Dose (RP) Total", dose_gy, "Gy"),
                                 number("113730", "Total Fluoro Time", seconds, "s")]
    return container


def event(dap_gym2: float) -> Dataset:
    """One Irradiation Event X-Ray Data container, with its own DAP."""
    container = Dataset()
    container.ValueType, container.RelationshipType = "CONTAINER", "CONTAINS"
    container.ConceptNameCodeSequence = [code("113706", "DCM", "Irradiation Event X-Ray Data")]
    container.ContentSequence = [number("122130", "Dose Area Product", dap_gym2, "Gy.m2")]
    return container


def dose_report(path: Path, content: list[Dataset], *, patient_id: str = "B1", study_date: str | None = None,
                concept: tuple[str, str, str] = DOSE_REPORT) -> Path:
    """A DICOM SR file at `path` holding `content`, of the patient `patient_id` on `study_date` (YYYYMMDD)."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.88.67"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.Manufacturer, ds.ManufacturerModelName = "SR", "TestVendor", "Biplane"
    ds.PatientName, ds.PatientID = "Test^Biplane", patient_id
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    if study_date is not None:
        ds.StudyDate = study_date
    ds.ValueType, ds.ContinuityOfContent = "CONTAINER", "SEPARATE"
    ds.CompletionFlag, ds.VerificationFlag = "COMPLETE", "UNVERIFIED"
    ds.ConceptNameCodeSequence = [code(*concept)]
    ds.ContentSequence = content
    ds.save_as(path, enforce_file_format=True)
    return path
