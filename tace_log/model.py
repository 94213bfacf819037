"""Plain record classes (Patient, Pathology, Procedure, AgentDose, Complication), built from the dictionary.

The classes are generated from the dictionary's entities so a clinical field exists in one place only. Values are
Python values (dates are `datetime.date`, a multi-choice is a list); documents are the JSON shapes of the
interchange format (dates are 'YYYY-MM-DD'). No I/O here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, make_dataclass
from typing import Any

from .dictionary import AGENT, COMPLICATION, PATHOLOGY, PATIENT, PROCEDURE, Entity, Field, FieldType

DRAFT = "draft"
SIGNED = "signed"


def new_id() -> str:
    import uuid  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)

    return str(uuid.uuid4())


def canonical_id(value: str | None) -> str | None:
    """A UUID in its one spelling (lowercase, hyphenated), so 'ABC…' and '{abc…}' are the same record."""
    import uuid  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)

    return str(uuid.UUID(value)) if value else None


def stored_text(f: Field, value: str) -> str:
    """Single-line text as it is stored: without spaces around it ("HS-7 " is the MRN HS-7) and, for an
    identifier, in Unicode NFKC, so a composed and a decomposed "é", or "ＨＳ－７" typed in a Chinese input
    method's full-width mode and "HS-7", are one MRN, not two look-alike patients."""
    value = value.strip()
    if f.identifier and not value.isascii():
        import unicodedata  # loaded on first use, not at start-up (as uuid)

        return unicodedata.normalize("NFKC", value).strip()
    return value


def _value_to_document(ftype: FieldType, value: Any) -> Any:
    if value is None:
        return None
    if ftype is FieldType.DATE:
        return value.isoformat()
    if ftype is FieldType.MULTI_CHOICE:
        return list(value)
    return value


def _value_from_document(f: Field, value: Any) -> Any:
    ftype = f.type
    if value is None:
        return [] if ftype is FieldType.MULTI_CHOICE else None
    if ftype is FieldType.TEXT:
        return stored_text(f, value)
    if ftype is FieldType.DATE:
        return dt.date.fromisoformat(value)
    if ftype is FieldType.MULTI_CHOICE:
        return list(value)
    if ftype is FieldType.NUMBER and isinstance(value, float) and value.is_integer():
        return int(value)  # 64.0 and 64 are the same weight; keep one spelling so exports round-trip
    return value


def _entity_fields(entity: Entity) -> list[tuple]:
    out = []
    for f in entity.fields:
        if f.type is FieldType.MULTI_CHOICE:
            out.append((f.key, list, field(default_factory=list)))
        else:
            out.append((f.key, Any, field(default=None)))
    return out


class _Record:
    """Conversions shared by every record class; `ENTITY` and `CHILD_CLASSES` are set per class."""

    ENTITY: Entity
    CHILD_CLASSES: dict[str, tuple[type, bool]] = {}  # key -> (class, is_list)

    def field_document(self) -> dict:
        """This record's own fields (no id, no children) in document form."""
        return {f.key: _value_to_document(f.type, getattr(self, f.key)) for f in self.ENTITY.fields}

    @classmethod
    def field_values(cls, doc: dict) -> dict:
        return {f.key: _value_from_document(f, doc.get(f.key)) for f in cls.ENTITY.fields}

    def to_document(self) -> dict:
        out = {"id": self.id} if "id" in self._names() else {}
        out.update(self.field_document())
        for key, (_child_cls, is_list) in self.CHILD_CLASSES.items():
            value = getattr(self, key)
            out[key] = [c.to_document() for c in value] if is_list else value.to_document()
        return out

    @classmethod
    def from_document(cls, doc: dict, **extra) -> _Record:
        values = cls.field_values(doc)
        if "id" in cls._names():
            values["id"] = canonical_id(doc.get("id")) or new_id()
        for key, (child_cls, is_list) in cls.CHILD_CLASSES.items():
            child = doc.get(key)
            if is_list:
                values[key] = [child_cls.from_document(c) for c in (child or [])]
            else:
                values[key] = child_cls.from_document(child or {})
        values.update(extra)
        return cls(**values)

    @classmethod
    def _names(cls) -> set[str]:
        return {f.name for f in fields(cls)}


def _record_class(name: str, entity: Entity, before: list[tuple] = (), after: list[tuple] = ()) -> type:
    cls = make_dataclass(name, [*before, *_entity_fields(entity), *after], bases=(_Record,), kw_only=True,
                         namespace={"__doc__": f"{entity.en} record: its fields come from the data dictionary."})
    cls.ENTITY = entity
    cls.__module__ = __name__
    return cls


AgentDose = _record_class("AgentDose", AGENT)
Complication = _record_class("Complication", COMPLICATION)
Pathology = _record_class("Pathology", PATHOLOGY)

_ID = ("id", str, field(default_factory=new_id))
_TIMESTAMPS = [("created_at", Any, field(default=None)), ("updated_at", Any, field(default=None))]

Patient = _record_class("Patient", PATIENT, before=[_ID],
                        after=[("pathology", Any, field(default_factory=Pathology)), *_TIMESTAMPS])
Patient.CHILD_CLASSES = {"pathology": (Pathology, False)}

Procedure = _record_class(
    "Procedure", PROCEDURE, before=[_ID, ("patient_id", Any, field(default=None))],
    after=[("agents", list, field(default_factory=list)), ("complications", list, field(default_factory=list)),
           ("status", str, field(default=DRAFT)), *_TIMESTAMPS])
Procedure.CHILD_CLASSES = {"agents": (AgentDose, True), "complications": (Complication, True)}


@dataclass(frozen=True)
class Signature:
    """A radiologist's signature on a procedure: who, when, what it means, the hash of what was signed and
    (from content version 2, `signing.py`) the signed content itself."""

    signer: str  # the printed name
    username: str
    signed_at: str  # ISO 8601 UTC
    meaning: str  # e.g. "reviewed and signed by"
    content_sha256: str
    role: str | None = None  # the signer's role (a signature from before content version 2: the user's role now)
    content_version: int = 1  # which definition of the signed content the hash covers (signing.py)
    content: str | None = None  # the signed content, canonical JSON; None for version 1 (rebuilt from the record)
    signed_elsewhere: bool = False  # made in another logbook and imported: its signer is no user of this one


@dataclass(frozen=True)
class Addendum:
    """Text appended to a signed procedure; the signed original never changes."""

    id: str
    procedure_id: str
    text: str
    reason: str
    author: str  # the printed name
    created_at: str  # ISO 8601 UTC
    signature: Signature | None = None


def days_after_resection(procedure_date: dt.date | None, resection_date: dt.date | None) -> int | None:
    if procedure_date is None or resection_date is None:
        return None
    return (procedure_date - resection_date).days


def age_on(birth_date: dt.date | None, on: dt.date | None) -> int | None:
    if birth_date is None or on is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
