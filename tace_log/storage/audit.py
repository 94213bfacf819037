"""The audit trail: who changed what, when, and why, written by SQLite triggers (migration 0002) on every write.

Each audit row is sealed: `hash` = SHA-256 of the canonical JSON of the previous row's hash and this row's
values (`seal`), so editing, inserting or removing a row in the middle breaks the chain from there on. The
triggers call three functions this module registers on the Logbook's connection: the current user, the reason,
and the seal. A client without them (a plain `sqlite3` shell) cannot write clinical data at all, so nothing
changes without an audit row.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import atomic_file
from ..times import readable
from . import heads
from .heads import Recorded

if TYPE_CHECKING:
    from .session import Session

# The columns a seal covers, in order; also the columns of `tace-log audit export`.
SEALED = ("at", "username", "reason", "table_name", "record_id", "parent_id", "action", "field", "old_value",
          "new_value")
COLUMNS = ("seq", *SEALED, "prev_hash", "hash")


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # built once: seal runs per row


def seal(prev_hash: str | None, *values) -> str:
    """The hash of one audit row: SHA-256 of the compact UTF-8 JSON array [prev_hash, at, username, ...,
    new_value] (the SEALED columns in order)."""
    import hashlib  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py); ~0.15 µs a row

    return hashlib.sha256(_ENCODE([prev_hash, *values]).encode("utf-8")).hexdigest()


def os_user() -> str:
    """Who is at the keyboard when nobody has signed in (the CLI, scripts): their operating-system login."""
    try:
        return f"os:{getpass.getuser()}"
    except Exception:  # no login name (a service account): still say where the change came from
        return "os:unknown"


class AuditSession:
    """The user and reason the next writes are attributed to, registered as SQL functions on one connection."""

    def __init__(self, conn, user: str | None = None):
        self.user = user or os_user()
        self.reason: str | None = None
        conn.create_function("tace_audit_user", 0, lambda: self.user)
        conn.create_function("tace_audit_reason", 0, lambda: self.reason)
        conn.create_function("tace_audit_seal", 11, seal, deterministic=True)


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit trail: one change to one record (or field), sealed in the chain."""

    seq: int
    at: str
    username: str | None
    reason: str | None
    table_name: str
    record_id: str | None
    parent_id: str | None
    action: str  # insert, update or delete; or an event (a restore, a password changed), its text in new_value
    field: str | None  # None: the whole record (an insert or delete), its values as JSON; or an event
    old_value: object
    new_value: object
    prev_hash: str | None
    hash: str

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for each value this row records; a whole-record row is spread into its fields."""
        if self.field is not None:
            return [(self.field, self.old_value, self.new_value)]
        if self.action not in ("insert", "delete"):  # an event: what happened, in words
            return [(self.action, None, self.new_value)]
        values = json.loads(str(self.new_value if self.action == "insert" else self.old_value))
        if self.action == "insert":
            return [(k, None, v) for k, v in values.items() if v is not None]
        return [(k, v, None) for k, v in values.items() if v is not None]


@dataclass(frozen=True)
class ChainCheck:
    """The result of verifying the audit trail's hash chain, and comparing it with the heads recorded outside it."""

    rows: int
    broken_seq: int | None = None
    problem: str = ""
    heads: int = 0  # heads recorded outside the trail that it was compared with
    head_problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.head_problems

    @property
    def problems(self) -> list[str]:
        broken = [] if self.broken_seq is None else [f"audit trail broken at row {self.broken_seq}: {self.problem}"]
        return broken + list(self.head_problems)

    def __str__(self) -> str:
        if not self.ok:
            return "; ".join(self.problems)
        outside = (f"{self.heads} heads recorded outside it agree" if self.heads
                   else "no head recorded outside it to compare")
        return f"audit trail intact: {self.rows} rows, hash chain verified; {outside}"


def is_restore(row: AuditEntry) -> bool:
    """A restore's own row (`record_event`): it starts the trail's epoch (storage/heads.py)."""
    return row.table_name == "logbook" and row.action == "restore"


