"""Older logbooks (schema 1, before signing; 2, before user accounts; 3, before a trigger audited password changes)
upgrade in place and keep their records; the migrations that shipped make the schema they always made."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from tace_log.model import Procedure
from tace_log.storage import Logbook, migrations, schema
from tace_log.storage.audit import AuditSession, record_event
from tace_log.users import hash_password

# The schema the first N migrations make, each digest taken when the last of them was written (2: before 0003
# existed; 3: before 0004; 4: with it).
SCHEMA_DIGESTS = {2: "7745a82efcdfa2f4088224d0d8db3a0fec43499b21178d263199e6e85a9c58e5",
                  3: "84ebfba63ffb370af5687217951add2033ecd0bd2e7f51ee1ce8eb9be039e6b0",
                  4: "498c17f24179a1171d29fc8f840fab42fd0adb97313d66d99becb1eb94bef1c6"}


def _apply_first_migrations(conn, count: int) -> None:
    """The schema of a logbook made by the build that had only the first `count` migrations."""
    first = Migrations(schema.MIGRATION_SET)
    for migration in migrations.migrations._migrations[:count]:
        first(name=migration.name)(migration.fn)
    first.apply(Database(conn))


def _schema_1_logbook(path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
    _apply_first_migrations(conn, 1)
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
    _apply_first_migrations(conn, 2)
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


def test_password_changes_in_a_schema_3_logbook_are_audited_by_the_trigger_after_the_upgrade(tmp_path):
    path = tmp_path / "three.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
    _apply_first_migrations(conn, 3)
    conn.execute("PRAGMA user_version=3")
    AuditSession(conn)
    conn.execute("INSERT INTO users (username, full_name, role, password_hash, created_at) VALUES "
                 "('rad', 'Rad', 'radiologist', ?, '2025-01-01T00:00:00Z')", [hash_password("rad's password")])
    conn.close()
    with Logbook.open(path) as logbook:  # migration 0004 runs here, on a connection of its own
        assert logbook.schema_version == schema.SCHEMA_VERSION
        rows = len(list(logbook.audit_rows()))
        logbook.change_password("rad", "rad's new password", old_password="rad's password")
        (row,) = list(logbook.audit_rows())[rows:]
        assert (row.record_id, row.action, row.new_value) == ("rad", "password", "password of rad changed")
        assert logbook.verify_audit_trail().ok


@pytest.mark.parametrize("count", sorted(SCHEMA_DIGESTS))
def test_shipped_migrations_make_the_schema_they_always_made(tmp_path, count):
    """A shipped migration is frozen: later changes to the helpers it shares (`_audit_row`, `_audit_triggers`)
    must not change what it creates."""
    conn = sqlite3.connect(tmp_path / "old.sqlite", isolation_level=None)
    _apply_first_migrations(conn, count)
    made = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name NOT LIKE '%sqlite_migrations%' "
                        "ORDER BY type, name").fetchall()
    assert hashlib.sha256(repr(made).encode()).hexdigest() == SCHEMA_DIGESTS[count]
