"""Writing a file so that a crash or a failure never leaves half of it under the real name."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from .errors import TaceLogError


@contextmanager
def atomic_file(path: str | Path, mode: str = "w", encoding: str = "utf-8", newline: str | None = None
                ) -> Iterator[IO]:
    """A file written under a temporary name beside its target, flushed to disk, and renamed into place only when
    the block ends without error; otherwise the temporary file is removed and the target is as it was."""
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    except OSError as exc:
        raise TaceLogError(f"cannot write {target}: {exc.strerror or exc}") from exc
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
            raise TaceLogError(f"cannot write {target}: {exc.strerror or exc}") from exc
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
