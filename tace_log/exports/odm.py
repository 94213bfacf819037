"""CDISC ODM 1.3.2: the study's metadata and its clinical data in one XML file, read from the declarations
(docs/exports.md).

The patient (the root entity) and each record saved on its own (a procedure) are study events: `SE.PATIENT` once
per subject, `SE.PROCEDURE` repeating. Each event has one form; every entity is an item group in its event's form,
repeating where its records repeat (labs, agents), its fields items (a multi-choice field one yes/no item per
choice: ODM has no multi-select). Each value carries an AuditRecord from the audit trail's latest row that wrote it,
and each signed procedure's form its Signature, both left out of a de-identified file.

Written as a stream: the clinical data a batch of patients at a time into a temporary file, then the metadata and
the users and signature meanings the data named, then the data after them (ODM puts AdminData first).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from .. import __version__
from ..choice_lists import ChoiceLists, Option
from ..dictionary import Entity, Field, FieldType, declared, entities
from ..files import atomic_file
from ..messages import EN, ZH, render
from ..model import Signature
from ..signing import ENTERED_IN_ERROR_MEANING
from ..storage import Logbook
from ..storage.audit import AuditEntry
from ..times import now_utc
from .columns import RECORD_STATUS, Column, columns
from .deidentify import Deidentification
from .walk import BATCH as PATIENTS_AT_A_TIME
from .walk import Batch, Node, batches

NAMESPACE = "http://www.cdisc.org/ns/odm/v1.3"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STUDY, VERSION, LOCATION = "ST.TACE-LOG", "MDV.1", "LOC.SITE"
# a time is HH:MM as recorded: ODM's partialTime (its `time` wants the seconds too)
DATA_TYPES = {FieldType.TEXT: "text", FieldType.LONG_TEXT: "text", FieldType.DATE: "date",
              FieldType.TIME: "partialTime", FieldType.INT: "integer", FieldType.NUMBER: "float",
              FieldType.CHOICE: "text", FieldType.BOOL: "boolean", FieldType.DATES: "text",
              FieldType.MULTI_CHOICE: "boolean"}


def _oid_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text).upper()


def event_of(entity: Entity) -> Entity:
    """The study event an entity's records are in: the patient's, or the record saved on its own it belongs to."""
    while entity.parent is not None and not entity.standalone:
        entity = declared(entity.parent)
    return entity


def repeats_in_event(entity: Entity) -> bool:
    """Its records repeat within one event's form (labs in the patient's, agents in a procedure's)."""
    while entity.parent is not None and not entity.standalone:
        if entity.many:
            return True
        entity = declared(entity.parent)
    return False


@dataclass
class Item:
    """One ItemDef: a column (or one choice of a multi-choice column, or a record's id)."""

    oid: str
    name: str
    data_type: str
    en: str
    zh: str
    column: Column | None = None
    choice: str | None = None  # the choice this yes/no item stands for
    source: Field | None = None
    codes: tuple[Option, ...] = ()

    def value(self, node: Node) -> Any:
        if self.column is None:
            return node.id
        value = self.column.read(node)
        if self.choice is not None:
            return None if not value else self.choice in value
        return value


