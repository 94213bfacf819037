"""The audit trail: every change is in it (a replay rebuilds the tables), attributed, chained, tamper-evident."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tace_log.cli import main
from tace_log.model import AgentDose, Complication, Procedure
from tace_log.storage import Logbook
from tace_log.storage.audit import seal
from tace_log.storage.migrations import AUDITED
from tests.core.signing_support import PASSWORD, signable_logbook

UNAUDITED = {"created_at", "updated_at", "password_hash"}  # timestamps: the audit row has its own; a hash is secret
# (a change of password_hash is an event row saying so, without the hash: migration 0004)


def rows(logbook: Logbook, sql: str, params: list | tuple = ()) -> list[dict]:
    """The rows a statement selects in the logbook's own connection, each as a dict by column name."""
    cursor = logbook._db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def table_rows(logbook: Logbook, table: str) -> dict:
    record, _, columns = AUDITED[table]
    found = rows(logbook, f"SELECT {', '.join(columns)} FROM {table}")
    if len(columns) == 2:  # a multi-choice table: one row per (owner, choice)
        return {(r[columns[0]], r[columns[1]]): None for r in found}
    return {r[record.format(row="x").split(".")[1]]: r for r in found}


def replay(logbook: Logbook) -> dict[str, dict]:
    """Rebuild every audited table from the audit rows alone."""
    state = {table: {} for table in AUDITED}
    for e in logbook.audit.rows():
        if e.action not in ("insert", "update", "delete"):
            continue  # an event (a restore, a password changed): no value of an audited column
        rows = state[e.table_name]
        if len(AUDITED[e.table_name][2]) == 2:
            key = (e.record_id, e.new_value if e.action == "insert" else e.old_value)
            rows.pop(key) if e.action == "delete" else rows.setdefault(key, None)
        elif e.action == "insert":
            rows[e.record_id] = json.loads(e.new_value)
        elif e.action == "delete":
            del rows[e.record_id]
        else:
            rows[e.record_id][e.field] = e.new_value
    return state


def test_every_column_of_an_audited_table_is_audited(tmp_path):
    with Logbook.open(tmp_path / "l.sqlite") as logbook:
        for table, (_, _, columns) in AUDITED.items():
            stored = {r["name"] for r in rows(logbook, f"PRAGMA table_info({table})")}
            assert set(columns) <= stored and stored - set(columns) <= UNAUDITED, table


USERS = ["chen", "li", None]
edits = st.lists(st.tuples(
    st.sampled_from(["weight", "study_id", "cycle", "findings", "contrast", "agents", "segments", "complications",
                     "new_procedure", "thrombus"]),
    st.integers(0, 5), st.sampled_from(USERS), st.sampled_from([None, "correction", "原因：补录"])),
    min_size=1, max_size=12)
AGENTS = [AgentDose(agent="lipiodol", dose=5, unit="mL"), AgentDose(agent="epirubicin", dose=30, unit="mg"),
          AgentDose(agent="oxaliplatin", dose=100, unit="mg")]
SEGMENTS = ["I", "II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII"]


def _apply(logbook, patient, procedures, what, n):
    procedure = procedures[n % len(procedures)]
    if what == "weight":
        patient.weight_kg = 50 + n
    elif what == "study_id":
        patient.study_id = None if n == 0 else f"S-{n}"
    elif what == "thrombus":
        patient.pathology.thrombus = [["portal_vein"], [], ["portal_vein", "bile_duct"]][n % 3]
    elif what == "cycle":
        procedure.cycle = n + 1
    elif what == "findings":
        procedure.findings = None if n == 0 else f"blush in segment {n}; 染色 {n}"
    elif what == "contrast":
        procedure.contrast_ml = 40 + n * 7.5
    elif what == "agents":
        procedure.agents = [AgentDose(**a.field_document()) for a in AGENTS[: n % 4]]
    elif what == "segments":
        procedure.tumor_staining, procedure.stained_segments = "present", SEGMENTS[n: n + 1 + n % 3]  # a stain has them
    elif what == "complications":
        procedure.complications = [Complication(term="Nausea", ctcae_grade=1 + n % 2)] * (n % 3)
    elif what == "new_procedure":
        procedures.append(Procedure(patient_id=patient.id, date=dt.date(2025, 3, 1 + n), tumor_staining="absent",
                                    embolization="none"))
        procedure = procedures[-1]
    if what in ("weight", "study_id", "thrombus"):
        logbook.save_patient(patient)
    else:
        logbook.save_procedure(procedure)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=edits)
