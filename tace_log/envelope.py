"""A tace-log document's envelope: its format, its list of patients, what must be unique across it (each MRN, each
id), and the form of the signature and addenda each procedure carries (tace-log/2). Each patient's record in it is
the Validator's to check; whether the carried hashes hold is signing's (`signing.carried_findings`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .dictionary import PATIENT, PROCEDURE, Entity, children
from .findings import ERROR, WARNING, Finding, join
from .key_images import KeyImageError, from_base64
from .messages import Message
from .model import canonical_id, stored_text
from .validation import FORMAT, FORMAT_1, FORMATS, SURROGATE, TRAVELLING_KEYS, Validator, is_uuid, shown

# The keys a signature and an addendum travel with in a procedure of a tace-log/2 document (read-only there).
SIGNATURE_KEYS = ("signer", "signer_name", "signer_role", "signed_at", "meaning", "sha256", "content")
ADDENDUM_KEYS = ("text", "reason", "signer", "signer_name", "signed_at", "sha256")
ENTERED_IN_ERROR_KEYS = ("reason", "signer", "signer_name", "signed_at", "sha256")
KEY_IMAGE_FILES = "key_image_files"  # tace-log/2's top-level map of the images its key images name
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def check_document(doc: Any, validator: Validator) -> list[Finding]:
    """Every finding about a document: its envelope's, and each patient's record by the validator's rules."""
    out: list[Finding] = []
    if not isinstance(doc, dict):
        return [Finding("", ERROR, Message("type.document"))]
    version = doc.get("format")
    for key in doc:
        if key not in ("format", "patients") and not (key == KEY_IMAGE_FILES and version != FORMAT_1):
            out.append(Finding(join("", key), ERROR, Message("unknown_key", key=shown(key))))
    if version not in FORMATS:
        out.append(Finding("format", ERROR, Message("format", first=repr(FORMAT_1), second=repr(FORMAT),
                                                    found=shown(version))))
    patients = doc.get("patients")
    if not isinstance(patients, list):
        out.append(Finding("patients", ERROR, Message("type.patients")))
        return out
    seen_mrn: dict[str, int] = {}
    seen_ids: dict[str, tuple] = {}  # where each id was first: patient (i,) or record (i, list, j)
    mrn_field = PATIENT["mrn"]
    for i, patient in enumerate(patients):
        path = join("patients", i)
        out += validator.patient(patient, path, stored_procedures=False)
        if not isinstance(patient, dict):
            continue
        if version == FORMAT_1:
            out += _later_keys(PATIENT, patient, path)
        else:
            out += _travelling(patient, path)
        mrn = patient.get("mrn")
        if isinstance(mrn, str) and mrn.strip():
            mrn = stored_text(mrn_field, mrn)  # the MRN as the logbook would hold it
            if mrn in seen_mrn:
                out.append(Finding(join(path, "mrn"), ERROR, Message("duplicate_mrn", mrn=repr(mrn),
                                                                     index=seen_mrn[mrn])))
            seen_mrn.setdefault(mrn, i)
        for where, record_id in _ids(patient, i):
            if record_id in seen_ids:
                out.append(Finding(_id_path(where), ERROR,
                                   Message("duplicate_id", other=_id_path(seen_ids[record_id]))))
            seen_ids.setdefault(record_id, where)
    return out + (_key_image_files(doc) if KEY_IMAGE_FILES in doc and version != FORMAT_1 else [])


def _key_image_files(doc: dict) -> list[Finding]:
    """The images a document carries: each under the SHA-256 of its bytes, a PNG or JPEG that decodes, named by a
    key image of the document (an image no record names is said, and stored all the same: nothing is lost)."""
    files = doc[KEY_IMAGE_FILES]
    if not isinstance(files, dict):
        return [Finding(KEY_IMAGE_FILES, ERROR, Message("type.key_image_files"))]
    named = {image.get("sha256") for patient in doc["patients"] if isinstance(patient, dict)
             for proc in patient.get("procedures") or [] if isinstance(proc, dict)
             for image in proc.get("key_images") or [] if isinstance(image, dict)}
    out = []
    for sha256, text in files.items():
        path = join(KEY_IMAGE_FILES, sha256)
        if not _SHA256.fullmatch(sha256):
            out.append(Finding(path, ERROR, Message("type.sha256")))
        elif not isinstance(text, str):
            out.append(Finding(path, ERROR, Message("type.base64")))
        else:
            try:
                from_base64(sha256, text)
            except KeyImageError as exc:
                said = exc.said
                out.append(Finding(path, ERROR, said))
            else:
                if sha256 not in named:
                    out.append(Finding(path, WARNING, Message("key_image.unreferenced")))
    return out

def _later_keys(entity: Entity, doc: dict, path: str) -> list[Finding]:
    """The keys of a later format (tace-log/2: the course, a signature) in a tace-log/1 document's record."""
    later = [key for key in doc if key in _since_2(entity)]
    out = [Finding(join(path, key), ERROR, Message("unknown_key.format_2", format=FORMAT, found=repr(FORMAT_1)))
           for key in later]
    for child in children(entity):
        value = doc.get(child.document_key)
        if child.document_key in later:
            continue
        for where, record in ([(join(path, child.document_key), value)] if isinstance(value, dict) else
                              [(join(join(path, child.document_key), i), r) for i, r in enumerate(value)
                               if isinstance(r, dict)] if isinstance(value, list) else []):
            out += _later_keys(child, record, where)
    return out


