"""Backups of a logbook, and restoring one: nothing is ever lost, even to a bad backup or a bad restore.

A backup is made with SQLite's online backup API from the logbook's own connection inside one read transaction,
so it is a consistent snapshot even while the app and the CLI write. It is written under a temporary name,
verified (integrity check, opens as a logbook this version reads, the row count of every table equal to the
source's in the same snapshot), and only then renamed into place. Backups live in `backups/` beside the logbook,
named `<logbook stem>.<local date_time>.sqlite`, and are rotated (the newest of each of the last 7 days and of each
of the last 4 weeks, by default). Each carries the audit trail's head of its snapshot in `<backup>.audit-head`
beside it (storage/heads.py), removed with it. A restore verifies the file first (damage, then tampering: schema,
audit trail, signatures; an unverifiable one only when told why), keeps the current logbook as a safety copy
(never rotated away), and replaces the logbook atomically.
"""

from __future__ import annotations

import datetime as dt
import errno
import glob
import os
import re
import shutil
import sqlite3
import time
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import (
    BackupError,
    DiskFullError,
    LogbookCorruptError,
    LogbookError,
    LogbookInUseError,
    UnverifiedBackupError,
)
from ..files import raw_access, remove_leftovers, temporary_name
from ..messages import Message
from ..paths import PARTIAL_BACKUP as PARTIAL
from ..paths import RESTORING, backup_folder
from . import audit, heads
from .audit import AuditSession
from .connection import _configure, connect, inspect_file, upgrade, write_error
from .holders import holders

HOLD_WAIT_S = 2.0  # how long a restore waits for a reader beside it (a CLI listing) before calling it in use
STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
SAFETY_MARK = "before-restore"


@dataclass(frozen=True)
class BackupPolicy:
    """How many backups rotation keeps: the newest of each of the last `daily` days and `weekly` ISO weeks."""

    daily: int = 7
    weekly: int = 4


@dataclass(frozen=True)
class BackupReport:
    """A backup that was made and verified, and the old ones rotation removed."""

    path: Path
    size: int
    counts: dict[str, int]
    seconds: float
    removed: tuple[Path, ...] = ()

    def __str__(self) -> str:
        return (f"{self.path} ({self.size / 1024:.0f} KB, {self.counts.get('procedures', 0)} procedures, "
                f"{self.counts.get('patients', 0)} patients; verified)")


@dataclass(frozen=True)
class RestoreReport:
    """A restore: the file restored, its source, and where the old content was kept."""

    path: Path
    source: Path
    safety_copy: Path | None
    counts: dict[str, int] = field(default_factory=dict)


def _name_pattern(logbook_path: Path) -> re.Pattern:
    return re.compile(rf"^{re.escape(Path(logbook_path).stem)}\.(\d{{4}}-\d\d-\d\d_\d{{6}})(?:-\d+)?\.sqlite$")


def list_backups(logbook_path: Path) -> list[tuple[dt.datetime, Path]]:
    """This logbook's rotated backups, newest first (safety copies from a restore are not among them)."""
    folder = backup_folder(logbook_path)
    if not folder.is_dir():
        return []
    pattern = _name_pattern(logbook_path)
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file():
            found.append((dt.datetime.strptime(match.group(1), STAMP_FORMAT), entry))
    return sorted(found, key=lambda item: (item[0], item[1].name), reverse=True)


def _free_name(folder: Path, stem: str, label: str) -> Path:
    target = folder / f"{stem}.{label}.sqlite"
    n = 2
    while target.exists() or any(folder.glob(f"{glob.escape(target.name)}.{PARTIAL}-*")):
        target = folder / f"{stem}.{label}-{n}.sqlite"
        n += 1
    return target


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _fsync(path: Path) -> None:
    fd = os.open(raw_access(path), os.O_RDONLY)  # never a live logbook: its close would drop our locks
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_file(path: Path) -> dict[str, int]:
    """A full check of a logbook file, read-only: opens as a logbook this version reads, integrity check, no
    dangling rows. Returns the row count of every table; raises a LogbookError saying what is wrong."""
    path = Path(path)
    inspect_file(path, "integrity_check")
    conn = connect(path, read_only=True)
    try:
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise LogbookCorruptError(Message("error.dangling_rows", path=path), path)
        return table_counts(conn)
    finally:
        conn.close()


