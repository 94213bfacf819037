"""Reports from a logbook, and writing them to files: atomic, named without the patient's name."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..errors import RecordNotFoundError
from ..files import atomic_file
from ..model import Signature
from ..settings import ReportSettings, load_report_settings
from .procedure import build_report


def procedure_report(logbook, procedure_id: str, settings: ReportSettings | None = None) -> bytes:
    """The report of a stored procedure, with its signature and addenda as stored and each signer's role;
    settings default to the file beside the logbook."""
    procedure = logbook.get_procedure(procedure_id)
    patient = logbook.get_patient(procedure.patient_id)
    addenda = [replace(a, signature=_with_role(logbook, a.signature)) for a in logbook.addenda_of(procedure_id)]
    return build_report(patient, procedure, _with_role(logbook, logbook.signature_of(procedure_id)), addenda,
                        settings if settings is not None else load_report_settings(logbook.path))


def _with_role(logbook, signature: Signature | None) -> Signature | None:
    """The signature with its signer's role, from this logbook's users (a signer it does not know has none)."""
    if signature is None or signature.role:
        return signature
    try:
        return replace(signature, role=logbook.get_user(signature.username).role)
    except RecordNotFoundError:
        return signature


def safe_file_part(text: str, fallback: str) -> str:
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
