"""Plain record classes (Patient, Pathology, Procedure, AgentDose, Complication), built from the dictionary.

A record's attributes are its entity's declaration (fields, parts, bookkeeping), so a clinical field exists in one
place only; an entity declared later gets its class from `record_class`. Values are
Python values (dates are `datetime.date`, a multi-choice is a list); documents are the JSON shapes of the
interchange format (dates are 'YYYY-MM-DD'). No I/O here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, overload

from .dictionary import AGENT, COMPLICATION, PATHOLOGY, PATIENT, PROCEDURE, Entity, Field, FieldType, on_change, parts

DRAFT = "draft"  # the dictionary's default status of a procedure
SIGNED = "signed"
ENTERED_IN_ERROR = "entered_in_error"  # a signed record's status as the worklist shows it, once marked so


def new_id() -> str:
    import uuid  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)

    return str(uuid.uuid4())


@overload
def canonical_id(value: str) -> str: ...
@overload
def canonical_id(value: None) -> None: ...
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
    if ftype is FieldType.DATES:
        return [d.isoformat() for d in value]
    return value


def _value_from_document(f: Field, value: Any) -> Any:
    ftype = f.type
    if value is None:
        return [] if f.listed else None
    if ftype is FieldType.TEXT:
        return stored_text(f, value)
    if ftype is FieldType.DATE:
        return dt.date.fromisoformat(value)
    if ftype is FieldType.MULTI_CHOICE:
        return list(value)
    if ftype is FieldType.DATES:
        return [dt.date.fromisoformat(d) for d in value]
    if ftype is FieldType.NUMBER and isinstance(value, float) and value.is_integer():
        return int(value)  # 64.0 and 64 are the same weight; keep one spelling so exports round-trip
    return value


class _Layout:
    """What a record class holds, worked out once from the declarations (again after they change): the
    attributes with a fixed default, those made fresh for each record (lists, parts), the document's shape."""

    def __init__(self, entity: Entity):
        self.own_id = entity.own_id
        self.fields = entity.fields
        self.parts = [(c.document_key, record_class(c), c.many) for c in parts(entity)]
        self.optional = frozenset(c.document_key for c in parts(entity) if c.optional)  # None until recorded
        fixed: dict[str, Any] = {f.key: None for f in entity.fields if not f.listed}
        fixed.update((key, None) for key in self.optional)
        fixed.update(entity.bookkeeping)
        self.fixed = fixed
        fresh: list[tuple[str, Callable[[], Any]]] = [("id", new_id)] if entity.own_id else []
        fresh += [(f.key, list) for f in entity.fields if f.listed]
        fresh += [(key, list if many else cls) for key, cls, many in self.parts if key not in self.optional]
        self.fresh = fresh
        self.names = frozenset(fixed).union(name for name, _ in fresh)
        self.order = ("id",) * entity.own_id + tuple(f.key for f in entity.fields) \
            + tuple(key for key, _, _ in self.parts) + tuple(name for name, _ in entity.bookkeeping)


_LAYOUTS: dict[str, _Layout] = {}
_CLASSES: dict[str, type[Record]] = {}
on_change(_LAYOUTS.clear)


