"""The JSON interchange format (../shared/interchange-v1.md, -v2.md): read, check, import, export, schema.

Import reads `tace-log/1` and `tace-log/2` (whose patient course is not read yet: refused with its path); export
writes `tace-log/2`, each procedure with its `signature` and `addenda`, and the bytes of the key images its records
name in `key_image_files` (SHA-256 -> base64). Import is all or nothing: every problem in
the document is listed with its path and, if any is an error, nothing is written. Import is idempotent by `id`; a
patient without an `id` is the logbook's patient with the same MRN when there is one, and a procedure without an
`id` that is an exact copy of one of that patient's procedures is that procedure (importing the same id-less file
twice must not double the records). Export writes every key the product knows, `null` for what was not recorded.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Collection
from itertools import accumulate
from pathlib import Path
from typing import Any

from .dictionary import AGENT, PROCEDURE, Entity, Field, FieldType, children, entities
from .envelope import ADDENDUM_KEYS, ENTERED_IN_ERROR_KEYS, KEY_IMAGE_FILES, SIGNATURE_KEYS, check_document
from .errors import InvalidInputError, TaceLogError
from .findings import ERROR, Finding, errors, join
from .key_images import to_base64
from .messages import Message
from .model import SIGNED, Patient, Procedure
from .signing import addendum_document, carried_findings, entered_in_error_document, signature_document
from .storage import Logbook, SignedParts
from .validation import FORMAT, FORMAT_1, FORMATS, Validator


def read_file(path: str | Path) -> Any:
    """Parse a JSON file; a syntax error is reported with its line and column, as a finding."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError([Finding("", ERROR, Message("encoding", path=path, reason=exc.reason))],
                                Message("summary.cannot_read")) from exc
    except OSError as exc:
        raise TaceLogError(Message("error.cannot_read", path=path, reason=exc.strerror or exc)) from exc
    return parse(text, str(path))


MAX_DEPTH = 32  # the format itself nests 7 deep: document, patients, patient, procedures, procedure, agents, agent


def parse(text: str, source: str = "document") -> Any:
    """The document in `text`, or every reason it cannot be read, each with its path: JSON nested deeper than
    `MAX_DEPTH`, a key given twice in one object, a number no field can hold (over 4,300 digits, beyond a float,
    NaN or Infinity). A good document is read once: the hooks only note what they saw, and the document is walked
    to name the paths only when they saw something."""
    too_deep = _too_deep(text)
    if too_deep:
        raise InvalidInputError([too_deep], Message("summary.cannot_read"))
    noted: list[tuple[Any, str]] = []  # (the object or number read, what is wrong with it)

    def pairs(items: list[tuple[str, Any]]) -> dict:
        obj = dict(items)
        if len(obj) < len(items):
            keys = [repr(k) for k, n in Counter(k for k, _ in items).items() if n > 1]
            named = ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
            noted.append((obj, f"has the key {named} more than once: give each key once"))
        return obj

    def number(literal: str, problem: str) -> Any:
        marker = _Unreadable(literal)
        noted.append((marker, f"{marker} {problem}"))
        return marker

    def read_int(literal: str) -> Any:
        try:
            return int(literal)
        except ValueError:  # Python reads at most 4,300 digits (CVE-2020-10735)
            return number(literal, f"has {len(literal.lstrip('-'))} digits: no value has that many")

    def read_float(literal: str) -> Any:
        value = float(literal)
        return value if math.isfinite(value) else number(literal, "is beyond the range of a number")

    try:
        doc = json.loads(text, object_pairs_hook=pairs, parse_int=read_int, parse_float=read_float,
                         parse_constant=lambda literal: number(literal, "is not a number JSON allows"))
    except json.JSONDecodeError as exc:
        raise InvalidInputError([Finding("", ERROR, Message("json", source=source, problem=exc.msg, line=exc.lineno,
                                                            column=exc.colno))],
                                Message("summary.cannot_read")) from exc
    if noted:
        problems = {id(thing): problem for thing, problem in noted}
        raise InvalidInputError([Finding(path, ERROR, Message("unreadable" if path else "unreadable.document",
                                                              problem=problem))
                                 for path, problem in _paths_of(doc, problems)], Message("summary.cannot_read"))
    return doc


class _Unreadable:
    """A number JSON holds and Python cannot: it stands in the parsed document until its path is reported."""

    def __init__(self, literal: str):
        self.literal = literal

    def __str__(self) -> str:
        return self.literal if len(self.literal) <= 20 else self.literal[:17] + "..."


def _paths_of(doc: Any, wanted: dict[int, str]):
    """(path, problem) of each object or number in `wanted` (by id), in document order; walked without recursion."""
    stack = [("", doc)]
    while stack:
        path, node = stack.pop()
        if id(node) in wanted:
            yield path, wanted[id(node)]
        if isinstance(node, dict):
            stack.extend((join(path, key), value) for key, value in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((join(path, i), value) for i, value in reversed(list(enumerate(node))))


# Depth without parsing: escapes and strings removed from the bytes, only brackets are left to count. Fast
# (~40 ms for a 10k-procedure file) because it runs on every import; the path is found only when it is too deep.
_ESCAPE = re.compile(rb'\\[\\"]')  # an escaped backslash or quote, read left to right: in \\" the quote ends a string
_NOT_STRUCTURE = bytes(c for c in range(256) if c not in b'"[]{}')
_STRING = re.compile(rb'"[^"]*"')
_DEPTH_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1, +1, -1, -1 as signed bytes
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]')
_COLON = re.compile(r"\s*:")