@dataclass
class Metadata:
    """The ODM metadata the declarations make: events, forms, item groups, items, code lists, units."""

    choices: ChoiceLists
    plan: Deidentification | None
    items: dict[str, list[Item]] = field(default_factory=dict)  # by entity key
    units: dict[str, str] = field(default_factory=dict)  # unit -> OID

    def __post_init__(self):
        for entity in entities():
            self.items[entity.key] = self._items(entity)

    def _items(self, entity: Entity) -> list[Item]:
        base = f"IT.{_oid_part(entity.key)}"
        out = [Item(f"{base}.ID", "id", "text", *_labels("export.record_id", entity=entity))] \
            if entity.own_id and entity.parent is not None else []
        for c in columns(entity, self.plan):
            f = c.field
            if f.unit and f.unit not in self.units:
                self.units[f.unit] = f"MU.{len(self.units) + 1}"
            if f.type is FieldType.MULTI_CHOICE:
                for i, option in enumerate(self.choices.options(f), 1):
                    part = _oid_part(option.key) if re.fullmatch(r"\w+", option.key) else str(i)
                    out.append(Item(f"{base}.{_oid_part(f.key)}.{part}", f"{f.key}.{option.key}", "boolean",
                                    f"{f.en}: {option.label(EN)}", f"{f.zh}：{option.label(ZH)}", c, option.key, f))
                continue
            codes = self.choices.options(f) if f.type is FieldType.CHOICE else ()
            data_type = "integer" if f.values else DATA_TYPES[f.type]
            out.append(Item(f"{base}.{_oid_part(f.key)}", f.key, data_type, f.en, f.zh, c, source=f, codes=codes))
        return out

    def events(self) -> list[Entity]:
        return [e for e in entities() if e.parent is None or e.standalone]

    def groups(self, event: Entity) -> list[Entity]:
        return [e for e in entities() if event_of(e) is event]

    def element(self, description: str) -> ET.Element:
        """Study: GlobalVariables, BasicDefinitions, MetaDataVersion."""
        study = ET.Element("Study", OID=STUDY)
        gv = ET.SubElement(study, "GlobalVariables")
        ET.SubElement(gv, "StudyName").text = "TACE Log"
        ET.SubElement(gv, "StudyDescription").text = description
        ET.SubElement(gv, "ProtocolName").text = self.choices.protocol.describe()
        if self.units:
            basic = ET.SubElement(study, "BasicDefinitions")
            for unit, oid in self.units.items():
                mu = ET.SubElement(basic, "MeasurementUnit", OID=oid, Name=unit)
                _translated(ET.SubElement(mu, "Symbol"), unit, unit)
        mdv = ET.SubElement(study, "MetaDataVersion", OID=VERSION, Name="TACE Log data dictionary")
        protocol = ET.SubElement(mdv, "Protocol")
        events = self.events()
        for n, event in enumerate(events, 1):
            ET.SubElement(protocol, "StudyEventRef", StudyEventOID=_event_oid(event), OrderNumber=str(n),
                          Mandatory="Yes" if event.parent is None else "No")
        for event in events:
            sed = ET.SubElement(mdv, "StudyEventDef", OID=_event_oid(event), Name=event.en,
                                Repeating="No" if event.parent is None else "Yes",
                                Type="Common" if event.parent is None else "Unscheduled")
            ET.SubElement(sed, "FormRef", FormOID=_form_oid(event), Mandatory="Yes")
        for event in events:
            form = ET.SubElement(mdv, "FormDef", OID=_form_oid(event), Name=event.en, Repeating="No")
            for entity in self.groups(event):
                ET.SubElement(form, "ItemGroupRef", ItemGroupOID=_group_oid(entity),
                              Mandatory="Yes" if entity is event else "No")
        for entity in entities():
            group = ET.SubElement(mdv, "ItemGroupDef", OID=_group_oid(entity), Name=entity.en,
                                  Repeating="Yes" if repeats_in_event(entity) else "No")
            for item in self.items[entity.key]:
                required = item.source is not None and item.source.required and item.column is not None \
                    and item.column.source is None
                ET.SubElement(group, "ItemRef", ItemOID=item.oid, Mandatory="Yes" if required else "No")
        code_lists = []
        for entity in entities():
            for item in self.items[entity.key]:
                mdv.append(self._item_def(item))
                if item.codes or (item.source is not None and item.source.values):
                    code_lists.append(self._code_list(item))
        mdv.extend(code_lists)
        return study

    def _item_def(self, item: Item) -> ET.Element:
        attrs = {"OID": item.oid, "Name": item.name, "DataType": item.data_type}
        f = item.column.field if item.column is not None else None
        if f is not None and item.data_type == "text" and f.max_length and not item.codes:
            attrs["Length"] = str(f.max_length)
        element = ET.Element("ItemDef", attrs)
        _translated(ET.SubElement(element, "Question"), item.en, item.zh)
        if f is None or item.choice is not None:
            return element
        if f.unit:
            ET.SubElement(element, "MeasurementUnitRef", MeasurementUnitOID=self.units[f.unit])
        for limit, comparator in ((f.reject_min, "GE"), (f.reject_max, "LE")):
            if limit is not None:
                check = ET.SubElement(element, "RangeCheck", Comparator=comparator, SoftHard="Hard")
                ET.SubElement(check, "CheckValue").text = f"{limit:g}"
        if item.codes or f.values:
            ET.SubElement(element, "CodeListRef", CodeListOID=_code_list_oid(item))
        return element

    def _code_list(self, item: Item) -> ET.Element:
        f = item.column.field if item.column is not None else None
        assert f is not None
        integer = bool(f.values)
        element = ET.Element("CodeList", OID=_code_list_oid(item), Name=f.en, DataType="integer" if integer else "text")
        options = [(str(v), f"{v} {f.unit or ''}".strip(), f"{v} {f.unit or ''}".strip()) for v in f.values] \
            if integer else [(o.key, o.label(EN), o.label(ZH)) for o in item.codes]
        for code, en, zh in options:
            cli = ET.SubElement(element, "CodeListItem", CodedValue=code)
            _translated(ET.SubElement(cli, "Decode"), en, zh)
        return element