class Record:
    """A record of a declared entity: its fields, its parts (the children saved with it: a patient's pathology, a
    procedure's agents) and its bookkeeping (ids, timestamps), all keyword arguments, as the declaration says.
    A subclass names its `ENTITY`; `record_class` makes one for an entity declared later."""

    ENTITY: ClassVar[Entity]

    if TYPE_CHECKING:  # the attributes are the declaration's, known when it is read
        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _CLASSES.setdefault(cls.ENTITY.key, cls)

    @classmethod
    def _layout(cls) -> _Layout:
        layout = _LAYOUTS.get(cls.ENTITY.key)
        if layout is None:
            layout = _LAYOUTS[cls.ENTITY.key] = _Layout(cls.ENTITY)
        return layout

    def __init__(self, **values: Any):
        layout = self._layout()
        if not layout.names.issuperset(values):
            unknown = ", ".join(sorted(set(values) - layout.names))
            raise TypeError(f"{type(self).__name__} has no {unknown}")
        state = self.__dict__
        state.update(layout.fixed)
        for name, make in layout.fresh:
            if name not in values:
                state[name] = make()
        state.update(values)

    @classmethod
    def stored(cls, values: dict[str, Any]) -> Any:
        """The record of values read from the logbook (storage/records.py), its lists and parts among them: made
        without `__init__`'s check of the names and its fresh lists, which a read of a hundred thousand procedures'
        records would repeat for each."""
        record = cls.__new__(cls)
        state = record.__dict__
        state.update(cls._layout().fixed)
        state.update(values)
        return record

    @classmethod
    def attribute_names(cls) -> tuple[str, ...]:
        """Every attribute of the record: id, fields, parts, bookkeeping."""
        return cls._layout().order

    def replace(self, **changes: Any) -> Any:
        """A copy with some attributes changed (as `dataclasses.replace`: the parts are shared, not copied)."""
        return type(self)(**{**self.__dict__, **changes})

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={self.__dict__.get(name)!r}" for name in self.attribute_names())
        return f"{type(self).__name__}({shown})"

    def field_document(self) -> dict:
        """This record's own fields (no id, no parts) in document form."""
        return {f.key: _value_to_document(f.type, getattr(self, f.key)) for f in self.ENTITY.fields}

    @classmethod
    def field_values(cls, doc: dict) -> dict:
        return {f.key: _value_from_document(f, doc.get(f.key)) for f in cls.ENTITY.fields}

    def to_document(self) -> dict:
        layout = self._layout()
        out = {"id": self.id} if layout.own_id else {}
        out.update(self.field_document())
        for key, _cls, many in layout.parts:
            value = getattr(self, key)
            out[key] = [c.to_document() for c in value] if many else None if value is None else value.to_document()
        return out

    @classmethod
    def from_document(cls, doc: dict, **extra: Any) -> Any:
        layout = cls._layout()
        values = cls.field_values(doc)
        if layout.own_id:
            values["id"] = canonical_id(doc.get("id")) or new_id()
        for key, child_cls, many in layout.parts:
            child = doc.get(key)
            if many:
                values[key] = [child_cls.from_document(c) for c in (child or [])]
            elif key in layout.optional:
                values[key] = None if child is None else child_cls.from_document(child)
            else:
                values[key] = child_cls.from_document(child or {})
        values.update(extra)
        return cls(**values)


def record_class(entity: Entity) -> type[Record]:
    """The record class of a declared entity: a shipped one's below, else one made for it on first use."""
    cls = _CLASSES.get(entity.key)
    if cls is None or cls.ENTITY is not entity:
        name = "".join(word.capitalize() for word in entity.key.split("_"))
        cls = _CLASSES[entity.key] = type(name, (Record,), {
            "ENTITY": entity, "__module__": __name__,
            "__doc__": f"{entity.en} record: its fields come from the data dictionary."})
    return cls


class Patient(Record):
    """Patient record: its fields, its pathology and the other parts declared under it, from the dictionary."""

    ENTITY = PATIENT


class Pathology(Record):
    """Pathology record (part of its patient's): its fields come from the data dictionary."""

    ENTITY = PATHOLOGY


class Procedure(Record):
    """Procedure record (saved on its own): its fields, agents and complications from the dictionary."""

    ENTITY = PROCEDURE


class AgentDose(Record):
    """Agent record (a row of its procedure's agents): its fields come from the data dictionary."""

    ENTITY = AGENT


class Complication(Record):
    """Complication record (a row of its procedure's complications): its fields come from the dictionary."""

    ENTITY = COMPLICATION


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

    def signed(self) -> Signature:
        """Its signature: every addendum stored or imported has one."""
        if self.signature is None:
            raise ValueError(f"addendum {self.id} has no signature")
        return self.signature


@dataclass(frozen=True)
class EnteredInError:
    """A radiologist's signed statement that a signed procedure was entered in error (the wrong patient, a
    procedure that did not take place): the record stays as it was signed, and every page of its report says so."""

    procedure_id: str
    reason: str
    signature: Signature


def days_after_resection(procedure_date: dt.date | None, resection_date: dt.date | None) -> int | None:
    if procedure_date is None or resection_date is None:
        return None
    return (procedure_date - resection_date).days


def age_on(birth_date: dt.date | None, on: dt.date | None) -> int | None:
    if birth_date is None or on is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
