"""An unsigned procedure can be deleted with a reason, never silently (issue 19, item 6): one transaction, every
audit row of the delete carrying the reason; a signed one is refused; the patient stays."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tace_log.dictionary import MEDICATION
from tace_log.errors import RecordLockedError, RecordNotFoundError, RefusedError
from tace_log.model import Procedure, new_id, record_class
from tace_log.storage.audit import AuditSession
from tace_log.storage.changes import Change, Changed
from tests.core.signing_support import PASSWORD, signable_logbook

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("procedures", "agent_doses", "complications", "procedure_segments", "procedure_medications")


@pytest.fixture
def draft(tmp_path):
    """A logbook with one draft procedure holding a row in every table a procedure has (an other drug too)."""
    logbook, patient, procedure = signable_logbook(tmp_path / "logbook.sqlite")
    procedure.medications = [record_class(MEDICATION)(drug="lidocaine", dose=5, unit="mL", route="local")]
    logbook.save_procedure(procedure)
    yield logbook, patient, procedure
    logbook.close()


def rows_of(logbook, procedure_id: str) -> dict[str, int]:
    db = sqlite3.connect(logbook.path)
    try:
        return {table: db.execute(f"SELECT count(*) FROM {table} WHERE "
                                  f"{'id' if table == 'procedures' else 'procedure_id'} = ?", [procedure_id]
                                  ).fetchone()[0] for table in PARTS}
    finally:
        db.close()


def test_a_draft_is_deleted_whole_and_every_audit_row_of_it_carries_the_reason(draft):
    logbook, patient, procedure = draft
    assert all(rows_of(logbook, procedure.id).values())
    heard: list[Change] = []
    logbook.subscribe(heard.append)
    before = len(logbook.audit.history(procedure.id))

    gone = logbook.delete_procedure(procedure.id, "  entered for the wrong patient ")

    assert gone.id == procedure.id
    assert rows_of(logbook, procedure.id) == dict.fromkeys(PARTS, 0)
    with pytest.raises(RecordNotFoundError):
        logbook.get_procedure(procedure.id)
    assert logbook.get_patient(patient.id).name == "张伟"  # the patient stays
    deleted = logbook.audit.history(procedure.id)[before:]
    assert {row.table_name for row in deleted} == set(PARTS)
    assert {row.action for row in deleted} == {"delete"}
    assert {row.reason for row in deleted} == {"entered for the wrong patient"}
    assert heard == [Change(Changed.PROCEDURE_DELETED, (procedure.id,))] and heard[0].records_changed
    assert logbook.audit.verify().ok
    # the reason was for the delete only: the next write carries none
    patient.weight_kg = 61
    logbook.save_patient(patient)
    assert logbook.audit.history(patient.id)[-1].reason is None


def test_a_signed_procedure_is_refused_with_its_own_message_and_nothing_goes(draft):
    logbook, _patient, procedure = draft
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    kept, trail = rows_of(logbook, procedure.id), len(list(logbook.audit.rows()))
    with pytest.raises(RecordLockedError) as refused:
        logbook.delete_procedure(procedure.id, "a mistake")
    assert "is signed and cannot be deleted" in str(refused.value)
    assert "已签名，不能删除" in refused.value.text("zh")
    assert rows_of(logbook, procedure.id) == kept
    assert len(list(logbook.audit.rows())) == trail


def test_the_lock_triggers_refuse_the_delete_of_a_signed_procedure_too(draft):
    """Below the typed error, the file itself refuses: no row of a signed procedure can be deleted."""
    logbook, _patient, procedure = draft
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    db = sqlite3.connect(logbook.path)
    AuditSession(db, "intruder")  # the audit triggers' functions, so only the locks stand in the way
    try:
        for table in PARTS[1:]:
            with pytest.raises(sqlite3.IntegrityError, match="signed"):
                db.execute(f"DELETE FROM {table} WHERE procedure_id = ?", [procedure.id])
        with pytest.raises(sqlite3.IntegrityError, match="signed"):
            db.execute("DELETE FROM procedures WHERE id = ?", [procedure.id])
    finally:
        db.close()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_delete_without_a_reason_is_refused_and_nothing_goes(draft, reason):
    logbook, _patient, procedure = draft
    kept = rows_of(logbook, procedure.id)
    with pytest.raises(RefusedError) as refused:
        logbook.delete_procedure(procedure.id, reason)
    assert "give the reason" in str(refused.value) and "删除原因" in refused.value.text("zh")
    assert rows_of(logbook, procedure.id) == kept


def test_an_unknown_procedure_is_not_found(draft):
    logbook = draft[0]
    with pytest.raises(RecordNotFoundError):
        logbook.delete_procedure("no-such-id", "a mistake")


def test_a_delete_that_fails_half_way_leaves_everything(draft):
    """One transaction: the file refusing the last statement (here a trigger put in its way) undoes the parts
    already deleted."""
    logbook, _patient, procedure = draft
    kept, trail = rows_of(logbook, procedure.id), len(list(logbook.audit.rows()))
    db = sqlite3.connect(logbook.path)
    db.execute("CREATE TRIGGER in_the_way BEFORE DELETE ON procedures BEGIN SELECT RAISE(ABORT, 'in the way'); END")
    db.commit()
    db.close()
    with pytest.raises(Exception, match="in the way"):
        logbook.delete_procedure(procedure.id, "a mistake")
    assert rows_of(logbook, procedure.id) == kept
    assert len(list(logbook.audit.rows())) == trail


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tace_log", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_cli_deletes_a_draft_with_its_reason_and_refuses_a_signed_one(draft, tmp_path):
    logbook, patient, procedure = draft
    second = Procedure.from_document({**procedure.to_document(), "id": new_id(), "date": "2025-04-07", "cycle": 2},
                                     patient_id=patient.id)
    logbook.save_procedure(second)
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    db = str(logbook.path)

    missing = run_cli("--db", db, "delete", second.id)
    assert missing.returncode == 2 and "--reason" in missing.stderr  # argparse: the reason is required
    empty = run_cli("--db", db, "delete", second.id, "--reason", " ")
    assert empty.returncode == 2 and "give the reason" in empty.stderr
    signed = run_cli("--db", db, "delete", procedure.id, "--reason", "a mistake")
    assert signed.returncode == 2 and "is signed and cannot be deleted" in signed.stderr
    unknown = run_cli("--db", db, "delete", "no-such-id", "--reason", "a mistake")
    assert unknown.returncode == 1 and "no procedure with id no-such-id" in unknown.stderr

    done = run_cli("--db", db, "delete", second.id, "--reason", "entered twice")
    assert done.returncode == 0, done.stderr
    assert f"deleted procedure {second.id} (2025-04-07) of 张伟" in done.stdout
    history = run_cli("--db", db, "history", second.id)
    assert "delete procedures.cycle: 2 ->   (reason: entered twice)" in history.stdout
    assert [p.id for p in logbook.procedures_of(patient.id)] == [procedure.id]
    assert run_cli("--db", db, "audit", "verify").returncode == 0


def test_the_cli_says_it_in_chinese_with_lang_zh(draft):
    logbook, patient, procedure = draft
    done = run_cli("--lang", "zh", "--db", str(logbook.path), "delete", procedure.id, "--reason", "重复录入")
    assert done.returncode == 0, done.stderr
    assert f"已删除张伟的手术{procedure.id}（2025-02-03）" in done.stdout
