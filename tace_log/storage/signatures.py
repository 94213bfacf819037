"""Signatures and addenda of a logbook (`Logbook.signing`): signing, adding an addendum, marking a record entered in
error, and every signature recomputed against its record.

A procedure goes draft -> signed once; then it, its agents, complications and segments never change (the
triggers of migration 0002 refuse it too), and it can only gain addenda, each signed by a radiologist, and at most
one entered-in-error mark. The mark is stored among the addenda (append-only, audited, only on a signed record: the
same triggers hold it), told apart by its meaning. A signature, addenda and a mark imported with their record
(`tace-log/2`) are kept as signed elsewhere: their signers are no users of this logbook.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from ..dictionary import ADDENDUM
from ..errors import (
    InvalidInputError,
    NotPermittedError,
    RecordLockedError,
    RecordNotFoundError,
    WarningsNotAcknowledgedError,
)
from ..findings import ERROR, Finding, errors, warnings
from ..messages import Message
from ..model import SIGNED, Addendum, EnteredInError, Procedure, Signature, new_id
from ..signing import (
    ADDENDUM_MEANING,
    ENTERED_IN_ERROR_MEANING,
    SignatureCheck,
    addendum_sha256,
    check_signature,
    entered_in_error_sha256,
    sign,
    signing_findings,
)
from ..times import now_utc
from ..users import User
from .accounts import Accounts, role_named
from .changes import Change, Changed
from .schema import MIGRATION_NAMES
from .session import Session

if TYPE_CHECKING:
    from .logbook import Logbook

_SIGNATURE_COLUMNS = ("signer", "username", "signed_at", "meaning", "content_sha256", "signer_role", "content_version",
                      "content", "signed_elsewhere")
_ADDENDUM_COLUMNS = ("id", "procedure_id", "text", "reason", "username", "author", "meaning", "created_at",
                     "content_sha256", "signed_elsewhere")
# A logbook before these migrations (a backup `tace-log check` reads, never upgrades) has no such table or columns.
_SIGNING_SCHEMA = MIGRATION_NAMES.index("0002_signing_audit") + 1
_SIGNED_CONTENT_SCHEMA = MIGRATION_NAMES.index("0005_signed_content") + 1


def marked_entered_in_error_sql(procedure_id: str) -> str:
    """An SQL condition: the procedure whose id is the column `procedure_id` is marked entered in error (its mark
    is among the addenda, by its meaning)."""
    return (f"EXISTS (SELECT 1 FROM addenda a WHERE a.procedure_id = {procedure_id} "
            f"AND a.meaning = '{ENTERED_IN_ERROR_MEANING}')")


class Signing:
    """The signatures and addenda of one logbook (`Logbook.signing`). It reads the records it signs through the
    Logbook, and checks a signer's password through its users."""

    def __init__(self, session: Session, records: Logbook, users: Accounts):
        self._session = session
        self._records = records
        self._users = users

    @property
    def _db(self) -> sqlite3.Connection:
        return self._session.db

    # -- signing -----------------------------------------------------------------------------------------
    def is_signed(self, procedure_id: str) -> bool:
        row = self._db.execute("SELECT status FROM procedures WHERE id = ?", [procedure_id]).fetchone()
        if row is None:
            raise RecordNotFoundError(Message("error.no_procedure", id=procedure_id))
        return row[0] == SIGNED

    def refuse_if_signed(self, procedure_id: str, what: str = "what.changed") -> None:
        """`RecordLockedError` if the procedure is stored and signed (the Logbook's saves ask first)."""
        row = self._db.execute("SELECT status FROM procedures WHERE id = ?", [procedure_id]).fetchone()
        if row is not None and row[0] == SIGNED:  # a procedure not stored yet is a new draft
            raise RecordLockedError(Message("error.signed", id=procedure_id, what=Message(what)))

    def findings_to_sign(self, procedure_id: str) -> list[Finding]:
        procedure = self._records.get_procedure(procedure_id)
        return signing_findings(self._records.validator, self._records.get_patient(procedure.patient_id), procedure)

    def _signer(self, username: str, password: str, action: str) -> User:
        user = self._users.authenticate(username, password)
        if not user.may_sign:
            raise NotPermittedError(Message("error.only_radiologist", username=username, role=role_named(user.role),
                                            action=Message(action)))
        if user.must_change_password:
            raise NotPermittedError(Message("error.must_change_password_to", username=username,
                                            action=Message(action)))
        return user

    def sign(self, procedure_id: str, username: str, password: str, *,
             acknowledge_warnings: bool = False) -> Signature:
        """Sign a draft: the password again, no errors, every warning acknowledged; then it is locked."""
        user = self._signer(username, password, "action.sign")
        # Read, check and hash inside the write transaction: nobody (the CLI beside the app) can change the
        # record between what is hashed and what is locked.
        with self._session.acting_as(user.username), self._session.transaction():
            self.refuse_if_signed(procedure_id, "what.signed_again")
            procedure = self._records.get_procedure(procedure_id)
            patient = self._records.get_patient(procedure.patient_id)
            findings = signing_findings(self._records.validator, patient, procedure)
            if errors(findings):
                raise InvalidInputError(findings, Message("summary.not_signed", id=procedure_id))
            if warnings(findings) and not acknowledge_warnings:
                raise WarningsNotAcknowledgedError(Message(
                    "error.warnings_not_acknowledged", id=procedure_id, count=len(warnings(findings))), findings)
            signature = sign(patient, procedure, username=user.username, name=user.full_name, role=user.role,
                             signed_at=now_utc())
            acknowledged = "; ".join(str(f) for f in warnings(findings))
            with self._session.reason(f"warnings acknowledged: {acknowledged}" if acknowledged else None):
                self._insert_signatures([(procedure_id, signature)])
        self._session.announce(Change(Changed.SIGNED, (procedure_id,)))
        return signature

    def _insert_signatures(self, signed: list[tuple[str, Signature]]) -> None:
        """Store signatures and mark their procedures signed (the lock triggers apply from then on)."""
        self._db.executemany(
            f"INSERT INTO signatures (procedure_id, {', '.join(_SIGNATURE_COLUMNS)}) VALUES "
            f"({', '.join('?' * (len(_SIGNATURE_COLUMNS) + 1))})",
            [[procedure_id, s.signer, s.username, s.signed_at, s.meaning, s.content_sha256, s.role,
              s.content_version, s.content, int(s.signed_elsewhere)] for procedure_id, s in signed])
        self._db.executemany("UPDATE procedures SET status = ? WHERE id = ?",
                             [[SIGNED, procedure_id] for procedure_id, _ in signed])

    def _signatures_where(self, where: str, params: Iterable = ()) -> dict[str, Signature]:
        """Signatures by procedure id. A local signature from before content version 2 did not store the signer's
        role: it is the user's role now."""
        version = self._session.schema_version
        if version < _SIGNING_SCHEMA:
            return {}
        if version < _SIGNED_CONTENT_SCHEMA:
            columns = "s.signer, s.username, s.signed_at, s.meaning, s.content_sha256, NULL, 1, NULL, 0"
        else:
            columns = ", ".join(f"s.{c}" for c in _SIGNATURE_COLUMNS)
        rows = self._db.execute(
            f"SELECT s.procedure_id, {columns}, (SELECT role FROM users u WHERE u.username = s.username) "
            f"FROM signatures s WHERE {where} ORDER BY s.rowid", list(params)).fetchall()
        return {row[0]: Signature(row[1], row[2], row[3], row[4], row[5], role=row[6] or (None if row[9] else row[10]),
                                  content_version=row[7], content=row[8], signed_elsewhere=bool(row[9]))
                for row in rows}

    def signature_of(self, procedure_id: str) -> Signature | None:
        return self._signatures_where("s.procedure_id = ?", [procedure_id]).get(procedure_id)

    def check(self, procedure_id: str) -> SignatureCheck | None:
        """The procedure's signature recomputed against the stored record, with its addenda; None for a draft."""
        signature = self.signature_of(procedure_id)
        if signature is None:
            return None
        procedure = self._records.get_procedure(procedure_id)
        addenda, marks = self._appended_where("a.procedure_id = ?", [procedure_id])
        return self._images_checked(procedure, check_signature(
            signature, self._records.get_patient(procedure.patient_id), procedure, addenda.get(procedure_id, []),
            marks.get(procedure_id)))

    def _images_checked(self, procedure: Procedure, check: SignatureCheck) -> SignatureCheck:
        """The check with each key image whose bytes no longer hash to what the signed record names: the
        signature covers the hashes, and the bytes are only the image it signed while they match."""
        changed = self._records.key_images.changed(i.sha256 for i in procedure.key_images)
        problems = tuple((f"key_images[{n}]", Message("key_image.changed", number=n + 1))
                         for n, image in enumerate(procedure.key_images) if image.sha256 in changed)
        return replace(check, problems=(*check.problems, *problems)) if problems else check

    def intact(self, procedure_id: str) -> bool:
        """Whether the stored record still hashes to what was signed (and so do its addenda)."""
        check = self.check(procedure_id)
        return check is not None and check.ok

    def verify(self, batch: int = 500) -> SignaturesCheck:
        """Recompute every signature and addendum hash against the stored records, and check that exactly the
        signed procedures have a signature: what `audit verify`, `check` and restore rely on."""
        result = SignaturesCheck()
        if self._session.schema_version < _SIGNING_SCHEMA:
            return result
        for procedure_id, date, problem in self._db.execute(
                "SELECT p.id, p.date, 'is marked signed but has no signature' FROM procedures p WHERE p.status = ? "
                "AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.procedure_id = p.id) "
                "UNION ALL SELECT s.procedure_id, p.date, 'has a signature but is not marked signed' FROM signatures "
                "s LEFT JOIN procedures p ON p.id = s.procedure_id WHERE p.status IS NOT ? "
                "UNION ALL SELECT a.procedure_id, p.date, 'has an addendum but no signature' FROM addenda a "
                "LEFT JOIN procedures p ON p.id = a.procedure_id "
                "WHERE NOT EXISTS (SELECT 1 FROM signatures s WHERE s.procedure_id = a.procedure_id)",
                [SIGNED, SIGNED]).fetchall():
            result.failures.append(f"procedure {procedure_id} ({date or 'no such procedure'}) {problem}")
        last = 0
        while True:
            ids = self._db.execute("SELECT rowid, procedure_id FROM signatures WHERE rowid > ? ORDER BY rowid "
                                   "LIMIT ?", [last, batch]).fetchall()
            if not ids:
                return result
            last = ids[-1][0]
            keys = [i for _, i in ids]
            marks = ", ".join("?" * len(keys))
            signatures = self._signatures_where(f"s.procedure_id IN ({marks})", keys)
            procedures = {p.id: p for p in self._records._procedures_where(f"id IN ({marks}) AND status = 'signed'",
                                                                           keys)}
            patients = {p.id: p for p in self._records._patients_where(
                f"id IN (SELECT patient_id FROM procedures WHERE id IN ({marks}))", keys)}
            addenda, entered_in_error = self._appended_where(f"a.procedure_id IN ({marks})", keys)
            for procedure_id, signature in signatures.items():
                procedure = procedures.get(procedure_id)
                if procedure is None:
                    continue  # named above
                check = self._images_checked(procedure, check_signature(
                    signature, patients[procedure.patient_id], procedure, addenda.get(procedure_id, []),
                    entered_in_error.get(procedure_id)))
                result.signatures += 1
                result.addenda += len(addenda.get(procedure_id, []))
                result.marks += procedure_id in entered_in_error
                result.older += check.covers_fewer_fields
                if not check.ok:
                    patient = patients[procedure.patient_id]
                    result.failures.append(f"procedure {procedure_id} ({procedure.date.isoformat()}, MRN "
                                           f"{patient.mrn}) does not verify: {check.describe()}")

    def store_imported(self, signed: dict[str, SignedParts]) -> set[str]:
        """Inside an import's transaction, after its records are written: the signatures, addenda and marks a
        document carried (verified by `envelope.check_document`, checked against this logbook by `conflicts`). A
        signature or a mark already here stays; an addendum already here (the same hash) is not added again.
        Returns the procedures that gained one."""
        ids = list(signed)
        have_signature: set[str] = set()
        have_appended: set[tuple[str, str]] = set()
        have_mark: set[str] = set()
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            marks = ", ".join("?" * len(part))
            have_signature.update(r[0] for r in self._db.execute(
                f"SELECT procedure_id FROM signatures WHERE procedure_id IN ({marks})", part).fetchall())
            for procedure_id, digest, meaning in self._db.execute(
                    f"SELECT procedure_id, content_sha256, meaning FROM addenda WHERE procedure_id IN ({marks})",
                    part).fetchall():
                have_appended.add((procedure_id, digest))
                if meaning == ENTERED_IN_ERROR_MEANING:
                    have_mark.add(procedure_id)
        signatures = [(pid, s) for pid, (s, _, _) in signed.items() if s is not None and pid not in have_signature]
        addenda = [a for pid, (_, rows, _) in signed.items() for a in rows
                   if (pid, a.signed().content_sha256) not in have_appended]
        marked = [m for pid, (_, _, m) in signed.items() if m is not None and pid not in have_mark]
        with self._session.reason("imported with its record: signed in another logbook"):
            self._insert_signatures(signatures)
            self._insert_addenda([replace(a, id=new_id()) for a in addenda])
            self._insert_marks(marked)
        return {pid for pid, _ in signatures} | {a.procedure_id for a in addenda} | {m.procedure_id for m in marked}

    def conflicts(self, procedure_doc: dict, procedure_id: str, path: str) -> list[Finding]:
        """A signature a document carries for a procedure this logbook has signed with another one, or an
        entered-in-error mark other than the one stored here."""
        out = []
        signature_doc, mark_doc = procedure_doc.get("signature") or {}, procedure_doc.get("entered_in_error") or {}
        stored = self.signature_of(procedure_id) if signature_doc else None
        if stored is not None and stored.content_sha256 != signature_doc["sha256"]:
            out.append(Finding(f"{path}.signature", ERROR, Message(
                "signed_differently", id=procedure_id, signer=stored.signer, username=stored.username,
                at=stored.signed_at)))
        mark = self.entered_in_error_of(procedure_id) if mark_doc else None
        if mark is not None and mark.signature.content_sha256 != mark_doc["sha256"]:
            out.append(Finding(f"{path}.entered_in_error", ERROR, Message(
                "entered_in_error_differently", id=procedure_id, signer=mark.signature.signer,
                at=mark.signature.signed_at)))
        return out

    # -- addenda -----------------------------------------------------------------------------------------
    def add_addendum(self, procedure_id: str, username: str, password: str, reason: str, text: str) -> Addendum:
        """Append signed text to a signed procedure; the original stays as it was signed."""
        user = self._signer(username, password, "action.sign_addendum")
        if not self.is_signed(procedure_id):
            raise NotPermittedError(Message("error.addendum_to_draft", id=procedure_id))
        problems = [finding for key, value in (("text", text), ("reason", reason))
                    for finding in self._records.validator.field(ADDENDUM[key], value, key)]
        if problems:
            raise InvalidInputError(problems, Message("summary.addendum_not_added"))
        signed = self._signature_to_append_to(procedure_id)
        stamp = now_utc()
        digest = addendum_sha256(procedure_id, signed.content_sha256, text, reason, user.username, stamp)
        addendum = Addendum(id=new_id(), procedure_id=procedure_id, text=text, reason=reason, author=user.full_name,
                            created_at=stamp, signature=Signature(user.full_name, user.username, stamp,
                                                                  ADDENDUM_MEANING, digest, role=user.role))
        with self._session.acting_as(user.username), self._session.reason(reason), self._session.transaction():
            self._insert_addenda([addendum])
        self._session.announce(Change(Changed.ADDENDUM, (procedure_id,)))
        return addendum

    # -- entered in error ---------------------------------------------------------------------------------
    def mark_entered_in_error(self, procedure_id: str, username: str, password: str, reason: str) -> EnteredInError:
        """Mark a signed procedure entered in error, signed by a radiologist: it is kept as it was signed, and its
        report says on every page that it is not valid. A draft is deleted instead; a record is marked once."""
        user = self._signer(username, password, "action.mark_entered_in_error")
        problems = self._records.validator.field(ADDENDUM["reason"], reason, "reason")
        if problems:
            raise InvalidInputError(problems, Message("summary.not_marked_entered_in_error"))
        with self._session.acting_as(user.username), self._session.reason(reason), self._session.transaction():
            if not self.is_signed(procedure_id):
                raise NotPermittedError(Message("error.entered_in_error_draft", id=procedure_id))
            marked = self.entered_in_error_of(procedure_id)
            if marked is not None:
                raise NotPermittedError(Message("error.entered_in_error_twice", id=procedure_id,
                                                signer=marked.signature.signer, at=marked.signature.signed_at))
            signed = self._signature_to_append_to(procedure_id)
            stamp = now_utc()
            digest = entered_in_error_sha256(procedure_id, signed.content_sha256, reason, user.username, stamp)
            mark = EnteredInError(procedure_id, reason, Signature(user.full_name, user.username, stamp,
                                                                  ENTERED_IN_ERROR_MEANING, digest, role=user.role))
            self._insert_marks([mark])
        self._session.announce(Change(Changed.ENTERED_IN_ERROR, (procedure_id,)))
        return mark

    def _signature_to_append_to(self, procedure_id: str) -> Signature:
        """The signature an addendum or a mark is chained to (its hash covers the signature's)."""
        signed = self.signature_of(procedure_id)
        if signed is None:  # marked signed without a signature: only a changed file holds that (`verify` names it)
            raise RecordNotFoundError(f"procedure {procedure_id} is marked signed but has no signature")
        return signed

    def _insert_addenda(self, addenda: list[Addendum]) -> None:
        self._db.executemany(
            f"INSERT INTO addenda ({', '.join(_ADDENDUM_COLUMNS)}) VALUES ({', '.join('?' * len(_ADDENDUM_COLUMNS))})",
            [[a.id, a.procedure_id, a.text, a.reason, s.username, a.author, s.meaning, a.created_at, s.content_sha256,
              int(s.signed_elsewhere)] for a, s in ((a, a.signed()) for a in addenda)])

    def _insert_marks(self, marks: list[EnteredInError]) -> None:
        """Entered-in-error marks, as addenda with no text and their own meaning."""
        self._insert_addenda([Addendum(new_id(), m.procedure_id, "", m.reason, m.signature.signer,
                                       m.signature.signed_at, m.signature) for m in marks])

    def _appended_where(self, where: str, params: Iterable = ()) -> tuple[dict[str, list[Addendum]],
                                                                           dict[str, EnteredInError]]:
        """Addenda by procedure id, in the order they were written, and entered-in-error marks by procedure id."""
        addenda: dict[str, list[Addendum]] = {}
        marks: dict[str, EnteredInError] = {}
        if self._session.schema_version < _SIGNING_SCHEMA:
            return addenda, marks
        columns = ", ".join(f"a.{c}" for c in _ADDENDUM_COLUMNS[:-1]) + (
            ", a.signed_elsewhere" if self._session.schema_version >= _SIGNED_CONTENT_SCHEMA else ", 0")
        # the author's role is their role here; one who wrote it elsewhere has none we know
        for (addendum_id, procedure_id, text, reason, username, author, meaning, created_at, digest, elsewhere,
             role) in self._db.execute(f"SELECT {columns}, (SELECT role FROM users u WHERE u.username = a.username) "
                                       f"FROM addenda a WHERE {where} ORDER BY a.created_at, a.rowid",
                                       list(params)).fetchall():
            signature = Signature(author, username, created_at, meaning, digest, role=None if elsewhere else role,
                                  signed_elsewhere=bool(elsewhere))
            if meaning == ENTERED_IN_ERROR_MEANING:
                marks[procedure_id] = EnteredInError(procedure_id, reason, signature)
            else:
                addenda.setdefault(procedure_id, []).append(Addendum(
                    id=addendum_id, procedure_id=procedure_id, text=text, reason=reason, author=author,
                    created_at=created_at, signature=signature))
        return addenda, marks

    def addenda_of(self, procedure_id: str) -> list[Addendum]:
        return self._appended_where("a.procedure_id = ?", [procedure_id])[0].get(procedure_id, [])

    def marked_entered_in_error(self, patient_id: str) -> set[str]:
        """The ids of the patient's procedures marked entered in error."""
        if self._session.schema_version < _SIGNING_SCHEMA:
            return set()
        return {row[0] for row in self._db.execute(
            "SELECT a.procedure_id FROM addenda a JOIN procedures p ON p.id = a.procedure_id "
            "WHERE p.patient_id = ? AND a.meaning = ?", [patient_id, ENTERED_IN_ERROR_MEANING])}

    def entered_in_error_of(self, procedure_id: str) -> EnteredInError | None:
        """The procedure's entered-in-error mark; None while it stands."""
        return self._appended_where("a.procedure_id = ?", [procedure_id])[1].get(procedure_id)

    def signed_parts(self, procedure_ids: list[str]) -> dict[str, SignedParts]:
        """The signature, addenda and entered-in-error mark of each signed procedure among these (an export's
        batch)."""
        out = {}
        for start in range(0, len(procedure_ids), 500):
            part = procedure_ids[start:start + 500]
            marks = ", ".join("?" * len(part))
            addenda, entered_in_error = self._appended_where(f"a.procedure_id IN ({marks})", part)
            for procedure_id, signature in self._signatures_where(f"s.procedure_id IN ({marks})", part).items():
                out[procedure_id] = SignedParts(signature, addenda.get(procedure_id, []),
                                                entered_in_error.get(procedure_id))
        return out


class SignedParts(NamedTuple):
    """What a signed procedure carries beside its record (a draft being imported carries nothing)."""

    signature: Signature | None
    addenda: list[Addendum]
    entered_in_error: EnteredInError | None = None


@dataclass
class SignaturesCheck:
    """The result of recomputing every signature and addendum of a logbook (`Logbook.signing.verify`)."""

    signatures: int = 0
    addenda: int = 0
    marks: int = 0  # entered-in-error marks
    older: int = 0  # made before the signed content held every value the report prints
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def summary(self) -> str:
        count = len(self.failures)
        return f"{count} signed record{' does' if count == 1 else 's do'} not verify"

    def __str__(self) -> str:
        if not self.ok:
            return "\n".join([self.summary, *self.failures])
        older = (f" ({self.older} made before TACE Log stored the signed content cover fewer fields: the procedure "
                 "and the patient's identity)") if self.older else ""
        marks = f", {self.marks} entered-in-error marks" if self.marks else ""
        return (f"signatures intact: {self.signatures} signatures{marks} and {self.addenda} addenda verified "
                f"against their records{older}")
