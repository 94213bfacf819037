"""Hostile files and places: each gives a one-line error (CLI exit 1) and leaves the file byte-for-byte as it was."""

from __future__ import annotations

import contextlib
import io
import os
import random
import sqlite3
from pathlib import Path

import pytest
from safety_samples import damage, file_digest, fill, fill_disk, logbook_state, procedure_document

from tace_log.cli import main
from tace_log.errors import BackupError, DiskFullError, LogbookCorruptError, NewerSchemaError, NotALogbookError
from tace_log.model import Procedure
from tace_log.storage import Logbook
from tace_log.storage.backup import check_file
from tace_log.storage.connection import filesystem_type, network_filesystem_warning

NOBODY = 65534


def run_cli(argv: list[str], unprivileged: bool = False) -> tuple[int, str]:
    """Run `tace-log ARGV`; returns (exit code, stderr). `unprivileged`: as a user without root's rights, since
    root may write to any file (the test then runs the CLI in a forked child that drops to `nobody`)."""
    if not (unprivileged and os.geteuid() == 0):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            return main(argv), err.getvalue()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        code = 70
        try:
            os.close(read_end)
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = main(argv)
            os.write(write_end, err.getvalue().encode())
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        err = pipe.read().decode()
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status), err


def _logbook_file(path: Path) -> Path:
    with Logbook.open(path) as book:
        fill(book, seed=5, patients=30, procedures_each=2)
    return path


def make_not_sqlite(path):
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)


def make_zero_bytes(path):
    path.write_bytes(b"")


def make_truncated(path):
    whole = _logbook_file(path).read_bytes()
    path.write_bytes(whole[: len(whole) // 3])


def make_damaged(path):
    damage(_logbook_file(path))


def make_newer(path):
    _logbook_file(path)
    conn = sqlite3.connect(path)  # as a future TACE Log would leave it: a schema version this one does not know
    conn.execute("PRAGMA user_version=99")
    conn.close()


def make_foreign(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('holiday.jpg')")
    conn.commit()
    conn.close()


HOSTILE = {
    "not SQLite": (make_not_sqlite, NotALogbookError, "not an SQLite database"),
    "zero bytes": (make_zero_bytes, NotALogbookError, "empty (0 bytes)"),
    "truncated": (make_truncated, LogbookCorruptError, "damaged"),
    "damaged pages": (make_damaged, LogbookCorruptError, "damaged"),
    "newer version": (make_newer, NewerSchemaError, "newer TACE Log"),
    "another program's database": (make_foreign, NotALogbookError, "not a TACE Log logbook"),
}


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("command", [["list"], ["backup"], ["export"]])
def test_a_hostile_file_is_refused_in_one_line_and_left_byte_for_byte(tmp_path, kind, command):
    make, error, words = HOSTILE[kind]
    path = tmp_path / "logbook.sqlite"
    make(path)
    digest = file_digest(path)
    head = Path(f"{path}.audit-head")
    heads_before = head.read_bytes() if head.exists() else None  # what the logbook's own writes left beside it
    code, err = run_cli(["--db", str(path), *command])
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and words in err and str(path) in err
    assert file_digest(path) == digest
    # Nothing beside it: no backups folder; and before SQLite opens a file, its header says whether it is a
    # logbook, so nothing at all beside a file that is not one. The read-only check of one of ours (damaged,
    # newer) may leave SQLite's empty -wal and its -shm: it may not read a logbook as immutable, since another
    # process could be writing it.
    beside = sorted(p.name for p in tmp_path.iterdir())
    if error is NotALogbookError:
        assert beside == ["logbook.sqlite"]
    else:
        assert set(beside) <= {"logbook.sqlite", "logbook.sqlite-wal", "logbook.sqlite-shm", head.name}
        assert (head.read_bytes() if head.exists() else None) == heads_before
        assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    with pytest.raises(error) as caught:
        Logbook.open(path)
    assert caught.value.path == path
    assert file_digest(path) == digest


@pytest.fixture
def shared_folder(tmp_path):
    """A folder the unprivileged user can reach (pytest's own tmp folders are private to root)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    for step in [tmp_path, *tmp_path.parents]:
        if step == Path("/tmp") or step == Path("/"):
            break
        os.chmod(step, 0o755)
    yield folder
    os.chmod(folder, 0o755)


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_logbook_or_folder_is_refused_in_one_line_and_left_byte_for_byte(shared_folder, read_only,
                                                                                  monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(shared_folder / "state"))
    path = _logbook_file(shared_folder / "logbook.sqlite")
    os.chmod(path, 0o444 if read_only == "file" else 0o666)
    os.chmod(shared_folder, 0o777 if read_only == "file" else 0o555)
    digest = file_digest(path)
    code, err = run_cli(["--db", str(path), "list"], unprivileged=True)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "read-only" in err
    assert file_digest(path) == digest
    assert not Path(f"{path}-wal").exists()


def test_a_full_disk_refuses_the_save_in_one_line_and_the_logbook_keeps_what_it_had(small_disk):
    path = small_disk / "logbook.sqlite"
    with Logbook.open(path) as book:
        fill(book, seed=6, patients=10, procedures_each=1)
        patient = next(book.iter_patients())[0]
    with Logbook.open(path) as book:
        before = logbook_state(book)
        digest = file_digest(path)
        filler = fill_disk(small_disk)
        procedure = Procedure.from_document({**procedure_document(random.Random(1)), "findings": "x" * 20000},
                                            patient_id=patient.id)
        with pytest.raises(DiskFullError, match=r"disk holding .* is full: nothing was saved") as caught:
            book.save_procedure(procedure)
        assert len(str(caught.value).splitlines()) == 1
        assert logbook_state(book) == before and file_digest(path) == digest
        with pytest.raises(BackupError, match="no backup written: the disk holding .* is full"):
            book.backups.back_up()
        assert not list((small_disk / "backups").glob("*"))  # no half-written backup left behind
        filler.unlink()
        book.save_procedure(procedure)  # space again: the same typed record saves
        assert book.get_procedure(procedure.id).findings == "x" * 20000
    check_file(path)


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export/radiology /mnt/radiology nfs4 rw,relatime,vers=4.2 0 0
//nas/ir\\040suite /mnt/ir\\040suite cifs rw,relatime 0 0
me@host:/data /home/me/remote fuse.sshfs rw,nosuid,nodev 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(("where", "fstype"), [
    ("/mnt/radiology/tace/logbook.sqlite", "nfs4"),
    ("/mnt/ir suite/logbook.sqlite", "cifs"),
    ("/home/me/remote/logbook.sqlite", "fuse.sshfs"),
])
def test_a_logbook_on_a_network_filesystem_gets_a_warning(where, fstype):
    assert filesystem_type(Path(where).parent, MOUNTS) == fstype
    warning = network_filesystem_warning(Path(where), MOUNTS)
    assert warning and fstype in warning and "network filesystem" in warning and len(warning.splitlines()) == 1


@pytest.mark.parametrize("where", ["/home/me/logbook.sqlite", "/tmp/logbook.sqlite", "/mnt/radiology2/x.sqlite"])
def test_a_logbook_on_a_local_disk_gets_no_warning(where):
    assert network_filesystem_warning(Path(where), MOUNTS) is None


def test_opening_a_logbook_here_gives_no_network_warning(tmp_path):
    with Logbook.open(tmp_path / "logbook.sqlite") as book:
        assert book.warnings == []
