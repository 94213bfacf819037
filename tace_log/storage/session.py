"""What a Logbook and its managers share: the open connection, who the writes are attributed to and why, the one
way to write (a transaction), and the listeners told of each committed change."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from . import heads
from .audit import AuditSession
from .changes import Change
from .connection import write_error


class Session:
    """The connection to one logbook file (replaced by a restore: `reconnect`), its audit session, its
    transactions and its listeners. Every manager of a Logbook holds the same one."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db = db
        self.path = path
        self.audit = AuditSession(db)  # the audit triggers need its SQL functions on this connection
        self.before_write: list[Callable[[], None]] = []  # run first in every write transaction
        self._listeners: list[Callable[[Change], None]] = []

    def reconnect(self, db: sqlite3.Connection) -> None:
        """Go on with a new connection to the same path (after a restore), writing as the same user and reason."""
        user, reason = self.audit.user, self.audit.reason
        self.db = db
        self.audit = AuditSession(db, user)
        self.audit.reason = reason

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    @property
    def user(self) -> str:
        """The name audit rows are written under."""
        return self.audit.user

    @contextlib.contextmanager
    def acting_as(self, username: str) -> Iterator[None]:
        """Writes inside the block are attributed to `username` (a signer, who proved their password)."""
        before, self.audit.user = self.audit.user, username
        try:
            yield
        finally:
            self.audit.user = before

    @contextlib.contextmanager
    def reason(self, text: str | None) -> Iterator[None]:
        """Writes inside the block carry this reason in their audit rows."""
        before, self.audit.reason = self.audit.reason, text
        try:
            yield
        finally:
            self.audit.reason = before

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction. BEGIN IMMEDIATE takes the write lock first, so a second writer (the CLI beside
        the app) waits for it up to the busy timeout instead of failing on a stale read; a failure is a
        one-line LogbookError and nothing is written. What `before_write` holds goes first (old password hashes
        made again at a sign-in). Once committed, the trail's newest head goes to the head file beside the
        logbook (storage/heads.py)."""
        conn = self.db
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                before = heads.last_seq(conn)
                for write in self.before_write:
                    write()
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

    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def announce(self, change: Change) -> None:
        """Tell every listener of a committed change."""
        for listener in list(self._listeners):
            listener(change)
