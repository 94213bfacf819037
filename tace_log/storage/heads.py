"""The audit trail's head kept outside the logbook, so removing or resealing its newest rows shows.

A hash chain alone cannot tell that its newest rows were removed, or that everything after an edit was sealed
again: what is left is a shorter or a different chain that holds. So after every write that adds audit rows, the
Logbook appends the trail's head (rows, the last row's seq and hash, the time) to `<logbook>.audit-head`, one JSON
line per write, and every backup carries the head of its snapshot in `<backup>.audit-head` beside it.
`audit.verify` compares the trail with every head it finds: a head the trail no longer contains is reported.

A restore replaces the trail with a backup's, legitimately shorter: each head names its *epoch*, the hash of the
newest restore row of the trail it was taken from (None before any restore), and a trail is compared only with
the heads of its own epoch. The restore's own line (epoch = its row's hash) is appended before the restored
logbook goes in, so the head file always knows a restore that happened; a line for a restore that then did not
happen (refused, interrupted) stays harmless: the trail has no row for it, and the writes after it carry the old
epoch again.
"""

from __future__ import annotations

import glob
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..files import atomic_file
from ..paths import backup_folder
from ..times import now_utc

SUFFIX = ".audit-head"
log = logging.getLogger(__name__)

# The newest restore row: its hash names the epoch. Restore rows have no parent, so the parent index finds it
# among the few such rows (users' changes, other events) without reading the trail.
_EPOCH = ("SELECT hash FROM audit_log WHERE parent_id IS NULL AND table_name = 'logbook' AND action = 'restore' "
          "ORDER BY seq DESC LIMIT 1")


@dataclass(frozen=True)
class Head:
    """The trail as it was at `at`: `rows` rows, the last `seq` sealed as `hash`, in `epoch`. Audit rows are
    never removed and are numbered from 1, so `rows` is the last seq; it is stored so a head says what it claims.
    `restore` is the backup a restore line restored from."""

    rows: int
    seq: int
    hash: str
    at: str
    epoch: str | None
    restore: str | None = None

    @property
    def starts_epoch(self) -> bool:
        return self.epoch == self.hash

    def line(self) -> str:
        values = {k: v for k, v in asdict(self).items() if v is not None or k == "epoch"}
        return json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n"


@dataclass(frozen=True)
class Recorded:
    """Heads found outside a trail, in the order written. `own`: the file's own head file, appended at every write,
    so a head of another epoch after the last of the trail's own epoch means the trail was replaced. `newer`: heads
    that may be ahead of the trail (a logbook's, when checking one of its backups): only those it reaches count."""

    source: Path
    heads: list[Head]
    own: bool = False
    newer: bool = False
    unreadable: int = 0


def head_file(path: Path) -> Path:
    """The head file beside a logbook or a backup."""
    return Path(path).with_name(Path(path).name + SUFFIX)


def last_seq(conn) -> int:
    return conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0]


def chain_head(conn, since: int | None = None) -> Head | None:
    """The trail's head now (inside the caller's transaction), or None if it has no row, or none after `since`."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    if row is None or (since is not None and row[0] <= since):
        return None
    epoch = conn.execute(_EPOCH).fetchone()
    return Head(row[0], row[0], row[1], now_utc(), epoch[0] if epoch else None)


def append(path: Path, head: Head, sync: bool = False) -> None:
    """Add a head to the head file beside `path` (created if missing). One write of a short line in append mode:
    processes writing beside each other never interleave. `sync` forces it to disk (a restore's line); a write's
    head need not be: it is written after its transaction is on disk, so a lost line only ever makes the head file
    lag the trail, which is never reported."""
    fd = os.open(head_file(path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, head.line().encode("utf-8"))
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def write_sidecar(backup: Path, head: Head) -> None:
    """A backup's head beside it: one line, written whole under a temporary name and renamed into place."""
    with atomic_file(head_file(backup)) as handle:
        handle.write(head.line())


def append_after_write(path: Path, head: Head) -> None:
    """`append` for a committed write: its failure (a full disk) must not make a saved record look unsaved."""
    try:
        append(path, head)
    except OSError as exc:
        log.warning("could not record the audit trail's head in %s: %s", head_file(path), exc)


def read(source: Path, **kind) -> Recorded | None:
    """The heads in a head file, or None if there is none. A line that does not read as a head (torn by a crash
    while it was written) is counted and skipped."""
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    heads, unreadable = [], 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            values = json.loads(line)
            heads.append(Head(int(values["rows"]), int(values["seq"]), str(values["hash"]), str(values["at"]),
                              values["epoch"], values.get("restore")))
        except (ValueError, KeyError, TypeError):
            unreadable += 1
    return Recorded(source, heads, unreadable=unreadable, **kind)


def recorded_for(path: Path, newer: bool = False) -> list[Recorded]:
    """Every head recorded for a logbook (or a backup): its own head file, and those of the backups in the
    `backups/` folder beside it. `newer`: they may be ahead of the trail checked (a backup being restored)."""
    path = Path(path)
    found = [read(head_file(path), own=not newer, newer=newer)]
    pattern = f"{glob.escape(path.stem)}.*.sqlite{SUFFIX}"
    found += [read(sidecar, newer=newer) for sidecar in sorted(backup_folder(path).glob(pattern))]
    return [r for r in found if r is not None]


def retire(path: Path) -> None:
    """A new logbook where one used to be: its old head file describes a trail that is gone, so it is kept aside
    (never deleted: it is evidence of what was there) and the new logbook starts its own."""
    old = head_file(path)
    if old.exists():
        aside = old.with_name(f"{old.name}.replaced-{now_utc().replace(':', '')}")
        os.replace(old, aside)
        log.warning("a new logbook was made at %s: the head file of the one before is kept as %s", path, aside)
