"""Tampering is detected: a schema the migrations did not make, an audit trail shorter than or different from a
head recorded outside it, a backup whose trail or signatures do not verify (restored only when told why).

`python -m tests.core.test_tampering` writes `tace_log/storage/pinned_schema.py` after a new migration."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tace_log.cli import main
from tace_log.errors import BackupError
from tace_log.storage import Backups, Logbook, audit, schema, tampering
from tace_log.storage.audit import record_event
from tace_log.times import readable
from tests.core.signing_support import PASSWORD, signable_logbook
from tests.core.tampering_support import (
    client,
    drop_trigger,
    edit_audit_row,
    remove_newest_audit_rows,
    triggers_lifted,
)
from tests.core.test_signing_upgrade import _apply_first_migrations
from tests.safety_samples import file_digest

ROOT = Path(__file__).resolve().parents[2]

PINNED = Path(tampering.__file__).with_name("pinned_schema.py")


def made_by_migrations() -> dict[int, dict[str, str]]:
    """What the first N migrations make, for every N, on an in-memory database."""
    made = {}
    for count in range(1, schema.SCHEMA_VERSION + 1):
        conn = sqlite3.connect(":memory:", isolation_level=None)
        _apply_first_migrations(conn, count)
        made[count] = tampering.schema_objects(conn)
        conn.close()
    return made


HEADER = '''"""The schema each number of migrations makes, pinned: for every table, index and trigger, the SHA-256
of its SQL (`tampering.schema_objects`). A shipped migration is frozen, so an entry never changes; a new migration
adds one. Written by `python -m tests.core.test_tampering`, which tests/core/test_tampering.py checks."""

SCHEMA = {
'''


def pinned_source(made: dict[int, dict[str, str]]) -> str:
    lines = []
    for count, objects in made.items():
        lines.append(f"    {count}: {{")
        lines += [f"        {json.dumps(name)}: {json.dumps(digest)}," for name, digest in sorted(objects.items())]
        lines.append("    },")
    return HEADER + "\n".join([*lines, "}", ""])


def test_the_pinned_schema_is_what_the_migrations_make():
    assert PINNED.read_text(encoding="utf-8") == pinned_source(made_by_migrations()), (
        "a migration changed the schema: run python -m tests.core.test_tampering, and check only the new "
        "migration's entry was added")


if __name__ == "__main__":
    PINNED.write_text(pinned_source(made_by_migrations()), encoding="utf-8")


# -- the schema ------------------------------------------------------------------------------------------------
def tace_log(*args: str) -> subprocess.CompletedProcess:
    """A real `tace-log` process."""
    return subprocess.run([sys.executable, "-m", "tace_log", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def signed(tmp_path) -> Path:
    """A closed logbook holding a signed procedure, written in several transactions (so several heads)."""
    logbook, patient, procedure = signable_logbook(tmp_path / "logbook.sqlite")
    with logbook:
        logbook.signing.sign(procedure.id, "chen", PASSWORD)
        patient.weight_kg = 61
        logbook.save_patient(patient)
    return logbook.path


def test_a_dropped_lock_trigger_is_named_by_audit_verify_and_check_in_real_processes(signed):
    db = str(signed)
    assert tace_log("--db", db, "audit", "verify").returncode == 0
    drop_trigger(signed, "lock_procedures_update")  # now a plain client can edit the signed procedure
    for command in (["audit", "verify"], ["check"]):
        done = tace_log("--db", db, *command)
        assert done.returncode == 1, done
        assert "trigger lock_procedures_update was dropped from the schema" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("change, words", [
    (["DROP TRIGGER audit_procedures_update"], "trigger audit_procedures_update was dropped"),
    (["DROP TRIGGER append_only_audit_log_delete",
      "CREATE TRIGGER append_only_audit_log_delete BEFORE DELETE ON audit_log WHEN 0 BEGIN "
      "SELECT RAISE(ABORT, 'audit rows cannot be changed or removed'); END"],
     "trigger append_only_audit_log_delete was altered"),
    (["CREATE TRIGGER hide AFTER INSERT ON audit_log BEGIN SELECT 1; END"], "trigger hide was added to the schema"),
    (["DROP INDEX audit_log_parent"], "index audit_log_parent was dropped"),
])
def test_every_changed_trigger_or_index_is_named(signed, capsys, change, words):
    with client(signed) as conn:
        for statement in change:
            conn.execute(statement)
    for command in (["audit", "verify"], ["check"]):
        assert main(["--db", str(signed), *command]) == 1
        assert words in capsys.readouterr().err


def test_a_backup_or_an_older_logbook_is_compared_with_the_schema_of_its_own_migrations(tmp_path, capsys):
    old = tmp_path / "old.sqlite"
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
    _apply_first_migrations(conn, 2)
    conn.execute("PRAGMA user_version=2")
    conn.close()
    assert main(["check", str(old)]) == 0, capsys.readouterr().err  # read as it is, not upgraded
    drop_trigger(old, "lock_procedures_delete")
    assert main(["check", str(old)]) == 1
    assert "trigger lock_procedures_delete was dropped" in capsys.readouterr().err


# -- the head outside the logbook ---------------------------------------------------------------------------------
def heads_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(f"{path}.audit-head").read_text(encoding="utf-8").splitlines()]


def test_each_write_that_adds_audit_rows_appends_the_newest_head_once(signed):
    with Logbook.open(signed) as logbook:
        before = heads_of(signed)
        rows = list(logbook.audit.rows())
        assert before[-1] == {"rows": rows[-1].seq, "seq": rows[-1].seq, "hash": rows[-1].hash,
                              "at": before[-1]["at"], "epoch": None}
        patient = logbook.get_patient(rows[-1].record_id)
        logbook.save_patient(patient)  # unchanged: no audit row, no head
        assert heads_of(signed) == before
        patient.weight_kg, patient.height_cm = 62, 170  # one transaction, two audit rows: one head
        logbook.save_patient(patient)
        assert len(heads_of(signed)) == len(before) + 1
        assert heads_of(signed)[-1]["seq"] == rows[-1].seq + 2


def test_removing_the_newest_audit_rows_is_caught_by_the_head_file(signed):
    recorded = heads_of(signed)[-1]
    remove_newest_audit_rows(signed, 1)  # the weight change's row; the chain that is left holds
    with Logbook.open(signed) as logbook:
        assert audit.verify(logbook.audit.rows()).ok
    for command in ("audit", "verify"), ("check",):
        done = tace_log("--db", str(signed), *command)
        assert done.returncode == 1, done
        assert (f"the trail has {recorded['rows'] - 1} rows but logbook.sqlite.audit-head recorded "
                f"{recorded['rows']} at {readable(recorded['at'])}") in done.stderr
        assert "its newest rows were removed" in done.stderr


def test_rewriting_a_row_and_sealing_the_chain_again_is_caught_by_the_head_file(signed):
    first = heads_of(signed)[0]
    edit_audit_row(signed, 1, "someone else", reseal=True)
    with Logbook.open(signed) as logbook:
        assert audit.verify(logbook.audit.rows()).ok  # the chain alone holds from start to end
        check = logbook.audit.verify()
    assert not check.ok
    assert (f"row {first['seq']} is not the row logbook.sqlite.audit-head recorded at {readable(first['at'])}: "
            "the trail was rewritten and sealed again") in str(check)
    assert f"(and {len(heads_of(signed)) - 1} later heads)" in str(check)


def test_without_the_head_file_a_backup_s_head_still_catches_removed_rows(signed, capsys):
    with Logbook.open(signed) as logbook:
        backup = logbook.backups.back_up().path
    Path(f"{signed}.audit-head").unlink()  # what someone hiding the removal would do first
    assert main(["--db", str(signed), "audit", "verify"]) == 0
    assert "1 heads recorded outside it agree" in capsys.readouterr().out
    remove_newest_audit_rows(signed, 2)
    assert main(["--db", str(signed), "audit", "verify"]) == 1
    assert f"{backup.name}.audit-head recorded" in capsys.readouterr().err


def test_a_restore_row_forged_after_removing_rows_does_not_hide_them(signed):
    remove_newest_audit_rows(signed, 3)
    with client(signed) as conn:  # a trail that claims it was restored: its heads before would not count
        conn.execute("BEGIN IMMEDIATE")
        record_event(conn, "restore", "restored from backups/old.sqlite")
        conn.execute("COMMIT")
    with Logbook.open(signed) as logbook:
        check = logbook.audit.verify()
    assert not check.ok and "a trail this is not" in str(check)


def test_a_legitimate_restore_is_never_reported_as_removed_rows(signed, capsys):
    db = str(signed)
    with Logbook.open(signed) as logbook:
        backup = logbook.backups.back_up().path
        patient = logbook.get_patient(list(logbook.audit.rows())[-1].record_id)
        patient.height_cm = 171
        logbook.save_patient(patient)  # the logbook is now ahead of the backup
    done = tace_log("--db", db, "restore", str(backup))  # the trail is now the backup's, shorter
    assert done.returncode == 0, done.stderr
    restore_line = heads_of(signed)[-1]
    assert restore_line["epoch"] == restore_line["hash"] and restore_line["restore"] == str(backup)
    for command in ("audit", "verify"), ("check",):
        done = tace_log("--db", db, *command)
        assert done.returncode == 0, done.stderr
    with Logbook.open(signed, user="chen") as logbook:
        patient.height_cm = 172
        logbook.save_patient(patient)  # a write in the new epoch
        assert heads_of(signed)[-1]["epoch"] == restore_line["hash"]
        logbook.backups.back_up()  # a backup of the new epoch, beside the one of the old
        assert logbook.audit.verify().ok
        [safety] = signed.parent.glob("backups/*.before-restore.*.sqlite")
        logbook.backups.restore(safety)  # File > Restore, back to the longer trail from before the first restore
        check = logbook.audit.verify()
    assert check.ok, check
    assert main(["--db", db, "check"]) == 0, capsys.readouterr().err


def test_a_new_logbook_where_one_was_keeps_the_old_head_file_aside(signed):
    old_heads = Path(f"{signed}.audit-head").read_text(encoding="utf-8")
    for name in (signed, Path(f"{signed}-wal"), Path(f"{signed}-shm")):
        name.unlink(missing_ok=True)
    with Logbook.open(signed) as logbook:
        assert logbook.audit.verify().ok
    [aside] = signed.parent.glob("logbook.sqlite.audit-head.replaced-*")
    assert aside.read_text(encoding="utf-8") == old_heads


# -- restore ------------------------------------------------------------------------------------------------------
def test_a_backup_with_a_broken_chain_is_refused_and_restored_only_when_told_why(signed):
    with Logbook.open(signed) as logbook:
        backup = logbook.backups.back_up().path
    edit_audit_row(backup, 4, "someone else", reseal=False)
    digest = file_digest(signed)
    done = tace_log("--db", str(signed), "restore", str(backup))
    assert done.returncode == 1
    assert f"{backup} was not restored: audit trail broken at row 5" in done.stderr
    assert "tace-log restore FILE --despite REASON" in done.stderr
    assert file_digest(signed) == digest
    why = "the auditor asked for this copy as it was found"
    done = tace_log("--db", str(signed), "restore", str(backup), "--despite", why)
    assert done.returncode == 0, done.stderr
    with Logbook.open(signed) as logbook:
        last = list(logbook.audit.rows())[-1]
    assert (last.action, last.reason) == ("restore", why)
    assert "restored although it did not verify: audit trail broken at row 5" in last.new_value


def test_a_backup_whose_signed_record_was_changed_is_refused(signed):
    with Logbook.open(signed) as logbook:
        backup = logbook.backups.back_up().path
        [procedure_id] = [row.procedure_id for row in logbook.worklist.rows()]
    # the locks lifted and put back, the change audited as the triggers would: only the signature can tell
    with client(backup) as conn, triggers_lifted(conn, "lock_procedures_update"):
        conn.execute("UPDATE procedures SET dap_gycm2 = 1.5 WHERE id = ?", [procedure_id])
    with Logbook.open(signed, user="chen") as logbook, pytest.raises(BackupError) as refused:
        logbook.backups.restore(backup)  # File > Restore
    assert "1 signed record does not verify (procedure " in str(refused.value)
    assert procedure_id in str(refused.value) and "differs from what was signed" in str(refused.value)


def test_a_backup_cut_short_after_it_was_made_is_refused_by_its_own_head(signed):
    with Logbook.open(signed) as logbook:
        backup = logbook.backups.back_up().path
    remove_newest_audit_rows(backup, 1)
    with pytest.raises(BackupError, match="its newest rows were removed"):
        Backups.restore_file(signed, backup)


def test_a_backup_with_a_dropped_lock_trigger_is_refused(signed):
    with Logbook.open(signed) as logbook:
        backup = logbook.backups.back_up().path
    drop_trigger(backup, "lock_patients_delete")
    with pytest.raises(BackupError, match="trigger lock_patients_delete was dropped from the schema"):
        Backups.restore_file(signed, backup)
