"""Opening a logbook file safely: check first, read-only, and write nothing to a file that is not ours.

A file that is not a TACE Log logbook, is damaged, or was written by a newer version is refused with a one-line
message before anything opens it for writing (a read-write open would already create -wal files or change the
journal mode), so the file stays byte-for-byte as it was.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

from ..errors import (
    DiskFullError,
    LogbookBusyError,
    LogbookCorruptError,
    LogbookError,
    NewerSchemaError,
    NotALogbookError,
    RecordLockedError,
    TaceLogError,
)
from ..files import SQLITE_MAGIC, open_by_sqlite, opened_by_sqlite, raw_access, remove_leftovers, temporary_name
from ..messages import Message
from ..paths import CREATING
from .schema import APPLICATION_ID, MIGRATION_SET, migration_names, schema_version

HEADER_SIZE = 100  # the database header (sqlite.org/fileformat.html, section 1.3)
APPLICATION_ID_OFFSET = 68  # PRAGMA application_id, big-endian; set when a logbook is made, before it is named
BUSY_TIMEOUT_S = 10.0  # the CLI may write beside the app: wait for its lock instead of failing
MOUNTS_FILE = Path("/proc/mounts")
# Filesystems where SQLite's locking cannot be trusted (https://sqlite.org/howtocorrupt.html, section 2.1).
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs", "9p", "ceph",
                       "glusterfs", "fuse.sshfs", "fuse.glusterfs", "fuse.rclone", "fuse.s3fs", "davfs", "fuse.davfs2"}


class _Connection(sqlite3.Connection):
    """An SQLite connection that keeps its file among those `files.raw_access` refuses, until it is closed (or
    collected)."""

    _release: weakref.finalize | None = None

    def close(self) -> None:
        super().close()
        if self._release is not None:
            self._release()


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection with no implicit transactions (every write is an explicit one: Session.transaction).

    Read-only is never `immutable`: another process may be writing the file, and an immutable reader would see its
    pages change underneath and call a healthy logbook damaged. So a read-only open of a WAL logbook may leave
    empty -wal/-shm files beside it, which the next writer's close removes."""
    if read_only:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                               isolation_level=None, factory=_Connection)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, factory=_Connection)
    conn._release = weakref.finalize(conn, opened_by_sqlite(path))
    return conn


def logbook_location(path: str | Path) -> Path:
    """The absolute path of a logbook file, refusing what can never be one with a one-line error and creating
    nothing: a symbolic link that loops or points nowhere, a folder, a FIFO, a device."""
    given = Path(path).expanduser()
    try:
        resolved = given.resolve()
    except (RuntimeError, OSError) as exc:  # 3.11 raises RuntimeError for a loop, later versions OSError
        raise LogbookError(Message("error.symlink_loop", path=given, reason=exc), given) from exc
    if given.is_symlink() and not resolved.exists():
        raise LogbookError(Message("error.symlink_missing", path=given, target=resolved), given)
    try:
        mode = resolved.stat().st_mode
    except FileNotFoundError:
        return resolved
    except OSError as exc:
        raise LogbookError(Message("error.unreadable_file", path=given, reason=exc.strerror or exc), given) from exc
    if stat.S_ISDIR(mode):
        raise NotALogbookError(Message("error.folder", path=given), given)
    if not stat.S_ISREG(mode):
        raise NotALogbookError(Message("error.not_regular", path=given), given)
    return resolved


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA foreign_keys=ON")
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise LogbookError(f"could not switch the logbook to WAL journaling (got {mode})")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA recursive_triggers=ON")  # as sqlite-utils sets it: the schema's triggers assume it
    return conn


