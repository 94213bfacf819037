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
