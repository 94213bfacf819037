"""The Logbook: the one way into a logbook file, for the CLI, the app, reports and tests.

Every write validates first and runs in one transaction; a rule broken anywhere means nothing is written.
After a write commits, listeners are told what changed so views can refresh (the app bridges this to Qt).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..dictionary import PATIENT
from ..errors import (
    InvalidInputError,
    LogbookError,
    RecordLockedError,
    RecordNotFoundError,
)
from ..files import remove_leftovers
from ..findings import ERROR, Finding, errors
from ..messages import Message, Worded
from ..model import SIGNED, Patient, Procedure, canonical_id, new_id, stored_text
from ..paths import CREATING, PARTIAL_BACKUP, RESTORING, backup_folder
from ..signing import IDENTIFYING, addendum_from_document, carried_findings, signature_from_document
from ..times import now_utc
from . import bulk, heads, records
from .audit import AuditSession
from .connection import (
    connect,
    inspect_file,
    logbook_location,
    network_filesystem_warning,
    new_database,
    open_database,
    write_error,
)
from .schema import SCHEMA_VERSION
from .signatures import SigningMixin

if TYPE_CHECKING:
    from ..validation import Validator
    from .backup import BackupPolicy, BackupReport, RestoreReport

# Worklist columns a view may sort by, and the SQL each sorts on (a whitelist: nothing user-typed reaches SQL).
WORKLIST_SORT = {
    "date": "pr.date",
    "name": "pa.name",
    "mrn": "pa.mrn",
    "study_id": "pa.study_id",
    "tumor_staining": "pr.tumor_staining",
    "embolization": "pr.embolization",
    "status": "pr.status",
}


@dataclass(frozen=True)
class WorklistRow:
    """One line of the worklist: a procedure with its patient's name and ids."""

    procedure_id: str
    patient_id: str
    date: str
    name: str
    mrn: str
    study_id: str | None
    cycle: int | None
    tumor_staining: str
    embolization: str
    status: str


@dataclass(frozen=True)
class Change:
    """What a committed write changed; `kind` is 'patient', 'procedure', 'import' or 'restore'."""

    kind: str
    ids: tuple[str, ...]


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