def test_the_audit_trail_matches_the_changes_made(tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("audit") / "l.sqlite"
    logbook, patient, procedure = signable_logbook(path)
    procedures = [procedure]
    with logbook:
        for what, n, user, reason in steps:
            logbook.users.act_as(user)
            last = max((e.seq for e in logbook.audit.rows()), default=0)
            with logbook.users.reason(reason):
                _apply(logbook, patient, procedures, what, n)
            new = [e for e in logbook.audit.rows() if e.seq > last]
            assert {(e.username, e.reason) for e in new} <= {(logbook.users.current, reason)}
            assert not [e for e in new if e.action == "update" and e.old_value == e.new_value]
        replayed = replay(logbook)
        for table in AUDITED:
            assert replayed[table] == table_rows(logbook, table), table
        assert logbook.audit.verify().ok


def test_a_save_that_changes_nothing_writes_no_audit_row(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "l.sqlite")
    with logbook:
        before = len(list(logbook.audit.rows()))
        logbook.save_patient(patient)
        logbook.save_procedure(procedure)
        procedure.cycle = 2
        logbook.save_procedure(procedure)  # one field: one row, the agents are not rewritten
        rows = list(logbook.audit.rows())[before:]
    assert [(e.table_name, e.field, e.old_value, e.new_value) for e in rows] == [("procedures", "cycle", 1, 2)]


def test_a_refused_write_leaves_no_audit_row(tmp_path):
    logbook, _, procedure = signable_logbook(tmp_path / "l.sqlite")
    with logbook:
        before = list(logbook.audit.rows())
        procedure.agents.append(AgentDose(agent="nonsense", dose=1, unit="mL"))
        with pytest.raises(Exception, match="not saved"):
            logbook.save_procedure(procedure)
        assert list(logbook.audit.rows()) == before


def _client(path):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("tace_audit_seal", 11, seal, deterministic=True)
    return conn


def test_audit_rows_can_be_neither_updated_nor_deleted(tmp_path):
    logbook, _, _ = signable_logbook(tmp_path / "l.sqlite")
    logbook.close()
    with _client(logbook.path) as conn:
        for sql in ("UPDATE audit_log SET username = 'x' WHERE seq = 3", "DELETE FROM audit_log WHERE seq = 3"):
            with pytest.raises(sqlite3.IntegrityError, match="audit rows cannot be changed or removed"):
                conn.execute(sql)


def _tamper(path, sql, seal_function):
    """What a determined editor would do: drop the trigger that forbids it, then edit a row."""
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.create_function("tace_audit_seal", 11, seal_function, deterministic=True)
        conn.execute("DROP TRIGGER append_only_audit_log_update")
        conn.execute(sql)


def test_verify_names_an_edited_row(tmp_path, capsys):
    logbook, _, _ = signable_logbook(tmp_path / "l.sqlite")
    logbook.close()
    assert main(["--db", str(logbook.path), "audit", "verify"]) == 0
    assert "hash chain verified" in capsys.readouterr().out
    # the editor keeps the row's stored hash (the seal function hands it back unchanged)
    stored = sqlite3.connect(logbook.path).execute("SELECT hash FROM audit_log WHERE seq = 5").fetchone()[0]
    _tamper(logbook.path, "UPDATE audit_log SET new_value = '{}' WHERE seq = 5", lambda *a: stored)
    assert main(["--db", str(logbook.path), "audit", "verify"]) == 1
    assert "audit trail broken at row 5: its content does not match its hash" in capsys.readouterr().err


def test_verify_names_the_row_after_an_edited_and_resealed_row(tmp_path, capsys):
    logbook, _, _ = signable_logbook(tmp_path / "l.sqlite")
    logbook.close()
    # the editor recomputes the edited row's own hash, but the next row recorded the old one
    _tamper(logbook.path, "UPDATE audit_log SET username = 'someone' WHERE seq = 5", seal)
    assert main(["--db", str(logbook.path), "audit", "verify"]) == 1
    assert "broken at row 6: it records a different hash for the row before it (row 5)" in capsys.readouterr().err


def test_audit_export_writes_every_row_as_csv(tmp_path, capsys):
    logbook, _, procedure = signable_logbook(tmp_path / "l.sqlite")
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    count = len(list(logbook.audit.rows()))
    logbook.close()
    target = tmp_path / "audit.csv"
    assert main(["--db", str(logbook.path), "audit", "export", "-o", str(target)]) == 0
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == count
    assert rows[-1]["username"] == "chen" and rows[-1]["field"] == "status" and rows[-1]["new_value"] == "signed"
    assert rows[-1]["prev_hash"] == rows[-2]["hash"]
    assert any("张伟" in r["new_value"] for r in rows)


def test_changes_are_attributed_to_the_signed_in_user_else_the_os_login(tmp_path):
    logbook, patient, _ = signable_logbook(tmp_path / "l.sqlite")
    with logbook:
        assert logbook.users.current.startswith("os:")
        logbook.users.sign_in("li", "nurse password")
        patient.weight_kg = 70
        logbook.save_patient(patient)
        assert logbook.audit.history(patient.id)[-1].username == "li"
        with pytest.raises(Exception, match="no user 'ghost'"):
            logbook.users.act_as("ghost")
        with Logbook.open(logbook.path, user="chen") as other:
            assert other.users.current == "chen"