def _event_oid(entity: Entity) -> str:
    return f"SE.{_oid_part(entity.key)}"


def _form_oid(entity: Entity) -> str:
    return f"F.{_oid_part(entity.key)}"


def _group_oid(entity: Entity) -> str:
    return f"IG.{_oid_part(entity.key)}"


def _code_list_oid(item: Item) -> str:
    return "CL." + item.oid.removeprefix("IT.")


def _labels(message: str, **params) -> tuple[str, str]:
    return render(message, EN, **params), render(message, ZH, **params)


def _translated(parent: ET.Element, en: str, zh: str) -> None:
    for language, text in ((EN, en), (ZH, zh)):
        ET.SubElement(parent, "TranslatedText", {LANG: language}).text = text


def value_text(data_type: str, value: Any) -> str:
    """A value as ODM writes it for its DataType."""
    if data_type == "boolean":
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value_text(data_type, v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Trail:
    """The audit rows of a batch, by what they wrote: a column of a row, a chosen value of a multi-choice row.

    A list of parts is saved by deleting its rows and inserting them again (a procedure's agents, a changed
    screening, the chosen segments): a value inserted again as it was deleted in the same save keeps the row
    that first wrote it, so each value's AuditRecord says when it last changed, not when it was last saved. A save's
    rewrite is a run of deletes, then inserts, under one owner, with nothing else between."""

    def __init__(self, audit: dict[str, list[AuditEntry]]):
        self.column: dict[tuple[str, str, str], AuditEntry] = {}  # (table, row id, column) -> row that wrote it
        # (table, row id) -> a row that inserted it as new, with the columns it wrote: each of them was written
        # by it unless `column` names a later row (`written`), so an insert costs one entry, not one per column
        self.inserted: dict[tuple[str, str], tuple[AuditEntry, frozenset[str]]] = {}
        self._columns: dict[frozenset[str], frozenset[str]] = {}  # each set of columns inserted, kept once
        self.listed: dict[tuple[str, str], dict[str, AuditEntry]] = defaultdict(dict)  # (table, owner) -> by value
        self.alive: dict[tuple[str, Any], dict[str, int]] = defaultdict(dict)  # (table, owner) -> row id: position
        # each table's column naming the record a row belongs to (an agent's `procedure_id`)
        self.owners = {e.table: f"{e.parent}_id" for e in entities() if e.table is not None and e.parent is not None}
        for rows in audit.values():
            self._read(rows)

    def _read(self, rows: list[AuditEntry]) -> None:
        """The rows kept under one owner, in chain order."""
        deleted: dict[tuple[str, Any], tuple[str, dict]] = {}  # this run's: (table, position) -> (row id, values)
        gone: dict[tuple[str, str, str], AuditEntry] = {}  # this run's deleted choices: (table, owner, value)
        renamed: dict[str, str] = {}  # a row written again: new id -> old id
        inserting = False
        for row in rows:
            if row.record_id is None:
                continue
            whole, written = row.field is None, row.action in ("insert", "delete")
            if not written or (row.action == "delete" and inserting):  # the run ends
                deleted, gone, inserting = {}, {}, False
            if whole and row.action == "delete":
                values = json.loads(str(row.old_value))
                deleted[row.table_name, values.get("position")] = (row.record_id, values)
                owner = values.get(self.owners.get(row.table_name, ""))
                self.alive[row.table_name, owner].pop(row.record_id, None)
            elif whole and row.action == "insert":
                inserting = True
                values = json.loads(str(row.new_value))
                old_id, old = deleted.pop((row.table_name, values.get("position")), (None, {}))
                if old_id is None:
                    columns = frozenset(values)
                    self.inserted[row.table_name, row.record_id] = row, self._columns.setdefault(columns, columns)
                else:
                    renamed[row.record_id] = old_id
                    for column, value in values.items():
                        kept = self.written(row.table_name, old_id, column)
                        same = column != "id" and old.get(column) == value and kept
                        self.column[row.table_name, row.record_id, column] = kept if same and kept else row
                owner = values.get(self.owners.get(row.table_name, ""))
                self.alive[row.table_name, owner][row.record_id] = values.get("position") or 0
                if row.table_name == "addenda" and values.get("meaning") == ENTERED_IN_ERROR_MEANING:
                    # the mark changed the procedure's standing: its record status's AuditRecord
                    self.column["procedures", str(values.get("procedure_id")), RECORD_STATUS.key] = row
            elif written:  # a chosen value of a multi-choice field, chosen or taken away
                value = str(row.new_value if row.action == "insert" else row.old_value)
                owner = row.record_id
                if row.action == "delete":
                    previous = self.listed[row.table_name, owner].get(value)
                    if previous is not None:
                        gone[row.table_name, owner, value] = previous
                    self.listed[row.table_name, owner][value] = row
                else:
                    inserting = True
                    before = gone.pop((row.table_name, renamed.get(owner, owner), value), None)
                    self.listed[row.table_name, owner][value] = before or row
            elif row.field is not None:  # an update, one column at a time
                self.column[row.table_name, row.record_id, row.field] = row

    def written(self, table: str, row_id: str, column: str) -> AuditEntry | None:
        """The row that last wrote a column of a stored row: an update or a rewrite, else its insert."""
        by_column = self.column.get((table, row_id, column))
        inserted = self.inserted.get((table, row_id))
        if inserted is None or column not in inserted[1] or (by_column is not None and by_column.seq > inserted[0].seq):
            return by_column
        return inserted[0]

    def row_id(self, node: Node) -> tuple[str, str, str] | None:
        """(table, row id, column prefix) where a node's record is stored."""
        entity = node.entity
        if entity.table is None:  # columns of its parent's row (a pathology)
            assert node.parent is not None
            parent = self.row_id(node.parent)
            return None if parent is None else (parent[0], parent[1], entity.column_prefix)
        if entity.own_id:
            return entity.table, node.record.id, ""
        assert node.parent is not None
        parent = self.row_id(node.parent)
        if parent is None:
            return None
        alive = sorted((position, row_id) for row_id, position in self.alive[entity.table, parent[1]].items())
        index = (node.position or 1) - 1
        return (entity.table, alive[index][1], "") if index < len(alive) else None

    @staticmethod
    def lookup(entity: Entity, item: Item) -> tuple[str, Any] | None:
        """Where the trail keeps what last wrote an item's value, worked out once per item (`latest` reads it for
        every value): the record's id (its insert), a chosen value, the record status, or a column; None for a
        derived value, which has no trail."""
        if item.column is None:
            return "column", "id"
        if item.column.source is not None:
            return None
        f = item.column.field
        if f.listed:
            return "listed", (entity.multi_tables[f.key].table, item.choice)
        if f is RECORD_STATUS:
            return "status", f.key
        return "column", (entity.column_prefix if entity.table is None else "") + f.key

    def latest(self, where: tuple[str, str, str] | None, lookup: tuple[str, Any] | None) -> AuditEntry | None:
        """The row that last changed an item's value, given where its record is stored (`row_id`) and its
        `lookup`."""
        if where is None or lookup is None:
            return None
        kind, key = lookup
        table, row_id, _ = where
        if kind == "column":
            return self.written(table, row_id, key)
        if kind == "listed":
            multi, choice = key
            written = self.listed.get((multi, row_id), {})
            if choice is not None:
                return written.get(choice)
            return max(written.values(), key=lambda r: r.seq, default=None)
        # the record status: the mark, else the status column's last write (the signature's)
        return self.column.get((table, row_id, key)) or self.written(table, row_id, "status")


@dataclass
class People:
    """The users and signature meanings the clinical data names, given OIDs as they are met."""

    users: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # user name -> (OID, full name)
    meanings: dict[str, str] = field(default_factory=dict)  # meaning -> SignatureDef OID

    def user(self, username: str | None, full_name: str | None = None) -> str:
        name = username or "unknown"
        if name not in self.users:
            self.users[name] = (f"USR.{len(self.users) + 1}", full_name)
        elif full_name and not self.users[name][1]:
            self.users[name] = (self.users[name][0], full_name)
        return self.users[name][0]

    def meaning(self, text: str) -> str:
        return self.meanings.setdefault(text, f"SD.{len(self.meanings) + 1}")

    def element(self, effective: str) -> ET.Element:
        admin = ET.Element("AdminData", StudyOID=STUDY)
        for name, (oid, full_name) in self.users.items():
            user = ET.SubElement(admin, "User", OID=oid)
            ET.SubElement(user, "LoginName").text = name
            if full_name:
                ET.SubElement(user, "FullName").text = full_name
        location = ET.SubElement(admin, "Location", OID=LOCATION, Name="TACE Log logbook", LocationType="Site")
        ET.SubElement(location, "MetaDataVersionRef", StudyOID=STUDY, MetaDataVersionOID=VERSION,
                      EffectiveDate=effective)
        for meaning, oid in self.meanings.items():
            sd = ET.SubElement(admin, "SignatureDef", OID=oid, Methodology="Electronic")
            ET.SubElement(sd, "Meaning").text = meaning
            ET.SubElement(sd, "LegalReason").text = render("export.signature_legal", EN)
        return admin


_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                            "\t": "&#9;"})
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _a(value: str) -> str:
    """An attribute's value, escaped (line breaks too, which XML would otherwise read as spaces)."""
    return value.translate(_ATTRIBUTE)