def _backup():
    """The backup module, loaded on first use, not at start-up (tests/ui/test_startup_imports.py)."""
    from . import backup

    return backup


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Logbook(SigningMixin):
    """A TACE Log logbook file. Open with `Logbook.open(path)`; use as a context manager or call close().

    Writes are attributed in the audit trail to `current_user` (see `act_as`, `sign_in`, `reason`)."""

    def __init__(self, db, path: Path, validator: Validator | None = None, user: str | None = None):
        self._db = db
        self.path = path
        self._validator = validator
        self._listeners: list[Callable[[Change], None]] = []
        self._closed = False
        # Said to the user once, on open (CLI: stderr; app: a banner); the logbook still works.
        self.warnings: list[str] = [w for w in [network_filesystem_warning(path)] if w]
        self._audit = AuditSession(db)  # the audit triggers need its SQL functions on this connection
        self._password_upgrades: dict[str, tuple[str, str]] = {}  # user: (stored hash, new one); see authenticate
        if user is not None:
            try:
                self.act_as(user)
            except BaseException:
                db.close()
                raise

    @property
    def validator(self) -> Validator:
        """The rules every write is checked against, with the formulary and protocol files they read: built on
        first use, not at start-up, when the user waits for nothing but the window."""
        if self._validator is None:
            from ..validation import Validator

            self._validator = Validator()
        return self._validator

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

    _now = staticmethod(now_utc)
    location = staticmethod(logbook_location)  # a logbook's absolute path, or one line on why it can never be one
    audited_field = staticmethod(records.audited_field)  # an audit row's column as its dictionary field

    # -- backups ------------------------------------------------------------------------------------------
    def back_up(self, target: str | Path | None = None, policy: BackupPolicy | None = None) -> BackupReport:
        """A verified backup now (File > Back up now): to `target`, or into `backups/` beside the logbook, which
        is then rotated as `policy` says (by default `BackupPolicy()`)."""
        return _backup().back_up(self._db, self.path, Path(target) if target else None, policy)

    def back_up_if_due(self, policy: BackupPolicy | None = None) -> BackupReport | None:
        """The automatic backup (on exit): made only if none was made today."""
        return self.back_up(policy=policy) if _backup().backup_due(self.path) else None

    def restore_from(self, backup_file: str | Path, despite: str | None = None) -> RestoreReport:
        """Replace this logbook's content with a verified backup (File > Restore); the old content is kept aside
        and the restore is in the audit trail under the current user. The restore needs the file to itself, so
        this connection is closed for it and opened again on what is then there; anyone else holding the file
        makes it refuse (`LogbookInUseError`) with nothing changed. A backup whose schema, audit trail or
        signatures do not verify is refused (`BackupError`) unless `despite` says why."""
        self.refuse_restore_unless_allowed()
        user, reason = self._audit.user, self._audit.reason
        self._db.close()
        try:
            report = _backup().restore(self.path, Path(backup_file), user, despite)
        finally:
            self._db = open_database(self.path, create=False, quick_check=False)
            self._audit = AuditSession(self._db, user)
            self._audit.reason = reason
        self._announce(Change("restore", ()))
        return report

    @staticmethod
    def restore_file(path: str | Path, backup_file: str | Path, despite: str | None = None) -> RestoreReport:
        """Restore a logbook by its path (`tace-log restore`), also one that cannot be opened (damaged): the file
        before is kept aside, a damaged one byte for byte. Refused while anyone has the logbook open, and for a
        backup that does not verify unless `despite` says why."""
        return _backup().restore(logbook_location(path), Path(backup_file), despite=despite)

    @staticmethod
    def newest_good_backup(path: str | Path) -> Path | None:
        return _backup().newest_good_backup(logbook_location(path))

    @staticmethod
    def backups(path: str | Path) -> list[Path]:
        """The logbook's backups in `backups/`, newest first."""
        return [p for _, p in _backup().list_backups(logbook_location(path))]

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction. BEGIN IMMEDIATE takes the write lock first, so a second writer (the CLI beside
        the app) waits for it up to the busy timeout instead of failing on a stale read; a failure is a
        one-line LogbookError and nothing is written. Old password hashes made again at a sign-in go first. Once
        committed, the trail's newest head goes to the head file beside the logbook (storage/heads.py)."""
        conn = self._db
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                before = heads.last_seq(conn)
                self._write_password_upgrades()
                yield
                head = heads.chain_head(conn, since=before)
            except BaseException:
                if conn.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise write_error(exc, self.path) from exc
        if head is not None:  # the newest head only, once the rows it names are on disk
            heads.append_after_write(self.path, head)

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
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    @staticmethod
    def supported_schema_version() -> int:
        return SCHEMA_VERSION

    # -- change notification -----------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _announce(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    def _announce_change(self, kind: str, ids: tuple[str, ...]) -> None:
        self._announce(Change(kind, ids))

    # -- reading -----------------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        cursor = self._db.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _patients_where(self, where: str, params: Iterable = ()) -> list[Patient]:
        rows = self._rows(f"SELECT {', '.join(records.PATIENT_COLUMNS)} FROM patients WHERE {where} "
                          "ORDER BY rowid", params)
        thrombus = defaultdict(list)
        for pid, site in self._db.execute(
                f"SELECT patient_id, site FROM patient_thrombus WHERE patient_id IN "
                f"(SELECT id FROM patients WHERE {where}) ORDER BY rowid", list(params)).fetchall():
            thrombus[pid].append(site)
        return [records.patient_from_row(r, thrombus[r["id"]]) for r in rows]

    def _procedures_where(self, where: str, params: Iterable = ()) -> list[Procedure]:
        params = list(params)
        rows = self._rows(f"SELECT {', '.join(records.PROCEDURE_COLUMNS)} FROM procedures WHERE {where} "
                          "ORDER BY rowid", params)
        subset = f"(SELECT id FROM procedures WHERE {where})"
        segments = defaultdict(list)
        for pid, segment in self._db.execute(
                f"SELECT procedure_id, segment FROM procedure_segments WHERE procedure_id IN {subset} ORDER BY rowid",
                params).fetchall():
            segments[pid].append(segment)
        agents = defaultdict(list)
        for row in self._rows(f"SELECT {', '.join(records.AGENT_COLUMNS)} FROM agent_doses "
                              f"WHERE procedure_id IN {subset} ORDER BY procedure_id, position", params):
            agents[row["procedure_id"]].append(records.agent_from_row(row))
        complications = defaultdict(list)
        for row in self._rows(f"SELECT {', '.join(records.COMPLICATION_COLUMNS)} FROM complications "
                              f"WHERE procedure_id IN {subset} ORDER BY procedure_id, position", params):
            complications[row["procedure_id"]].append(records.complication_from_row(row))
        return [records.procedure_from_row(r, segments[r["id"]], agents[r["id"]],
                                           complications[r["id"]]) for r in rows]

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
        q = _like(text.strip())
        ids = [row[0] for row in self._db.execute(
            f"SELECT id FROM patients WHERE {self._PATIENT_MATCH} ORDER BY name LIMIT ?",
            [q, q, q, int(limit)]).fetchall()]
        return self._patients_where(f"id IN ({', '.join('?' * len(ids))})", ids) if ids else []

    def iter_patients(self, batch: int = 500) -> Iterator[tuple[Patient, list[Procedure]]]:
        """Every patient with their procedures, in the order they entered the logbook, a batch at a time."""
        last = 0
        while True:
            ids = self._db.execute("SELECT rowid, id FROM patients WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                   [last, batch]).fetchall()
            if not ids:
                return
            last = ids[-1][0]
            marks = ", ".join("?" * len(ids))
            keys = [i for _, i in ids]
            patients = self._patients_where(f"id IN ({marks})", keys)
            by_patient = defaultdict(list)
            for proc in self._procedures_where(f"patient_id IN ({marks})", keys):
                by_patient[proc.patient_id].append(proc)
            for patient in patients:
                yield patient, by_patient[patient.id]

    def counts(self) -> dict[str, int]:
        return {table: self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("patients", "procedures", "agent_doses", "complications")}

    # -- worklist ----------------------------------------------------------------------------------------
    def _worklist_filter(self, search: str) -> tuple[str, list]:
        text = (search or "").strip()
        if not text:
            return "", []
        q = _like(text)
        return f"WHERE pr.patient_id IN (SELECT id FROM patients WHERE {self._PATIENT_MATCH})", [q, q, q]

    _WORKLIST_COLUMNS = ("pr.id, pr.patient_id, pr.date, pa.name, pa.mrn, pa.study_id, pr.cycle, pr.tumor_staining, "
                         "pr.embolization, pr.status")
    # Whether a patient matches a search (three LIKE parameters). Unqualified: procedures has no such columns.
    _PATIENT_MATCH = "(name LIKE ? ESCAPE '\\' OR mrn LIKE ? ESCAPE '\\' OR study_id LIKE ? ESCAPE '\\')"

    def worklist(self, search: str = "", sort: str = "date", descending: bool = True, limit: int = 200,
                 offset: int = 0) -> list[WorklistRow]:
        """One page of procedures for the worklist, filtered and sorted in SQL (never loaded whole)."""
        if sort not in WORKLIST_SORT:
            raise ValueError(f"cannot sort the worklist by {sort!r}")
        direction = "DESC" if descending else "ASC"
        order = f"ORDER BY {WORKLIST_SORT[sort]} {direction}, pr.rowid {direction} LIMIT ? OFFSET ?"
        text = (search or "").strip()
        if text and sort == "date" and descending:
            rows = self._recent_matches(_like(text), order, limit, offset)
            if rows is not None:
                return rows
        where, params = self._worklist_filter(text)
        sql = (f"SELECT {self._WORKLIST_COLUMNS} FROM procedures pr JOIN patients pa ON pa.id = pr.patient_id "
               f"{where} {order}")
        return [WorklistRow(*row) for row in self._db.execute(sql, [*params, int(limit), int(offset)]).fetchall()]

    def _recent_matches(self, like: str, order: str, limit: int, offset: int) -> list[WorklistRow] | None:
        """The page, if it lies among the most recent procedures; else None.

        The first letters typed ("HS0", "LT-") match most patients: then walking the date index from the newest
        procedure fills a page after a few hundred rows, where looking up every matching patient would touch them
        all. A rare match (a full MRN, a 2-character name) would make that walk cover the whole logbook, so it is
        bounded to a recent window, and the caller falls back to looking the matching patients up.
        """
        # The newest procedures tell how often the search matches: the walk pays off above about one in twenty,
        # over a window sized to hold the page with room to spare.
        sampled, hits = self._db.execute(
            f"SELECT count(*), coalesce(sum({self._PATIENT_MATCH}), 0) FROM (SELECT patient_id FROM procedures "
            "ORDER BY date DESC LIMIT 200) pr JOIN patients pa ON pa.id = pr.patient_id", [like, like, like]
        ).fetchone()
        if hits * 20 < sampled or not sampled:
            return None
        window = int(min(20_000, max(1000, 1.5 * (offset + limit) * sampled / hits)))
        cutoff = self._db.execute("SELECT date FROM procedures ORDER BY date DESC LIMIT 1 OFFSET ?",
                                  [window]).fetchone()
        if cutoff is None:
            return None  # the logbook is smaller than the window: the general query is as cheap
        sql = (f"SELECT {self._WORKLIST_COLUMNS} FROM procedures pr INDEXED BY procedures_date "
               f"JOIN patients pa ON pa.id = pr.patient_id WHERE pr.date >= ? AND {self._PATIENT_MATCH} {order}")
        rows = self._db.execute(sql, [cutoff[0], like, like, like, int(limit), int(offset)]).fetchall()
        # Every procedure dated on or after the cutoff was considered, so a full page is exactly the global one.
        return [WorklistRow(*row) for row in rows] if len(rows) == limit else None

    def count_worklist(self, search: str = "") -> int:
        """How many procedures the search matches.

        Counting the procedures of every matching patient costs a lookup per patient, ~100 ms when the first
        letters typed match them all; so the patients are scanned once, and the smaller side is counted:
        the matching patients' procedures, or all procedures less the non-matching patients' ones.
        """
        text = (search or "").strip()
        total = self._db.execute("SELECT count(*) FROM procedures").fetchone()[0]
        if not text:
            return total
        q = _like(text)
        match = self._PATIENT_MATCH
        hits, patients = self._db.execute(f"SELECT coalesce(sum({match}), 0), count(*) FROM patients",
                                          [q, q, q]).fetchone()
        if hits == 0 or hits == patients:
            return total if hits else 0
        side = match if hits <= patients - hits else f"NOT coalesce({match}, 0)"  # a NULL study ID is no match
        counted = self._db.execute(f"SELECT count(*) FROM procedures WHERE patient_id IN "
                                   f"(SELECT id FROM patients WHERE {side})", [q, q, q]).fetchone()[0]
        return counted if hits <= patients - hits else total - counted

    # -- writing -----------------------------------------------------------------------------------------
    def _refuse_errors(self, findings: list[Finding], summary: Message) -> None:
        if errors(findings):
            raise InvalidInputError(findings, summary)

    def check_patient(self, patient: Patient) -> list[Finding]:
        """Findings for a patient as it would be saved: its fields, its stored procedures, a unique MRN."""
        doc = patient.to_document()
        stored = self._db.execute("SELECT 1 FROM patients WHERE id = ?", [patient.id]).fetchone()
        if stored:
            doc["procedures"] = [p.to_document() for p in self.procedures_of(patient.id)]
        return self.validator.patient(doc) + self._mrn_taken(patient, "mrn") + self._identity_locked(patient, "")

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
        doc["procedures"] = [p.to_document() for p in self.procedures_of(patient.id) if p.id != procedure.id]
        findings = (self.validator.patient(doc, "patient") + self._mrn_taken(patient, "patient.mrn")
                    + self._identity_locked(patient, "patient"))
        return findings + self.validator.procedure(procedure.to_document(), doc, "procedure")

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
        return self.validator.procedure(procedure.to_document(), patient.to_document())

    def save_patient(self, patient: Patient) -> SaveResult:
        findings = self.check_patient(patient)
        self._refuse_errors(findings, Message("summary.patient_not_saved"))
        with self._transaction():
            changed = self._write_patient(patient, now_utc())
        if changed:
            self._announce(Change("patient", (patient.id,)))
        return SaveResult(patient, findings, changed)

    def save_procedure(self, procedure: Procedure) -> SaveResult:
        if procedure.patient_id is None:
            raise RecordNotFoundError(Message("error.no_patient_for_procedure"))
        self._refuse_if_signed(procedure.id)
        findings = self.check_procedure(procedure)
        self._refuse_errors(findings, Message("summary.procedure_not_saved"))
        with self._transaction():
            changed = self._write_procedure(procedure, now_utc())
        if changed:
            self._announce(Change("procedure", (procedure.id,)))
        return SaveResult(procedure, findings, changed)

    def save_entry(self, patient: Patient, procedure: Procedure) -> SaveResult:
        """Save a patient and one of its procedures in one transaction (what the app's form holds)."""
        procedure.patient_id = patient.id
        self._refuse_if_signed(procedure.id)
        findings = self.check_entry(patient, procedure)
        self._refuse_errors(findings, Message("summary.not_saved"))
        stamp = now_utc()
        with self._transaction():
            patient_changed = self._write_patient(patient, stamp)
            procedure_changed = self._write_procedure(procedure, stamp)
        if procedure_changed:
            self._announce(Change("procedure", (procedure.id,)))
        elif patient_changed:
            self._announce(Change("patient", (patient.id,)))
        return SaveResult(procedure, findings, bool(patient_changed or procedure_changed))

    def _write_patient(self, patient: Patient, stamp: str) -> str | None:
        """Insert or update one patient inside the caller's transaction; returns 'added', 'updated' or None."""
        stored = self._patients_where("id = ?", [patient.id])
        if stored and stored[0].to_document() == patient.to_document():
            patient.created_at, patient.updated_at = stored[0].created_at, stored[0].updated_at
            return None
        patient.created_at = stored[0].created_at if stored else stamp
        patient.updated_at = stamp
        row = records.patient_row(patient)
        before = stored[0].pathology.thrombus if stored else None
        self._upsert("patients", row, bool(stored))
        if before != patient.pathology.thrombus:
            self._replace_multi("patient_thrombus", "patient_id", "site", patient.id, patient.pathology.thrombus)
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
        row = records.procedure_row(procedure)
        self._upsert("procedures", row, bool(stored))
        # parts are rewritten only when they changed, so the audit trail shows real changes only
        before = stored[0] if stored else Procedure(agents=None, complications=None, stained_segments=None)
        if before.stained_segments != procedure.stained_segments:
            self._replace_multi("procedure_segments", "procedure_id", "segment", procedure.id,
                                procedure.stained_segments)
        if _documents(before.agents) != _documents(procedure.agents):
            self._replace_children("agent_doses", records.AGENT_COLUMNS,
                                   records.child_rows(records.AGENT, procedure.id, procedure.agents, new_id),
                                   procedure.id)
        if _documents(before.complications) != _documents(procedure.complications):
            self._replace_children("complications", records.COMPLICATION_COLUMNS,
                                   records.child_rows(records.COMPLICATION, procedure.id, procedure.complications,
                                                      new_id), procedure.id)
        return "updated" if stored else "added"

    def _upsert(self, table: str, row: dict, stored: bool) -> None:
        if stored:
            assignments = ", ".join(f"{c} = :{c}" for c in row if c != "id")
            self._db.execute(f"UPDATE {table} SET {assignments} WHERE id = :id", row)
        else:
            bulk.insert_rows(self._db, table, list(row), [row])

    def _replace_multi(self, table: str, key: str, column: str, owner: str, values: list[str]) -> None:
        self._db.execute(f"DELETE FROM {table} WHERE {key} = ?", [owner])
        bulk.insert_rows(self._db, table, [key, column], [{key: owner, column: v} for v in values])

    def _replace_children(self, table: str, cols: list[str], rows: list[dict], procedure_id: str) -> None:
        self._db.execute(f"DELETE FROM {table} WHERE procedure_id = ?", [procedure_id])
        bulk.insert_rows(self._db, table, cols, rows)

    # -- import ------------------------------------------------------------------------------------------
    def import_conflicts(self, doc: dict) -> list[Finding]:
        """Problems between a (valid) document and this logbook: an MRN or id already used elsewhere."""
        out = []
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
                    out += self._signature_conflicts(proc.get("signature"), canonical_id(proc["id"]),
                                                     f"{path}.procedures[{j}]")
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
        with self._transaction():
            findings = self.validator.document(doc)
            findings += carried_findings(doc, findings)
            if not errors(findings):
                findings += self.import_conflicts(doc)
            if errors(findings):
                raise InvalidInputError(findings, Message("summary.nothing_imported"))
            summary, touched = self._write_import(self._import_entries(doc), findings, stamp)
        if summary.patients_added or summary.patients_updated or touched:
            self._announce(Change("import", tuple(touched)))
        return summary

    def _import_entries(self, doc: dict) -> list[tuple[Patient, list[Procedure], dict]]:
        """(patient, procedures, what was signed: procedure id -> (signature, addenda)) of each patient."""
        entries = []
        for p in doc["patients"]:
            patient = Patient.from_document(p)
            if not p.get("id"):
                patient.id = self._patient_id_for_mrn(patient.mrn) or patient.id
            procedures = [Procedure.from_document(proc) for proc in p.get("procedures") or []]
            signed = {}
            for procedure, proc in zip(procedures, p.get("procedures") or [], strict=True):
                if not proc.get("id"):
                    self._match_stored_copy(patient.id, procedure)
                if proc.get("signature") or proc.get("addenda"):
                    signed[procedure.id] = (
                        signature_from_document(proc["signature"]) if proc.get("signature") else None,
                        [addendum_from_document(a, procedure.id) for a in proc.get("addenda") or []])
            entries.append((patient, procedures, signed))
        return entries

    def _match_stored_copy(self, patient_id: str, procedure: Procedure) -> None:
        content = {**procedure.to_document(), "id": None}
        for stored in self.procedures_of(patient_id):
            if {**stored.to_document(), "id": None} == content:
                procedure.id = stored.id
                return

    def _write_import(self, entries, findings, stamp) -> tuple[ImportSummary, list[str]]:
        summary = ImportSummary(findings=list(findings))
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
        gained = self._import_signed({pid: parts for _, _, signed in entries for pid, parts in signed.items()})
        for procedure_id, outcome in outcomes.items():
            outcome = outcome or ("updated" if procedure_id in gained else None)
            _count(summary, "procedures", outcome)
            if outcome:
                touched.append(procedure_id)
        return summary, touched

    def _existing_ids(self, table: str, ids: list[str], chunk: int = 500) -> set[str]:
        found = set()
        for start in range(0, len(ids), chunk):
            part = ids[start:start + chunk]
            found.update(row[0] for row in self._db.execute(
                f"SELECT id FROM {table} WHERE id IN ({', '.join('?' * len(part))})", part).fetchall())
        return found



def _documents(parts: list | None) -> list[dict] | None:
    return None if parts is None else [part.to_document() for part in parts]


def _count(summary: ImportSummary, what: str, outcome: str | None) -> None:
    name = f"{what}_{outcome or 'unchanged'}"
    setattr(summary, name, getattr(summary, name) + 1)
