"""The `tace-log/1` JSON interchange format (../shared/interchange-v1.md): read, check, import, export, schema.

Import is all or nothing: every problem in the document is listed with its path and, if any is an error,
nothing is written. Import is idempotent by `id`; a patient without an `id` is the logbook's patient with the
same MRN when there is one, and a procedure without an `id` that is an exact copy of one of that patient's
procedures is that procedure (importing the same id-less file twice must not double the records).
Export writes every key the product knows, `null` for what was not recorded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .dictionary import AGENT, COMPLICATION, PATHOLOGY, PATIENT, PROCEDURE, Entity, Field, FieldType
from .errors import InvalidInputError, TaceLogError
from .findings import ERROR, Finding, errors
from .model import Patient, Procedure
from .storage import Logbook
from .validation import FORMAT, Validator


def read_file(path: str | Path) -> Any:
    """Parse a JSON file; a syntax error is reported with its line and column, as a finding."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError([Finding("", ERROR, "encoding", f"{path} is not UTF-8 text ({exc.reason})")],
                                "cannot read the file") from exc
    except OSError as exc:
        raise TaceLogError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return parse(text, str(path))


def parse(text: str, source: str = "document") -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError([Finding("", ERROR, "json", f"{source} is not valid JSON: {exc.msg} at line "
                                                            f"{exc.lineno}, column {exc.colno}")],
                                "cannot read the file") from exc


def check(logbook: Logbook | None, doc: Any, validator: Validator | None = None) -> list[Finding]:
    """Every finding for a document: its own rules, then (if it is valid) conflicts with the logbook."""
    validator = validator or (logbook.validator if logbook else Validator())
    findings = validator.document(doc)
    if logbook is not None and not errors(findings):
        findings += logbook.import_conflicts(doc)
    return findings


def export_patient(patient: Patient, procedures: list[Procedure]) -> dict:
    doc = patient.to_document()
    doc["procedures"] = [p.to_document() for p in procedures]
    return doc


def export_document(logbook: Logbook) -> dict:
    return {"format": FORMAT, "patients": [export_patient(p, procs) for p, procs in logbook.iter_patients()]}


def write_json(doc: dict, handle) -> None:
    json.dump(doc, handle, ensure_ascii=False, indent=2)
    handle.write("\n")


# -- JSON Schema, generated from the dictionary so it can never disagree with it ------------------------------
def _field_schema(f: Field, validator: Validator) -> dict:
    t = f.type
    if t in (FieldType.TEXT, FieldType.LONG_TEXT):
        base = {"type": "string", "maxLength": f.max_length}
    elif t is FieldType.DATE:
        base = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
    elif t is FieldType.INT:
        base = {"type": "integer"}
    elif t is FieldType.NUMBER:
        base = {"type": "number"}
    elif t is FieldType.BOOL:
        base = {"type": "boolean"}
    elif t is FieldType.MULTI_CHOICE:
        base = {"type": "array", "items": {"enum": list(f.choice_keys)}, "uniqueItems": True}
    else:
        keys = validator.choice_keys(f) or (validator.protocol.arm_keys if f is PATIENT["arm"] else ())
        base = {"type": "string", "enum": list(keys)} if keys else {"type": "string"}
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


def _object_schema(entity: Entity, validator: Validator, extra: dict | None = None, with_id: bool = False) -> dict:
    properties = {"id": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]}} if with_id else {}
    properties.update({f.key: _field_schema(f, validator) for f in entity.fields})
    properties.update(extra or {})
    return {"type": "object", "title": entity.en, "additionalProperties": False, "properties": properties,
            "required": [f.key for f in entity.fields if f.required]}


def json_schema(validator: Validator | None = None) -> dict:
    v = validator or Validator()
    nullable_list = lambda ref: {"anyOf": [{"type": "array", "items": {"$ref": ref}}, {"type": "null"}]}  # noqa: E731
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://tace-log.invalid/schema/tace-log-1.json",
        "title": "TACE Log interchange format, version 1",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "patients"],
        "properties": {"format": {"const": FORMAT},
                       "patients": {"type": "array", "items": {"$ref": "#/$defs/patient"}}},
        "$defs": {
            "patient": _object_schema(PATIENT, v, {
                "pathology": {"anyOf": [{"$ref": "#/$defs/pathology"}, {"type": "null"}]},
                "procedures": nullable_list("#/$defs/procedure")}, with_id=True),
            "pathology": _object_schema(PATHOLOGY, v),
            "procedure": _object_schema(PROCEDURE, v, {
                "agents": nullable_list("#/$defs/agent"),
                "complications": nullable_list("#/$defs/complication")}, with_id=True),
            "agent": _object_schema(AGENT, v),
            "complication": _object_schema(COMPLICATION, v),
        },
    }
