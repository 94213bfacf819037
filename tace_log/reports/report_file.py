"""A stored procedure's report as a file: built from the logbook, named without the name, written atomically."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ..files import atomic_file
from ..settings import ReportSettings, load_report_settings
from .procedure import build_report


def procedure_report(logbook, procedure_id: str, settings: ReportSettings | None = None,
                     language: str = "en") -> bytes:
    """The report of a stored procedure with its addenda; settings default to the file beside the logbook, and
    its labels are in `language` (the reader's) unless the settings fix one for the site. A signed one is printed
    from what was signed (its signed content, when its signature holds), its signature recomputed: whether it
    holds, what it covers, and each patient value changed since signing; with its key images."""
    procedure = logbook.get_procedure(procedure_id)
    patient = logbook.get_patient(procedure.patient_id)
    check = logbook.signing.check(procedure_id)
    if check is not None and check.signed_procedure is not None:
        patient, procedure = check.signed_patient, check.signed_procedure
    settings = settings if settings is not None else load_report_settings(logbook.path)
    if settings.language is None:
        settings = dataclasses.replace(settings, language=language)
    return build_report(patient, procedure, check.signature if check else None,
                        logbook.signing.addenda_of(procedure_id), settings,
                        protocol=logbook.protocol, check=check,  # a site's arm by its name
                        entered_in_error=logbook.signing.entered_in_error_of(procedure_id),
                        images=key_image_bytes(logbook, procedure))


def key_image_bytes(logbook, procedure) -> dict[str, bytes]:
    """The bytes of a procedure's key images that still hash to what the record names (the others the report
    says it cannot print)."""
    changed = logbook.key_images.changed(i.sha256 for i in procedure.key_images)
    return {i.sha256: logbook.key_images.data(i.sha256) for i in procedure.key_images if i.sha256 not in changed}


def safe_file_part(text: str | None, fallback: str) -> str:
    """Text fit for a file name on any system: letters, digits, '-', '_' and '.' only, no leading dot."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text or "").strip("._")
    return cleaned[:40] or fallback


def report_file_name(date: str | None, mrn: str | None, procedure_id: str) -> str:
    """'2026-03-14_MRN_<record id>.pdf': date, MRN and record id, never the patient's name."""
    return f"{date or 'undated'}_{safe_file_part(mrn, 'no-mrn')}_{procedure_id}.pdf"


def write_pdf(path: str | Path, data: bytes) -> Path:
    """Write a PDF so that a half-written report never takes the real name."""
    with atomic_file(path, "wb") as out:
        out.write(data)
    return Path(path)
