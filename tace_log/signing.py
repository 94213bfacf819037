"""What a signature covers, defined once: the canonical content of a signed procedure and its SHA-256.

Canonical content is the compact JSON (keys sorted, UTF-8, no ASCII escaping, separators "," and ":") of
    {"patient": {"id", "mrn", "name", "sex", "birth_date"}, "procedure": <the procedure's tace-log/1 document>}
Values not recorded (null, empty lists) are left out, so a field added to the dictionary later leaves old
signatures intact. The procedure document holds every clinical field, its agents and complications, and its id;
the patient's identifying fields tie the record to the person (locked while the patient has a signed procedure).
An addendum's content is the same JSON form of its procedure id, the procedure's signed hash, text, reason,
author and time.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .dictionary import PROCEDURE
from .findings import ERROR, Finding, join
from .model import Patient, Procedure

if TYPE_CHECKING:
    from .validation import Validator

# The signer reviews and signs; who performed the procedure is its operator. Signatures made before the report
# printed the operator apart say "performed and reviewed by", and keep saying it.
MEANING = "reviewed and signed by"
ADDENDUM_MEANING = "addendum written and signed by"
IDENTIFYING = ("id", "mrn", "name", "sex", "birth_date")


def _recorded(value):
    """The value without what was not recorded (null, empty lists), at every depth: a field the dictionary gains
    later is null in every old record, and must not change the hash of what was signed before it existed."""
    if isinstance(value, dict):
        return {k: _recorded(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_recorded(v) for v in value]
    return value


def _canonical(doc: dict) -> bytes:
    return json.dumps(_recorded(doc), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def canonical_content(patient: Patient, procedure: Procedure) -> bytes:
    person = patient.to_document()
    return _canonical({"patient": {k: person[k] for k in IDENTIFYING}, "procedure": procedure.to_document()})


def _sha256(data: bytes) -> str:
    import hashlib  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)

    return hashlib.sha256(data).hexdigest()


def content_sha256(patient: Patient, procedure: Procedure) -> str:
    return _sha256(canonical_content(patient, procedure))


def addendum_sha256(procedure_id: str, procedure_sha256: str, text: str, reason: str, username: str,
                    created_at: str) -> str:
    return _sha256(_canonical({
        "procedure_id": procedure_id, "procedure_sha256": procedure_sha256, "text": text, "reason": reason,
        "username": username, "created_at": created_at}))


def signing_findings(validator: Validator, patient: Patient, procedure: Procedure) -> list[Finding]:
    """Everything validation says about a procedure, plus the fields a draft may leave blank but a signed
    record may not (`required_to_sign` in the dictionary)."""
    findings = validator.procedure(procedure.to_document(), patient.to_document())
    for f in PROCEDURE.fields:
        if f.required_to_sign and getattr(procedure, f.key) in (None, "", []):
            findings.append(Finding(join("", f.key), ERROR, "required_to_sign", "is required before signing"))
    return findings
