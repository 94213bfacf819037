"""Writing a file so that a crash or a failure never leaves half of it under the real name."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from .errors import LogbookError, TaceLogError
from .messages import Message

SQLITE_MAGIC = b"SQLite format 3\x00"
# Files this process has an SQLite connection to, by real path. Closing any other descriptor of such a file drops
# every POSIX lock the process holds on it (sqlite.org/howtocorrupt.html, section 2.2): another process then takes
# itself for the file's last user, checkpoints and deletes the -wal under the open connection, and the writes that
# follow are lost. So nothing but SQLite opens a file while it is here (`raw_access`).
_open_by_sqlite: Counter[str] = Counter()


def opened_by_sqlite(path: str | Path) -> Callable[[], None]:
    """Note that an SQLite connection to `path` is open; call what this returns once it is closed."""
    key = os.path.realpath(path)
    _open_by_sqlite[key] += 1

    def closed() -> None:
        _open_by_sqlite[key] -= 1
        if _open_by_sqlite[key] <= 0:
            del _open_by_sqlite[key]

    return closed


def open_by_sqlite(path: str | Path) -> bool:
    """Whether this process has an SQLite connection to `path` (a -wal or -shm counts as its database)."""
    database = str(path).removesuffix("-wal").removesuffix("-shm").removesuffix("-journal")
    return bool(_open_by_sqlite.get(os.path.realpath(database)))


def raw_access(path: str | Path) -> Path:
    """`path`, to be read, written or copied with something other than SQLite: refused while this process has an
    SQLite connection to it, since closing the other descriptor would drop that connection's locks."""
    if open_by_sqlite(path):
        raise LogbookError(Message("error.open_here", path=path), path)
    return Path(path)


def refuse_overwriting_a_database(target: Path) -> None:
    """An export, report or CSV never takes the name of a database (the logbook, a backup, its -wal or -shm): a
    mistyped -o would otherwise replace the logbook under the app."""
    for suffix in ("-wal", "-shm", "-journal"):
        if target.name.endswith(suffix) and target.with_name(target.name.removesuffix(suffix)).exists():
            raise TaceLogError(Message("error.belongs_to_database", path=target))
    try:
        with raw_access(target).open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except (FileNotFoundError, IsADirectoryError):
        return
    except OSError as exc:
        raise TaceLogError(Message("error.cannot_write_file", path=target, reason=exc.strerror or exc)) from exc
    if magic == SQLITE_MAGIC:
        raise TaceLogError(Message("error.is_database", path=target))


@contextmanager
def atomic_file(path: str | Path, mode: str = "w", encoding: str = "utf-8", newline: str | None = None
                ) -> Iterator[IO]:
    """A file written under a temporary name beside its target, flushed to disk, and renamed into place only when
    the block ends without error; otherwise the temporary file is removed and the target is as it was. A database
    (the logbook, a backup) is never the target."""
    target = Path(path)
    refuse_overwriting_a_database(target)
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    except OSError as exc:
        raise TaceLogError(Message("error.cannot_write_file", path=target, reason=exc.strerror or exc)) from exc
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise TaceLogError(Message("error.cannot_write_file", path=target, reason=exc.strerror or exc)) from exc
        raise


def temporary_name(target: Path, mark: str) -> Path:
    """`target` with `.<mark>-<pid>` added: a file this process builds before it takes the target's name (a
    backup, a new logbook). The pid tells a killed process's leftover from one another process is still writing."""
    return target.with_name(f"{target.name}.{mark}-{os.getpid()}")


def remove_leftovers(folder: Path, *marks: str) -> list[Path]:
    """Remove what processes that are gone left of their `temporary_name`s with these marks in `folder` (a backup
    or a create killed half-way), with SQLite's -journal/-wal/-shm beside them; returns what was removed."""
    import re  # the pattern is built per call: re is loaded by then anyway

    pattern = re.compile(rf"\.(?:{'|'.join(map(re.escape, marks))})-(\d+)(?:-journal|-wal|-shm)?$")
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        found = pattern.search(entry.name)
        if found and not process_alive(int(found.group(1))):
            with suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process of this computer with that pid is running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
