"""Who else has a logbook open: the TACE Log window that holds its lock file, and any process holding SQLite's
locks on it. A restore replaces the file's content, so it refuses while anyone else holds it, and names them.

The app's lock file is Qt's `QLockFile` (`<logbook>.lock`: pid, application, host on its first lines); the core
reads it as text, never takes it. SQLite's locks are POSIX locks, listed by Linux in /proc/locks by inode.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from ..files import process_alive

LOCKS_FILE = Path("/proc/locks")


def app_lock_path(logbook_path: Path) -> Path:
    """The lock file of the one window that may edit a logbook."""
    return Path(logbook_path).with_name(Path(logbook_path).name + ".lock")


def _command(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    return " ".join(" ".join(w.decode(errors="replace") for w in words).split())[:80]  # one line for a message


def app_holder(logbook_path: Path) -> tuple[int, str] | None:
    """The pid and description of another live process's TACE Log window holding the logbook's lock, or None."""
    try:
        pid, app, host = (app_lock_path(logbook_path).read_text(encoding="utf-8").splitlines() + ["", "", ""])[:3]
    except OSError:
        return None
    if not pid.strip().isdigit() or int(pid) == os.getpid():
        return None
    if host and host != socket.gethostname():  # cannot be checked from here: taken to be there
        return int(pid), f"TACE Log on {host} (process {pid})"
    return (int(pid), f"the TACE Log window (process {pid})") if process_alive(int(pid)) else None


def lock_holders(logbook_path: Path, locks: str | None = None) -> dict[int, str]:
    """Other processes holding a lock on the logbook or its -wal/-shm (each has an SQLite connection open), by
    pid, with their command line; empty where the system does not list locks."""
    inodes = set()
    for name in (logbook_path, f"{logbook_path}-wal", f"{logbook_path}-shm"):
        try:
            st = os.stat(name)
        except OSError:
            continue
        inodes.add((os.major(st.st_dev), os.minor(st.st_dev), st.st_ino))
    if locks is None:
        try:
            locks = LOCKS_FILE.read_text(encoding="ascii", errors="replace")
        except OSError:
            return {}
    pids: list[int] = []
    for line in locks.splitlines():
        # "1: POSIX  ADVISORY  READ 7677 fe:00:2156910 1073741826 1073742335"; a blocked request starts "->"
        parts = line.split()
        if len(parts) < 6 or parts[1] == "->" or not parts[4].isdigit():
            continue
        try:
            major, minor, inode = parts[5].split(":")
            where = (int(major, 16), int(minor, 16), int(inode))
        except ValueError:
            continue
        pid = int(parts[4])
        if where in inodes and pid != os.getpid() and pid not in pids:
            pids.append(pid)
    return {pid: f"process {pid} ({_command(pid) or 'unknown command'})" for pid in pids}


def holders(logbook_path: Path) -> list[str]:
    """Everyone else who has the logbook open, as words for a message; empty if nobody is known to."""
    found = lock_holders(logbook_path)
    app = app_holder(logbook_path)
    if app:
        found[app[0]] = app[1]  # the window's own SQLite locks are the window
    return list(found.values())