def verify_backup(path: Path, expected: dict[str, int] | None = None) -> dict[str, int]:
    """Check a backup file fully (and against the logbook's counts, if given); raises BackupError if it is bad."""
    path = Path(path)
    try:
        counts = check_file(path)
    except LogbookError as exc:
        raise BackupError(Message("error.not_a_good_backup", reason=exc), path) from exc
    if expected is not None and counts != expected:
        differ = ", ".join(f"{t} {counts.get(t)} instead of {n}" for t, n in expected.items() if counts.get(t) != n)
        raise BackupError(Message("error.backup_differs", path=path, differ=differ), path)
    return counts


def write_backup(conn: sqlite3.Connection, target: Path) -> BackupReport:
    """Copy the logbook behind `conn` to `target`, verified; the file appears under its name only when good."""
    target = Path(target)
    partial = temporary_name(target, PARTIAL)
    started = time.perf_counter()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target.parent, PARTIAL)  # of backups killed half-way
        conn.execute("BEGIN")  # one read snapshot: the counts, the head and the copy see the same logbook
        try:
            counts = table_counts(conn)
            head = heads.chain_head(conn)
            dest = sqlite3.connect(partial, isolation_level=None)
            try:
                conn.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file, no -wal beside it
            finally:
                dest.close()
        finally:
            conn.execute("COMMIT")
        _fsync(partial)
        verify_backup(partial, counts)
        size = partial.stat().st_size  # before the rename: another process's rotation may remove it right after
        if head is not None:
            heads.write_sidecar(target, head)  # before the backup takes its name: no backup is without its head
        os.replace(partial, target)
        _fsync(target.parent)
    except BaseException as exc:
        # the head written for a backup that did not take its name goes with it
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm"),
                         *([] if target.exists() else [heads.head_file(target)])):
            with suppress(OSError):
                leftover.unlink(missing_ok=True)
        if isinstance(exc, BackupError):
            raise
        if isinstance(exc, OSError | sqlite3.Error):
            raise _backup_error(exc, target) from exc
        raise
    return BackupReport(target, size, counts, time.perf_counter() - started)


def _backup_error(exc: Exception, target: Path) -> BackupError:
    if isinstance(exc, OSError):
        full = exc.errno == errno.ENOSPC
    else:
        full = isinstance(write_error(exc, target), DiskFullError)
    if full:
        return BackupError(Message("error.backup_disk_full", path=target), target)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return BackupError(Message("error.backup_not_written", path=target, reason=reason), target)