def inspect_file(path: Path, check: str | None = "quick_check") -> None:
    """Check an existing file is a logbook this version can open, without writing to it.

    `check` is the PRAGMA that looks for damage: "quick_check" on open, "integrity_check" for backups, None to
    skip (the app runs the check off its UI thread and holds writes until it passes). A logbook that needs an
    upgrade is always checked first, since the upgrade writes.
    """
    path = logbook_location(path)
    if not open_by_sqlite(path):
        _check_header(path)  # else this process already opened it as a logbook, and must not read it raw
    try:
        conn = connect(path, read_only=True)
    except sqlite3.Error as exc:
        raise LogbookError(Message("error.cannot_open", path=path, reason=exc), path) from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise NotALogbookError(Message("error.not_ours", path=path), path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        applied = {row[0] for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
        unknown = applied - set(migration_names())
        if version > schema_version() or unknown:
            raise NewerSchemaError(Message("error.newer_schema", path=path, version=version,
                                           supported=schema_version()), path)
        if version < schema_version():
            check = check or "quick_check"  # an upgrade writes: never before the file is known to be sound
        if check:
            problems = [row[0] for row in conn.execute(f"PRAGMA {check}").fetchall()]
            if problems != ["ok"]:
                more = Message("error.damaged_more", count=len(problems) - 1) if len(problems) > 1 else ""
                raise LogbookCorruptError(Message("error.damaged", path=path, problem=problems[0], more=more), path)
    except sqlite3.DatabaseError as exc:
        raise _read_error(exc, path) from exc
    finally:
        conn.close()


def _read_error(exc: sqlite3.DatabaseError, path: Path) -> LogbookError:
    """A failed read of the open check in one line. Only what SQLite says is damage is called damage: a busy
    logbook or a failing disk is not, and must not send anyone to restore a backup."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
        return LogbookError(Message("error.read_only_recovery", path=path, reason=exc), path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return LogbookBusyError(Message("error.busy_reading", path=path, seconds=f"{BUSY_TIMEOUT_S:g}"), path)
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_NOMEM):
        return LogbookError(Message("error.failing_disk", path=path, reason=exc), path)
    return LogbookCorruptError(Message("error.damaged_because", path=path, reason=exc), path)


def _check_header(path: Path) -> None:
    """Refuse a file that is not one of our logbooks from its header alone, before SQLite opens it: so nothing
    (no -wal or -shm) is ever created beside another application's database."""
    try:
        with raw_access(path).open("rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError as exc:
        raise LogbookError(Message("error.unreadable_file", path=path, reason=exc.strerror or exc), path) from exc
    if not header:
        raise NotALogbookError(Message("error.empty", path=path), path)
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise NotALogbookError(Message("error.not_sqlite", path=path), path)
    if int.from_bytes(header[APPLICATION_ID_OFFSET:APPLICATION_ID_OFFSET + 4], "big") != APPLICATION_ID:
        raise NotALogbookError(Message("error.not_ours", path=path), path)


def write_error(exc: Exception, path: Path) -> TaceLogError:
    """A failed write as a one-line message that says what happened to the data (nothing was written)."""
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return DiskFullError(Message("error.disk_full", path=path), path)
    if code == sqlite3.SQLITE_CONSTRAINT_TRIGGER:  # the database itself refused: a signed record, an audit row
        return RecordLockedError(Message("error.refused_by_logbook", reason=exc))
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return LogbookBusyError(Message("error.busy_writing", path=path, seconds=f"{BUSY_TIMEOUT_S:g}"), path)
    if code == sqlite3.SQLITE_READONLY or "readonly" in text:
        return LogbookError(Message("error.read_only", path=path), path)
    if isinstance(exc, sqlite3.DatabaseError) and "malformed" in text:
        return LogbookCorruptError(Message("error.damaged_writing", path=path, reason=exc), path)
    return LogbookError(Message("error.cannot_write", path=path, reason=exc), path)


def filesystem_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the filesystem holding `path`, from /proc/mounts (or the given text); None if unknown."""
    if mounts is None:
        try:
            mounts = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(Path(path).resolve())
    best, best_type = "", None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")  # /proc/mounts escapes spaces in mount points
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, parts[2]
    return best_type


def network_filesystem_warning(path: Path, mounts: str | None = None) -> str | None:
    """A warning when the logbook lives on a network filesystem, where SQLite's file locks are unreliable."""
    fstype = filesystem_type(Path(path).parent, mounts)
    if fstype and (fstype in NETWORK_FILESYSTEMS or fstype.split(".")[0] in NETWORK_FILESYSTEMS
                   or fstype.startswith("fuse.sshfs")):
        return (f"{path} is on a network filesystem ({fstype}): file locking is unreliable there and two "
                "computers writing at once can damage it; keep the logbook on this computer's own disk")
    return None


@contextmanager
def new_database(path: Path) -> Iterator[sqlite3.Connection]:
    """A new, empty logbook for `path`, built under a temporary name, that takes the name only when the block ends
    without error: a refused first write (an import, the first user) leaves nothing behind, and a crash no
    half-made logbook. It is linked into place, so a logbook another process made meanwhile is never replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path.parent, CREATING)
    partial = temporary_name(path, CREATING)
    conn = connect(partial)
    try:
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        upgrade(_configure(conn))
        yield conn
        conn.close()  # checkpoints the WAL into the file before it takes the name
        _take_name(partial, path)
    finally:
        conn.close()
        for name in (partial, f"{partial}-wal", f"{partial}-shm", f"{partial}-journal"):
            with suppress(OSError):
                os.unlink(name)


def _take_name(partial: Path, path: Path) -> None:
    try:
        os.link(partial, path)
    except FileExistsError:
        raise LogbookError(Message("error.made_meanwhile", path=path), path) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK) or path.exists():
            raise
        os.replace(partial, path)  # a filesystem without hard links (a FAT stick): the rename is nearly as safe


def _create(path: Path) -> None:
    """Make a new, empty logbook at `path`; if another process made one first, theirs is the logbook."""
    try:
        with new_database(path):
            pass
    except LogbookError:
        if not path.exists():
            raise


def upgrade(conn: sqlite3.Connection) -> None:
    """Apply the migrations this logbook lacks, each in its own transaction (an older or a new logbook)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= schema_version():
        return  # current (a newer one was refused by inspect_file): sqlite-utils is not even loaded
    from sqlite_utils import Database

    from .migrations import migrations

    migrations.apply(Database(conn, execute_plugins=False))
    conn.execute(f"PRAGMA user_version={schema_version()}")


def open_database(path: Path, create: bool = True, quick_check: bool = True) -> sqlite3.Connection:
    path = logbook_location(path)
    if not path.exists():
        if not create:
            raise LogbookError(Message("error.no_logbook", path=path), path)
        try:
            _create(path)
        except OSError as exc:
            raise LogbookError(Message("error.cannot_create", path=path, reason=exc.strerror or exc), path) from exc
        except sqlite3.Error as exc:
            raise write_error(exc, path) from exc
    else:
        # Before the checks: their read-only connection would leave a -wal and -shm beside a read-only file.
        if not os.access(path, os.W_OK):
            raise LogbookError(Message("error.read_only_file", path=path), path)
        if not os.access(path.parent, os.W_OK):
            raise LogbookError(Message("error.read_only_folder", path=path), path)
        inspect_file(path, "quick_check" if quick_check else None)
    conn = connect(path)
    try:
        db = _configure(conn)
        upgrade(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "malformed" in str(exc) or "not a database" in str(exc):
            raise LogbookCorruptError(Message("error.damaged_opening", path=path, reason=exc), path) from exc
        raise write_error(exc, path) from exc
    return db
