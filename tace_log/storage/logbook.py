"""The Logbook: the one way into a logbook file, for the CLI, the app, reports and tests.

It opens, creates and closes the file and reads, checks, saves and imports the records; the rest hangs off it as
managers sharing its `Session`: `users` (accounts, who is working), `signing` (signatures, addenda), `audit`
(the trail), `backups`, `worklist`, `courses` (what the course's derived rules read), `eligibility` (the
eligibility rules' inputs, made on first use). Every write validates first and runs in one transaction; a rule broken
anywhere means nothing is written. After a write commits, listeners are told what changed (a typed `Change`) so views
can refresh.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dictionary import KEY_IMAGE, PATIENT, PROCEDURE, children, parts
from ..errors import (
    InvalidInputError,
    LogbookError,
    RecordLockedError,
    RecordNotFoundError,
    RefusedError,
)
from ..files import remove_leftovers
from ..findings import ERROR, Finding, errors
from ..key_images import carried_images
from ..messages import Message, Shown, Worded
from ..model import SIGNED, Patient, Procedure, canonical_id, new_id, stored_text
from ..paths import CREATING, PARTIAL_BACKUP, RESTORING, backup_folder
from ..signing import (
    IDENTIFYING,
    addendum_from_document,
    carried_findings,
    entered_in_error_from_document,
    signature_from_document,
)
from ..times import audit_stamp, now_utc
from . import bulk, heads, records
from .accounts import Accounts
from .audit import AuditTrail
from .backups import Backups
from .changes import Change, Changed
from .connection import (
    connect,
    inspect_file,
    logbook_location,
    network_filesystem_warning,
    new_database,
    open_database,
    write_error,
)
from .course_inputs import CourseInputs
from .key_images import KeyImages
from .schema import schema_version
from .session import Session
from .signatures import SignedParts, Signing
from .worklist import PATIENT_MATCH, Worklist, like

if TYPE_CHECKING:
    from ..protocol import Protocol
    from ..validation import Validator
    from .eligibility_inputs import EligibilityReader


@dataclass
class SaveResult:
    """A saved record, what validation said of it, and whether anything changed."""

    record: object
    findings: list[Finding]
    changed: bool


@dataclass
class ImportSummary:
    """What an import added, updated and left unchanged, and its findings."""

    patients_added: int = 0
    patients_updated: int = 0
    patients_unchanged: int = 0
    procedures_added: int = 0
    procedures_updated: int = 0
    procedures_unchanged: int = 0
    findings: list[Finding] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"patients: {self.patients_added} added, {self.patients_updated} updated, "
                f"{self.patients_unchanged} unchanged; procedures: {self.procedures_added} added, "
                f"{self.procedures_updated} updated, {self.procedures_unchanged} unchanged")


class Logbook:
    """A TACE Log logbook file. Open with `Logbook.open(path)`; use as a context manager or call close().

    Writes are attributed in the audit trail to `users.current` (see `users.act_as`, `users.sign_in`,
    `users.reason`)."""

    def __init__(self, db: sqlite3.Connection, path: Path, validator: Validator | None = None,
                 user: str | None = None):
        self._session = Session(db, path)
        self.path = path
        self._validator = validator
        self._protocol: Protocol | None = None
        self._closed = False
        # Called after each batch `iter_patients` reads with (patients read, patients to read): an export's progress,
        # and where it stops when the caller raises (the app's Cancel).
        self.reading_progress: Callable[[int, int], None] | None = None
        # Said to the user once, on open (CLI: stderr; app: a banner); the logbook still works.
        self.warnings: list[str] = [w for w in [network_filesystem_warning(path)] if w]
        self.users = Accounts(self._session)
        self.signing = Signing(self._session, self, self.users)
        self.audit = AuditTrail(self._session)
        self.backups = Backups(self._session, self.users)
        self.worklist = Worklist(self._session)
        self.courses = CourseInputs(self._session)
        self.key_images = KeyImages(self._session)
        self._eligibility: EligibilityReader | None = None
        if user is not None:
            try:
                self.users.act_as(user)
            except BaseException:
                db.close()
                raise

    @property
    def _db(self) -> sqlite3.Connection:
        """The open connection (a restore replaces it: `Session.reconnect`)."""
        return self._session.db

    @property
    def validator(self) -> Validator:
        """The rules every write is checked against, with the formulary and protocol files they read: built on
        first use, not at start-up, when the user waits for nothing but the window."""
        if self._validator is None:
            from ..validation import Validator

            self._validator = Validator(protocol=self.protocol)
        return self._validator

    @property
    def eligibility(self) -> EligibilityReader:
        """Each patient's eligibility, computed from the course (`eligibility_inputs.py`): made on first use, as the
        rules it loads (the protocol, the catalogues) are not what the first screen needs."""
        if self._eligibility is None:
            from .eligibility_inputs import EligibilityReader

            self._eligibility = EligibilityReader(self._session, self)
        return self._eligibility

    @property
    def protocol(self) -> Protocol:
        """The protocol in force for this logbook: the `protocol.json` beside it, else the bundled one, read on
        first use (a validator given at open brings its own). A site file that cannot be used raises
        `ProtocolError` (naming the file and the key), here and wherever the validator is first needed."""
        if self._validator is not None:
            return self._validator.protocol
        if self._protocol is None:
            from ..protocol import protocol_for

            self._protocol = protocol_for(self.path)
        return self._protocol

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, validator: Validator | None = None,
             quick_check: bool = True, user: str | None = None) -> Logbook:
        path = logbook_location(path)
        new = not path.exists()
        logbook = cls(open_database(path, create=create, quick_check=quick_check), path, validator, user)
        if new:
            heads.retire(path)
        # what processes killed half-way left: a backup, a new logbook, a restore being prepared
        remove_leftovers(backup_folder(path), PARTIAL_BACKUP)
        remove_leftovers(path.parent, CREATING, RESTORING)
        return logbook

    @classmethod
    @contextmanager
    def created(cls, path: str | Path, *, user: str | None = None) -> Iterator[Logbook]:
        """A new logbook at `path` (where none exists) that appears there only if the block ends without error:
        a refused first import or first user leaves no logbook behind (`tace-log import` into a new path)."""
        path = logbook_location(path)
        heads.retire(path)  # its writes' heads go beside `path` from the first one
        try:
            with new_database(path) as db:
                logbook = cls(db, path, user=user)
                yield logbook
        except OSError as exc:
            raise LogbookError(Message("error.cannot_create", path=path, reason=exc.strerror or exc), path) from exc
        except sqlite3.Error as exc:
            raise write_error(exc, path) from exc

    @classmethod
    def read_only(cls, path: str | Path) -> Logbook:
        """A logbook opened to be read and never written (`tace-log check` of it or of a backup): not upgraded,
        so its schema may be older than this version's (the signature reads allow for it)."""
        path = logbook_location(path)
        inspect_file(path, None)
        return cls(connect(path, read_only=True), path)

    @staticmethod
    def check_file(path: str | Path) -> None:
        """The open-time damage check (`PRAGMA quick_check`) on its own read-only connection, writing nothing:
        for the app, which opens with `quick_check=False` and runs this off its UI thread before any write.
        Raises `LogbookCorruptError` (or another `LogbookError`) naming the file."""
        inspect_file(logbook_location(path), "quick_check")

    location = staticmethod(logbook_location)  # a logbook's absolute path, or one line on why it can never be one
    audited_field = staticmethod(records.audited_field)  # an audit row's column as its dictionary field
    audited_value = staticmethod(records.audited_value)  # and its stored value as the field's value

    def close(self) -> None:
        self._db.close()
        self._closed = True

    @property
    def is_open(self) -> bool:
        """False once closed: a view's deferred work (a count after typing) must not touch a closed logbook."""
        return not self._closed

    def __enter__(self) -> Logbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._session.schema_version

    @staticmethod
    def supported_schema_version() -> int:
        return schema_version()

    # -- change notification -----------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        """Call `listener` with each `Change` once its write commits (saves, signing, users, imports, a restore,
        by any manager of this Logbook); returns the call that stops it."""
        return self._session.subscribe(listener)

    # -- reading -----------------------------------------------------------------------------------------
    def _patients_where(self, where: str, params: Iterable = ()) -> list[Patient]:
        return [record for _, record in self._records_where(records.layout(PATIENT), where, list(params))]

    def _procedures_where(self, where: str, params: Iterable = ()) -> list[Procedure]:
        return [record for _, record in self._records_where(records.layout(PROCEDURE), where, list(params))]

    def _records_where(self, layout: records.Layout, where: str, params: list,
                       order: str = "rowid") -> list[tuple[tuple, Any]]:
        """(row, record) of each row of an entity's table that `where` selects, with its parts: a statement per
        table the declaration names, each selecting the rows under the same `where`. A row is its values in
        `layout.columns` order: its id first, then its owner's id (`layout.owner`) when it has one."""
        select = layout.select if self.schema_version >= schema_version() else self._older_select(layout)
        if select is None:
            return []
        rows = self._db.execute(f"SELECT {select} FROM {layout.table} WHERE {where} ORDER BY {order}",
                                params).fetchall()
        if not rows:
            return []
        subset = f"(SELECT id FROM {layout.table} WHERE {where})"
        multi: dict[str, dict[tuple[str | None, str], list[str]]] = defaultdict(lambda: defaultdict(list))
        for part_key, field_key, table in layout.multi:
            if self.schema_version < schema_version() and not self._stored_columns(table.table):
                continue
            for owner, value in self._db.execute(
                    f"SELECT {table.owner}, {table.value} FROM {table.table} WHERE {table.owner} IN {subset} "
                    "ORDER BY rowid", params).fetchall():
                multi[owner][part_key, field_key].append(value)
        parts: dict[str, dict[str, list]] = defaultdict(dict)
        for key, part, _many in layout.tables:
            by_owner: dict[str, list] = defaultdict(list)
            for row, record in self._records_where(part, f"{part.owner} IN {subset}", params,
                                                   f"{part.owner}, position" if part.positioned else "rowid"):
                by_owner[row[1]].append(record)  # a part's row: its id, then its owner's
            for owner, found in by_owner.items():
                parts[owner][key] = found
        one = {key for key, _, many in layout.tables if not many}
        return [(r, layout.record(r, multi.get(r[0], {}), {key: value[0] if key in one else value
                                                            for key, value in parts.get(r[0], {}).items()}))
                for r in rows]

    def _older_select(self, layout: records.Layout) -> str | None:
        """What a logbook of an older schema (read, never upgraded: `read_only`) holds of an entity's columns, the
        ones it lacks read as not recorded; None when it has no table for the entity yet."""
        stored = self._stored_columns(layout.table)
        if not stored:
            return None
        return ", ".join(c if c in stored else f"NULL AS {c}" for c in layout.columns)

    def _stored_columns(self, table: str) -> frozenset[str]:
        return frozenset(row[1] for row in self._db.execute(f"PRAGMA table_info({table})"))

    def get_patient(self, patient_id: str) -> Patient:
        found = self._patients_where("id = ?", [patient_id])
        if not found:
            raise RecordNotFoundError(Message("error.no_patient", id=patient_id))
        return found[0]

    def find_patient_by_mrn(self, mrn: str) -> Patient | None:
        found = self._patients_where("mrn = ?", [mrn])
        return found[0] if found else None

    def get_procedure(self, procedure_id: str) -> Procedure:
        found = self._procedures_where("id = ?", [procedure_id])
        if not found:
            raise RecordNotFoundError(Message("error.no_procedure", id=procedure_id))
        return found[0]

    def procedures_of(self, patient_id: str) -> list[Procedure]:
        return self._procedures_where("patient_id = ?", [patient_id])

    def search_patients(self, text: str, limit: int = 50) -> list[Patient]:
        """Patients whose name, MRN or study ID contains the text (2-character Chinese names too)."""
        q = like(text.strip())
        ids = [row[0] for row in self._db.execute(
            f"SELECT id FROM patients WHERE {PATIENT_MATCH} ORDER BY name LIMIT ?",
            [q, q, q, int(limit)]).fetchall()]
        return self._patients_where(f"id IN ({', '.join('?' * len(ids))})", ids) if ids else []

    def iter_patients(self, batch: int = 500, only: Collection[str] | None = None) \
            -> Iterator[tuple[Patient, list[Procedure]]]:
        """Every patient (or only those with an id in `only`) with their procedures, in the order they entered the
        logbook, a batch at a time."""
        last = read = 0
        progress = self.reading_progress
        if progress is not None:
            total = len(only) if only is not None else self._db.execute("SELECT count(*) FROM patients").fetchone()[0]
            progress(0, total)
        while True:
            ids = self._db.execute("SELECT rowid, id FROM patients WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                   [last, batch]).fetchall()
            if not ids:
                return
            last = ids[-1][0]
            if only is not None:
                ids = [(rowid, i) for rowid, i in ids if i in only]
                if not ids:
                    continue
            marks = ", ".join("?" * len(ids))
            keys = [i for _, i in ids]
            patients = self._patients_where(f"id IN ({marks})", keys)
            by_patient = defaultdict(list)
            for proc in self._procedures_where(f"patient_id IN ({marks})", keys):
                by_patient[proc.patient_id].append(proc)
            for patient in patients:
                yield patient, by_patient[patient.id]
            read += len(patients)
            if progress is not None:
                progress(read, total)

    def patients_changed_since(self, moment: dt.datetime) -> set[str]:
        """The patients with anything of theirs written after `moment` by the audit trail: their own record, their
        course, a procedure or its parts, a signature or an addendum (a record deleted since is not there to send)."""
        stamp = audit_stamp(moment)
        changed = "SELECT parent_id FROM audit_log WHERE at > ?"
        return {row[0] for row in self._db.execute(
            f"SELECT id FROM patients WHERE id IN ({changed}) "
            f"UNION SELECT patient_id FROM procedures WHERE id IN ({changed})", [stamp, stamp])}

    def counts(self) -> dict[str, int]:
        return {table: self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("patients", "procedures", "agent_doses", "complications")}

    # -- writing -----------------------------------------------------------------------------------------
    def _refuse_errors(self, findings: list[Finding], summary: Message) -> None:
        if errors(findings):
            raise InvalidInputError(findings, summary)

    def check_patient(self, patient: Patient) -> list[Finding]:
        """Findings for a patient as it would be saved: its fields, its stored procedures, a unique MRN."""
        doc = patient.to_document()
        stored = self._db.execute("SELECT 1 FROM patients WHERE id = ?", [patient.id]).fetchone()
        if stored:
            doc["procedures"] = self._stored_procedure_documents(patient.id)
        return self.validator.patient(doc) + self._mrn_taken(patient, "mrn") + self._identity_locked(patient, "")

    def _stored_procedure_documents(self, patient_id: str, but: str | None = None) -> list[dict]:
        """The patient's stored procedures (but one) as the rules read them beside a record being checked, each
        marked entered in error carrying that it is (it duplicates nothing)."""
        marked = self.signing.marked_entered_in_error(patient_id)
        return [{**p.to_document(), "entered_in_error": True} if p.id in marked else p.to_document()
                for p in self.procedures_of(patient_id) if p.id != but]

    def _mrn_taken(self, patient: Patient, path: str) -> list[Finding]:
        owner = self._db.execute("SELECT id, name FROM patients WHERE mrn = ? AND id != ?",
                                 [patient.mrn, patient.id]).fetchone() if isinstance(patient.mrn, str) else None
        if owner:
            return [Finding(path, ERROR, Message("mrn_taken", mrn=repr(patient.mrn), owner=owner[1]))]
        return []

    def check_entry(self, patient: Patient, procedure: Procedure) -> list[Finding]:
        """Findings for a patient and one of its procedures saved together (the app's form); paths start with
        'patient.' or 'procedure.'. The patient's other stored procedures are checked against the patient too."""
        doc = patient.to_document()
        doc["procedures"] = self._stored_procedure_documents(patient.id, but=procedure.id)
        findings = (self.validator.patient(doc, "patient") + self._mrn_taken(patient, "patient.mrn")
                    + self._identity_locked(patient, "patient"))
        procedure_doc = procedure.to_document()
        return findings + self.validator.procedure(procedure_doc, doc, "procedure") \
            + self._images_missing(procedure_doc, "procedure")

    def _images_missing(self, procedure_doc: dict, path: str, carried: Mapping[str, str] | None = None) \
            -> list[Finding]:
        """A key image whose bytes are neither in this logbook nor `carried` (by a document being imported:
        SHA-256 -> media type), or that says it is another type of image than its bytes are."""
        named = [(i, image.get("sha256"), image.get("media_type"))
                 for i, image in enumerate(procedure_doc.get("key_images") or []) if isinstance(image, dict)]
        have = {**self.key_images.stored(h for _, h, _ in named if isinstance(h, str)), **(carried or {})}
        out, prefix = [], f"{path}." if path else ""
        for i, sha256, media_type in named:
            if isinstance(sha256, str) and sha256 not in have:
                out.append(Finding(f"{prefix}key_images[{i}].sha256", ERROR, Message("key_image.missing",
                                                                                   sha256=sha256)))
            elif isinstance(sha256, str) and media_type != have[sha256]:
                out.append(Finding(f"{prefix}key_images[{i}].media_type", ERROR, Message(
                    "key_image.media_type", found=Shown(KEY_IMAGE["media_type"], have[sha256]))))
        return out

    def _identity_locked(self, patient: Patient, path: str) -> list[Finding]:
        """A patient with a signed procedure keeps the identifying fields that were signed."""
        if not self._db.execute("SELECT 1 FROM procedures WHERE patient_id = ? AND status = ?",
                                [patient.id, SIGNED]).fetchone():
            return []
        stored, given = self.get_patient(patient.id).to_document(), patient.to_document()
        return [Finding(f"{path}.{key}" if path else key, ERROR, Message(
                    "locked", name=stored["name"], field=Worded(key, PATIENT[key].zh), old=repr(stored[key]),
                    new=repr(given[key])))
                for key in IDENTIFYING if stored[key] != given[key]]

    def check_procedure(self, procedure: Procedure) -> list[Finding]:
        patient = self.get_patient(procedure.patient_id)
        procedure_doc = procedure.to_document()
        return self.validator.procedure(procedure_doc, patient.to_document()) + self._images_missing(procedure_doc, "")

    def save_patient(self, patient: Patient) -> SaveResult:
        findings = self.check_patient(patient)
        self._refuse_errors(findings, Message("summary.patient_not_saved"))
        with self._session.transaction():
            changed = self._write_patient(patient, now_utc())
        if changed:
            self._session.announce(Change(Changed.PATIENT_SAVED, (patient.id,)))
        return SaveResult(patient, findings, bool(changed))

    def save_procedure(self, procedure: Procedure) -> SaveResult:
        if procedure.patient_id is None:
            raise RecordNotFoundError(Message("error.no_patient_for_procedure"))
        self.signing.refuse_if_signed(procedure.id)
        findings = self.check_procedure(procedure)
        self._refuse_errors(findings, Message("summary.procedure_not_saved"))
        with self._session.transaction():
            changed = self._write_procedure(procedure, now_utc())
        if changed:
            self._session.announce(Change(Changed.PROCEDURE_SAVED, (procedure.id,)))
        return SaveResult(procedure, findings, bool(changed))

    def save_entry(self, patient: Patient, procedure: Procedure) -> SaveResult:
        """Save a patient and one of its procedures in one transaction (what the app's form holds)."""
        procedure.patient_id = patient.id
        self.signing.refuse_if_signed(procedure.id)
        findings = self.check_entry(patient, procedure)
        self._refuse_errors(findings, Message("summary.not_saved"))
        stamp = now_utc()
        with self._session.transaction():
            patient_changed = self._write_patient(patient, stamp)
            procedure_changed = self._write_procedure(procedure, stamp)
        if procedure_changed:
            self._session.announce(Change(Changed.PROCEDURE_SAVED, (procedure.id,)))
        elif patient_changed:
            self._session.announce(Change(Changed.PATIENT_SAVED, (patient.id,)))
        return SaveResult(procedure, findings, bool(patient_changed or procedure_changed))

    def delete_procedure(self, procedure_id: str, reason: str) -> Procedure:
        """Delete an unsigned procedure and its parts in one transaction; every audit row of the delete carries the
        reason (a delete is never silent). A signed procedure is refused: it is voided by a signed record instead.
        The patient stays. Returns the procedure as it was."""
        procedure = self.get_procedure(procedure_id)
        self.signing.refuse_if_signed(procedure_id, "what.deleted")
        if not reason.strip():
            raise RefusedError(Message("error.delete_reason_needed", id=procedure_id))
        with self._session.reason(reason.strip()), self._session.transaction():
            self._delete_under(records.layout(PROCEDURE), "id = ?", [procedure_id])
        self._session.announce(Change(Changed.PROCEDURE_DELETED, (procedure_id,)))
        return procedure

    def _write_patient(self, patient: Patient, stamp: str) -> str | None:
        """Insert or update one patient inside the caller's transaction; returns 'added', 'updated' or None."""
        stored = self._patients_where("id = ?", [patient.id])
        if stored and stored[0].to_document() == patient.to_document():
            patient.created_at, patient.updated_at = stored[0].created_at, stored[0].updated_at
            return None
        patient.created_at = stored[0].created_at if stored else stamp
        patient.updated_at = stamp
        self._write_record(records.layout(PATIENT), patient, stored[0] if stored else None)
        return "updated" if stored else "added"

    def _write_procedure(self, procedure: Procedure, stamp: str) -> str | None:
        stored = self._procedures_where("id = ?", [procedure.id])
        if stored and stored[0].to_document() == procedure.to_document() \
                and stored[0].patient_id == procedure.patient_id:
            procedure.created_at, procedure.updated_at = stored[0].created_at, stored[0].updated_at
            procedure.status = stored[0].status
            return None
        if stored and stored[0].status == SIGNED:  # signed records are never rewritten
            raise RecordLockedError(Message("error.signed_dated", id=procedure.id, date=stored[0].date.isoformat()))
        procedure.created_at = stored[0].created_at if stored else stamp
        procedure.updated_at = stamp
        self._write_record(records.layout(PROCEDURE), procedure, stored[0] if stored else None)
        return "updated" if stored else "added"

    def _write_record(self, layout: records.Layout, record, before, owner_id: str | None = None,
                      position: int | None = None) -> None:
        """A record's row, and its parts rewritten only where they changed, so the audit trail shows real changes
        only (a new record has nothing before it: each part is written)."""
        self._upsert(layout.table, layout.row(record, owner_id, position), before is not None)
        old_values = layout.multi_values(before) if before is not None else None
        for i, (table, values) in enumerate(layout.multi_values(record)):
            if old_values is None or old_values[i][1] != values:
                self._replace_multi(table.table, table.owner, table.value, record.id, values)
        for key, part, many in layout.tables:
            new = _listed(getattr(record, key), many)
            old = None if before is None else _listed(getattr(before, key), many)
            if _documents(old) != _documents(new):
                if part.own_id and old:
                    self._update_children(part, record.id, old, new)
                else:
                    self._replace_children(part, record.id, new)

    def _update_children(self, layout: records.Layout, owner_id: str, old: list, new: list) -> None:
        """Bring a list of records with ids of their own (a patient's labs) from `old` to `new` record by record,
        so one changed lab is one audited change, not the whole list deleted and written again. The records kept
        keep their positions (a gap where one was removed is no matter: rows are read in position order), new ones
        come after them; a list whose kept records changed order is written again whole."""
        stored = {record.id: (i, record) for i, record in enumerate(old)}
        kept = [stored[r.id][0] for r in new if r.id in stored]
        first_new = next((i for i, r in enumerate(new) if r.id not in stored), len(new))
        if kept != sorted(kept) or any(r.id in stored for r in new[first_new:]):
            self._replace_children(layout, owner_id, new)
            return
        positions = [row[0] for row in self._db.execute(
            f"SELECT position FROM {layout.table} WHERE {layout.owner} = ? ORDER BY position", [owner_id])]
        kept_ids = {r.id for r in new}
        gone = [record.id for record in old if record.id not in kept_ids]
        if gone:
            self._delete_under(layout, f"id IN ({', '.join('?' * len(gone))})", gone)
        after = positions[-1] + 1 if positions else 0
        for record in new:
            if record.id in stored:
                i, before = stored[record.id]
                if before.to_document() != record.to_document():
                    self._write_record(layout, record, before, owner_id, positions[i])
            else:
                self._write_record(layout, record, None, owner_id, after)
                after += 1

    def _upsert(self, table: str, row: dict, stored: bool) -> None:
        if stored:
            assignments = ", ".join(f"{c} = :{c}" for c in row if c != "id")
            self._db.execute(f"UPDATE {table} SET {assignments} WHERE id = :id", row)
        else:
            bulk.insert_rows(self._db, table, list(row), [row])

    def _replace_multi(self, table: str, key: str, column: str, owner: str, values: list[str]) -> None:
        self._db.execute(f"DELETE FROM {table} WHERE {key} = ?", [owner])
        bulk.insert_rows(self._db, table, [key, column], [{key: owner, column: v} for v in values])

    def _replace_children(self, layout: records.Layout, owner_id: str, children: list) -> None:
        """Replace one record's list of parts (its agents): the old rows go, and what hangs off them, deepest
        first; the new ones are inserted, parents first."""
        self._delete_under(layout, f"{layout.owner} = ?", [owner_id])
        rows = layout.new_rows()
        layout.rows(children, owner_id, new_id, rows)
        for table, (cols, found) in rows.items():
            bulk.insert_rows(self._db, table, cols, found)

    def _delete_under(self, layout: records.Layout, where: str, params: list) -> None:
        subset = f"(SELECT id FROM {layout.table} WHERE {where})"
        for _key, part, _many in layout.tables:
            self._delete_under(part, f"{part.owner} IN {subset}", params)
        for _part_key, _field_key, table in layout.multi:
            self._db.execute(f"DELETE FROM {table.table} WHERE {table.owner} IN {subset}", params)
        self._db.execute(f"DELETE FROM {layout.table} WHERE {where}", params)

    # -- import ------------------------------------------------------------------------------------------
    def import_conflicts(self, doc: dict) -> list[Finding]:
        """Problems between a (valid) document and this logbook: an MRN or id already used elsewhere, a key image
        neither carried nor here."""
        out = []
        carried = {image.sha256: image.media_type for image in carried_images(doc)}
        patient_paths: dict[str, str] = {}  # each stored patient the document names, by id: where it first does
        for i, p in enumerate(doc.get("patients", [])):
            path = f"patients[{i}]"
            owner = self._patient_id_for_mrn(stored_text(PATIENT["mrn"], p["mrn"]))
            patient_id = canonical_id(p.get("id")) or owner
            if owner and patient_id and owner != patient_id:
                out.append(Finding(f"{path}.mrn", ERROR, Message("mrn_taken.import", mrn=repr(p["mrn"]))))
            elif patient_id and self._db.execute("SELECT 1 FROM patients WHERE id = ?", [patient_id]).fetchone():
                out += self._identity_locked(Patient.from_document({**p, "id": patient_id}), path)
            if patient_id in patient_paths:  # one named by its id, one by the MRN the logbook holds for that id
                out.append(Finding(path, ERROR, Message("duplicate_patient", other=patient_paths[patient_id])))
            elif patient_id:
                patient_paths[patient_id] = path
            for j, proc in enumerate(p.get("procedures") or []):
                out += self._images_missing(proc, f"{path}.procedures[{j}]", carried)
                if not proc.get("id"):
                    continue
                row = self._db.execute("SELECT patient_id, status FROM procedures WHERE id = ?",
                                       [canonical_id(proc["id"])]).fetchone()
                if row and row[0] != patient_id:
                    out.append(Finding(f"{path}.procedures[{j}].id", ERROR, Message("id_taken")))
                elif row and row[1] == SIGNED and \
                        self.get_procedure(canonical_id(proc["id"])).to_document() != \
                        Procedure.from_document(proc).to_document():
                    out.append(Finding(f"{path}.procedures[{j}]", ERROR, Message(
                        "locked.import", id=proc["id"], name=p.get("name"), mrn=p.get("mrn"))))
                elif row:
                    out += self.signing.conflicts(proc, canonical_id(proc["id"]), f"{path}.procedures[{j}]")
        return out + self._course_ids_taken(doc)

    def _course_ids_taken(self, doc: dict) -> list[Finding]:
        """A record of a patient's course (a lab, an adverse event) whose id the logbook holds under another
        patient: one id is one record, and it cannot move between patients unseen."""
        out = []
        for part in children(PATIENT):
            if not (part.many and part.own_id and part.table):
                continue
            wanted: dict[str, tuple[str | None, str]] = {}  # id -> (the patient it is under here, its path)
            for i, p in enumerate(doc.get("patients", [])):
                owner = canonical_id(p.get("id")) or self._patient_id_for_mrn(stored_text(PATIENT["mrn"], p["mrn"]))
                for j, row in enumerate(p.get(part.document_key) or []):
                    if row.get("id"):
                        wanted[canonical_id(row["id"])] = (owner, f"patients[{i}].{part.document_key}[{j}].id")
            ids = list(wanted)
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for record_id, holder in self._db.execute(
                        f"SELECT id, patient_id FROM {part.table} WHERE id IN ({', '.join('?' * len(chunk))})",
                        chunk).fetchall():
                    owner, path = wanted[record_id]
                    if holder != owner:
                        out.append(Finding(path, ERROR, Message("id_taken.record", record=part)))
        return out

    def _patient_id_for_mrn(self, mrn: str) -> str | None:
        row = self._db.execute("SELECT id FROM patients WHERE mrn = ?", [mrn]).fetchone()
        return row[0] if row else None

    def import_document(self, doc) -> ImportSummary:
        """Import a tace-log/1 or /2 document, all or nothing: every problem is listed and, if any is an error,
        nothing is written. The checks run inside the write transaction, so they see what is written over.

        New records go through the bulk path; known ones are compared and updated one by one, so unchanged
        records keep their timestamps. A patient without an id is the one with the same MRN; a procedure without
        an id that is an exact copy of one of that patient's is that procedure (a file imported twice adds nothing).
        A signature and addenda a procedure carries (verified against its content by the validator) are stored
        as signed elsewhere, and the procedure is then locked.
        """
        stamp = now_utc()
        with self._session.transaction():
            from ..envelope import check_document  # the rules load on first use, not at start-up

            findings = check_document(doc, self.validator)
            findings += carried_findings(doc, findings)
            if not errors(findings):
                findings += self.import_conflicts(doc)
            if errors(findings):
                raise InvalidInputError(findings, Message("summary.nothing_imported"))
            summary, touched = self._write_import(doc, self._import_entries(doc), findings, stamp)
        if summary.patients_added or summary.patients_updated or touched:
            self._session.announce(Change(Changed.IMPORTED, tuple(touched)))
        return summary

    def _import_entries(self, doc: dict) -> list[tuple[Patient, list[Procedure], dict]]:
        """(patient, procedures, what was signed: procedure id -> (signature, addenda)) of each patient."""
        entries = []
        for p in doc["patients"]:
            patient = Patient.from_document(p)
            if not p.get("id"):
                patient.id = self._patient_id_for_mrn(patient.mrn) or patient.id
            self._match_stored_course(patient, p)
            procedures = [Procedure.from_document(proc) for proc in p.get("procedures") or []]
            signed = {}
            for procedure, proc in zip(procedures, p.get("procedures") or [], strict=True):
                if not proc.get("id"):
                    self._match_stored_copy(patient.id, procedure)
                if proc.get("signature"):  # addenda and a mark travel only with a signature (envelope.py)
                    mark = proc.get("entered_in_error")
                    signed[procedure.id] = SignedParts(
                        signature_from_document(proc["signature"]),
                        [addendum_from_document(a, procedure.id) for a in proc.get("addenda") or []],
                        entered_in_error_from_document(mark, procedure.id) if mark else None)
            entries.append((patient, procedures, signed))
        return entries

    def _match_stored_course(self, patient: Patient, doc: dict) -> None:
        """A course record without an id that is an exact copy of one of the patient's stored ones is that record
        (as a procedure is: an id-less file imported twice neither doubles nor rewrites the course)."""
        lists = [c for c in parts(PATIENT) if c.many and c.own_id and any(
            not row.get("id") for row in doc.get(c.document_key) or [])]
        stored = self._patients_where("id = ?", [patient.id]) if lists else []
        if not stored:
            return
        for part in lists:
            free: dict[str, list[str]] = {}  # the stored records not yet matched, by content without the id
            for record in getattr(stored[0], part.document_key):
                free.setdefault(_without_id(record), []).append(record.id)
            for record, row in zip(getattr(patient, part.document_key), doc[part.document_key], strict=True):
                if not row.get("id") and free.get(_without_id(record)):
                    record.id = free[_without_id(record)].pop(0)

    def _match_stored_copy(self, patient_id: str, procedure: Procedure) -> None:
        content = {**procedure.to_document(), "id": None}
        for stored in self.procedures_of(patient_id):
            if {**stored.to_document(), "id": None} == content:
                procedure.id = stored.id
                return

    def _write_import(self, doc, entries, findings, stamp) -> tuple[ImportSummary, list[str]]:
        summary = ImportSummary(findings=list(findings))
        self.key_images._insert(carried_images(doc))  # before the records that name them
        known_patients = self._existing_ids("patients", [p.id for p, _, _ in entries])
        known_procedures = self._existing_ids("procedures", [pr.id for _, procs, _ in entries for pr in procs])
        fresh = [(p, procs) for p, procs, _ in entries
                 if p.id not in known_patients and not any(pr.id in known_procedures for pr in procs)]
        fresh_ids = {p.id for p, _ in fresh}
        touched = [pr.id for _, procs in fresh for pr in procs]
        summary.patients_added, summary.procedures_added = bulk.insert_new(self._db, fresh, stamp)
        outcomes = {}
        for patient, procedures, _ in entries:
            if patient.id in fresh_ids:
                continue
            _count(summary, "patients", self._write_patient(patient, stamp))
            for procedure in procedures:
                procedure.patient_id = patient.id
                outcomes[procedure.id] = self._write_procedure(procedure, stamp)
        # signed after every record is written: a signature is stored on the record as the document gives it
        gained = self.signing.store_imported({pid: parts for _, _, signed in entries for pid, parts in signed.items()})
        for procedure_id, outcome in outcomes.items():
            outcome = outcome or ("updated" if procedure_id in gained else None)
            _count(summary, "procedures", outcome)
            if outcome:
                touched.append(procedure_id)
        return summary, touched

    def _existing_ids(self, table: str, ids: list[str], chunk: int = 500) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), chunk):
            part = ids[start:start + chunk]
            found.update(row[0] for row in self._db.execute(
                f"SELECT id FROM {table} WHERE id IN ({', '.join('?' * len(part))})", part).fetchall())
        return found



def _without_id(record) -> str:
    import json  # loaded on first use: only an id-less import needs it

    return json.dumps({**record.to_document(), "id": None}, sort_keys=True, default=str)


def _listed(value, many: bool) -> list:
    """A part's records as a list: a list already, or the one record (none for an optional part not recorded)."""
    return value if many else [] if value is None else [value]


def _documents(parts: list | None) -> list[dict] | None:
    return None if parts is None else [part.to_document() for part in parts]


def _count(summary: ImportSummary, what: str, outcome: str | None) -> None:
    name = f"{what}_{outcome or 'unchanged'}"
    setattr(summary, name, getattr(summary, name) + 1)
