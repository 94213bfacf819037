"""Backups: consistent while another program writes, verified, rotated; restore verifies first and keeps a
safety copy; the newest good backup is found when the logbook is damaged."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from safety_samples import apply, damage, empty_state, file_digest, fill, logbook_state, writes

from tace_log.cli import main
from tace_log.errors import BackupError, LogbookCorruptError, LogbookInUseError
from tace_log.storage import Backups, Change, Changed, Logbook
from tace_log.storage.backup import BackupPolicy, backup_due, check_file, list_backups, rotate

WRITER = Path(__file__).resolve().parent.parent / "crash_writer.py"


@pytest.fixture
def logbook(tmp_path):
    with Logbook.open(tmp_path / "logbook.sqlite") as book:
        fill(book, seed=1, patients=20, procedures_each=2)
        yield book


def state_of(path: Path) -> dict:
    copy = path.with_name("read-" + path.name)  # opening switches a file to WAL: read a copy, keep the backup as is
    shutil.copyfile(path, copy)
    with Logbook.open(copy, create=False) as book:
        return logbook_state(book)


def test_back_up_now_writes_a_verified_single_file_copy_into_backups_beside_the_logbook(logbook):
    report = logbook.backups.back_up()
    assert report.path.parent == logbook.path.parent / "backups"
    assert report.path.name.startswith("logbook.") and report.path.suffix == ".sqlite"
    assert report.counts["procedures"] == 40 and report.counts["agent_doses"] == logbook.counts()["agent_doses"]
    assert check_file(report.path) == report.counts
    # no -wal, no .partial; the trail's head beside it
    assert sorted(p.name for p in report.path.parent.iterdir()) == [report.path.name, f"{report.path.name}.audit-head"]
    assert state_of(report.path) == logbook_state(logbook)


def test_a_backup_to_a_chosen_file_is_not_rotated_and_is_the_same_logbook(logbook, tmp_path):
    target = tmp_path / "elsewhere" / "copy.sqlite"
    report = logbook.backups.back_up(target)
    assert report.path == target and not (logbook.path.parent / "backups").exists()
    assert state_of(target) == logbook_state(logbook)


def test_the_automatic_backup_is_made_at_most_once_a_day(logbook):
    assert backup_due(logbook.path)
    first = logbook.backups.back_up_if_due()
    assert first is not None and not backup_due(logbook.path)
    assert logbook.backups.back_up_if_due() is None
    assert len(Backups.of(logbook.path)) == 1


def test_backups_taken_while_another_process_writes_are_each_a_consistent_logbook(tmp_path):
    path = tmp_path / "logbook.sqlite"
    Logbook.open(path).close()
    planned = writes(seed=7, count=150)
    states = [empty_state()]
    for write in planned:
        states.append(apply(states[-1], write))
    writer = subprocess.Popen([sys.executable, str(WRITER), str(path), "7", "150"], stdout=subprocess.PIPE,
                              text=True, cwd=WRITER.parent)
    taken = []
    with writer.stdout, Logbook.open(path) as book:
        for line in writer.stdout:
            if line.startswith("ack") and int(line.split()[1]) % 25 == 0:
                taken.append(book.backups.back_up(tmp_path / f"during-{len(taken)}.sqlite").path)
    assert writer.wait(timeout=60) == 0 and len(taken) == 6
    for backup in taken:
        check_file(backup)
        assert state_of(backup) in states  # exactly the logbook after some number of whole writes


def _stamped_copies(logbook, stamps: list[str]) -> None:
    source = logbook.backups.back_up(logbook.path.parent / "source.sqlite").path
    folder = logbook.path.parent / "backups"
    folder.mkdir(exist_ok=True)
    for stamp in stamps:
        shutil.copyfile(source, folder / f"logbook.{stamp}.sqlite")
        shutil.copyfile(f"{source}.audit-head", folder / f"logbook.{stamp}.sqlite.audit-head")


def test_rotation_keeps_the_newest_backup_of_each_of_the_last_days_and_weeks(logbook):
    day = dt.datetime(2026, 11, 24, 18, 0)  # a Tuesday
    stamps = [(day - dt.timedelta(days=d, hours=h)).strftime("%Y-%m-%d_%H%M%S")
              for d in range(0, 40) for h in (0, 6)]
    _stamped_copies(logbook, stamps)
    (logbook.path.parent / "backups" / "logbook.before-restore.2026-01-01_000000.sqlite").write_bytes(b"x")
    (logbook.path.parent / "backups" / "other.2026-01-01_000000.sqlite").write_bytes(b"x")
    removed = rotate(logbook.path, BackupPolicy(daily=7, weekly=4))
    kept = [when for when, _ in list_backups(logbook.path)]
    newest_of_each_day = [day - dt.timedelta(days=d) for d in range(7)]
    assert kept[:7] == newest_of_each_day
    # and the newest of each of the last four ISO weeks: weeks 48 and 47 have theirs among the daily ones
    assert [k.isocalendar()[:2] for k in kept[7:]] == [(2026, 46), (2026, 45)]
    assert all(k.hour == 18 for k in kept)
    assert len(kept) == 9 and len(removed) == 80 - 9
    names = {p.name for p in (logbook.path.parent / "backups").iterdir()}
    assert "logbook.before-restore.2026-01-01_000000.sqlite" in names and "other.2026-01-01_000000.sqlite" in names
    # each backup's head goes with it
    assert {n for n in names if n.endswith(".audit-head")} == {f"{p.name}.audit-head" for _, p in list_backups(
        logbook.path)}


def test_restore_brings_back_the_backup_and_keeps_the_current_logbook_as_a_safety_copy(logbook, tmp_path):
    before = logbook_state(logbook)
    backup = logbook.backups.back_up().path
    fill(logbook, seed=2, patients=3, procedures_each=1)
    after = logbook_state(logbook)
    logbook.close()  # a restore needs the logbook to itself (test_restore_in_use.py)
    assert main(["--db", str(logbook.path), "restore", str(backup)]) == 0
    with Logbook.open(logbook.path) as restored:
        assert logbook_state(restored) == before
    safety = [p for p in (tmp_path / "backups").glob("*.sqlite") if ".before-restore." in p.name]
    assert len(safety) == 1 and state_of(safety[0]) == after
    assert check_file(logbook.path)["procedures"] == 40


def test_restore_from_the_open_logbook_tells_listeners(logbook):
    backup = logbook.backups.back_up().path
    fill(logbook, seed=3, patients=1, procedures_each=1)
    changes = []
    logbook.subscribe(changes.append)
    report = logbook.backups.restore(backup)
    assert report.safety_copy.exists() and logbook.counts()["procedures"] == 40
    assert changes == [Change(Changed.RESTORED)]


@pytest.mark.parametrize("bad", ["junk", "truncated", "damaged", "the logbook itself"])
def test_restore_refuses_a_bad_backup_and_leaves_the_logbook_byte_for_byte(logbook, tmp_path, capsys, bad):
    good = logbook.backups.back_up(tmp_path / "good.sqlite").path
    candidate = tmp_path / "candidate.sqlite"
    if bad == "junk":
        candidate.write_bytes(b"PK\x03\x04 not a logbook" * 100)
    elif bad == "truncated":
        candidate.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif bad == "damaged":
        shutil.copyfile(good, candidate)
        damage(candidate)
    else:
        candidate = logbook.path
    logbook.close()
    digest = file_digest(logbook.path)
    assert main(["--db", str(logbook.path), "restore", str(candidate)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("tace-log: ")
    assert file_digest(logbook.path) == digest
    assert not (tmp_path / "backups").exists()


def test_a_damaged_logbook_names_its_newest_good_backup_and_is_restored_from_it(logbook, tmp_path):
    older = logbook.backups.back_up().path
    newer = tmp_path / "backups" / (older.name.replace(older.name[8:25], "2999-01-01_000000"))
    shutil.copyfile(older, newer)
    damage(newer)  # the newest backup is bad too: it must be skipped
    expected = logbook_state(logbook)
    logbook.close()
    damage(logbook.path)
    damaged_digest = file_digest(logbook.path)
    with pytest.raises(LogbookCorruptError) as caught:
        Logbook.open(logbook.path)
    assert caught.value.path == logbook.path
    assert Backups.newest_good(caught.value.path) == older
    report = Backups.restore_file(logbook.path, older)
    assert file_digest(report.safety_copy) == damaged_digest  # the damaged file is kept, byte for byte
    with Logbook.open(logbook.path) as restored:
        assert logbook_state(restored) == expected
        assert_restore_is_the_last_audit_row(restored, report)


def test_a_backup_that_cannot_be_written_leaves_no_file_and_says_why(logbook, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    with pytest.raises(BackupError, match="no backup written"):
        logbook.backups.back_up(blocker / "copy.sqlite")
    assert blocker.read_text() == "a file where the backup folder should be"


def test_cli_backup_and_backups_and_check(logbook, capsys):
    logbook.close()
    db = str(logbook.path)
    assert main(["--db", db, "backup", "--keep-daily", "2", "--keep-weekly", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"backed up {logbook.path} to ") and "40 procedures" in out and "verified" in out
    assert main(["--db", db, "backups"]) == 0
    assert "1 backups; newest good backup: " in capsys.readouterr().out
    assert main(["--db", db, "check"]) == 0
    assert capsys.readouterr().out.endswith(": ok (40 procedures, 20 patients; schema as the migrations made it; "
                                            "audit trail intact: 222 rows, hash chain verified; 2 heads recorded "
                                            "outside it agree; signatures intact: 0 signatures and 0 addenda "
                                            "verified against their records)\n")


def test_a_backup_never_replaces_an_existing_file_or_the_logbook(tmp_path):
    other = tmp_path / "other.sqlite"
    other.write_bytes(b"someone else's file")
    with Logbook.open(tmp_path / "book.sqlite") as book:
        with pytest.raises(BackupError, match="already exists"):
            book.backups.back_up(other)
        with pytest.raises(BackupError, match="already exists"):
            book.backups.back_up(book.path)
    assert other.read_bytes() == b"someone else's file"


def assert_restore_is_the_last_audit_row(logbook, report):
    last = list(logbook.audit.rows())[-1]
    assert (last.table_name, last.action) == ("logbook", "restore")
    assert str(report.source) in last.new_value and str(report.safety_copy) in last.new_value
    assert logbook.audit.verify().ok


def test_a_restore_is_itself_in_the_audit_trail_and_the_chain_still_holds(logbook):
    backup = logbook.backups.back_up().path
    fill(logbook, seed=4, patients=1, procedures_each=1)
    assert_restore_is_the_last_audit_row(logbook, logbook.backups.restore(backup))


def test_a_restore_from_the_command_line_is_in_the_audit_trail_too(logbook, capsys):
    backup = logbook.backups.back_up().path
    fill(logbook, seed=5, patients=1, procedures_each=1)
    logbook.close()
    assert main(["--db", str(logbook.path), "restore", str(backup)]) == 0
    kept = capsys.readouterr().out.strip().rsplit(" kept as ", 1)[1]
    with Logbook.open(logbook.path) as restored:
        assert_restore_is_the_last_audit_row(restored, SimpleNamespace(source=backup, safety_copy=kept))


def test_a_restore_beside_another_connection_is_refused_and_changes_nothing(logbook):
    backup = logbook.backups.back_up().path
    fill(logbook, seed=6, patients=1, procedures_each=1)
    before = logbook_state(logbook)
    other = sqlite3.connect(logbook.path, isolation_level=None)  # another program reading the logbook
    other.execute("SELECT count(*) FROM procedures").fetchone()
    with pytest.raises(LogbookInUseError, match="is open in another program: close it there first; nothing was "
                                                "restored"):
        logbook.backups.restore(backup)
    other.close()
    assert logbook_state(logbook) == before  # and the logbook still works: it is opened again
    assert list(logbook.audit.rows())[-1].action != "restore" and logbook.audit.verify().ok
    assert not list(logbook.path.parent.glob("*.restoring-*"))
