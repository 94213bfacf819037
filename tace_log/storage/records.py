"""Mapping between record objects and table rows, driven by the dictionary's declarations.

An entity with a table is a row of it: `id`, its parent's id (`<parent>_id`), `position` when its rows keep their
order, its scalar fields as columns of the same name, its bookkeeping (status, timestamps). An entity without one
(pathology) is columns of its parent's row, named with its prefix. A list-valued field (multi-choice, dates) is a
table with one row per value. Booleans are 0/1; dates are ISO text. Each entity's columns are worked out once
(`layout`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from ..dictionary import Entity, Field, FieldType, MultiTable, entities, on_change, parts
from ..model import Record, record_class


def to_column(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.type is FieldType.DATE or f.type is FieldType.DATES:  # DATES: one of the list's dates
        return value.isoformat()
    if f.type is FieldType.BOOL:
        return int(value)
    return value


def _whole_number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def column_reader(f: Field) -> Callable[[Any], Any] | None:
    """What turns a stored non-NULL value of the field back into its value; None when it is stored as it is (text,
    choices), so reading a row converts only the columns that need it."""
    if f.type is FieldType.DATE or f.type is FieldType.DATES:
        return dt.date.fromisoformat
    if f.type is FieldType.BOOL:
        return bool
    if f.type is FieldType.NUMBER:
        return _whole_number
    return None


def audited_value(f: Field, stored: Any) -> Any:
    """An audit row's stored value (not NULL) as the field's value; a listed field's row holds one of its values,
    read as a list of that one (the trail keeps what the column held: 0/1 for yes/no, dates as text)."""
    reader = column_reader(f)
    value = reader(stored) if reader is not None else stored
    return [value] if f.listed else value


def picker(places: Sequence[Any]) -> Callable[[Any], tuple]:
    """What picks the values at these places (a row's indices, a dict's keys), as a tuple (itemgetter gives a bare
    value for one place)."""
    if len(places) > 1:
        return itemgetter(*places)
    if places:
        return lambda row: (row[places[0]],)
    return lambda row: ()


def scalar_fields(entity: Entity) -> list[Field]:
    return [f for f in entity.fields if not f.listed]


def owner_column(entity: Entity) -> str | None:
    """The column of an entity's table naming its parent's record (`procedure_id`)."""
    return f"{entity.parent}_id" if entity.parent is not None else None


class Layout:
    """How one entity with a table is stored: its columns, what lies in its row (its fields, the parts stored in
    its row), its multi-choice tables and the parts with tables of their own."""

    def __init__(self, entity: Entity):
        if entity.table is None:
            raise ValueError(f"{entity.key} has no table of its own")
        self.entity = entity
        self.table: str = entity.table
        self.cls = record_class(entity)
        self.owner = owner_column(entity)
        self.own_id = entity.own_id
        self.positioned = entity.positioned
        self.bookkeeping = [name for name, _ in entity.bookkeeping if name != "id"]
        # (part key or None for the record itself, its class, column prefix, its scalar fields)
        self.in_row: list[tuple[str | None, type[Record], str, list[Field]]] = [
            (None, self.cls, "", scalar_fields(entity))]
        # (part key or None, multi-choice field key, its table)
        self.multi: list[tuple[str | None, str, MultiTable]] = [(None, k, t) for k, t in entity.multi_tables.items()]
        self.tables: list[tuple[str, Layout, bool]] = []  # (part key, its layout, many)
        for part in parts(entity):
            if part.table is None:
                self.in_row.append((part.document_key, record_class(part), part.column_prefix, scalar_fields(part)))
                self.multi += [(part.document_key, k, t) for k, t in part.multi_tables.items()]
            else:
                self.tables.append((part.document_key, layout(part), part.many))
        columns = ["id"]
        if self.owner is not None:
            columns.append(self.owner)
        if self.positioned:
            columns.append("position")
        columns += [prefix + f.key for _, _, prefix, fields in self.in_row for f in fields]
        columns += [c for c in self.bookkeeping if c not in columns]
        self.columns = columns
        self.select = ", ".join(columns)
        # what `record` reads from a row (its values in `columns` order), per record in the row: (part key or None,
        # class, the attributes stored as they are (their names, what picks their values: the record's own id and
        # bookkeeping too), the converted ones (name, place, reader), multi keys (key, reader or None))
        at = {c: i for i, c in enumerate(columns)}
        self._readers = []
        for key, cls, prefix, fields in self.in_row:
            readers = [(f, column_reader(f)) for f in fields]
            kept = [(f.key, at[prefix + f.key]) for f, read in readers if read is None]
            if key is None:
                kept += [("id", 0)] * self.own_id + [(name, at[name]) for name in self.bookkeeping]
            self._readers.append((key, cls, tuple(name for name, _ in kept), picker([i for _, i in kept]),
                                  [(f.key, at[prefix + f.key], read) for f, read in readers if read is not None],
                                  [(k, column_reader(cls.ENTITY[k])) for owner, k, _ in self.multi if owner == key]))
        # the list-valued fields whose rows are not kept as they are read (dates)
        self._converted = {(key, k): cls.ENTITY[k] for key, cls, _, _ in self.in_row
                           for owner, k, _ in self.multi if owner == key and cls.ENTITY[k].type is FieldType.DATES}

    def tables_in_order(self) -> list[tuple[str, list[str]]]:
        """(table, columns) of this entity's table, its multi-choice tables and its parts' tables, parents first:
        the order rows are inserted in."""
        out = [(self.table, self.columns)] + [(t.table, [t.owner, t.value]) for _, _, t in self.multi]
        for _, part, _ in self.tables:
            out += part.tables_in_order()
        return out

    def row(self, record: Record, owner_id: str | None = None, position: int | None = None,
            new_id: Callable[[], str] | None = None) -> dict:
        """The row of a record (a part with no id of its own gets `new_id()`)."""
        row: dict[str, Any] = {"id": record.id if self.own_id or new_id is None else new_id()}
        if self.owner is not None and owner_id is not None:
            row[self.owner] = owner_id
        if self.positioned:
            row["position"] = position
        for key, _cls, prefix, fields in self.in_row:
            source = record if key is None else getattr(record, key)
            for f in fields:
                row[prefix + f.key] = to_column(f, getattr(source, f.key))
        for name in self.bookkeeping:
            row[name] = getattr(record, name)
        return row

    def record(self, row: Sequence, multi: dict[tuple[str | None, str], list[str]],
               tables: dict[str, list[Record]]) -> Record:
        """The record of a row (its values in `columns` order), given its multi-choice values and its parts from
        their own tables."""
        values: dict[str, Any] = {}
        for key, cls, kept_names, pick, converted, multi_keys in self._readers:
            own = dict(zip(kept_names, pick(row), strict=True))
            for name, at, read in converted:
                value = row[at]
                own[name] = None if value is None else read(value)
            for k, read_value in multi_keys:
                found = multi.get((key, k), [])
                own[k] = [read_value(v) for v in found] if read_value is not None else found
            if key is None:
                values.update(own)
            else:
                values[key] = cls.stored(own)
        for key, part, many in self.tables:
            values[key] = tables[key] if key in tables else [] if many else None if part.entity.optional \
                else part.cls()
        return self.cls.stored(values)

    def multi_values(self, record: Record) -> list[tuple[MultiTable, list[str]]]:
        """Each multi-choice table with the values of a record for it."""
        out = []
        for key, field_key, table in self.multi:
            values = getattr(record if key is None else getattr(record, key), field_key)
            f = self._converted.get((key, field_key))
            out.append((table, values if f is None else [to_column(f, v) for v in values]))
        return out

    def new_rows(self) -> dict[str, tuple[list[str], list[dict]]]:
        """Empty rows by table, in the order they are inserted: for `rows` to fill."""
        return {table: (columns, []) for table, columns in self.tables_in_order()}

    def rows(self, records: Sequence[Record], owner_id: str | None, new_id: Callable[[], str],
             out: dict[str, tuple[list[str], list[dict]]]) -> None:
        """The rows of records (one parent's list, or records of their own) into `out` (from `new_rows`) by
        table, with their multi-choice rows and their parts' rows: what a bulk insert or a replaced list writes."""
        own = out[self.table][1]
        for i, record in enumerate(records):
            row = self.row(record, owner_id, i, new_id)
            own.append(row)
            for table, values in self.multi_values(record):
                if values:
                    out[table.table][1].extend({table.owner: row["id"], table.value: v} for v in values)
            for key, part, many in self.tables:
                value = getattr(record, key)
                part.rows(value if many else [] if value is None else [value], row["id"], new_id, out)


_LAYOUTS: dict[str, Layout] = {}
on_change(_LAYOUTS.clear)


def layout(entity: Entity) -> Layout:
    """The storage layout of an entity with a table of its own, worked out once."""
    found = _LAYOUTS.get(entity.key)
    if found is None:
        found = _LAYOUTS[entity.key] = Layout(entity)
    return found


def audited_field(table: str, column: str | None) -> Field | None:
    """The dictionary field an audit row's table and column hold (None for what is not a clinical field)."""
    if column is None:
        return None
    for entity in entities():
        for key, multi in entity.multi_tables.items():
            if table == multi.table and column == multi.value:
                return entity[key]
        if entity.table != table:
            continue
        if column in entity.key_set:
            return entity[column]
        for part in parts(entity):
            if part.table is None and column.startswith(part.column_prefix) \
                    and column.removeprefix(part.column_prefix) in part.key_set:
                return part[column.removeprefix(part.column_prefix)]
    return None