def _since_2(entity: Entity) -> frozenset[str]:
    return frozenset([*(f.key for f in entity.fields if f.since > 1),
                      *(c.document_key for c in children(entity) if c.since > 1),
                      *(TRAVELLING_KEYS if entity is PROCEDURE else ())])


def _travelling(patient: dict, path: str) -> list[Finding]:
    """The form of the signature, addenda and entered-in-error mark each procedure of a patient carries
    (tace-log/2 only); whether their hashes hold is checked above the rules (`signing.carried_findings`)."""
    out: list[Finding] = []
    procedures = patient.get("procedures")
    for j, proc in enumerate(procedures if isinstance(procedures, list) else []):
        if not isinstance(proc, dict) or not any(key in proc for key in TRAVELLING_KEYS):
            continue
        ppath = join(join(path, "procedures"), j)
        problems = _signature_form(proc.get("signature"), join(ppath, "signature"))
        addenda = proc.get("addenda")
        apath = join(ppath, "addenda")
        if not isinstance(addenda, (list, type(None))):
            problems.append(Finding(apath, ERROR, Message("type.addenda")))
        elif addenda and proc.get("signature") is None:
            problems.append(Finding(apath, ERROR, Message("addenda_unsigned")))
        else:
            seen: dict[str, int] = {}
            for k, addendum in enumerate(addenda or []):
                problems += _signed_form(addendum, ADDENDUM_KEYS, join(apath, k), "type.addendum")
                digest = addendum.get("sha256") if isinstance(addendum, dict) else None
                if isinstance(digest, str):
                    if digest in seen:
                        problems.append(Finding(join(join(apath, k), "sha256"), ERROR,
                                                Message("duplicate_addendum", index=seen[digest])))
                    seen.setdefault(digest, k)
        mark, mpath = proc.get("entered_in_error"), join(ppath, "entered_in_error")
        if mark is not None and proc.get("signature") is None:
            problems.append(Finding(mpath, ERROR, Message("entered_in_error_unsigned")))
        elif mark is not None:
            problems += _signed_form(mark, ENTERED_IN_ERROR_KEYS, mpath, "type.entered_in_error")
        out += problems
    return out

def _signature_form(signature: Any, path: str) -> list[Finding]:
    if signature is None:
        return []
    return _signed_form(signature, SIGNATURE_KEYS, path, "type.signature")

def _signed_form(doc: Any, keys: tuple[str, ...], path: str, not_object: str) -> list[Finding]:
    """The keys and types of a signature or an addendum as a document carries them."""
    if not isinstance(doc, dict):
        return [Finding(path, ERROR, Message(not_object))]
    out = [Finding(join(path, key), ERROR, Message("unknown_key", key=shown(key)))
           for key in doc if key not in keys]
    for key in keys:
        value, where = doc.get(key), join(path, key)
        if value is None:
            if key != "signer_role":  # a signer's role may be unknown
                out.append(Finding(where, ERROR, Message("required")))
        elif not isinstance(value, str) or (not value.strip() and key != "signer_role"):
            out.append(Finding(where, ERROR, Message("type.blank_text")))
        elif SURROGATE.search(value):
            out.append(Finding(where, ERROR, Message("not_text.half")))
        elif key == "sha256" and not _SHA256.fullmatch(value):
            out.append(Finding(where, ERROR, Message("type.sha256")))
        elif key == "signed_at" and not _timestamp(value):
            out.append(Finding(where, ERROR, Message("type.timestamp")))
    return out

def _ids(patient: dict, i: int):
    """Each UUID of patient i and of its records with ids of their own (procedures, labs, adverse events...), in
    its one spelling, with where it is (see _id_path)."""
    if is_uuid(patient.get("id")):
        yield (i,), _canonical(patient["id"])
    for key in (c.document_key for c in children(PATIENT) if c.many and c.own_id):
        rows = patient.get(key)
        for j, row in enumerate(rows if isinstance(rows, list) else []):
            if isinstance(row, dict) and is_uuid(row.get("id")):
                yield (i, key, j), _canonical(row["id"])


def _timestamp(value: str) -> bool:
    """An ISO 8601 time with its zone ('2026-03-14T11:00:05Z', '...+08:00')."""
    try:
        return dt.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _canonical(value: str) -> str:
    """canonical_id of a UUID, without parsing one already in that spelling (an export's, nearly always)."""
    return value if _CANONICAL_UUID.fullmatch(value) else canonical_id(value)


def _id_path(where: tuple) -> str:
    """The path of the id of patient i, (i,), or of record j of its list `key`, (i, key, j): built only for a
    finding."""
    if len(where) == 1:
        return f"patients[{where[0]}].id"
    return f"patients[{where[0]}].{where[1]}[{where[2]}].id"
