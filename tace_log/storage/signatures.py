"""Users, signatures, addenda and the audit trail, as part of the Logbook facade (a mixin of `Logbook`).

A procedure goes draft -> signed once; then it, its agents, complications and segments never change (the
triggers of migration 0002 refuse it too), and it can only gain addenda, each signed by a radiologist. A signature
and addenda imported with their record (`tace-log/2`) are kept as signed elsewhere: their signers are no users of
this logbook.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..dictionary import ADDENDUM
from ..errors import (
    AuthenticationError,
    InvalidInputError,
    NotPermittedError,
    RecordLockedError,
    RecordNotFoundError,
    WarningsNotAcknowledgedError,
)
from ..findings import ERROR, Finding, errors, warnings
from ..messages import Message
from ..model import SIGNED, Addendum, Signature, new_id
from ..signing import (
    ADDENDUM_MEANING,
    SignatureCheck,
    addendum_sha256,
    check_signature,
    sign,
    signing_findings,
)
from ..users import (
    ADMIN,
    AUTHORISING_ROLES,
    RADIOLOGIST,
    ROLES,
    User,
    check_password,
    hash_password,
    may_restore,
    needs_rehash,
    password_problems,
    unknown_user_hash,
)
from . import audit, heads
from .schema import MIGRATION_NAMES

_SIGNATURE_COLUMNS = ("signer", "username", "signed_at", "meaning", "content_sha256", "signer_role", "content_version",
                      "content", "signed_elsewhere")
_ADDENDUM_COLUMNS = ("id", "procedure_id", "text", "reason", "username", "author", "meaning", "created_at",
                     "content_sha256", "signed_elsewhere")
# A logbook before these migrations (a backup `tace-log check` reads, never upgrades) has no such table or columns.
_SIGNING_SCHEMA = MIGRATION_NAMES.index("0002_signing_audit") + 1
_SIGNED_CONTENT_SCHEMA = MIGRATION_NAMES.index("0005_signed_content") + 1
# For an unknown user name and a wrong password alike: neither tells whether the name exists.
WRONG_CREDENTIALS = Message("error.wrong_credentials")


class SigningMixin:
    """Methods of `Logbook` for users, signing, addenda and the audit trail (uses the Logbook's connection)."""

    # -- who is working --------------------------------------------------------------------------------
    @property
    def current_user(self) -> str:
        """The name audit rows are written under: a signed-in user, else the operating-system login."""
        return self._audit.user

    def act_as(self, user: User | str | None) -> None:
        """Attribute the following writes to a user (None: back to the operating-system login)."""
        if user is None:
            self._audit.user = audit.os_user()
            return
        user = self.get_user(user if isinstance(user, str) else user.username)
        if not user.active:
            raise NotPermittedError(_deactivated(user.username))
        self._audit.user = user.username

    def restore_refusal(self) -> Message | None:
        """Why the person working may not replace the logbook with a backup, or None. Once the logbook has users
        only a signed-in administrator or radiologist may (`users.may_restore`); before, the operating-system
        login may, as it may make every other write."""
        if not self.users():
            return None
        row = self._user_row(self.current_user)
        if row is None:
            return Message("error.restore_not_a_user", username=self.current_user)
        user = self._user(row)
        if not user.active:
            return _deactivated(user.username)
        if not may_restore(user.role):
            return Message("error.restore_role", username=user.username, role=_role(user.role))
        return None

    def refuse_restore_unless_allowed(self) -> None:
        """`NotPermittedError` (and nothing restored) unless the person working may restore a backup."""
        refusal = self.restore_refusal()
        if refusal:
            raise NotPermittedError(refusal)

    @contextlib.contextmanager
    def reason(self, text: str | None) -> Iterator[None]:
        """Writes inside the block carry this reason in their audit rows."""
        before, self._audit.reason = self._audit.reason, text
        try:
            yield
        finally:
            self._audit.reason = before

    # -- users -------------------------------------------------------------------------------------------
    def add_user(self, username: str, full_name: str, role: str, password: str,
                 by: tuple[str, str] | None = None) -> User:
        """Add a user. The first user of a logbook needs nobody's permission, and must be an administrator or a
        radiologist (who then allows adding the others); after that, `by` (user name, password) must be an
        administrator, or a radiologist while the logbook has no administrator, so nobody at a shared workstation
        can make themselves a radiologist and sign."""
        authoriser = self._authorise_user_change(by, Message("what.add_user"))
        username, full_name = username.strip(), (full_name or username).strip()
        problems = _password_findings(password)
        if not username or any(c.isspace() for c in username):
            problems.append(Finding("username", ERROR, Message("username")))
        if role not in ROLES:
            problems.append(Finding("role", ERROR, Message("choice.role", roles=", ".join(ROLES))))
        elif authoriser is None and role not in AUTHORISING_ROLES:
            problems.append(Finding("role", ERROR, Message("first_user_role", role=_role(role))))
        existing = self._user_row(username) if not problems else None
        if existing:
            again = "" if self._user(existing).active else Message("username_taken.inactive", username=username)
            problems.append(Finding("username", ERROR, Message("username_taken", username=repr(username),
                                                               again=again)))
        if problems:
            raise InvalidInputError(problems, Message("summary.user_not_added"))
        password_hash = hash_password(password)  # slow on purpose: not while holding the write lock
        with self._transaction():
            if authoriser is None:  # checked again under the write lock: two first users cannot both pass
                self._still_no_users(Message("what.add_user"))
            self._still_allowed(authoriser, Message("what.add_user"))
            self._db.execute("INSERT INTO users (username, full_name, role, password_hash, created_at) "
                             "VALUES (?, ?, ?, ?, ?)", [username, full_name, role, password_hash, self._now()])
        return User(username, full_name, role)

    def change_password(self, username: str, new_password: str, *, old_password: str | None = None,
                        by: tuple[str, str] | None = None) -> None:
        """A user's new password: given with their current one (`old_password`), or set for them by whoever may
        add users (`by`: user name, password), for a forgotten one. The audit trail records that it changed and
        who allowed it (migration 0004's trigger), never the password or its hash."""
        if (old_password is None) == (by is None):
            raise InvalidInputError([Finding("password", ERROR, Message("password.give_current"))],
                                    Message("summary.password_not_changed"))
        what = Message("what.set_other_password")
        if by is None:
            self._check_password(username, old_password)  # no upgrade of the old hash: it is replaced below
            authoriser, allowed_by = None, f"{username}, with the current password"
        else:
            authoriser = self._authorise_user_change(by, what)
            self.get_user(username)  # after the authority: nobody learns who exists without it
            allowed_by = authoriser.username  # there are users (the one above), so someone allowed it
        problems = _password_findings(new_password)
        if by is None and new_password == old_password:  # else a password someone set would stay, unchanged
            problems.append(Finding("password", ERROR, Message("password_unchanged")))
        if problems:
            raise InvalidInputError(problems, Message("summary.password_not_changed"))
        password_hash = hash_password(new_password)  # slow on purpose: not while holding the write lock
        self._password_upgrades.pop(username, None)  # an upgrade of the hash replaced here would be written first
        with self._transaction(), self.reason(f"password changed, allowed by {allowed_by}"):
            self._still_allowed(authoriser, what)
            self._db.execute("UPDATE users SET password_hash = ?, must_change_password = ? WHERE username = ?",
                             [password_hash, int(by is not None), username])

    def _authorise_user_change(self, by: tuple[str, str] | None, what: Message) -> User | None:
        """Who allows `what` (adding, deactivating or activating a user, setting another's password): nobody while
        the logbook has no users; then an active administrator, or an active radiologist while there is no active
        administrator, with a password of their own. The caller checks again inside its write transaction
        (`_still_allowed`): another program may change the users in between."""
        if self._db.execute("SELECT NOT EXISTS (SELECT 1 FROM users)").fetchone()[0]:
            return None
        if by is None:
            raise self._permission_needed(what)
        user = self.authenticate(*by)
        self._still_allowed(user, what)
        return user

    def _permission_needed(self, what: Message) -> NotPermittedError:
        return NotPermittedError(Message("error.permission_needed", what=what,
                                         who=_who_allows(self._authorising_role())))

    def _still_no_users(self, what: Message) -> None:
        """Inside the write transaction of a change `_authorise_user_change` let through because the logbook had
        no users: another program may have added one since (two first users added at once)."""
        if self._db.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0]:
            raise self._permission_needed(what)

    def _still_allowed(self, authoriser: User | None, what: Message) -> None:
        if authoriser is None:
            return
        user, allowed = self.get_user(authoriser.username), self._authorising_role()
        if not user.active:
            raise NotPermittedError(_deactivated(user.username))
        if user.role != allowed:
            raise NotPermittedError(Message("error.role_needed", username=user.username, role=_role(user.role),
                                            what=what, who=_who_allows(allowed)))
        if user.must_change_password:
            raise NotPermittedError(Message("error.must_change_password", username=user.username))

    def _authorising_role(self, leaving: str | None = None) -> str | None:
        """The role that allows user changes: administrator while an active one exists, else radiologist; None
        if no active user (but `leaving`) has either role."""
        roles = {row[0] for row in self._db.execute("SELECT DISTINCT role FROM users WHERE active AND username "
                                                    "IS NOT ?", [leaving]).fetchall()}
        return ADMIN if ADMIN in roles else RADIOLOGIST if RADIOLOGIST in roles else None

    _USER_COLUMNS = "username, full_name, role, active, must_change_password"

    def _user_row(self, username: str):
        return self._db.execute(f"SELECT {self._USER_COLUMNS}, password_hash FROM users WHERE username = ?",
                                [username]).fetchone()

    @staticmethod
    def _user(row) -> User:
        username, full_name, role, active, must_change_password = row[:5]
        return User(username, full_name, role, bool(active), bool(must_change_password))

    def users(self, include_deactivated: bool = False) -> list[User]:
        """The users who may sign in (the pickers), or with `include_deactivated` everyone there ever was."""
        where = "" if include_deactivated else "WHERE active "
        return [self._user(row) for row in self._db.execute(
            f"SELECT {self._USER_COLUMNS} FROM users {where}ORDER BY username").fetchall()]

    def get_user(self, username: str) -> User:
        row = self._user_row(username)
        if row is None:
            raise RecordNotFoundError(Message("error.no_user", username=repr(username)))
        return self._user(row)

    def authenticate(self, username: str, password: str) -> User:
        """The user, if the password is theirs (both components of an electronic signature) and the user is
        not deactivated. A password stored with lower scrypt parameters than today's is hashed again now and
        written with the next write transaction (`_write_password_upgrades`): never by a check alone, which the
        app makes at start, before its damage check lets writes through."""
        user, stored = self._check_password(username, password)
        if needs_rehash(stored) and username not in self._password_upgrades:
            self._password_upgrades[username] = (stored, hash_password(password))
        return user

    def _check_password(self, username: str, password: str) -> tuple[User, str]:
        """The user and their stored hash, if the password is theirs. An unknown name gets the message of a wrong
        password after the same work (a check against `unknown_user_hash`); that a user is deactivated is said
        only to whoever knows their password."""
        row = self._user_row(username)
        matches = check_password(password, row[5] if row is not None else unknown_user_hash())
        if row is None or not matches:
            raise AuthenticationError(WRONG_CREDENTIALS)
        user = self._user(row)
        if not user.active:
            raise AuthenticationError(_deactivated(username))
        return user, row[5]

    def _write_password_upgrades(self) -> None:
        """Called by `_transaction` first thing: the hashes `authenticate` made again, each written only if the
        stored one is still the one that checked (it may have changed since), under its own user, and audited by
        migration 0004's trigger as an upgrade. Taken out of the queue either way: if this transaction is rolled
        back, the next check queues it again."""
        acting = self._audit.user
        try:
            while self._password_upgrades:
                username, (old, new) = self._password_upgrades.popitem()
                n, r, p = new.split("$")[1:4]
                self._audit.user = username  # who proved the password
                with self.reason(f"password hash upgraded to scrypt N={n}, r={r}, p={p} at a check of the password"):
                    self._db.execute("UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?",
                                     [new, username, old])
        finally:
            self._audit.user = acting

    def set_user_active(self, username: str, active: bool, by: tuple[str, str] | None) -> User:
        """Deactivate a user who left (they sign in and sign no more; their signatures stay as they are), or
        activate one again. Allowed as adding a user is; the last user who could allow user changes stays."""
        what = Message("what.activate_user" if active else "what.deactivate_user")
        authoriser = self._authorise_user_change(by, what)
        self.get_user(username)  # so there are users, and `authoriser` is one of them
        with self._transaction(), self.reason(f"{what}, allowed by {authoriser.username}"):
            self._still_allowed(authoriser, what)
            if not active and self._authorising_role(leaving=username) is None:
                raise NotPermittedError(Message("error.last_authoriser", username=username))
            self._db.execute("UPDATE users SET active = ? WHERE username = ?", [int(active), username])
        return self.get_user(username)

    def sign_in(self, username: str, password: str) -> User:
        user = self.authenticate(username, password)
        self.act_as(user)
        return user

    # -- signing -----------------------------------------------------------------------------------------
    def is_signed(self, procedure_id: str) -> bool:
        row = self._db.execute("SELECT status FROM procedures WHERE id = ?", [procedure_id]).fetchone()
        if row is None:
            raise RecordNotFoundError(Message("error.no_procedure", id=procedure_id))
        return row[0] == SIGNED

    def _refuse_if_signed(self, procedure_id: str, what: str = "what.changed") -> None:
        row = self._db.execute("SELECT status FROM procedures WHERE id = ?", [procedure_id]).fetchone()
        if row is not None and row[0] == SIGNED:  # a procedure not stored yet is a new draft
            raise RecordLockedError(Message("error.signed", id=procedure_id, what=Message(what)))

    def findings_to_sign(self, procedure_id: str) -> list[Finding]:
        procedure = self.get_procedure(procedure_id)
        return signing_findings(self.validator, self.get_patient(procedure.patient_id), procedure)

    def _signer(self, username: str, password: str, action: str) -> User:
        """The user who signs (`action`: the catalogue's `action.*` key), or why they may not."""
        user = self.authenticate(username, password)
        if not user.may_sign:
            raise NotPermittedError(Message("error.only_radiologist", username=username, role=_role(user.role),
                                            action=Message(action)))
        if user.must_change_password:
            raise NotPermittedError(Message("error.must_change_password_to", username=username,
                                            action=Message(action)))
        return user

    def sign_procedure(self, procedure_id: str, username: str, password: str, *,
                       acknowledge_warnings: bool = False) -> Signature:
        """Sign a draft: the password again, no errors, every warning acknowledged; then it is locked."""
        user = self._signer(username, password, "action.sign")
        acting = self._audit.user
        self._audit.user = user.username
        try:
            # Read, check and hash inside the write transaction: nobody (the CLI beside the app) can change the
            # record between what is hashed and what is locked.
            with self._transaction():
                self._refuse_if_signed(procedure_id, "what.signed_again")
                procedure = self.get_procedure(procedure_id)
                patient = self.get_patient(procedure.patient_id)
                findings = signing_findings(self.validator, patient, procedure)
                if errors(findings):
                    raise InvalidInputError(findings, Message("summary.not_signed", id=procedure_id))
                if warnings(findings) and not acknowledge_warnings:
                    raise WarningsNotAcknowledgedError(Message(
                        "error.warnings_not_acknowledged", id=procedure_id, count=len(warnings(findings))), findings)
                signature = sign(patient, procedure, username=user.username, name=user.full_name, role=user.role,
                                 signed_at=self._now())
                acknowledged = "; ".join(str(f) for f in warnings(findings))
                with self.reason(f"warnings acknowledged: {acknowledged}" if acknowledged else None):
                    self._insert_signatures([(procedure_id, signature)])
        finally:
            self._audit.user = acting
        self._announce_change("procedure", (procedure_id,))
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
        version = self.schema_version
        if version < _SIGNING_SCHEMA:
            return {}
        if version < _SIGNED_CONTENT_SCHEMA:
            columns = "s.signer, s.username, s.signed_at, s.meaning, s.content_sha256, NULL, 1, NULL, 0"
        else:
            columns = ", ".join(f"s.{c}" for c in _SIGNATURE_COLUMNS)
        rows = self._db.execute(
            f"SELECT s.procedure_id, {columns}, (SELECT role FROM users u WHERE u.username = s.username) "
            f"FROM signatures s WHERE {where} ORDER BY s.rowid", list(params)).fetchall()
        return {row[0]: Signature(*row[1:6], role=row[6] or (None if row[9] else row[10]), content_version=row[7],
                                  content=row[8], signed_elsewhere=bool(row[9])) for row in rows}

    def signature_of(self, procedure_id: str) -> Signature | None:
        return self._signatures_where("s.procedure_id = ?", [procedure_id]).get(procedure_id)

    def signature_check(self, procedure_id: str) -> SignatureCheck | None:
        """The procedure's signature recomputed against the stored record, with its addenda; None for a draft."""
        signature = self.signature_of(procedure_id)
        if signature is None:
            return None
        procedure = self.get_procedure(procedure_id)
        return check_signature(signature, self.get_patient(procedure.patient_id), procedure,
                               self.addenda_of(procedure_id))

    def signature_intact(self, procedure_id: str) -> bool:
        """Whether the stored record still hashes to what was signed (and so do its addenda)."""
        check = self.signature_check(procedure_id)
        return check is not None and check.ok

    def verify_signatures(self, batch: int = 500) -> SignaturesCheck:
        """Recompute every signature and addendum hash against the stored records, and check that exactly the
        signed procedures have a signature: what `audit verify`, `check` and restore rely on."""
        result = SignaturesCheck()
        if self.schema_version < _SIGNING_SCHEMA:
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
            procedures = {p.id: p for p in self._procedures_where(f"id IN ({marks}) AND status = 'signed'", keys)}
            patients = {p.id: p for p in self._patients_where(
                f"id IN (SELECT patient_id FROM procedures WHERE id IN ({marks}))", keys)}
            addenda = self._addenda_where(f"a.procedure_id IN ({marks})", keys)
            for procedure_id, signature in signatures.items():
                procedure = procedures.get(procedure_id)
                if procedure is None:
                    continue  # named above
                check = check_signature(signature, patients[procedure.patient_id], procedure,
                                        addenda.get(procedure_id, []))
                result.signatures += 1
                result.addenda += len(addenda.get(procedure_id, []))
                result.older += check.covers_fewer_fields
                if not check.ok:
                    patient = patients[procedure.patient_id]
                    result.failures.append(f"procedure {procedure_id} ({procedure.date.isoformat()}, MRN "
                                           f"{patient.mrn}) does not verify: {check.describe()}")

    def _import_signed(self, signed: dict[str, tuple[Signature | None, list[Addendum]]]) -> set[str]:
        """Inside an import's transaction, after its records are written: the signatures and addenda a document
        carried (verified by `Validator.document`, checked against this logbook by `_signature_conflicts`). A
        signature already here stays; an addendum already here (the same hash) is not added again. Returns the
        procedures that gained one."""
        ids = list(signed)
        have_signature, have_addenda = set(), set()
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            marks = ", ".join("?" * len(part))
            have_signature.update(r[0] for r in self._db.execute(
                f"SELECT procedure_id FROM signatures WHERE procedure_id IN ({marks})", part).fetchall())
            have_addenda.update(self._db.execute(
                f"SELECT procedure_id, content_sha256 FROM addenda WHERE procedure_id IN ({marks})", part).fetchall())
        signatures = [(pid, s) for pid, (s, _) in signed.items() if s is not None and pid not in have_signature]
        addenda = [a for pid, (_, rows) in signed.items() for a in rows
                   if (pid, a.signature.content_sha256) not in have_addenda]
        with self.reason("imported with its record: signed in another logbook"):
            self._insert_signatures(signatures)
            self._insert_addenda([replace(a, id=new_id()) for a in addenda])
        return {pid for pid, _ in signatures} | {a.procedure_id for a in addenda}

    def _signature_conflicts(self, signature_doc: dict | None, procedure_id: str, path: str) -> list[Finding]:
        """A signature a document carries for a procedure this logbook has signed with another one."""
        stored = self.signature_of(procedure_id) if signature_doc else None
        if stored is None or stored.content_sha256 == signature_doc["sha256"]:
            return []
        return [Finding(f"{path}.signature", ERROR, Message(
            "signed_differently", id=procedure_id, signer=stored.signer, username=stored.username,
            at=stored.signed_at))]

    # -- addenda -----------------------------------------------------------------------------------------
    def add_addendum(self, procedure_id: str, username: str, password: str, reason: str, text: str) -> Addendum:
        """Append signed text to a signed procedure; the original stays as it was signed."""
        user = self._signer(username, password, "action.sign_addendum")
        if not self.is_signed(procedure_id):
            raise NotPermittedError(Message("error.addendum_to_draft", id=procedure_id))
        problems = [finding for key, value in (("text", text), ("reason", reason))
                    for finding in self.validator.field(ADDENDUM[key], value, key)]
        if problems:
            raise InvalidInputError(problems, Message("summary.addendum_not_added"))
        signed = self.signature_of(procedure_id)
        stamp = self._now()
        digest = addendum_sha256(procedure_id, signed.content_sha256, text, reason, user.username, stamp)
        addendum = Addendum(id=new_id(), procedure_id=procedure_id, text=text, reason=reason, author=user.full_name,
                            created_at=stamp, signature=Signature(user.full_name, user.username, stamp,
                                                                  ADDENDUM_MEANING, digest, role=user.role))
        acting = self._audit.user
        self._audit.user = user.username
        try:
            with self.reason(reason), self._transaction():
                self._insert_addenda([addendum])
        finally:
            self._audit.user = acting
        self._announce_change("procedure", (procedure_id,))
        return addendum

    def _insert_addenda(self, addenda: list[Addendum]) -> None:
        self._db.executemany(
            f"INSERT INTO addenda ({', '.join(_ADDENDUM_COLUMNS)}) VALUES ({', '.join('?' * len(_ADDENDUM_COLUMNS))})",
            [[a.id, a.procedure_id, a.text, a.reason, a.signature.username, a.author, a.signature.meaning,
              a.created_at, a.signature.content_sha256, int(a.signature.signed_elsewhere)] for a in addenda])

    def _addenda_where(self, where: str, params: Iterable = ()) -> dict[str, list[Addendum]]:
        """Addenda by procedure id, in the order they were written."""
        if self.schema_version < _SIGNING_SCHEMA:
            return {}
        columns = ", ".join(f"a.{c}" for c in _ADDENDUM_COLUMNS[:-1]) + (
            ", a.signed_elsewhere" if self.schema_version >= _SIGNED_CONTENT_SCHEMA else ", 0")
        out: dict[str, list[Addendum]] = {}
        # the author's role is their role here; one who wrote it elsewhere has none we know
        for (addendum_id, procedure_id, text, reason, username, author, meaning, created_at, digest, elsewhere,
             role) in self._db.execute(f"SELECT {columns}, (SELECT role FROM users u WHERE u.username = a.username) "
                                       f"FROM addenda a WHERE {where} ORDER BY a.created_at, a.rowid",
                                       list(params)).fetchall():
            out.setdefault(procedure_id, []).append(Addendum(
                id=addendum_id, procedure_id=procedure_id, text=text, reason=reason, author=author,
                created_at=created_at, signature=Signature(author, username, created_at, meaning, digest,
                                                           role=None if elsewhere else role,
                                                           signed_elsewhere=bool(elsewhere))))
        return out

    def addenda_of(self, procedure_id: str) -> list[Addendum]:
        return self._addenda_where("a.procedure_id = ?", [procedure_id]).get(procedure_id, [])

    def signed_parts(self, procedure_ids: list[str]) -> dict[str, tuple[Signature, list[Addendum]]]:
        """The signature and addenda of each signed procedure among these (an export's batch)."""
        out = {}
        for start in range(0, len(procedure_ids), 500):
            part = procedure_ids[start:start + 500]
            marks = ", ".join("?" * len(part))
            addenda = self._addenda_where(f"a.procedure_id IN ({marks})", part)
            for procedure_id, signature in self._signatures_where(f"s.procedure_id IN ({marks})", part).items():
                out[procedure_id] = (signature, addenda.get(procedure_id, []))
        return out

    # -- audit trail -------------------------------------------------------------------------------------
    def audit_rows(self, batch: int = 5000) -> Iterator[audit.AuditEntry]:
        """Every audit row in chain order, a batch at a time."""
        return audit.read_rows(self._db, batch)

    def history(self, record_id: str) -> list[audit.AuditEntry]:
        """Who changed what and when for a patient or procedure: its own rows and its parts' (a procedure's
        agents, complications, segments, signature and addenda; a patient's tumour thrombus)."""
        return [audit.AuditEntry(*row) for row in self._db.execute(
            f"SELECT {', '.join(audit.COLUMNS)} FROM audit_log WHERE parent_id = ? ORDER BY seq",
            [record_id]).fetchall()]

    def verify_audit_trail(self) -> audit.ChainCheck:
        """The hash chain, and the trail compared with every head recorded outside it: the head file beside the
        logbook and its backups' (storage/heads.py)."""
        recorded = heads.recorded_for(self.path)  # before the rows: a head is written after its rows commit
        return audit.verify(self.audit_rows(), recorded)

    def schema_problems(self) -> list[str]:
        """Each table, index or trigger that is not as the migrations made it (a dropped lock or audit trigger
        lets a plain SQLite client change a signed record or the trail); empty when none."""
        from .tampering import schema_problems

        return schema_problems(self._db)

    def export_audit(self, target: str | Path) -> int:
        return audit.write_csv(self.audit_rows(), Path(target))


def _deactivated(username: str) -> Message:
    return Message("error.deactivated", username=username)


def _who_allows(role: str | None) -> Message:
    return Message({ADMIN: "who.admin", RADIOLOGIST: "who.radiologist"}.get(role or "", "who.none"))


def _role(role: str) -> Message | str:
    """A role as said in a message: its name in the catalogue (`role.*`), a role this version does not know as is."""
    return Message(f"role.{role}") if role in ROLES else role


def _password_findings(password: str) -> list[Finding]:
    return [Finding("password", ERROR, problem) for problem in password_problems(password)]


@dataclass
class SignaturesCheck:
    """The result of recomputing every signature and addendum of a logbook (`Logbook.verify_signatures`)."""

    signatures: int = 0
    addenda: int = 0
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
        return (f"signatures intact: {self.signatures} signatures and {self.addenda} addenda verified against "
                f"their records{older}")
