"""What a de-identified export leaves out and what it puts instead (docs/exports.md).

Left out: the fields that name the person (`Field.personal`: name, MRN, birth date), free text (`Field.free_text`)
unless asked for, the audit trail and the signatures (they carry real times, staff names and the signed content).
Put instead: the patient's id becomes the study id, or with a site secret a keyed hash of the id; the birth date
becomes the age at resection; each date becomes its day offset from resection, or with the secret, the date shifted
by a per-patient number of days derived from it. The secret never leaves the site: who holds it can re-identify,
nobody else can.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from ..errors import TaceLogError
from ..files import raw_access
from ..messages import Message
from ..model import Patient

MAX_SHIFT_DAYS = 182  # dates move by up to half a year either way: intervals stay, the calendar does not


@dataclass(frozen=True)
class Deidentification:
    """How to de-identify: a site secret (keyed pseudonyms, date shifts), whether to shift dates, whether to keep
    free text."""

    secret: bytes | None = None
    shift_dates: bool = False
    free_text: bool = False

    def __post_init__(self):
        if self.shift_dates and not self.secret:
            raise TaceLogError(Message("error.shift_needs_secret"))

    @classmethod
    def with_secret_file(cls, path: str | Path | None, **options) -> Deidentification:
        if path is None:
            return cls(**options)
        try:
            secret = raw_access(path).read_bytes().strip()  # a mistyped path may name the logbook
        except OSError as exc:
            raise TaceLogError(Message("error.cannot_read", path=path, reason=exc.strerror or exc)) from exc
        if len(secret) < 16:
            raise TaceLogError(Message("error.secret_too_short", path=path, length=16))
        return cls(secret=secret, **options)

    def _keyed(self, purpose: str, patient_id: str) -> bytes:
        assert self.secret is not None
        return hmac.new(self.secret, f"{purpose}:{patient_id}".encode(), hashlib.sha256).digest()

    def pseudonym(self, patient: Patient) -> str:
        """What names the patient in the export: a keyed hash of its id with a secret, else its study id."""
        if self.secret:
            return "P-" + self._keyed("patient", patient.id).hex()[:20]
        if not patient.study_id:
            raise TaceLogError(Message("error.no_study_id", id=patient.id))
        return str(patient.study_id)

    def shift(self, patient_id: str) -> int:
        """The days this patient's dates move by: the same in every export made with the same secret, never 0."""
        n = int.from_bytes(self._keyed("date-shift", patient_id)[:4], "big") % (2 * MAX_SHIFT_DAYS)
        return n - MAX_SHIFT_DAYS if n < MAX_SHIFT_DAYS else n - MAX_SHIFT_DAYS + 1
