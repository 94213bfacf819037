"""Real processes side by side: readers never call a logbook damaged while others write it, and a restore never
replaces a logbook someone else has open.

Before: the open check read a logbook without a -wal as `immutable`, so pages another process wrote changed under
it (with two import loops, a third of the reader commands said "damaged" and advised a restore); and `restore`,
unable to open a logbook another process held, byte-replaced the file under it, so that process's next
"successful" save went nowhere.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from safety_samples import import_document

from tace_log.storage import Backups, Logbook
from tace_log.storage.backup import check_file

TESTS = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)])}

# Imports new patients in a loop, a process-like open and close each time (as `tace-log import` runs), so the
# logbook is often without a -wal between them: what made the old check read it as immutable.
IMPORT_LOOP = """
import json, random, sys, time
from safety_samples import import_document
from tace_log.storage import Logbook
rng = random.Random(int(sys.argv[2]))
print("started", flush=True)
for _ in range(int(sys.argv[3])):
    with Logbook.open(sys.argv[1]) as book:
        book.import_document(import_document(rng, patients=15, procedures_each=2))
    time.sleep(rng.uniform(0, 0.2))  # closed for a moment: the last one out checkpoints and removes the -wal
"""


def cli(path: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tace_log", "--db", str(path), *argv], capture_output=True,
                          text=True, env=ENV, timeout=300)


def test_readers_beside_two_import_loops_never_call_the_logbook_damaged(tmp_path):
    path = tmp_path / "logbook.sqlite"
    with Logbook.open(path) as book:
        book.import_document(import_document(random.Random(1), patients=2000, procedures_each=2))
    writers = [subprocess.Popen([sys.executable, "-c", IMPORT_LOOP, str(path), str(seed), "400"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
               for seed in (11, 12)]
    for writer in writers:
        assert writer.stdout.readline() == "started\n"
    said = []
    try:
        while all(w.poll() is None for w in writers) and len(said) < 20:
            for command in (["check"], ["list", "--limit", "5"]):
                done = cli(path, *command)
                said.append((command[0], done.returncode, done.stderr.strip()))
        stopped = [w.stderr.read() for w in writers if w.poll() is not None]
    finally:
        for writer in writers:
            writer.kill()
            writer.communicate()  # reaps it and closes its pipes
    assert stopped == [], f"a writer failed beside the readers: {stopped}"
    failed = [s for s in said if s[1] != 0]
    assert failed == [], f"{len(failed)} of {len(said)} readers failed beside the writers: {failed[:3]}"
    check_file(path)


# Holds the logbook the way another program can: an exclusive lock, taken by its first write and kept.
EXCLUSIVE_HOLDER = """
import sys
from safety_samples import patient_document
import random
from tace_log.model import Patient
from tace_log.storage import Logbook
rng = random.Random(5)
with Logbook.open(sys.argv[1]) as book:
    book._db.execute("PRAGMA locking_mode=EXCLUSIVE")
    book.save_patient(Patient.from_document(patient_document(rng)))
    print("held", flush=True)
    sys.stdin.readline()
    second = Patient.from_document(patient_document(rng))
    book.save_patient(second)
    print(second.mrn, flush=True)
"""


def test_a_restore_beside_a_process_holding_the_logbook_is_refused_naming_it(tmp_path):
    path = tmp_path / "logbook.sqlite"
    with Logbook.open(path) as book:
        book.import_document(import_document(random.Random(2), patients=3, procedures_each=1))
        backup = book.backups.back_up().path
    with subprocess.Popen([sys.executable, "-c", EXCLUSIVE_HOLDER, str(path)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV) as holder:
        try:
            assert holder.stdout.readline() == "held\n", holder.stderr.read()
            refused = cli(path, "restore", str(backup))
            assert refused.returncode == 1
            assert f"is open in process {holder.pid} (" in refused.stderr and "nothing was restored" in refused.stderr
            assert len(refused.stderr.strip().splitlines()) == 1
            busy = cli(path, "list")  # waits the busy timeout, then says so: a held logbook is not a damaged one
            assert busy.returncode == 1 and "is busy" in busy.stderr and "damaged" not in busy.stderr
            holder.stdin.write("save again\n")
            holder.stdin.flush()
            saved_mrn = holder.stdout.readline().strip()
            assert holder.wait(timeout=60) == 0, holder.stderr.read()
        finally:
            holder.kill()
    with Logbook.open(path) as book:  # the holder's save after the refused restore is in the logbook
        assert book.find_patient_by_mrn(saved_mrn) is not None and book.counts()["patients"] == 5
    assert not list(tmp_path.glob("logbook.sqlite.restoring-*"))
    assert cli(path, "restore", str(backup)).returncode == 0  # nobody holds it now


# An idle connection, as a long `tace-log export` or a script reading the logbook has.
IDLE_READER = """
import sys
from tace_log.storage import Logbook
with Logbook.open(sys.argv[1]) as book:
    book.counts()
    print("reading", flush=True)
    sys.stdin.readline()
"""


def test_a_restore_beside_an_idle_reader_is_refused_and_the_logbook_is_unchanged(tmp_path):
    path = tmp_path / "logbook.sqlite"
    with Logbook.open(path) as book:
        book.import_document(import_document(random.Random(3), patients=2, procedures_each=1))
        backup = book.backups.back_up().path
        book.import_document(import_document(random.Random(4), patients=2, procedures_each=1))
    exported = cli(path, "export").stdout
    reader = subprocess.Popen([sys.executable, "-c", IDLE_READER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert reader.stdout.readline() == "reading\n"
        refused = cli(path, "restore", str(backup))
        assert refused.returncode == 1 and f"process {reader.pid}" in refused.stderr
    finally:
        reader.communicate("done\n", timeout=60)
    assert json.loads(cli(path, "export").stdout) == json.loads(exported)


def test_a_system_that_does_not_list_locks_still_restores(tmp_path, monkeypatch):
    from tace_log.storage import holders

    monkeypatch.setattr(holders, "LOCKS_FILE", tmp_path / "no-such-file")
    path = tmp_path / "logbook.sqlite"
    with Logbook.open(path) as book:
        backup = book.backups.back_up().path
    assert holders.holders(path) == []
    assert Backups.restore_file(path, backup).safety_copy.exists()
