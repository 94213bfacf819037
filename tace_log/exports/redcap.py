"""REDCap: the data dictionary, the repeating-instruments setup and the records import file, read from the
declarations (docs/exports.md).

A classic project, one record per patient (`record_id`: its id, or its pseudonym). Each entity is an instrument
named by its key; one that repeats within a patient (procedures, labs, a procedure's agents) is a repeating
instrument. REDCap repeats one level only, so a record in a repeating parent carries its parent's id and instance
(an agent: `agent_procedure_id`, `agent_procedure_instance`); every record with an id of its own carries it too
(`proc_id`), since instance numbers are positions REDCap cannot check.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..choice_lists import ChoiceLists, Option
from ..dictionary import Entity, Field, FieldType, declared, entities
from ..files import atomic_file
from ..messages import EN, ZH, render
from ..storage import Logbook
from .columns import Column, columns
from .deidentify import Deidentification
from .walk import BATCH, Node, batches, repeating

# The data dictionary's header, exactly as REDCap writes it (exchange-reference §1.1), and the metadata names.
HEADER = ("Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
          "Choices, Calculations, OR Slider Labels", "Field Note", "Text Validation Type OR Show Slider Number",
          "Text Validation Min", "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
          "Required Field?", "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
          "Matrix Ranking?", "Field Annotation")
# The header line as REDCap writes it, quotes and all (it leaves `Identifier?` bare).
HEADER_LINE = ",".join(name if name == "Identifier?" else f'"{name}"' for name in HEADER)
RECORD_ID = "record_id"
REPEAT_COLUMNS = ("redcap_repeat_instrument", "redcap_repeat_instance")
MAX_NAME = 26
COMPLETE, UNVERIFIED = 2, 1  # `<form>_complete`: a signed procedure and its parts; everything else recorded
FILES = ("data_dictionary.csv", "repeating_forms.csv", "instrument_designations.csv", "records.csv")
_LEGAL_CODE = re.compile(r"[A-Za-z0-9_]+")
RADIO_AT_MOST = 6  # more choices than this: a dropdown


def prefix(entity: Entity) -> str:
    """The start of an entity's variable names: none for the patient; the initials of a name of several words
    (`adverse_event`: ae), else the name, cut to 4 letters past 5 (`procedure`: proc)."""
    if entity.parent is None:
        return ""
    words = entity.key.split("_")
    if len(words) > 1:
        return "".join(w[0] for w in words)
    return entity.key if len(entity.key) <= 5 else entity.key[:4]


@dataclass
class Names:
    """Variable names, REDCap-legal (lowercase letters, digits and _, starting with a letter, at most 26
    characters) and unique in the project; the same declarations always give the same names."""

    taken: set[str] = dataclasses.field(default_factory=set)

    def make(self, *words: str) -> str:
        name = re.sub(r"[^a-z0-9_]", "_", "_".join(w for w in words if w).lower())
        name = re.sub(r"_+", "_", name).strip("_")
        if not name[:1].isalpha() or name.startswith("redcap_"):  # REDCap's own columns start redcap_
            name = "v_" + name
        name = name[:MAX_NAME].rstrip("_")
        candidate, n = name, 2
        while candidate in self.taken:
            tail = f"_{n}"
            candidate, n = name[:MAX_NAME - len(tail)] + tail, n + 1
        self.taken.add(candidate)
        return candidate


@dataclass
class Variable:
    """One variable of the project: a column of an entity (or an id it carries) and how REDCap holds it."""

    name: str
    form: str
    field: Field
    column: Column | None = None  # None: an id or instance the form carries
    read: Any = None  # for an id: node -> value
    codes: dict[str, str] = dataclasses.field(default_factory=dict)  # choice key -> REDCap code
    options: tuple[Option, ...] = ()
    annotation: str = ""

    @property
    def checkbox(self) -> bool:
        return self.field.type is FieldType.MULTI_CHOICE

    def value(self, node: Node) -> Any:
        return self.read(node) if self.column is None else self.column.read(node)


class Project:
    """The REDCap project the declarations make: its instruments and variables, in dictionary order."""

    def __init__(self, choices: ChoiceLists, plan: Deidentification | None = None):
        self.choices, self.plan = choices, plan
        self.complete = {e.key: f"{e.key}_complete" for e in entities()}  # each form's status, named by REDCap
        self._columns: dict[str, list[tuple[str | None, int]]] = {}  # variable -> (its choice, column index)
        self._complete_column: dict[str, int] = {}  # form -> the column of its `<form>_complete`
        self._width = 0
        names = Names({RECORD_ID, *self.complete.values()})
        self.forms: dict[str, list[Variable]] = {}
        self.by_column: dict[tuple[str, str], Variable] = {}
        for entity in entities():
            self.forms[entity.key] = self._variables(entity, names)

    def _variables(self, entity: Entity, names: Names) -> list[Variable]:
        out: list[Variable] = []
        short = prefix(entity)
        if entity.parent is None:
            out.append(Variable(RECORD_ID, entity.key, _made(RECORD_ID, "export.record_id", entity=entity),
                                read=lambda node: node.id))
        elif entity.own_id:
            out.append(Variable(names.make(short, "id"), entity.key, _made("id", "export.record_id", entity=entity),
                                read=lambda node: node.id, annotation="@READONLY"))
        parent = declared(entity.parent) if entity.parent is not None else None
        if parent is not None and repeating(parent):
            out.append(Variable(names.make(short, parent.key, "id"), entity.key,
                                _made("parent_id", "export.record_id", entity=parent),
                                read=lambda node: node.parent.id, annotation="@READONLY"))
            out.append(Variable(names.make(short, parent.key, "instance"), entity.key,
                                _made("parent_instance", "export.instance", entity=parent, ftype=FieldType.INT),
                                read=lambda node: node.parent.instance, annotation="@READONLY"))
        for c in columns(entity, self.plan):
            options = self.choices.options(c.field) if c.field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE) \
                else ()
            keys = [o.key for o in options]
            legal = all(_LEGAL_CODE.fullmatch(k) for k in keys)
            variable = Variable(names.make(short, c.key), entity.key, c.field, c, options=options,
                                codes={k: (k if legal else str(i)) for i, k in enumerate(keys, 1)})
            self.by_column[entity.key, c.key] = variable
            out.append(variable)
        return out

    def variables(self) -> Iterator[Variable]:
        for form in self.forms.values():
            yield from form

    # -- the data dictionary ------------------------------------------------------------------------------
    def dictionary_rows(self) -> Iterator[list[str]]:
        for form, variables in self.forms.items():
            for v in variables:
                yield self._dictionary_row(form, v)

    def _dictionary_row(self, form: str, v: Variable) -> list[str]:
        f = v.field
        kind, validation, low, high, choices = _kind(f, v)
        note = " · ".join(x for x in (f.unit, f.help) if x)
        return [v.name, form, "", kind, _bilingual(f.en, f.zh), choices, note, validation, low, high,
                "y" if f.personal else "", self._branching(form, v), "y" if f.required else "", "", "", "", "",
                v.annotation]

    def _branching(self, form: str, v: Variable) -> str:
        """`applies_when` in REDCap's syntax: [field] = 'code', a yes/no '1' or '0', a checkbox [field(code)] = '1'."""
        if v.column is None or v.column.source is not None or v.field.applies_when is None:
            return ""
        key, values = v.field.applies_when
        controller = self.by_column.get((form, key))
        if controller is None:  # left out of this export (de-identified)
            return ""
        terms = []
        for value in values:
            if controller.field.type is FieldType.BOOL:
                terms.append(f"[{controller.name}] = '{int(value)}'")
            elif controller.checkbox:
                terms.append(f"[{controller.name}({controller.codes[value]})] = '1'")
            else:
                terms.append(f"[{controller.name}] = '{controller.codes.get(value, value)}'")
        return " or ".join(terms)

    # -- the records --------------------------------------------------------------------------------------
    def record_header(self) -> list[str]:
        header = [RECORD_ID, *REPEAT_COLUMNS]
        for form, variables in self.forms.items():
            for v in variables:
                if v.name == RECORD_ID:
                    continue
                if v.checkbox:
                    header += [f"{v.name}___{_checkbox_code(code)}" for code in v.codes.values()]
                else:
                    header.append(v.name)
            header.append(self.complete[form])
        return header

    def record_rows(self, top: Node, signed: set[str]) -> Iterator[list[Any]]:
        """The rows of one patient, in `record_header`'s columns: one for the forms that do not repeat, one per
        instance of those that do."""
        if not self._columns:  # each variable's columns: worked out once
            index = {name: i for i, name in enumerate(self.record_header())}
            self._width = len(index)
            for v in self.variables():
                self._columns[v.name] = [(key, index[f"{v.name}___{_checkbox_code(code)}"])
                                         for key, code in v.codes.items()] if v.checkbox else [(None, index[v.name])]
            self._complete_column.update((form, index[name]) for form, name in self.complete.items())
        base: list[Any] = [""] * self._width
        base[0] = top.id
        nodes = list(top.walk())
        for node in nodes:
            if not repeating(node.entity):
                self._fill(base, node, signed)
        yield base
        for node in nodes:
            if repeating(node.entity):
                row: list[Any] = [top.id, node.entity.key, node.instance] + [""] * (self._width - 3)
                self._fill(row, node, signed)
                yield row

    def _fill(self, row: list[Any], node: Node, signed: set[str]) -> None:
        columns = self._columns
        for v in self.forms[node.entity.key]:
            value = v.value(node)
            if v.checkbox:
                chosen = set(value or ())
                for key, i in columns[v.name]:
                    row[i] = int(key in chosen)
            else:
                row[columns[v.name][0][1]] = _cell(v, value)
        row[self._complete_column[node.entity.key]] = COMPLETE if _signed_part(node, signed) else UNVERIFIED


