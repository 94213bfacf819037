"""A logbook written before signing existed (schema 1) is upgraded in place and keeps its records."""

from __future__ import annotations

import datetime as dt
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from tace_log.model import Procedure
from tace_log.storage import Logbook, migrations, schema
from tace_log.storage.audit import AuditSession
from tace_log.users import hash_password


def _schema_1_logbook(path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
    first = Migrations(schema.MIGRATION_SET)
    first(name="0001_initial")(migrations.initial)
    db = Database(conn)
    first.apply(db)
    conn.execute("PRAGMA user_version=1")
    conn.execute("INSERT INTO patients (id, mrn, name, created_at, updated_at) "
                 "VALUES ('p1', 'OLD-1', '旧病人', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')")
    conn.close()


def test_an_old_logbook_upgrades_and_then_audits_and_signs(tmp_path):
    path = tmp_path / "old.sqlite"
    _schema_1_logbook(path)
    with Logbook.open(path) as logbook:
        assert logbook.schema_version == schema.SCHEMA_VERSION == Logbook.supported_schema_version()
        patient = logbook.get_patient("p1")
        assert patient.name == "旧病人" and not list(logbook.audit_rows())  # the trail starts at the upgrade
        logbook.add_user("rad", "Rad One", "radiologist", "a good password")
        procedure = Procedure(patient_id="p1", date=dt.date(2024, 2, 1), operator="Rad", tumor_staining="absent",
                              embolization="none")
        logbook.save_procedure(procedure)
        logbook.sign_procedure(procedure.id, "rad", "a good password", acknowledge_warnings=True)
        assert logbook.signature_intact(procedure.id) and logbook.verify_audit_trail().ok


def test_users_of_a_schema_2_logbook_are_active_after_the_upgrade_and_their_changes_audited(tmp_path):
    path = tmp_path / "two.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
    first_two = Migrations(schema.MIGRATION_SET)
    first_two(name="0001_initial")(migrations.initial)
    first_two(name="0002_signing_audit")(migrations.signing_audit)
    first_two.apply(Database(conn))
    conn.execute("PRAGMA user_version=2")
    AuditSession(conn)  # the functions its audit triggers call
    for username in ("rad", "old"):
        conn.execute("INSERT INTO users (username, full_name, role, password_hash, created_at) VALUES "
                     "(?, ?, 'radiologist', ?, '2025-01-01T00:00:00Z')",
                     [username, username, hash_password(username * 4)])
    conn.close()
    with Logbook.open(path) as logbook:  # migration 0003 runs here
        assert logbook.schema_version == schema.SCHEMA_VERSION
        assert [(u.username, u.active, u.must_change_password) for u in logbook.users()] == [
            ("old", True, False), ("rad", True, False)]
        logbook.set_user_active("old", False, by=("rad", "radradradrad"))
        assert list(logbook.audit_rows())[-1].field == "active" and logbook.verify_audit_trail().ok
