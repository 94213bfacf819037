"""Older logbooks (schema 1, before signing; schema 2, before user accounts) upgrade in place and keep their
records; the migrations that shipped make the schema they always made."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from tace_log.model import Procedure
from tace_log.storage import Logbook, migrations, schema
from tace_log.storage.audit import AuditSession, record_event
from tace_log.users import hash_password

SCHEMA_2_DIGEST = "7745a82efcdfa2f4088224d0d8db3a0fec43499b21178d263199e6e85a9c58e5"


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
    record_event(conn, "password", "password of old changed, allowed by rad", table="users", record_id="old")
    record_event(conn, "password", "password of rad changed, allowed by rad, with the current password",
                 table="users", record_id="rad")
    conn.close()
    with Logbook.open(path) as logbook:  # migration 0003 runs here
        assert logbook.schema_version == schema.SCHEMA_VERSION
        assert [(u.username, u.active, u.must_change_password) for u in logbook.users()] == [
            ("old", True, True), ("rad", True, False)]  # old's password was set by rad before the upgrade
        logbook.set_user_active("old", False, by=("rad", "radradradrad"))
        assert list(logbook.audit_rows())[-1].field == "active" and logbook.verify_audit_trail().ok


def test_migrations_0001_and_0002_make_the_schema_they_always_made(tmp_path):
    """A shipped migration is frozen: later changes to the helpers it shares (0003's audit triggers) must not
    change what it creates. The digest was taken from the schema 0001 and 0002 made before 0003 existed."""
    conn = sqlite3.connect(tmp_path / "two.sqlite", isolation_level=None)
    first_two = Migrations(schema.MIGRATION_SET)
    first_two(name="0001_initial")(migrations.initial)
    first_two(name="0002_signing_audit")(migrations.signing_audit)
    first_two.apply(Database(conn))
    made = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name NOT LIKE '%sqlite_migrations%' "
                        "ORDER BY type, name").fetchall()
    assert hashlib.sha256(repr(made).encode()).hexdigest() == SCHEMA_2_DIGEST