def _too_deep(text: str) -> Finding | None:
    data = _ESCAPE.sub(b"", text.encode("utf-8", "surrogatepass"))
    # an adjacent pair of quotes opens and closes a string (or closes one and opens the next): either way the
    # brackets keep their side, inside or outside a string
    skeleton = _STRING.sub(b"", data.translate(None, _NOT_STRUCTURE).replace(b'""', b""))
    if max(accumulate(array("b", skeleton.translate(_DEPTH_STEP))), default=0) <= MAX_DEPTH:
        return None
    members: list[str | int | None] = []  # per open container: the key or index being read
    for token in _TOKEN.finditer(text):
        t = token.group()
        if t in ("[", "{"):
            if len(members) == MAX_DEPTH:
                path = ""
                for member in members:
                    path = join(path, member) if member is not None else path
                line = text.count("\n", 0, token.start()) + 1
                return Finding(path, ERROR, Message("too_deep", depth=MAX_DEPTH, line=line))
            members.append(0 if t == "[" else None)
        elif t in ("]", "}"):
            if members:
                members.pop()
        elif t == "," and members and isinstance(members[-1], int):
            members[-1] += 1
        elif t[0] == '"' and members and not isinstance(members[-1], int) and _COLON.match(text, token.end()):
            try:
                members[-1] = json.loads(t)
            except ValueError:  # a key json would refuse: shown as written
                members[-1] = t[1:-1]
    return None


def check(logbook: Logbook | None, doc: Any, validator: Validator | None = None) -> list[Finding]:
    """Every finding for a document: its own rules and its signatures' hashes, then (if it is valid) conflicts with
    the logbook."""
    validator = validator or (logbook.validator if logbook else Validator())
    findings = check_document(doc, validator)
    findings += carried_findings(doc, findings)
    if logbook is not None and not errors(findings):
        findings += logbook.import_conflicts(doc)
    return findings


def export_patient(patient: Patient, procedures: list[Procedure], signed: dict[str, SignedParts]) -> dict:
    """A patient as tace-log/2 writes it: each procedure with its signature (null for a draft), addenda and
    entered-in-error mark (null while it stands)."""
    doc = patient.to_document()
    doc["procedures"] = []
    for procedure in procedures:
        signature, addenda, mark = signed.get(procedure.id, SignedParts(None, []))
        doc["procedures"].append({
            **procedure.to_document(),
            "signature": signature_document(signature, patient, procedure) if signature else None,
            "addenda": [addendum_document(a) for a in addenda],
            "entered_in_error": entered_in_error_document(mark) if mark else None})
    return doc


def export_document(logbook: Logbook, batch: int = 500, only: Collection[str] | None = None) -> dict:
    """The logbook (or the patients with an id in `only`) as a tace-log/2 document."""
    patients: list[dict] = []
    pending: list[tuple[Patient, list[Procedure]]] = []

    def flush():
        signed = logbook.signing.signed_parts([pr.id for _, procs in pending for pr in procs if pr.status == SIGNED])
        patients.extend(export_patient(p, procs, signed) for p, procs in pending)
        pending.clear()

    images: dict[str, str] = {}
    for patient, procedures in logbook.iter_patients(batch, only):
        pending.append((patient, procedures))
        for image in (i for procedure in procedures for i in procedure.key_images):
            if image.sha256 not in images:
                images[image.sha256] = to_base64(logbook.key_images.data(image.sha256))
        if len(pending) == batch:
            flush()
    flush()
    doc: dict[str, Any] = {"format": FORMAT, "patients": patients}
    if images:
        doc[KEY_IMAGE_FILES] = dict(sorted(images.items()))
    return doc


def write_json(doc: dict, handle) -> None:
    json.dump(doc, handle, ensure_ascii=False, indent=2)
    handle.write("\n")


# -- JSON Schema, generated from the dictionary so it can never disagree with it ------------------------------
_DATE_SCHEMA = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}