def _t(value: str) -> str:
    return value.translate(_TEXT)


class Writer:
    """The clinical data of one batch of patients, as the text of SubjectData elements: written as strings rather
    than built as elements, since ClinicalData is nearly all of the file (an AuditRecord per value), and each audit
    row's AuditRecord is written once and reused for every value it wrote."""

    def __init__(self, metadata: Metadata, people: People, plan: Deidentification | None):
        self.metadata, self.people, self.plan = metadata, people, plan
        # per entity, each item as `_event` writes it: (the record's attribute when the value is stored there as
        # it is, the item, the ItemData's start, its value escaped as text, its trail lookup)
        self.items = {e.key: [(item.column.key if item.column is not None and item.column.stored
                               and item.choice is None else None, item,
                               f'<ItemData ItemOID="{item.oid}" Value="', item.data_type == "text",
                               Trail.lookup(e, item)) for item in metadata.items[e.key]]
                      for e in entities()}

    def subjects(self, batch: Batch) -> Iterator[str]:
        trail = None if self.plan else Trail(batch.audit)
        audits: dict[int, str] = {}  # audit row seq -> its AuditRecord
        for top in batch.trees:
            out = [f'<SubjectData SubjectKey="{_a(top.id)}">']
            for event_node in [top, *(n for n in top.walk() if n.entity.standalone)]:
                self._event(out, event_node, batch, trail, audits)
            out.append("</SubjectData>")
            yield "".join(out)

    def _event(self, out: list[str], event_node: Node, batch: Batch, trail: Trail | None,
               audits: dict[int, str]) -> None:
        entity = event_node.entity
        key = "" if event_node.instance is None else f' StudyEventRepeatKey="{event_node.instance}"'
        out.append(f'<StudyEventData StudyEventOID="{_event_oid(entity)}"{key}>'
                   f'<FormData FormOID="{_form_oid(entity)}">')
        signed = batch.signed.get(event_node.record.id) if entity.standalone and not self.plan else None
        if signed and signed.signature:
            out.append(self._signature(signed.signature))
        for node in _in_event(event_node):
            key = f' ItemGroupRepeatKey="{node.instance}"' if repeats_in_event(node.entity) else ""
            out.append(f'<ItemGroupData ItemGroupOID="{_group_oid(node.entity)}"{key}>')
            where = trail.row_id(node) if trail else None
            stored = node.record.__dict__
            for attribute, item, start, text, lookup in self.items[node.entity.key]:
                value = stored[attribute] if attribute is not None else item.value(node)
                if value is None or value == [] or value == "":
                    continue
                if value.__class__ is str:
                    value = _a(value) if text else value
                else:
                    value = value_text(item.data_type, value)
                    value = _a(value) if text else value
                written = trail.latest(where, lookup) if trail else None
                if written is None:
                    out.append(f'{start}{value}"/>')
                    continue
                audit = audits.get(written.seq)
                if audit is None:
                    audit = audits[written.seq] = self._audit(written)
                out.append(f'{start}{value}">{audit}</ItemData>')
            out.append("</ItemGroupData>")
        out.append("</FormData></StudyEventData>")

    def _audit(self, row: AuditEntry) -> str:
        reason = f"<ReasonForChange>{_t(row.reason)}</ReasonForChange>" if row.reason else ""
        return (f'<AuditRecord><UserRef UserOID="{self.people.user(row.username)}"/>'
                f'<LocationRef LocationOID="{LOCATION}"/><DateTimeStamp>{_t(row.at)}</DateTimeStamp>{reason}'
                f"<SourceID>audit row {row.seq} ({_t(row.action)}), hash {row.hash}</SourceID></AuditRecord>")

    def _signature(self, signature: Signature) -> str:
        user = self.people.user(signature.username, signature.signer)
        return (f'<Signature><UserRef UserOID="{user}"/><LocationRef LocationOID="{LOCATION}"/>'
                f'<SignatureRef SignatureOID="{self.people.meaning(signature.meaning)}"/>'
                f"<DateTimeStamp>{_t(signature.signed_at)}</DateTimeStamp></Signature>")


