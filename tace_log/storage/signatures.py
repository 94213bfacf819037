"""Users, signatures, addenda and the audit trail, as part of the Logbook facade (a mixin of `Logbook`).

A procedure goes draft -> signed once; then it, its agents, complications and segments never change (the
triggers of migration 0002 refuse it too), and it can only gain addenda, each signed by a radiologist.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
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
from ..model import SIGNED, Addendum, Signature, new_id
from ..signing import ADDENDUM_MEANING, MEANING, addendum_sha256, content_sha256, signing_findings
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

_SIGNATURE_COLUMNS = "signer, username, signed_at, meaning, content_sha256"
# For an unknown user name and a wrong password alike: neither tells whether the name exists.
WRONG_CREDENTIALS = "wrong user name or password"


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

    def restore_refusal(self) -> str | None:
        """Why the person working may not replace the logbook with a backup, or None. Once the logbook has users
        only a signed-in administrator or radiologist may (`users.may_restore`); before, the operating-system
        login may, as it may make every other write."""
        if not self.users():
            return None
        row = self._user_row(self.current_user)
        if row is None:
            return (f"{self.current_user} is not a user of this logbook: restoring a backup needs an administrator "
                    "or a radiologist signed in")
        user = self._user(row)
        if not user.active:
            return _deactivated(user.username)
        if not may_restore(user.role):
            return f"{user.username} is a {user.role}: only an administrator or a radiologist may restore a backup"
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
        authoriser = self._authorise_user_change(by, "adding a user")
        username, full_name = username.strip(), (full_name or username).strip()
        problems = _password_findings(password)
        if not username or any(c.isspace() for c in username):
            problems.append(Finding("username", ERROR, "username", "must be one word, not blank"))
        if role not in ROLES:
            problems.append(Finding("role", ERROR, "choice", f"must be one of {', '.join(ROLES)}"))
        elif authoriser is None and role not in AUTHORISING_ROLES:
            problems.append(Finding("role", ERROR, "first_user_role", "the first user must be an administrator or "
                                    f"a radiologist, who then adds the others (not a {role})"))
        existing = self._user_row(username) if not problems else None
        if existing:
            again = "" if self._user(existing).active else f" (deactivated: tace-log user activate {username})"
            problems.append(Finding("username", ERROR, "username_taken", f"user {username!r} already exists{again}"))
        if problems:
            raise InvalidInputError(problems, "user not added")
        password_hash = hash_password(password)  # slow on purpose: not while holding the write lock
        with self._transaction():
            if authoriser is None:  # checked again under the write lock: two first users cannot both pass
                self._still_no_users("adding a user")
            self._still_allowed(authoriser, "adding a user")
            self._db.execute("INSERT INTO users (username, full_name, role, password_hash, created_at) "
                             "VALUES (?, ?, ?, ?, ?)", [username, full_name, role, password_hash, self._now()])
        return User(username, full_name, role)

    def change_password(self, username: str, new_password: str, *, old_password: str | None = None,
                        by: tuple[str, str] | None = None) -> None:
        """A user's new password: given with their current one (`old_password`), or set for them by whoever may
        add users (`by`: user name, password), for a forgotten one. The audit trail records that it changed and
        who allowed it (migration 0004's trigger), never the password or its hash."""
        if (old_password is None) == (by is None):
            raise InvalidInputError([Finding("password", ERROR, "password", "give the current password, or who "
                                             "allows the change")], "password not changed")
        what = "setting another user's password"
        if by is None:
            self._check_password(username, old_password)  # no upgrade of the old hash: it is replaced below
            authoriser, allowed_by = None, f"{username}, with the current password"
        else:
            authoriser = self._authorise_user_change(by, what)
            self.get_user(username)  # after the authority: nobody learns who exists without it
            allowed_by = authoriser.username  # there are users (the one above), so someone allowed it
        problems = _password_findings(new_password)
        if by is None and new_password == old_password:  # else a password someone set would stay, unchanged
            problems.append(Finding("password", ERROR, "password_unchanged", "must differ from the current one"))
        if problems:
            raise InvalidInputError(problems, "password not changed")
        password_hash = hash_password(new_password)  # slow on purpose: not while holding the write lock
        self._password_upgrades.pop(username, None)  # an upgrade of the hash replaced here would be written first
        with self._transaction(), self.reason(f"password changed, allowed by {allowed_by}"):
            self._still_allowed(authoriser, what)
            self._db.execute("UPDATE users SET password_hash = ?, must_change_password = ? WHERE username = ?",
                             [password_hash, int(by is not None), username])

    def _authorise_user_change(self, by: tuple[str, str] | None, what: str) -> User | None:
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

    def _permission_needed(self, what: str) -> NotPermittedError:
        return NotPermittedError(f"{what} needs the user name and password of {_who_allows(self._authorising_role())}")

    def _still_no_users(self, what: str) -> None:
        """Inside the write transaction of a change `_authorise_user_change` let through because the logbook had
        no users: another program may have added one since (two first users added at once)."""
        if self._db.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0]:
            raise self._permission_needed(what)

    def _still_allowed(self, authoriser: User | None, what: str) -> None:
        if authoriser is None:
            return
        user, allowed = self.get_user(authoriser.username), self._authorising_role()
        if not user.active:
            raise NotPermittedError(_deactivated(user.username))
        if user.role != allowed:
            raise NotPermittedError(f"{user.username} is a {user.role}: {what} needs {_who_allows(allowed)}")
        if user.must_change_password:
            raise NotPermittedError(f"{user.username}'s password was set by someone else: choose your own first "
                                    f"(tace-log user passwd {user.username})")

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
            raise RecordNotFoundError(f"no user {username!r} in this logbook (add one: tace-log user add)")
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
        what = "activating a user" if active else "deactivating a user"
        authoriser = self._authorise_user_change(by, what)
        self.get_user(username)  # so there are users, and `authoriser` is one of them
        with self._transaction(), self.reason(f"{what}, allowed by {authoriser.username}"):
            self._still_allowed(authoriser, what)
            if not active and self._authorising_role(leaving=username) is None:
                raise NotPermittedError(f"{username} is the last active administrator or radiologist: nobody "
                                        "could add or activate users after; add another first")
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
            raise RecordNotFoundError(f"no procedure with id {procedure_id}")
        return row[0] == SIGNED

    def _refuse_if_signed(self, procedure_id: str, what: str = "changed") -> None:
        row = self._db.execute("SELECT status FROM procedures WHERE id = ?", [procedure_id]).fetchone()
        if row is not None and row[0] == SIGNED:  # a procedure not stored yet is a new draft
            raise RecordLockedError(f"procedure {procedure_id} is signed and cannot be {what}: "
                                    "add an addendum instead")

    def findings_to_sign(self, procedure_id: str) -> list[Finding]:
        procedure = self.get_procedure(procedure_id)
        return signing_findings(self.validator, self.get_patient(procedure.patient_id), procedure)

    def _signer(self, username: str, password: str, action: str) -> User:
        user = self.authenticate(username, password)
        if not user.may_sign:
            raise NotPermittedError(f"{username} is a {user.role}: only a radiologist may {action}")
        if user.must_change_password:
            raise NotPermittedError(f"{username}'s password was set by someone else: choose your own before you "
                                    f"{action} (File > Change password, or tace-log user passwd {username})")
        return user

    def sign_procedure(self, procedure_id: str, username: str, password: str, *,
                       acknowledge_warnings: bool = False) -> Signature:
        """Sign a draft: the password again, no errors, every warning acknowledged; then it is locked."""
        user = self._signer(username, password, "sign")
        acting = self._audit.user
        self._audit.user = user.username
        try:
            # Read, check and hash inside the write transaction: nobody (the CLI beside the app) can change the
            # record between what is hashed and what is locked.
            with self._transaction():
                self._refuse_if_signed(procedure_id, "signed again")
                procedure = self.get_procedure(procedure_id)
                patient = self.get_patient(procedure.patient_id)
                findings = signing_findings(self.validator, patient, procedure)
                if errors(findings):
                    raise InvalidInputError(findings, f"procedure {procedure_id} not signed")
                if warnings(findings) and not acknowledge_warnings:
                    raise WarningsNotAcknowledgedError(
                        f"procedure {procedure_id} not signed: {len(warnings(findings))} warning(s) must be "
                        "acknowledged", findings)
                signature = Signature(signer=user.full_name, username=user.username, signed_at=self._now(),
                                      meaning=MEANING, content_sha256=content_sha256(patient, procedure))
                acknowledged = "; ".join(str(f) for f in warnings(findings))
                with self.reason(f"warnings acknowledged: {acknowledged}" if acknowledged else None):
                    self._db.execute(f"INSERT INTO signatures (procedure_id, {_SIGNATURE_COLUMNS}) "
                                     "VALUES (?, ?, ?, ?, ?, ?)", [procedure_id, *_signature_values(signature)])
                    self._db.execute("UPDATE procedures SET status = ? WHERE id = ?", [SIGNED, procedure_id])
        finally:
            self._audit.user = acting
        self._announce_change("procedure", (procedure_id,))
        return signature

    def signature_of(self, procedure_id: str) -> Signature | None:
        row = self._db.execute(f"SELECT {_SIGNATURE_COLUMNS} FROM signatures WHERE procedure_id = ?",
                               [procedure_id]).fetchone()
        return Signature(*row) if row else None

    def signature_intact(self, procedure_id: str) -> bool:
        """Whether the stored record still hashes to what was signed."""
        signature = self.signature_of(procedure_id)
        if signature is None:
            return False
        procedure = self.get_procedure(procedure_id)
        return content_sha256(self.get_patient(procedure.patient_id), procedure) == signature.content_sha256

    # -- addenda -----------------------------------------------------------------------------------------
    def add_addendum(self, procedure_id: str, username: str, password: str, reason: str, text: str) -> Addendum:
        """Append signed text to a signed procedure; the original stays as it was signed."""
        user = self._signer(username, password, "sign an addendum")
        if not self.is_signed(procedure_id):
            raise NotPermittedError(f"procedure {procedure_id} is a draft: edit it instead of adding an addendum")
        problems = [finding for key, value in (("text", text), ("reason", reason))
                    for finding in self.validator.field(ADDENDUM[key], value, key)]
        if problems:
            raise InvalidInputError(problems, "addendum not added")
        signed = self.signature_of(procedure_id)
        stamp = self._now()
        addendum_id = new_id()
        digest = addendum_sha256(procedure_id, signed.content_sha256, text, reason, user.username, stamp)
        acting = self._audit.user
        self._audit.user = user.username
        try:
            with self.reason(reason), self._transaction():
                self._db.execute(
                    "INSERT INTO addenda (id, procedure_id, text, reason, username, author, meaning, created_at, "
                    "content_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [addendum_id, procedure_id, text, reason, user.username, user.full_name, ADDENDUM_MEANING,
                     stamp, digest])
        finally:
            self._audit.user = acting
        self._announce_change("procedure", (procedure_id,))
        return self._addendum(addendum_id, procedure_id, text, reason, user.username, user.full_name,
                              ADDENDUM_MEANING, stamp, digest)

    @staticmethod
    def _addendum(addendum_id, procedure_id, text, reason, username, author, meaning, created_at, digest):
        return Addendum(id=addendum_id, procedure_id=procedure_id, text=text, reason=reason, author=author,
                        created_at=created_at, signature=Signature(author, username, created_at, meaning, digest))

    def addenda_of(self, procedure_id: str) -> list[Addendum]:
        return [self._addendum(*row) for row in self._db.execute(
            "SELECT id, procedure_id, text, reason, username, author, meaning, created_at, content_sha256 "
            "FROM addenda WHERE procedure_id = ? ORDER BY created_at, rowid", [procedure_id]).fetchall()]

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


def _deactivated(username: str) -> str:
    return (f"{username} is deactivated: whoever may add users can activate them again "
            f"(tace-log user activate {username} --by NAME)")


def _who_allows(role: str | None) -> str:
    return {ADMIN: "an administrator", RADIOLOGIST: "a radiologist"}.get(role, "an active administrator or "
                                                                              "radiologist, and there is none")


def _password_findings(password: str) -> list[Finding]:
    return [Finding("password", ERROR, "password", problem) for problem in password_problems(password)]


def _signature_values(s: Signature) -> list:
    return [s.signer, s.username, s.signed_at, s.meaning, s.content_sha256]
