"""The app and the CLI side by side, as real processes: every save the app acknowledged ("Saved.") survives the
`tace-log` commands run beside it and a SIGKILL of the app, and no audit row the CLI wrote is lost.

Before it was fixed, the app's open-time check read the logbook's header with Python's `open()`; closing that
descriptor dropped every POSIX lock the app's SQLite connection held, so the next CLI took itself for the last
user, checkpointed and deleted the -wal under the app, and the app's later saves went to an unlinked file.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from safety_samples import import_document

from tace_log.storage import Logbook
from tace_log.storage.backup import check_file

TESTS = Path(__file__).resolve().parent.parent
APP = TESTS / "app_writer.py"
ANSWER_WAIT_S = 120  # a wedged app (a modal box offscreen) fails the test instead of hanging it
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)])}


class App:
    """The real app in its own process, saving through its form when told to."""

    def __init__(self, path: Path):
        self.process = subprocess.Popen([sys.executable, str(APP), str(path)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                                        cwd=path.parent)
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stdout],
                                       daemon=True)
        self.reader.start()
        self._expect("open")

    def _expect(self, word: str) -> str:
        try:
            line = self.lines.get(timeout=ANSWER_WAIT_S).strip()
        except queue.Empty:
            line = "(nothing)"
        if not line.startswith(word):
            self.process.kill()
            raise AssertionError(f"the app said {line!r}, not {word!r}: {self.process.stderr.read()}")
        return line

    def tell(self, line: str, answer: str) -> str:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self._expect(answer)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.wait()

    def wait(self) -> None:
        """Wait for the app to end, then close its pipes (stdout once the reader has seen its end)."""
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
            pipe.close()


def cli(path: Path, *argv: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "tace_log", "--db", str(path), *argv], input=stdin,
                          capture_output=True, text=True, env=ENV, timeout=120)
    assert done.returncode == 0, f"tace-log {' '.join(argv)}: {done.stderr}"
    return done.stdout


@pytest.fixture
def logbook_path(tmp_path):
    path = tmp_path / "logbook.sqlite"
    Logbook.open(path).close()
    return path


def user_rows(path: Path, username: str) -> list:
    with Logbook.open(path) as book:
        return [r for r in book.audit.rows() if r.table_name == "users" and r.record_id == username]


def test_saves_the_app_acknowledged_survive_cli_commands_beside_it_and_a_kill(logbook_path, tmp_path):
    import random

    document = tmp_path / "registry.json"
    document.write_text(json.dumps(import_document(random.Random(7), patients=3, procedures_each=1)))
    beside = [("check",), ("list",), ("import", str(document)), ("user", "add", "wang", "--role", "admin"),
              ("backup",), ("list", "--search", "HS-")]
    app = App(logbook_path)
    acknowledged = []
    try:
        for n, command in enumerate(beside):
            for k in range(2):
                mrn = f"APP-{n}-{k}"
                assert app.tell(f"save {mrn}", "ack") == f"ack {mrn}"
                acknowledged.append(mrn)
            cli(logbook_path, *command, stdin="a long enough password\n" if command[0] == "user" else "")
        for k in range(3):  # and after the last command
            assert app.tell(f"save LAST-{k}", "ack") == f"ack LAST-{k}"
            acknowledged.append(f"LAST-{k}")
    finally:
        app.kill()

    check_file(logbook_path)  # PRAGMA integrity_check: ok
    with Logbook.open(logbook_path) as book:
        missing = [mrn for mrn in acknowledged if book.find_patient_by_mrn(mrn) is None]
        assert missing == [], f"acknowledged by the app, lost: {missing}"
        assert book.counts()["procedures"] == len(acknowledged) + 3  # and the CLI's import, whole
        assert [u.username for u in book.users.active()] == ["wang"]
        assert book.audit.verify().ok
    assert "intact" in cli(logbook_path, "audit", "verify")
    assert len(user_rows(logbook_path, "wang")) == 1  # the CLI's audit row of the new user is there


def test_an_audit_row_the_cli_wrote_is_still_there_after_the_app_quits(logbook_path):
    app = App(logbook_path)
    assert app.tell("save BEFORE-1", "ack") == "ack BEFORE-1"
    cli(logbook_path, "list")
    cli(logbook_path, "user", "add", "chen", "--role", "radiologist", stdin="a long enough password\n")
    assert app.tell("save AFTER-1", "ack") == "ack AFTER-1"
    app.tell("quit", "closed")
    app.wait()
    assert len(user_rows(logbook_path, "chen")) == 1
    assert "intact" in cli(logbook_path, "audit", "verify")
    with Logbook.open(logbook_path) as book:
        assert book.find_patient_by_mrn("AFTER-1") is not None


def test_a_restore_while_the_app_has_the_logbook_open_is_refused_naming_the_window(logbook_path):
    with Logbook.open(logbook_path) as book:
        backup = book.backups.back_up().path
    app = App(logbook_path)
    try:
        assert app.tell("save KEPT-1", "ack") == "ack KEPT-1"
        refused = subprocess.run([sys.executable, "-m", "tace_log", "--db", str(logbook_path), "restore", str(backup)],
                                 capture_output=True, text=True, env=ENV, timeout=120)
        assert refused.returncode == 1
        assert f"is open in the TACE Log window (process {app.process.pid})" in refused.stderr
        assert app.tell("save KEPT-2", "ack") == "ack KEPT-2"  # the app goes on, on the same file
    finally:
        app.kill()
    with Logbook.open(logbook_path) as book:
        assert book.find_patient_by_mrn("KEPT-1") and book.find_patient_by_mrn("KEPT-2")