def rotate(logbook_path: Path, policy: BackupPolicy = BackupPolicy()) -> list[Path]:
    """Delete the backups the policy does not keep; returns what was deleted."""
    keep: set[Path] = set()
    days: list[dt.date] = []
    weeks: list[tuple[int, ...]] = []
    for when, path in list_backups(logbook_path):  # newest first: the first seen of a day or week is its newest
        day, week = when.date(), when.isocalendar()[:2]
        if day not in days and len(days) < policy.daily:
            days.append(day)
            keep.add(path)
        if week not in weeks and len(weeks) < policy.weekly:
            weeks.append(week)
            keep.add(path)
    removed = [path for _, path in list_backups(logbook_path) if path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
        heads.head_file(path).unlink(missing_ok=True)
    return removed


def back_up(conn: sqlite3.Connection, logbook_path: Path, target: Path | None = None,
            policy: BackupPolicy | None = None, now: dt.datetime | None = None) -> BackupReport:
    """A verified backup: to `target` if given, else into the backups folder, which is then rotated as `policy`
    says (by default `BackupPolicy()`)."""
    if target is not None:
        target = Path(target)
        if target.exists() or target.resolve() == Path(logbook_path).resolve():
            # A backup never replaces a file: it could be another logbook, or this one.
            raise BackupError(Message("error.backup_exists", path=target), target)
        return write_backup(conn, target)
    now = now or dt.datetime.now()
    report = write_backup(conn, _free_name(backup_folder(logbook_path), Path(logbook_path).stem,
                                           now.strftime(STAMP_FORMAT)))
    removed = tuple(rotate(logbook_path, policy or BackupPolicy()))
    return BackupReport(report.path, report.size, report.counts, report.seconds, removed)


def backup_due(logbook_path: Path, now: dt.datetime | None = None) -> bool:
    """True unless a backup of this logbook was already made today (the automatic backup is at most daily)."""
    today = (now or dt.datetime.now()).date()
    return not any(when.date() == today for when, _ in list_backups(logbook_path))


def newest_good_backup(logbook_path: Path) -> Path | None:
    """The newest backup of this logbook that passes every check, or None: what to offer when it is damaged."""
    for _, path in list_backups(logbook_path):
        try:
            verify_backup(path)
        except BackupError:
            continue
        return path
    return None


def restore(logbook_path: Path, backup_file: Path, user: str | None = None, despite: str | None = None
            ) -> RestoreReport:
    """Replace the logbook with a verified backup, keeping the current logbook as a safety copy; refused while
    anyone else has the logbook open (the app's window, a CLI, any program), whom the error names.

    The restored logbook is prepared beside it first: the backup, upgraded to this version's migrations, checked
    for tampering (schema, audit trail against the heads recorded for it, signatures: refused unless `despite`
    says why, which goes into the audit row), with the restore's own audit row (by `user`, else the
    operating-system login) sealed onto its trail. Its head starts a new epoch in the logbook's head file, then
    it goes in in one step, so a crash leaves the old logbook or the restored one with its audit row, never one
    without. A logbook that opens takes it through SQLite's backup API in one transaction, under an exclusive lock
    held from the safety copy on; one that does not open (damaged) is copied aside byte for byte with its -wal, and
    the prepared file is renamed into its place."""
    logbook_path, backup_file = Path(logbook_path), Path(backup_file)
    if backup_file.resolve() == logbook_path.resolve():
        raise BackupError(Message("error.backup_is_logbook", path=backup_file), backup_file)
    counts = verify_backup(backup_file)
    _refuse_if_held(logbook_path)
    label = f"{SAFETY_MARK}.{dt.datetime.now().strftime(STAMP_FORMAT)}"
    safety = _free_name(backup_folder(logbook_path), logbook_path.stem, label) if logbook_path.exists() else None
    kept = f"; the content before is kept in {safety}" if safety else ""
    remove_leftovers(logbook_path.parent, RESTORING)
    prepared = temporary_name(logbook_path, RESTORING)
    try:
        head = _prepare(backup_file, prepared, logbook_path, f"restored from {backup_file}{kept}", user, despite)
        # Before the swap: a restore that happened is always in the head file (one that then fails is harmless).
        try:
            heads.append(logbook_path, replace(head, restore=str(backup_file)), sync=True)
        except OSError as exc:
            raise BackupError(Message("error.restore_not_recorded", path=heads.head_file(logbook_path),
                                      reason=exc.strerror or exc), logbook_path) from exc
        if safety is not None and _opens(logbook_path):  # a logbook that opens exists, so it has a safety copy
            _restore_into(logbook_path, prepared, safety)
        else:
            _replace_file(logbook_path, prepared, safety)
    finally:
        for name in (prepared, f"{prepared}-wal", f"{prepared}-shm", f"{prepared}-journal"):
            with suppress(OSError):
                os.unlink(name)
    return RestoreReport(logbook_path, backup_file, safety, counts)


def _opens(logbook_path: Path) -> bool:
    try:
        inspect_file(logbook_path, "quick_check")
    except LogbookError:
        return False  # missing, damaged, newer, not ours: replaced as a file
    return True


def _refuse_if_held(logbook_path: Path) -> None:
    others = holders(logbook_path)
    if others:
        raise LogbookInUseError(Message("error.open_elsewhere", path=logbook_path, who=", ".join(others)), logbook_path)


def _prepare(backup_file: Path, prepared: Path, logbook_path: Path, event: str, user: str | None,
             despite: str | None) -> heads.Head:
    """The logbook as it will be restored: the backup's content, this version's migrations, refused if it does not
    verify (unless `despite`), the restore's row. Returns the prepared trail's head (the restore's row)."""
    source = connect(backup_file, read_only=True)
    dest = connect(prepared)
    try:
        source.backup(dest)
        _configure(dest)
        upgrade(dest)  # a backup from before a migration gets it now
        problems = _unverified(dest, prepared, backup_file, logbook_path)
        if problems and not despite:
            raise UnverifiedBackupError(Message("error.backup_unverified", path=backup_file,
                                                problems="; ".join(problems)), backup_file)
        if problems:
            event += f"; restored although it did not verify: {'; '.join(problems)}"
        session = AuditSession(dest, user)
        session.reason = despite  # why it was restored all the same, or what the user said anyway
        dest.execute("BEGIN IMMEDIATE")
        audit.record_event(dest, "restore", event)
        head = heads.chain_head(dest)
        assert head is not None  # the restore's own row was just sealed onto the trail
        dest.execute("COMMIT")
    except sqlite3.Error as exc:
        raise _backup_error(exc, prepared) from exc
    finally:
        source.close()
        dest.close()  # checkpoints: the prepared file is whole without a -wal
    _fsync(prepared)
    return head


def _unverified(conn: sqlite3.Connection, prepared: Path, backup_file: Path, logbook_path: Path) -> list[str]:
    """Why a backup (prepared for restoring) cannot be trusted: its schema is not the migrations', its audit
    trail is broken or differs from a head recorded for it (its own, or the logbook's where they overlap), or a
    signature no longer matches its record. Empty when it verifies."""
    from .logbook import Logbook
    from .tampering import schema_problems

    own = heads.head_file(backup_file)
    recorded = heads.recorded_for(backup_file) + [
        r for r in heads.recorded_for(logbook_path, newer=True) if r.source != own]
    trail = audit.verify(audit.read_rows(conn), recorded)
    signed = Logbook(conn, prepared).signing.verify()  # what audit verify and check say, batched
    shown = "; ".join(signed.failures[:3]) + ("; ..." if len(signed.failures) > 3 else "")
    signatures = [f"{signed.summary} ({shown})"] if not signed.ok else []
    return schema_problems(conn) + trail.problems + signatures


def _restore_into(logbook_path: Path, prepared: Path, safety: Path) -> None:
    """Take an exclusive lock on the logbook (refused, naming them, if anyone holds it), keep its content as the
    safety copy, and copy the prepared logbook in, in one transaction."""
    db = connect(logbook_path)
    try:
        db.execute(f"PRAGMA busy_timeout={int(HOLD_WAIT_S * 1000)}")
        db.execute("PRAGMA locking_mode=EXCLUSIVE")  # taken at the first read, held until the connection closes
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            who = ", ".join(holders(logbook_path)) or Message("error.another_program")
            raise LogbookInUseError(Message("error.open_elsewhere", path=logbook_path, who=who), logbook_path) from exc
        _configure(db)
        write_backup(db, safety)
        source = connect(prepared, read_only=True)
        try:
            source.backup(db)
        except sqlite3.Error as exc:
            raise write_error(exc, logbook_path) from exc
        finally:
            source.close()
    finally:
        db.close()


def _replace_file(logbook_path: Path, prepared: Path, safety: Path | None) -> None:
    """Put the prepared logbook in place of one that does not open, keeping the old file and its -wal aside."""
    wal, shm = Path(f"{logbook_path}-wal"), Path(f"{logbook_path}-shm")
    try:
        if safety is not None:
            safety.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(raw_access(logbook_path), safety)
            if wal.exists():
                shutil.copyfile(raw_access(wal), f"{safety}-wal")
        # The old -wal must go before the rename: SQLite would replay it onto the restored file.
        wal.unlink(missing_ok=True)
        shm.unlink(missing_ok=True)
        os.replace(prepared, logbook_path)
        _fsync(logbook_path.parent)
    except OSError as exc:
        raise _backup_error(exc, logbook_path) from exc
