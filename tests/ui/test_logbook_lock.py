"""One window per logbook: a second app is refused and told who holds the logbook; a dead holder's lock is taken."""

from __future__ import annotations

import getpass
import signal
import socket
import subprocess
import sys

import pytest

from tace_log.storage.holders import app_lock_path as lock_path
from ui.safety.logbook_lock import LogbookInUseError, LogbookLock

HOLDER = """
import sys
from ui.safety.logbook_lock import LogbookLock
lock = LogbookLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
sys.stdin.readline()
lock.release()
"""


@pytest.fixture
def other_app(tmp_path):
    """Another TACE Log process holding the logbook's lock until told to stop."""
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "logbook.sqlite")],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout.readline() == "locked\n"
        yield process
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def test_a_second_app_is_refused_and_told_who_holds_the_logbook(tmp_path, other_app):
    lock = LogbookLock(tmp_path / "logbook.sqlite")
    with pytest.raises(LogbookInUseError) as caught:
        lock.acquire()
    holder = caught.value.holder
    assert holder.pid == other_app.pid and holder.host == socket.gethostname() and holder.user == getpass.getuser()
    message = str(caught.value)
    assert f"process {other_app.pid} by {holder.user} on {holder.host}" in message and "already open" in message
    assert not lock.is_locked()


def test_the_logbook_can_be_opened_once_the_other_app_closes(tmp_path, other_app):
    other_app.communicate("quit\n", timeout=30)
    lock = LogbookLock(tmp_path / "logbook.sqlite")
    lock.acquire()
    assert lock.is_locked() and lock_path(tmp_path / "logbook.sqlite").exists()
    lock.release()
    assert not lock_path(tmp_path / "logbook.sqlite").exists()


def test_the_lock_of_an_app_that_was_killed_is_taken_over(tmp_path, other_app):
    other_app.send_signal(signal.SIGKILL)
    other_app.wait(timeout=30)
    assert lock_path(tmp_path / "logbook.sqlite").exists()  # left behind by the dead process
    lock = LogbookLock(tmp_path / "logbook.sqlite")
    lock.acquire()
    assert lock.holder().pid != other_app.pid
    lock.release()