def _signed_part(node: Node, signed: set[str]) -> bool:
    while node.parent is not None:
        if node.entity.standalone:
            return node.record.id in signed
        node = node.parent
    return False


def _checkbox_code(code: str) -> str:
    """A checkbox code as it is in a column's name: lowercase, `-` as `_` (as REDCap exports them)."""
    return code.lower().replace("-", "_")


def _cell(v: Variable, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return "; ".join(_cell(v, x) for x in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if v.codes:
        return v.codes.get(value, value)
    return value


def _made(key: str, message: str, ftype: FieldType = FieldType.TEXT, **params) -> Field:
    return Field(key, render(message, EN, **params), render(message, ZH, **params), ftype)


def _bilingual(en: str, zh: str) -> str:
    text = en if en == zh else f"{en} / {zh}"
    return text.replace("|", "/")  # a pipe separates choices


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _kind(f: Field, v: Variable) -> tuple[str, str, str, str, str]:
    """(field type, validation, min, max, choices) of a field in REDCap's terms."""
    t = f.type
    if f.values:
        return "radio", "", "", "", " | ".join(f"{x}, {x} {f.unit or ''}".rstrip() for x in f.values)
    if t is FieldType.CHOICE or t is FieldType.MULTI_CHOICE:
        listed = " | ".join(f"{v.codes[o.key]}, {_bilingual(o.label(EN), o.label(ZH))}" for o in v.options)
        kind = "checkbox" if t is FieldType.MULTI_CHOICE else "radio" if len(v.options) <= RADIO_AT_MOST \
            else "dropdown"
        return kind, "", "", "", listed
    if t is FieldType.BOOL:
        return "yesno", "", "", "", ""
    if t is FieldType.DATE:
        return "text", "date_ymd", "", "", ""
    if t is FieldType.TIME:  # HH:MM, as REDCap's `time` takes it
        return "text", "time", "", "", ""
    if t is FieldType.INT:
        return "text", "integer", _number(f.reject_min), _number(f.reject_max), ""
    if t is FieldType.NUMBER:
        return "text", "number", _number(f.reject_min), _number(f.reject_max), ""
    if t in (FieldType.LONG_TEXT, FieldType.DATES):
        return "notes", "", "", "", ""
    return "text", "", "", "", ""


def write(logbook: Logbook, folder: str | Path, plan: Deidentification | None = None, batch: int = BATCH,
          only: Collection[str] | None = None) -> dict:
    """The project's files in `folder`: the data dictionary, the repeating forms, the instrument designations (for
    a project made longitudinal with one event) and the records; returns the rows of each."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    project = Project(logbook.validator.choices, plan)
    counts = dict.fromkeys(FILES, 0)
    with ExitStack() as stack:
        def opened(name: str):
            return csv.writer(stack.enter_context(atomic_file(folder / name, encoding="utf-8-sig", newline="")))

        handle = stack.enter_context(atomic_file(folder / FILES[0], encoding="utf-8-sig", newline=""))
        handle.write(HEADER_LINE + "\r\n")
        dictionary = csv.writer(handle)
        for line in project.dictionary_rows():
            dictionary.writerow(line)
            counts[FILES[0]] += 1
        repeating_forms = opened(FILES[1])
        repeating_forms.writerow(["form_name", "custom_form_label"])
        designations = opened(FILES[2])
        designations.writerow(["arm_num", "unique_event_name", "form"])
        for entity in entities():
            designations.writerow([1, "event_1_arm_1", entity.key])
            counts[FILES[2]] += 1
            if repeating(entity):
                repeating_forms.writerow([entity.key, ""])
                counts[FILES[1]] += 1
        header = project.record_header()
        records = opened(FILES[3])
        records.writerow(header)
        for part in batches(logbook, batch, audit="inserts", pseudonym=plan.pseudonym if plan else None, only=only):
            signed = set(part.signed)
            for top in part.trees:
                for record in project.record_rows(top, signed):
                    records.writerow(record)
                    counts[FILES[3]] += 1
    return counts