def _in_event(event_node: Node) -> Iterator[Node]:
    """The records of one event: its own and its parts', not those of the events below it (a patient's procedures)."""
    yield event_node
    stack = list(reversed(event_node.children))
    while stack:
        node = stack.pop()
        if node.entity.standalone:
            continue
        yield node
        stack.extend(reversed(node.children))


# An AuditRecord per value makes a batch's text and trail about twice a CSV batch's: half as many patients at a time
# keep the export within twice a bare read's memory (bench/exports.py: 1.54x at 100, 1.9x at 200 over 10,000).
BATCH = PATIENTS_AT_A_TIME // 2


def write(logbook: Logbook, target: str | Path, plan: Deidentification | None = None, batch: int = BATCH,
          only: Collection[str] | None = None) -> dict:
    """The logbook as one ODM 1.3.2 file; returns the subjects written."""
    metadata = Metadata(logbook.validator.choices, plan)
    people = People()
    writer = Writer(metadata, people, plan)
    subjects = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as clinical:
        for part in batches(logbook, batch, audit="rows", pseudonym=plan.pseudonym if plan else None, only=only):
            for subject in writer.subjects(part):
                clinical.write(subject)
                subjects += 1
        clinical.seek(0)
        # dated by its data, the logbook's last change: the same logbook gives the same file (a package's bytes)
        now = logbook.audit.newest() or now_utc()
        with atomic_file(target) as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            out.write(f'<ODM xmlns="{NAMESPACE}" ODMVersion="1.3.2" FileType="Snapshot" '
                      f'FileOID={quoteattr("TACE-LOG." + now)} CreationDateTime="{now}" AsOfDateTime="{now}" '
                      'SourceSystem="TACE Log" '
                      f'SourceSystemVersion="{__version__}">\n')
            description = render("export.odm_description", EN, path=logbook.path.name)
            out.write(ET.tostring(metadata.element(description), encoding="unicode") + "\n")
            out.write(ET.tostring(people.element(now[:10]), encoding="unicode") + "\n")
            out.write(f'<ClinicalData StudyOID="{STUDY}" MetaDataVersionOID="{VERSION}">')
            shutil.copyfileobj(clinical, out)
            out.write("</ClinicalData>\n</ODM>\n")
    return {"subjects": subjects}