def verify(rows: Iterator[AuditEntry], recorded: Iterable[Recorded] = ()) -> ChainCheck:
    """Walk the chain in order and name the first row that does not hold: its content no longer matches its own
    hash (it was edited), or it records a different hash for the row before it (that row was edited and resealed,
    or rows were inserted or removed between them). Then compare the trail with the heads `recorded` outside it
    (storage/heads.py): a head of its epoch that it no longer contains means its newest rows were removed, or
    rows were rewritten and the chain sealed again after them."""
    recorded = list(recorded)
    wanted = {head.seq for r in recorded for head in r.heads}
    found: dict[int, tuple[int, str]] = {}  # seq: (its position in the trail, its hash), for the heads' rows
    prev_hash, prev_seq, count, epoch = None, None, 0, None
    broken: ChainCheck | None = None
    for row in rows:
        if broken is None:
            if seal(row.prev_hash, *(getattr(row, c) for c in SEALED)) != row.hash:
                broken = ChainCheck(count, row.seq, "its content does not match its hash (the row was edited)")
            elif row.prev_hash != prev_hash:
                before = f"row {prev_seq}" if prev_seq is not None else "the start of the trail"
                broken = ChainCheck(count, row.seq, f"it records a different hash for the row before it "
                                                    f"({before}): {before} was edited, or rows were inserted or "
                                                    "removed before it")
        count += 1
        if row.seq in wanted:
            found[row.seq] = (count, row.hash)
        if is_restore(row):
            epoch = row.hash
        prev_hash, prev_seq = row.hash, row.seq
    problems = [p for r in recorded for p in _head_problems(r, found, count, prev_seq or 0, epoch)]
    compared = sum(1 for r in recorded for head in r.heads if head.epoch == epoch)
    if broken is not None:
        return ChainCheck(broken.rows, broken.broken_seq, broken.problem, compared, tuple(problems))
    return ChainCheck(count, None, "", compared, tuple(problems))


def _head_problems(recorded: Recorded, found: dict[int, tuple[int, str]], rows: int, last: int,
                   epoch: str | None) -> list[str]:
    """What one head file says the trail has lost: the first head of the trail's epoch it no longer contains
    (the later ones follow from it), and, in the logbook's own head file, writes recorded after the trail's
    epoch ended (the logbook was replaced by another trail, or its restore rows removed or forged)."""
    where = recorded.source.name
    failed = []
    for head in recorded.heads:
        if head.epoch != epoch:
            continue
        at = readable(head.at)
        if head.seq in found:
            position, digest = found[head.seq]
            if digest != head.hash:
                other = ", or is not a copy of the logbook that recorded it" if recorded.newer else ""
                failed.append(f"row {head.seq} is not the row {where} recorded at {at}: the trail was rewritten "
                              f"and sealed again from there or before{other}")
            elif position != head.rows:
                failed.append(f"{where} recorded {head.rows} rows up to row {head.seq} at {at}, the trail has "
                              f"{position}: rows before it were removed or added")
        elif not (recorded.newer and head.seq > last):
            failed.append(f"the trail has {rows} rows but {where} recorded {head.rows} at {at} (up to row "
                          f"{head.seq}): its newest rows were removed")
    problems = [failed[0] + (f" (and {len(failed) - 1} later heads)" if len(failed) > 1 else "")] if failed else []
    if recorded.own:
        last_own = max((i for i, h in enumerate(recorded.heads) if h.epoch == epoch), default=-1)
        later = [h for h in recorded.heads[last_own + 1:] if not h.starts_epoch]
        if later:
            problems.append(f"{where} recorded a write at {readable(later[0].at)} (up to row {later[0].seq}) to a "
                            "trail this is not: the logbook was replaced by an older or another file outside "
                            "TACE Log's restore, or its newest rows were removed and a restore row forged")
    return problems


