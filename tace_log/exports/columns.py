"""The columns of each entity in an export, read from its declaration: one per declared field, or, de-identified,
the fields that are kept and what stands for the others (an age for the birth date, a day offset for a date).

Every format (CSV, REDCap, ODM) writes these columns and nothing else, so a field declared later is exported by all
of them with no other code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..dictionary import PATIENT, Choice, Entity, Field, FieldType
from ..messages import EN, ZH, render
from ..model import DRAFT, ENTERED_IN_ERROR, SIGNED, age_on
from .deidentify import Deidentification
from .walk import Node

ANCHOR = PATIENT["resection_date"]  # day 0 of a de-identified patient's dates (interchange-v2: days count from it)
DATED = (FieldType.DATE, FieldType.DATES)


@dataclass(frozen=True)
class Column:
    """One column: what it holds (a declared field, or one made for a derived value) and how it is read."""

    field: Field
    read: Callable[[Node], Any]
    source: Field | None = None  # the declared field it is read from, when that is not `field` itself
    stored: bool = False  # `read` gives the record's own value of `field`, as stored (a file may read it at once)

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def declared(self) -> Field:
        return self.source or self.field


# A signed record's standing, exported with it: a procedure marked entered in error stays in the data (nothing is
# deleted), and the statistician tells it from the valid ones by this column (docs/exports.md).
RECORD_STATUS = Field("record_status", render("export.record_status", EN), render("export.record_status", ZH),
                      FieldType.CHOICE, choices=tuple(
                          Choice(key, render(f"export.status.{key}", EN), render(f"export.status.{key}", ZH))
                          for key in (DRAFT, SIGNED, ENTERED_IN_ERROR)))


def columns(entity: Entity, plan: Deidentification | None = None) -> list[Column]:
    out = [Column(RECORD_STATUS, lambda node: node.status)] if entity.standalone else []
    for f in entity.fields:
        if plan is None:
            out.append(Column(f, _plain(f), stored=True))
        elif f.personal:
            if f.type is FieldType.DATE:  # a birth date: the age it gives at resection
                out.append(Column(_made("age_at_resection", FieldType.INT, "export.age"), _age(f), f))
        elif f.free_text and not plan.free_text:
            continue
        elif f.type in DATED and plan.shift_dates:
            out.append(Column(f, _shifted(f, plan)))
        elif f.type in DATED:
            listed = f.type is FieldType.DATES
            out.append(Column(_made(f"{f.key}_day", FieldType.TEXT if listed else FieldType.INT, "export.day",
                                    field=f), _days(f), f))
        else:
            out.append(Column(f, _plain(f), stored=True))
    return out


def _made(key: str, ftype: FieldType, message: str, **params) -> Field:
    return Field(key, render(message, EN, **params), render(message, ZH, **params), ftype)


def _plain(f: Field) -> Callable[[Node], Any]:
    return lambda node: getattr(node.record, f.key)


def _anchor(node: Node) -> dt.date | None:
    return getattr(node.patient.record, ANCHOR.key)


def _age(f: Field) -> Callable[[Node], Any]:
    return lambda node: age_on(getattr(node.record, f.key), _anchor(node))


def _days(f: Field) -> Callable[[Node], Any]:
    def read(node: Node) -> Any:
        value, anchor = getattr(node.record, f.key), _anchor(node)
        if anchor is None or value is None:
            return None
        if f.type is FieldType.DATES:
            return "; ".join(str((d - anchor).days) for d in value) or None
        return (value - anchor).days
    return read


def _shifted(f: Field, plan: Deidentification) -> Callable[[Node], Any]:
    def read(node: Node) -> Any:
        value = getattr(node.record, f.key)
        if value is None:
            return None
        by = dt.timedelta(days=plan.shift(node.patient.record.id))
        return [d + by for d in value] if f.type is FieldType.DATES else value + by
    return read
