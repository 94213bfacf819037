"""The radiation dose the X-ray system already knows: a DICOM X-Ray Radiation Dose SR (TID 10001) read into the
procedure's dose fields (the totals, their fluoroscopy and acquisition parts, the number of events), so the
radiologist does not type them.

Read from the "Accumulated X-Ray Dose Data" containers (TID 10002), summed over the planes of a biplane system:
Dose Area Product Total (DCM 113722), Dose (RP) Total (113725, the reference air kerma), Total Fluoro Time
(113730), Fluoro and Acquisition Dose Area Product Totals (113726, 113727); and the number of irradiation events
(113706 containers). Units are read from each value (UCUM, spelled differently by vendors: "Gy.m2", "Gym2") and
converted to the dictionary's: DAP in Gy·cm² (1 Gy·m² = 10,000 Gy·cm²), air kerma in mGy, time in minutes.
pydicom is loaded only when a file is read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import TaceLogError
from .messages import Listing, Message

DOSE_REPORT = "113701"  # X-Ray Radiation Dose Report: the document's root
ACCUMULATED = "113702"  # Accumulated X-Ray Dose Data
EVENT = "113706"  # Irradiation Event X-Ray Data
TOTALS = {"113722": "dap", "113725": "air_kerma", "113730": "fluoroscopy", "113726": "fluoro_dap",
          "113727": "acquisition_dap"}
# Each unit spelling, made plain (lower case, no dots, spaces, carets or stars), by what converts it.
_AREA_DOSE = {"gym2": 1e4, "dgym2": 1e3, "cgym2": 1e2, "mgym2": 10.0, "ugym2": 1e-2, "gycm2": 1.0,
              "dgycm2": 0.1, "cgycm2": 0.01, "mgycm2": 1e-3, "ugycm2": 1e-6}
_DOSE = {"gy": 1e3, "dgy": 1e2, "cgy": 10.0, "mgy": 1.0, "ugy": 1e-3}
_TIME = {"s": 1 / 60, "sec": 1 / 60, "min": 1.0, "ms": 1 / 60000, "h": 60.0}
CONVERSIONS = {"dap": _AREA_DOSE, "fluoro_dap": _AREA_DOSE, "acquisition_dap": _AREA_DOSE, "air_kerma": _DOSE,
               "fluoroscopy": _TIME}


class DoseFileError(TaceLogError):
    """A file that is not an X-ray radiation dose report TACE Log can read; the message says why."""


@dataclass(frozen=True)
class DoseSummary:
    """What a dose report says of the whole study, in the dictionary's units; None where it does not say."""

    dap_gycm2: float | None
    air_kerma_mgy: float | None
    fluoroscopy_min: float | None
    fluoro_dap_gycm2: float | None
    acquisition_dap_gycm2: float | None
    irradiation_events: int
    planes: int
    device: str
    patient_id: str  # the file's Patient ID ("" when it has none)
    study_date: dt.date | None

    def form_values(self) -> dict[str, float | int]:
        """The procedure fields it fills (rounded as a person would type them)."""
        values = {"fluoroscopy_min": self.fluoroscopy_min, "dap_gycm2": self.dap_gycm2,
                  "air_kerma_mgy": self.air_kerma_mgy, "fluoro_dap_gycm2": self.fluoro_dap_gycm2,
                  "acquisition_dap_gycm2": self.acquisition_dap_gycm2}
        out: dict[str, float | int] = {key: round(value, 2) for key, value in values.items() if value is not None}
        if self.irradiation_events:  # a report listing no event does not say there were none
            out["irradiation_events"] = self.irradiation_events
        return out

    def other_procedure(self, path: str | Path, mrn: str | None, date: dt.date | None) -> Message | None:
        """What says the file may be another patient's or another day's dose report: its patient ID not the patient's
        MRN, its study date not the procedure's date (each compared when both are known); None when nothing does."""
        differences = []
        if self.patient_id and mrn and self.patient_id.casefold() != mrn.strip().casefold():
            differences.append(Message("dose.patient_id", file_id=self.patient_id, mrn=mrn.strip()))
        if self.study_date and date and self.study_date != date:
            differences.append(Message("dose.study_date", file_date=self.study_date.isoformat(),
                                       date=date.isoformat()))
        return Message("dose.other_procedure", path=path, differences=Listing(differences)) if differences else None


def _plain(unit: str) -> str:
    return re.sub(r"[\s.*^·]", "", unit).replace("²", "2").replace("μ", "u").replace("µ", "u").lower()


def _code(item, attribute: str = "ConceptNameCodeSequence") -> str | None:
    sequence = getattr(item, attribute, None)
    return str(sequence[0].CodeValue) if sequence else None


def read_dose_report(path: str | Path) -> DoseSummary:
    """The dose report in a DICOM file, or DoseFileError saying why it cannot be read as one."""
    import pydicom  # loaded on first use: only a dose import needs it
    from pydicom.errors import InvalidDicomError

    try:
        ds = pydicom.dcmread(path)
    except (InvalidDicomError, OSError, ValueError) as exc:
        raise DoseFileError(Message("dose.not_dicom", path=path, reason=exc)) from exc
    if _code(ds) != DOSE_REPORT:
        raise DoseFileError(Message("dose.not_dose_report", path=path,
                                    kind=str(getattr(ds, "SOPClassUID", "?"))))
    totals: dict[str, float] = {}
    planes = events = 0
    stack = list(getattr(ds, "ContentSequence", []))
    while stack:
        item = stack.pop()
        code = _code(item)
        if code == ACCUMULATED:
            planes += 1
            for value in getattr(item, "ContentSequence", []):
                name = TOTALS.get(_code(value) or "")
                if name and getattr(value, "ValueType", "") == "NUM" and getattr(value, "MeasuredValueSequence", None):
                    totals[name] = totals.get(name, 0.0) + _converted(name, value.MeasuredValueSequence[0], path)
            continue
        if code == EVENT:  # an event's own items (its DAP, its geometry) are not needed: only the totals
            events += 1
            continue
        stack.extend(getattr(item, "ContentSequence", []))
    if not planes:
        raise DoseFileError(Message("dose.no_totals", path=path))
    device = " ".join(str(getattr(ds, key, "")) for key in ("Manufacturer", "ManufacturerModelName")).strip()
    return DoseSummary(totals.get("dap"), totals.get("air_kerma"), totals.get("fluoroscopy"),
                       totals.get("fluoro_dap"), totals.get("acquisition_dap"), events, planes, device,
                       str(getattr(ds, "PatientID", "") or "").strip(), _study_date(ds))


def _study_date(ds) -> dt.date | None:
    """The study's date (DICOM DA, YYYYMMDD), or None when the file has none that is a date."""
    try:
        return dt.datetime.strptime(str(getattr(ds, "StudyDate", "") or "").strip(), "%Y%m%d").date()
    except ValueError:
        return None


def _converted(name: str, measured, path) -> float:
    unit = str(measured.MeasurementUnitsCodeSequence[0].CodeValue) if getattr(
        measured, "MeasurementUnitsCodeSequence", None) else ""
    factor = CONVERSIONS[name].get(_plain(unit))
    if factor is None:
        raise DoseFileError(Message("dose.unit", path=path, unit=unit or "?", value=name))
    return float(measured.NumericValue) * factor