def read_rows(conn, batch: int = 5000) -> Iterator[AuditEntry]:
    """Every audit row of the logbook behind `conn`, in chain order, a batch at a time."""
    last = 0
    while True:
        found = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                             [last, batch]).fetchall()
        if not found:
            return
        last = found[-1][0]
        yield from (AuditEntry(*row) for row in found)


def write_csv(rows: Iterator[AuditEntry], target: Path) -> int:
    """Every audit row as CSV (UTF-8 with a BOM so spreadsheet programs read Chinese); written under a temporary
    name and renamed, so a half-written export never takes the real name."""
    import csv  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)

    count = 0
    with atomic_file(target, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(["" if getattr(row, c) is None else getattr(row, c) for c in COLUMNS])
            count += 1
    return count


def record_event(conn, action: str, details: str, table: str = "logbook", record_id: str | None = None) -> None:
    """An audit row for what no trigger sees: something done to the logbook as a whole (a restore: `table` is
    'logbook'). Sealed into the chain like the rows the triggers write (a password change is written by one: 0004)."""
    conn.execute("INSERT INTO audit_log (at, username, reason, table_name, record_id, parent_id, action, field, "
                 "old_value, new_value, prev_hash) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
                 "tace_audit_user(), tace_audit_reason(), ?, ?, NULL, ?, NULL, NULL, ?, "
                 "(SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1))", [table, record_id, action, details])


class AuditTrail:
    """The audit trail of one logbook (`Logbook.audit`): its rows, a record's history, the trail verified, the
    schema compared with what the migrations make, the CSV export."""

    def __init__(self, session: Session):
        self._session = session

    def rows(self, batch: int = 5000) -> Iterator[AuditEntry]:
        """Every audit row in chain order, a batch at a time."""
        return read_rows(self._session.db, batch)

    def history(self, record_id: str) -> list[AuditEntry]:
        """Who changed what and when for a patient or procedure: its own rows and its parts' (a procedure's
        agents, complications, segments, signature and addenda; a patient's tumour thrombus)."""
        return [AuditEntry(*row) for row in self._session.db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM audit_log WHERE parent_id = ? ORDER BY seq", [record_id]).fetchall()]

    def under(self, owner_ids: list[str], chunk: int = 500, inserts_only: bool = False) -> Iterator[AuditEntry]:
        """The rows kept under any of these records (`history` for many at once: an export's batch), in chain order
        within each chunk of owners; `inserts_only`: only the rows that inserted a record, without its values (when
        each record was first written is all that is wanted)."""
        columns = ", ".join("NULL" if inserts_only and c in ("old_value", "new_value") else c for c in COLUMNS)
        only = " AND action = 'insert'" if inserts_only else ""
        for start in range(0, len(owner_ids), chunk):
            part = owner_ids[start:start + chunk]
            yield from (AuditEntry(*row) for row in self._session.db.execute(
                f"SELECT {columns} FROM audit_log WHERE parent_id IN ({', '.join('?' * len(part))}){only} "
                "ORDER BY seq", part))

    def newest(self) -> str | None:
        """When the trail's newest row was written: the time of the logbook's last change (None: never changed)."""
        found = self._session.db.execute("SELECT at FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        return found[0] if found else None

    def verify(self) -> ChainCheck:
        """The hash chain, and the trail compared with every head recorded outside it: the head file beside the
        logbook and its backups' (storage/heads.py)."""
        recorded = heads.recorded_for(self._session.path)  # before the rows: a head is written after its rows commit
        return verify(self.rows(), recorded)

    def schema_problems(self) -> list[str]:
        """Each table, index or trigger that is not as the migrations made it (a dropped lock or audit trigger
        lets a plain SQLite client change a signed record or the trail); empty when none."""
        from .tampering import schema_problems

        return schema_problems(self._session.db)

    def export(self, target: str | Path) -> int:
        """Every row as CSV (`write_csv`); returns how many."""
        return write_csv(self.rows(), Path(target))
