"""Nothing left behind: a killed backup's temporary file, a killed restore without its audit row, a logbook made by
a refused import, a half-made logbook on a full disk, a -shm beside another program's database, or anything made
for a logbook path that can never be one (a FIFO, a looping or dangling symbolic link)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from safety_samples import fill, fill_disk, import_document, logbook_state

from tace_log.cli import main
from tace_log.storage import Logbook

TESTS = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)])}

# A backup that is killed once its temporary copy is on disk, before it is verified and named.
KILLED_BACKUP = """
import sys, time
from tace_log.storage import Logbook, backup
def hang(*args, **kwargs):
    print("partial written", flush=True)
    time.sleep(600)
backup.verify_backup = hang
with Logbook.open(sys.argv[1]) as book:
    book.backups.back_up()
"""


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_a_killed_backups_temporary_file_is_removed_at_the_next_open_and_backup(tmp_path):
    path = tmp_path / "logbook.sqlite"
    with Logbook.open(path) as book:
        fill(book, seed=1, patients=5, procedures_each=2)
    for then in ("open", "backup"):
        killed = subprocess.Popen([sys.executable, "-c", KILLED_BACKUP, str(path)], stdout=subprocess.PIPE,
                                  text=True, env=ENV)
        with killed.stdout:  # not Popen's own `with`: it would wait out the child's sleep if the readline failed
            assert killed.stdout.readline() == "partial written\n"
            killed.send_signal(signal.SIGKILL)
            killed.wait()
        left = list((tmp_path / "backups").glob("*.partial-*"))
        assert left, "the harness did not leave a temporary backup"
        with Logbook.open(path) as book:
            if then == "backup":
                book.backups.back_up()
        assert not list((tmp_path / "backups").glob("*.partial-*")), f"left after the next {then}: {left}"


def test_a_backup_being_written_by_a_live_process_is_not_taken_for_a_leftover(tmp_path):
    path = tmp_path / "logbook.sqlite"
    Logbook.open(path).close()
    with subprocess.Popen([sys.executable, "-c", KILLED_BACKUP, str(path)], stdout=subprocess.PIPE, text=True,
                          env=ENV) as writing:
        try:
            assert writing.stdout.readline() == "partial written\n"
            Logbook.open(path).close()
            assert list((tmp_path / "backups").glob("*.partial-*"))  # still its own, while it lives
        finally:
            writing.kill()
            writing.wait()


# A restore of BACKUP into LOGBOOK, killed by the test at a random moment.
RESTORE = """
import sys
from tace_log.storage import Backups
print("started", flush=True)
Backups.restore_file(sys.argv[1], sys.argv[2])
print("restored", flush=True)
"""


def test_a_killed_restore_leaves_the_old_logbook_or_the_restored_one_with_its_audit_row(tmp_path):
    path = tmp_path / "logbook.sqlite"
    with Logbook.open(path) as book:
        fill(book, seed=2, patients=20, procedures_each=2)
        backup = book.backups.back_up().path
        restored_state = logbook_state(book)
    rng = random.Random(20261202)
    outcomes = {"old": 0, "restored": 0}
    started = time.monotonic()  # how long a whole restore takes here, so the kills spread over one
    subprocess.run([sys.executable, "-c", RESTORE, str(path), str(backup)], check=True, capture_output=True, env=ENV)
    whole = time.monotonic() - started
    for round_ in range(12):
        with Logbook.open(path) as book:
            fill(book, seed=100 + round_, patients=1, procedures_each=1)  # the logbook moves on from the backup
            before, rows_before = logbook_state(book), len(list(book.audit.rows()))
        with subprocess.Popen([sys.executable, "-c", RESTORE, str(path), str(backup)], stdout=subprocess.PIPE,
                              text=True, env=ENV) as restore:
            assert restore.stdout.readline() == "started\n"
            time.sleep(rng.uniform(0, whole))
            restore.send_signal(signal.SIGKILL)
            restore.wait()
        with Logbook.open(path) as book:
            state, rows = logbook_state(book), list(book.audit.rows())
            assert book.audit.verify().ok
        if state == before:
            assert len(rows) == rows_before  # not restored, and no restore row either
            outcomes["old"] += 1
        else:
            assert state == restored_state, f"round {round_}: neither the old logbook nor the backup"
            assert (rows[-1].table_name, rows[-1].action) == ("logbook", "restore"), \
                f"round {round_}: restored without its audit row"
            outcomes["restored"] += 1
    assert not list(tmp_path.glob("*.restoring-*"))  # what a killed one prepared is gone at the next open
    assert outcomes["old"] and outcomes["restored"], f"the kills all landed on one side: {outcomes}"


def test_a_refused_import_into_a_new_path_creates_no_logbook(tmp_path, example, capsys):
    example["patients"][0]["procedures"][0]["agents"][0]["dose"] = -5
    document = tmp_path / "bad.json"
    document.write_text(json.dumps(example), encoding="utf-8")
    path = tmp_path / "new" / "logbook.sqlite"
    assert main(["--db", str(path), "import", str(document)]) == 2
    assert "agents[0].dose" in capsys.readouterr().err
    assert not path.exists() and list(path.parent.iterdir()) == []


def test_a_refused_first_user_creates_no_logbook(tmp_path, monkeypatch, capsys):
    path = tmp_path / "logbook.sqlite"
    with open(os.devnull) as empty:
        monkeypatch.setattr(sys, "stdin", empty)  # an empty password
        assert main(["--db", str(path), "user", "add", "wang", "--role", "admin"]) == 2
    assert not path.exists() and _beside(path) == []


def test_an_accepted_import_into_a_new_path_creates_the_logbook(tmp_path, example):
    document = tmp_path / "good.json"
    document.write_text(json.dumps(example), encoding="utf-8")
    path = tmp_path / "logbook.sqlite"
    assert main(["--db", str(path), "import", str(document)]) == 0
    assert _beside(path) == ["good.json", "logbook.sqlite", "logbook.sqlite.audit-head"]
    with Logbook.open(path) as book:
        assert book.counts()["procedures"] == sum(len(p["procedures"]) for p in example["patients"])


def test_a_create_that_fills_the_disk_leaves_no_half_made_logbook(small_disk, capsys):
    document = small_disk / "registry.json"
    document.write_text(json.dumps(import_document(random.Random(3), patients=2, procedures_each=1)))
    filler = fill_disk(small_disk)
    path = small_disk / "logbook.sqlite"
    assert main(["--db", str(path), "import", str(document)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "full" in err or "No space" in err, err
    assert _beside(path) == ["filler", "registry.json"]  # no logbook, no *.creating-* and no -wal/-shm of one
    filler.unlink()
    assert main(["--db", str(path), "import", str(document)]) == 0


def test_the_open_check_creates_no_shm_beside_another_programs_wal_database(tmp_path, capsys):
    path = tmp_path / "photos.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE photos (name TEXT)")
    conn.commit()
    wal = Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b""
    conn.close()
    Path(f"{path}-wal").write_bytes(wal)  # as the other program left it: a -wal, no -shm
    for command in (["list"], ["check"], ["export"]):
        assert main(["--db", str(path), *command]) in (1, 2)
        assert "not a TACE Log logbook" in capsys.readouterr().err
        assert _beside(path) == ["photos.sqlite", "photos.sqlite-wal"]


def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return "not a regular file"


def _loop(path: Path) -> str:
    os.symlink(path.with_name("other"), path)
    os.symlink(path, path.with_name("other"))
    return "symbolic link that loops"


def _dangling(path: Path) -> str:
    os.symlink(path.with_name("gone") / "logbook.sqlite", path)
    return "which does not exist"


@pytest.mark.parametrize("make", [_fifo, _loop, _dangling])
@pytest.mark.parametrize("command", [["list"], ["import", "doc.json"], ["check"], ["user", "add", "x"]])
def test_a_path_that_can_never_be_a_logbook_gets_one_line_and_nothing_is_made(tmp_path, make, command, example,
                                                                             capsys):
    (tmp_path / "doc.json").write_text(json.dumps(example), encoding="utf-8")
    path = tmp_path / "logbook.sqlite"
    words = make(path)
    before = _beside(path)
    argv = [a if a != "doc.json" else str(tmp_path / "doc.json") for a in command]
    if argv[0] == "user":
        argv += ["--role", "admin"]
    assert main(["--db", str(path), *argv]) in (1, 2)
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err, err
    assert _beside(path) == before  # and a FIFO was never opened: that would have waited for a writer for ever
