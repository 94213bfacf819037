"""What someone with write access to a logbook file can do with a plain SQLite client, for the tampering tests: drop
or alter the triggers that lock records and the trail, remove the newest audit rows, rewrite a row and seal the
chain again after it. The seal is public (SHA-256 of the row), so such a client can compute it too."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tace_log.storage.audit import AuditSession

APPEND_ONLY = ("append_only_audit_log_update", "append_only_audit_log_delete")


@contextmanager
def client(path: Path, user: str = "os:intruder") -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection that registers the audit functions itself, as anyone can."""
    conn = sqlite3.connect(path, isolation_level=None)
    AuditSession(conn, user)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def triggers_lifted(conn: sqlite3.Connection, *names: str) -> Iterator[None]:
    """Drop the triggers for the block and create them again exactly as they were: the schema shows nothing."""
    saved = [conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [n]).fetchone()[0]
             for n in names]
    for name in names:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    for sql in saved:
        conn.execute(sql)


def drop_trigger(path: Path, name: str) -> None:
    with client(path) as conn:
        conn.execute(f"DROP TRIGGER {name}")


def remove_newest_audit_rows(path: Path, count: int) -> None:
    with client(path) as conn, triggers_lifted(conn, *APPEND_ONLY):
        conn.execute("DELETE FROM audit_log WHERE seq > (SELECT max(seq) FROM audit_log) - ?", [count])


def edit_audit_row(path: Path, seq: int, username: str, reseal: bool) -> None:
    """Change who made row `seq` (its hash is computed again); `reseal`: and every row after it, so the chain
    holds again from the start to the end."""
    with client(path) as conn, triggers_lifted(conn, *APPEND_ONLY):
        conn.execute("UPDATE audit_log SET username = ? WHERE seq = ?", [username, seq])
        if reseal:
            last = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
            for later in range(seq + 1, last + 1):
                conn.execute("UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = ?) "
                             "WHERE seq = ?", [later - 1, later])
