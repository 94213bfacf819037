"""CSV: one file per entity (`patients.csv`, `procedures.csv`, `agents.csv`, ... by each entity's document key) and
`codebook.csv`, for R, Stata or a spreadsheet.

UTF-8 with a BOM (Excel then shows Chinese); ISO dates; a choice as its key, its labels in the codebook; a yes/no as
1/0; a list (several choices, several dates) as its values joined by "; ". Every row carries its own id (`id`), its
parent's (`<parent>_id`) and, in a list, its place (`position`, from 1).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Collection, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..choice_lists import ChoiceLists
from ..dictionary import Entity, FieldType, entities
from ..files import atomic_file
from ..storage import Logbook
from ..storage.records import picker
from .columns import Column, columns
from .deidentify import Deidentification
from .walk import BATCH, Node, batches

LIST_SEPARATOR = "; "
# What csv.writer does not write as the file wants by itself (None as "" and a date as ISO it does): 1/0, a list.
_CONVERTED = frozenset({FieldType.BOOL, FieldType.MULTI_CHOICE, FieldType.DATES})
CODEBOOK = "codebook.csv"
CODEBOOK_COLUMNS = ("file", "column", "entity", "label_en", "label_zh", "type", "unit", "choices_en", "choices_zh",
                    "declared_as")


def file_name(entity: Entity) -> str:
    return f"{entity.document_key}.csv"


def key_columns(entity: Entity) -> list[str]:
    """The columns before the fields: the row's id, its parent's, its place in a list."""
    keys = ["id"]
    if entity.parent is not None:
        keys.append(f"{entity.parent}_id")
    if entity.many:
        keys.append("position")
    return keys


def cell(ftype: FieldType, value: Any) -> Any:
    """A value as a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(cell(ftype, v)) for v in value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write(logbook: Logbook, folder: str | Path, plan: Deidentification | None = None, batch: int = BATCH,
          only: Collection[str] | None = None) -> dict:
    """Write every entity's CSV and the codebook into `folder` (made if missing); returns the rows per file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    layout = {e.key: columns(e, plan) for e in entities()}
    counts = {file_name(e): 0 for e in entities()}
    with ExitStack() as stack:
        writers, rows = {}, {e.key: row_maker(e, layout[e.key]) for e in entities()}
        for entity in entities():
            handle = stack.enter_context(atomic_file(folder / file_name(entity), encoding="utf-8-sig", newline=""))
            writers[entity.key] = csv.writer(handle)
            writers[entity.key].writerow(key_columns(entity) + [c.key for c in layout[entity.key]])
        for part in batches(logbook, batch, pseudonym=plan.pseudonym if plan else None, only=only):
            for top in part.trees:
                for node in top.walk():
                    writers[node.entity.key].writerow(rows[node.entity.key](node))
                    counts[file_name(node.entity)] += 1
        write_codebook(stack.enter_context(atomic_file(folder / CODEBOOK, encoding="utf-8-sig", newline="")),
                       layout, logbook.validator.choices)
    counts[CODEBOOK] = sum(len(c) for c in layout.values())
    return counts


def row_maker(entity: Entity, cols: list[Column]) -> Callable[[Node], list]:
    """What makes a node's row: its keys, then its columns' cells. The columns of stored values are read from the
    record at once (the files hold a hundred thousand procedures' rows); the others (a status, an age, a day
    offset) one by one, put in their places."""
    stored = [c.key for c in cols if c.stored]
    read_stored = picker(stored)
    others = [(i, c.read) for i, c in enumerate(cols) if not c.stored]  # in column order: each insert lands right
    converted = [(i, c.field.type) for i, c in enumerate(cols) if c.field.type in _CONVERTED]
    listed = entity.many

    def make(node: Node) -> list:
        cells = list(read_stored(node.record.__dict__))
        for i, read in others:
            cells.insert(i, read(node))
        for i, ftype in converted:
            if cells[i] is not None:
                cells[i] = cell(ftype, cells[i])
        keys: list[Any] = [node.id]
        if node.parent is not None:
            keys.append(node.parent.id)
        if listed:
            keys.append(node.position)
        return keys + cells
    return make


def codebook_rows(layout: dict[str, list[Column]], choices: ChoiceLists) -> Iterator[list]:
    for entity in entities():
        for c in layout[entity.key]:
            options = choices.options(c.field) if c.field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE) else ()
            listed = {language: " | ".join(f"{o.key}, {o.label(language)}" for o in options)
                      for language in ("en", "zh")}
            if c.field.values:  # the only numbers it takes (a lenvatinib dose: 12, 8, 4)
                listed = dict.fromkeys(listed, " | ".join(f"{v}, {v} {c.field.unit or ''}".rstrip()
                                                          for v in c.field.values))
            yield [file_name(entity), c.key, entity.key, c.field.en, c.field.zh, c.field.type.value,
                   c.field.unit or "", listed["en"], listed["zh"],
                   "" if c.source is None else f"{entity.key}.{c.source.key}"]


def write_codebook(handle, layout: dict[str, list[Column]], choices: ChoiceLists) -> None:
    """One row per column of every file: its labels, type, unit and choices (key, label | ...)."""
    writer = csv.writer(handle)
    writer.writerow(CODEBOOK_COLUMNS)
    writer.writerows(codebook_rows(layout, choices))