def _field_schema(f: Field, validator: Validator) -> dict:
    t = f.type
    base: dict[str, Any]
    if t in (FieldType.TEXT, FieldType.LONG_TEXT):
        base = {"type": "string", "maxLength": f.max_length}
    elif t is FieldType.DATE:
        base = dict(_DATE_SCHEMA)
    elif t is FieldType.TIME:
        base = {"type": "string", "pattern": r"^(?:[01]\d|2[0-3]):[0-5]\d$"}
    elif t is FieldType.INT:
        base = {"type": "integer"}
    elif t is FieldType.NUMBER:
        base = {"type": "number"}
    elif t is FieldType.BOOL:
        base = {"type": "boolean"}
    elif t is FieldType.MULTI_CHOICE:
        base = {"type": "array", "items": {"enum": list(validator.choice_keys(f))}, "uniqueItems": True}
    elif t is FieldType.DATES:
        base = {"type": "array", "items": _DATE_SCHEMA, "uniqueItems": True}
    else:
        keys = validator.choice_keys(f)
        base = {"type": "string", "enum": list(keys)} if keys else {"type": "string"}
    if f.values:
        base["enum"] = list(f.values)
    if f.reject_min is not None:
        base["minimum"] = f.reject_min
    if f.reject_max is not None:
        base["maximum"] = f.reject_max
    if f is AGENT["dose"]:
        base["exclusiveMinimum"] = 0
    schema = {"description": f.en + (f" ({f.unit})" if f.unit else ""), **base}
    if f.required:
        return schema
    return {"anyOf": [schema, {"type": "null"}], "description": schema.pop("description")}


def _object_schema(entity: Entity, validator: Validator, version: int, extra: dict | None = None) -> dict:
    fields = [f for f in entity.fields if f.since <= version]
    properties = {"id": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]}} if entity.own_id else {}
    properties.update({f.key: _field_schema(f, validator) for f in fields})
    properties.update(extra or {})
    return {"type": "object", "title": entity.en, "additionalProperties": False, "properties": properties,
            "required": [f.key for f in fields if f.required]}


_TEXT = {"type": "string", "minLength": 1}
_SIGNED_KEYS = {
    "signer": {"description": "The signer's user name", **_TEXT},
    "signer_name": {"description": "The signer's name as printed", **_TEXT},
    "signer_role": {"description": "The signer's role", "anyOf": [{"type": "string"}, {"type": "null"}]},
    "signed_at": {"description": "When it was signed: ISO 8601 with the zone, as stored (the string the hash "
                                 "covers)", "type": "string", "format": "date-time"},
    "meaning": {"description": "What the signature means", **_TEXT},
    "sha256": {"description": "SHA-256 of the signed content (an addendum: of its own content)", "type": "string",
               "pattern": "^[0-9a-f]{64}$"},
    "content": {"description": "The signed content itself: canonical JSON, as a string (docs/interchange.md)",
                "type": "string"},
    "text": {"description": "The addendum", **_TEXT},
    "reason": {"description": "Why the addendum was written (an entered-in-error mark: why the record is not valid)",
               **_TEXT},
}


def _signed_schema(title: str, keys: tuple[str, ...]) -> dict:
    return {"type": "object", "title": title, "additionalProperties": False,
            "properties": {k: _SIGNED_KEYS[k] for k in keys}, "required": [k for k in keys if k != "signer_role"]}


def json_schema(validator: Validator | None = None, version: str = FORMAT) -> dict:
    """The JSON Schema of `version` (tace-log/2, which export writes, or tace-log/1)."""
    if version not in FORMATS:
        raise ValueError(f"no format {version!r}: {', '.join(FORMATS)}")
    v = validator or Validator()
    nullable_list = lambda ref: {"anyOf": [{"type": "array", "items": {"$ref": ref}}, {"type": "null"}]}  # noqa: E731
    number = version.rsplit("/", 1)[1]
    signed = {} if version == FORMAT_1 else {
        "signature": {"description": "The signature and what it signed (read-only; null for a draft)",
                      "anyOf": [{"$ref": "#/$defs/signature"}, {"type": "null"}]},
        "addenda": {"description": "Signed addenda, oldest first (read-only)", **nullable_list("#/$defs/addendum")},
        "entered_in_error": {"description": "The signed mark that the record was entered in error (read-only; null "
                                            "while the record stands)",
                             "anyOf": [{"$ref": "#/$defs/entered_in_error"}, {"type": "null"}]}}
    definitions = {}
    for entity in entities():  # each declared entity, its parts and standalone children by reference
        if entity.since > int(number):
            continue
        extra = {child.document_key: nullable_list(f"#/$defs/{child.key}") if child.many
                 else {"anyOf": [{"$ref": f"#/$defs/{child.key}"}, {"type": "null"}]} for child in children(entity)
                 if child.since <= int(number)}
        definitions[entity.key] = _object_schema(entity, v, int(number),
                                                 {**extra, **(signed if entity is PROCEDURE else {})})
    if signed:
        definitions.update(signature=_signed_schema("Signature", SIGNATURE_KEYS),
                           addendum=_signed_schema("Addendum", ADDENDUM_KEYS),
                           entered_in_error=_signed_schema("Entered in error", ENTERED_IN_ERROR_KEYS))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://tace-log.invalid/schema/tace-log-{number}.json",
        "title": f"TACE Log interchange format, version {number}",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "patients"],
        "properties": {"format": {"const": version},
                       "patients": {"type": "array", "items": {"$ref": "#/$defs/patient"}},
                       **({} if version == FORMAT_1 else {KEY_IMAGE_FILES: {
                           "description": "The key images' bytes in base64, by the SHA-256 their records name",
                           "type": "object", "propertyNames": {"pattern": "^[0-9a-f]{64}$"},
                           "additionalProperties": {"type": "string", "contentEncoding": "base64"}}})},
        "$defs": definitions,
    }
