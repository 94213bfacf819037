"""Opening a logbook file safely: check first, read-only, and write nothing to a file that is not ours.

A file that is not a TACE Log logbook, is damaged, or was written by a newer version is refused with a one-line
message before anything opens it for writing (a read-write open would already create -wal files or change the
journal mode), so the file stays byte-for-byte as it was.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from ..errors import LogbookCorruptError, LogbookError, NewerSchemaError, NotALogbookError
from .migrations import APPLICATION_ID, MIGRATION_SET, migration_names, migrations, schema_version

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10.0  # the CLI may write beside the app: wait for its lock instead of failing


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                               isolation_level=None)
    else:
        # isolation_level=None: no implicit transactions; every write is an explicit db.atomic() block.
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    return conn


def _configure(conn: sqlite3.Connection) -> Database:
    conn.execute("PRAGMA foreign_keys=ON")
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise LogbookError(f"could not switch the logbook to WAL journaling (got {mode})")
    conn.execute("PRAGMA synchronous=FULL")
    return Database(conn, execute_plugins=False)


def _inspect(path: Path, quick_check: bool) -> None:
    """Check an existing file without writing to it."""
    if path.is_dir():
        raise NotALogbookError(f"{path} is a folder, not a logbook file")
    size = path.stat().st_size
    if size == 0:
        raise NotALogbookError(f"{path} is empty (0 bytes): not a TACE Log logbook")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotALogbookError(f"{path} is not a TACE Log logbook (not an SQLite database)")
    try:
        conn = _connect(path, read_only=True)
    except sqlite3.Error as exc:
        raise LogbookError(f"{path} cannot be opened: {exc}") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise NotALogbookError(f"{path} is an SQLite database but not a TACE Log logbook")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        applied = {row[0] for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
        unknown = applied - set(migration_names())
        if version > schema_version() or unknown:
            raise NewerSchemaError(
                f"{path} was written by a newer TACE Log (schema {version}; this version reads up to "
                f"{schema_version()}): update TACE Log to open it")
        if quick_check:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise LogbookCorruptError(f"{path} is damaged ({result})")
    except sqlite3.DatabaseError as exc:
        raise LogbookCorruptError(f"{path} is damaged: {exc}") from exc
    finally:
        conn.close()


def _create(path: Path) -> None:
    """Make a new, empty logbook. Built under a temporary name and renamed, so no half-made logbook remains."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".creating")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    conn = _connect(partial)
    try:
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db = _configure(conn)
        _migrate(db)
    except BaseException:
        conn.close()
        partial.unlink(missing_ok=True)
        raise
    conn.close()  # checkpoints the WAL into the file before the rename
    os.replace(partial, path)


def _migrate(db: Database) -> None:
    migrations.apply(db)
    db.execute(f"PRAGMA user_version={schema_version()}")


def open_database(path: Path, create: bool = True, quick_check: bool = True) -> Database:
    path = Path(path)
    if not path.exists():
        if not create:
            raise LogbookError(f"no logbook at {path}")
        try:
            _create(path)
        except OSError as exc:
            raise LogbookError(f"cannot create a logbook at {path}: {exc.strerror or exc}") from exc
    else:
        _inspect(path, quick_check)
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise LogbookError(f"{path} is read-only: TACE Log needs to write to the file and its folder")
    try:
        db = _configure(_connect(path))
        if migrations.pending(db):
            _migrate(db)  # an older logbook is upgraded, each migration in its own transaction
    except sqlite3.DatabaseError as exc:
        raise LogbookCorruptError(f"{path} cannot be opened for writing: {exc}") from exc
    return db
