"""A logbook's user accounts (`Logbook.users`): who may sign in, their passwords, and who is working.

Writes are attributed in the audit trail to the person working: a signed-in user (`sign_in`, `act_as`), else the
operating-system login. Adding a user, setting another's password and (de)activating one need an administrator's
password, or a radiologist's while the logbook has no administrator.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager

from ..errors import AuthenticationError, InvalidInputError, NotPermittedError, RecordNotFoundError
from ..findings import ERROR, Finding
from ..messages import Message
from ..times import now_utc
from ..users import (
    ADMIN,
    AUTHORISING_ROLES,
    RADIOLOGIST,
    ROLES,
    User,
    check_password,
    hash_password,
    needs_rehash,
    password_problems,
    unknown_user_hash,
)
from . import audit
from .changes import Change, Changed
from .session import Session

# For an unknown user name and a wrong password alike: neither tells whether the name exists.
WRONG_CREDENTIALS = Message("error.wrong_credentials")
_USER_COLUMNS = "username, full_name, role, active, must_change_password"


class Accounts:
    """The users of one logbook and who is working (`Logbook.users`)."""

    def __init__(self, session: Session):
        self._session = session
        self._password_upgrades: dict[str, tuple[str, str]] = {}  # user: (stored hash, new one); see authenticate
        session.before_write.append(self._write_password_upgrades)

    @property
    def _db(self) -> sqlite3.Connection:
        return self._session.db

    # -- who is working --------------------------------------------------------------------------------
    @property
    def current(self) -> str:
        """The name audit rows are written under: a signed-in user, else the operating-system login."""
        return self._session.user

    def act_as(self, user: User | str | None) -> None:
        """Attribute the following writes to a user (None: back to the operating-system login)."""
        if user is None:
            self._session.audit.user = audit.os_user()
            return
        found = self.get(user if isinstance(user, str) else user.username)
        if not found.active:
            raise NotPermittedError(deactivated(found.username))
        self._session.audit.user = found.username

    def sign_in(self, username: str, password: str) -> User:
        user = self.authenticate(username, password)
        self.act_as(user)
        return user

    def reason(self, text: str | None) -> AbstractContextManager[None]:
        """Writes inside the block carry this reason in their audit rows."""
        return self._session.reason(text)

    # -- reading -----------------------------------------------------------------------------------------
    def active(self) -> list[User]:
        """The users who may sign in (the pickers)."""
        return self._users("WHERE active ")

    def everyone(self) -> list[User]:
        """Every user there ever was, the deactivated too."""
        return self._users("")

    def _users(self, where: str) -> list[User]:
        return [_user(row) for row in self._db.execute(
            f"SELECT {_USER_COLUMNS} FROM users {where}ORDER BY username").fetchall()]

    def get(self, username: str) -> User:
        row = self._user_row(username)
        if row is None:
            raise RecordNotFoundError(Message("error.no_user", username=repr(username)))
        return _user(row)

    def _user_row(self, username: str) -> tuple | None:
        return self._db.execute(f"SELECT {_USER_COLUMNS}, password_hash FROM users WHERE username = ?",
                                [username]).fetchone()

    # -- passwords ---------------------------------------------------------------------------------------
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
        user = _user(row)
        if not user.active:
            raise AuthenticationError(deactivated(username))
        return user, row[5]

    def _write_password_upgrades(self) -> None:
        """Run by every write transaction first thing: the hashes `authenticate` made again, each written only if
        the stored one is still the one that checked (it may have changed since), under its own user, and
        audited by migration 0004's trigger as an upgrade. Taken out of the queue either way: if this transaction
        is rolled back, the next check queues it again."""
        while self._password_upgrades:
            username, (old, new) = self._password_upgrades.popitem()
            n, r, p = new.split("$")[1:4]
            with self._session.acting_as(username), self._session.reason(  # who proved the password
                    f"password hash upgraded to scrypt N={n}, r={r}, p={p} at a check of the password"):
                self._db.execute("UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?",
                                 [new, username, old])

    # -- changing the users ------------------------------------------------------------------------------
    def add(self, username: str, full_name: str, role: str, password: str,
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
            problems.append(Finding("role", ERROR, Message("first_user_role", role=role_named(role))))
        existing = self._user_row(username) if not problems else None
        if existing:
            again = "" if _user(existing).active else Message("username_taken.inactive", username=username)
            problems.append(Finding("username", ERROR, Message("username_taken", username=repr(username),
                                                               again=again)))
        if problems:
            raise InvalidInputError(problems, Message("summary.user_not_added"))
        password_hash = hash_password(password)  # slow on purpose: not while holding the write lock
        with self._session.transaction():
            if authoriser is None:  # checked again under the write lock: two first users cannot both pass
                self._still_no_users(Message("what.add_user"))
            self._still_allowed(authoriser, Message("what.add_user"))
            self._db.execute("INSERT INTO users (username, full_name, role, password_hash, created_at) "
                             "VALUES (?, ?, ?, ?, ?)", [username, full_name, role, password_hash, now_utc()])
        self._session.announce(Change(Changed.USERS, (username,)))
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
        authoriser: User | None
        if old_password is not None:
            self._check_password(username, old_password)  # no upgrade of the old hash: it is replaced below
            authoriser, allowed_by = None, f"{username}, with the current password"
        else:
            authoriser = self._authorise_user_change(by, what)
            self.get(username)  # after the authority: nobody learns who exists without it
            assert authoriser is not None  # there are users (the one above), so someone allowed it
            allowed_by = authoriser.username
        problems = _password_findings(new_password)
        if by is None and new_password == old_password:  # else a password someone set would stay, unchanged
            problems.append(Finding("password", ERROR, Message("password_unchanged")))
        if problems:
            raise InvalidInputError(problems, Message("summary.password_not_changed"))
        password_hash = hash_password(new_password)  # slow on purpose: not while holding the write lock
        self._password_upgrades.pop(username, None)  # an upgrade of the hash replaced here would be written first
        with self._session.transaction(), self.reason(f"password changed, allowed by {allowed_by}"):
            self._still_allowed(authoriser, what)
            self._db.execute("UPDATE users SET password_hash = ?, must_change_password = ? WHERE username = ?",
                             [password_hash, int(by is not None), username])
        self._session.announce(Change(Changed.USERS, (username,)))

    def set_active(self, username: str, active: bool, by: tuple[str, str] | None) -> User:
        """Deactivate a user who left (they sign in and sign no more; their signatures stay as they are), or
        activate one again. Allowed as adding a user is; the last user who could allow user changes stays."""
        what = Message("what.activate_user" if active else "what.deactivate_user")
        authoriser = self._authorise_user_change(by, what)
        self.get(username)  # so there are users, and `authoriser` is one of them
        assert authoriser is not None
        with self._session.transaction(), self.reason(f"{what}, allowed by {authoriser.username}"):
            self._still_allowed(authoriser, what)
            if not active and self._authorising_role(leaving=username) is None:
                raise NotPermittedError(Message("error.last_authoriser", username=username))
            self._db.execute("UPDATE users SET active = ? WHERE username = ?", [int(active), username])
        self._session.announce(Change(Changed.USERS, (username,)))
        return self.get(username)

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
        user, allowed = self.get(authoriser.username), self._authorising_role()
        if not user.active:
            raise NotPermittedError(deactivated(user.username))
        if user.role != allowed:
            raise NotPermittedError(Message("error.role_needed", username=user.username, role=role_named(user.role),
                                            what=what, who=_who_allows(allowed)))
        if user.must_change_password:
            raise NotPermittedError(Message("error.must_change_password", username=user.username))

    def _authorising_role(self, leaving: str | None = None) -> str | None:
        """The role that allows user changes: administrator while an active one exists, else radiologist; None
        if no active user (but `leaving`) has either role."""
        roles = {row[0] for row in self._db.execute("SELECT DISTINCT role FROM users WHERE active AND username "
                                                    "IS NOT ?", [leaving]).fetchall()}
        return ADMIN if ADMIN in roles else RADIOLOGIST if RADIOLOGIST in roles else None


def _user(row: tuple) -> User:
    username, full_name, role, active, must_change_password = row[:5]
    return User(username, full_name, role, bool(active), bool(must_change_password))


def deactivated(username: str) -> Message:
    """Why a deactivated user may do nothing, and who can change that."""
    return Message("error.deactivated", username=username)


def _who_allows(role: str | None) -> Message:
    return Message({ADMIN: "who.admin", RADIOLOGIST: "who.radiologist"}.get(role or "", "who.none"))


def role_named(role: str) -> Message | str:
    """A role as said in a message: its name in the catalogue (`role.*`), a role this version does not know as is."""
    return Message(f"role.{role}") if role in ROLES else role


def _password_findings(password: str) -> list[Finding]:
    return [Finding("password", ERROR, problem) for problem in password_problems(password)]
