"""Older logbooks (schema 1, before signing; 2, before user accounts; 3, before a trigger audited password changes;
4, before signatures stored their content) upgrade in place and keep their records, and their signatures keep
verifying; the migrations that shipped make the schema they always made."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from tace_log import interchange
from tace_log.cli import main
from tace_log.model import Procedure
from tace_log.reports import procedure_report
from tace_log.storage import Logbook, migrations, schema
from tace_log.storage.audit import AuditSession, record_event
from tace_log.users import hash_password

# The schema the first N migrations make, each digest taken when the last of them was written (2: before 0003
# existed; 3: before 0004; 4: before 0005; 5: with it).
SCHEMA_DIGESTS = {2: "7745a82efcdfa2f4088224d0d8db3a0fec43499b21178d263199e6e85a9c58e5",
                  3: "84ebfba63ffb370af5687217951add2033ecd0bd2e7f51ee1ce8eb9be039e6b0",
                  4: "498c17f24179a1171d29fc8f840fab42fd0adb97313d66d99becb1eb94bef1c6",
                  5: "f9311218f92a0f0559a2e4fe95db3c5911887d08168c7ffedbfa9af99a22a325"}


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
        assert patient.name == "旧病人" and not list(logbook.audit.rows())  # the trail starts at the upgrade
        logbook.users.add("rad", "Rad One", "radiologist", "a good password")
        procedure = Procedure(patient_id="p1", date=dt.date(2024, 2, 1), operator="Rad", tumor_staining="absent",
                              embolization="none", impression="Aborted: no stain.")
        logbook.save_procedure(procedure)
        logbook.signing.sign(procedure.id, "rad", "a good password", acknowledge_warnings=True)
        assert logbook.signing.intact(procedure.id) and logbook.audit.verify().ok


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
        assert [(u.username, u.active, u.must_change_password) for u in logbook.users.active()] == [
            ("old", True, True), ("rad", True, False)]  # old's password was set by rad before the upgrade
        logbook.users.set_active("old", False, by=("rad", "radradradrad"))
        assert list(logbook.audit.rows())[-1].field == "active" and logbook.audit.verify().ok


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
        rows = len(list(logbook.audit.rows()))
        logbook.users.change_password("rad", "rad's new password", old_password="rad's password")
        (row,) = list(logbook.audit.rows())[rows:]
        assert (row.record_id, row.action, row.new_value) == ("rad", "password", "password of rad changed")
        assert logbook.audit.verify().ok


@pytest.mark.parametrize("count", sorted(SCHEMA_DIGESTS))
def test_shipped_migrations_make_the_schema_they_always_made(tmp_path, count):
    """A shipped migration is frozen: later changes to the helpers it shares (`_audit_row`, `_audit_triggers`)
    must not change what it creates."""
    conn = sqlite3.connect(tmp_path / "old.sqlite", isolation_level=None)
    _apply_first_migrations(conn, count)
    made = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name NOT LIKE '%sqlite_migrations%' "
                        "ORDER BY type, name").fetchall()
    assert hashlib.sha256(repr(made).encode()).hexdigest() == SCHEMA_DIGESTS[count]


def _schema(conn) -> list:
    return conn.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name NOT LIKE '%sqlite_migrations%' "
                        "ORDER BY type, name").fetchall()


# A procedure signed by a build with schema 4, with its hashes as that build made them: the content it signed
# (version 1: the procedure and the patient's identity, compact sorted JSON) and an addendum's.
OLD_PATIENT, OLD_PROCEDURE = "5b1f5e0e-7f43-4d4c-9a41-3c3f0f7d2a10", "0f2c9a61-8d8e-4b7e-b6a4-2b1f9d1e5c33"
OLD_CONTENT = ('{"patient":{"id":"' + OLD_PATIENT + '","mrn":"OLD-1","name":"旧病人","sex":"F"},"procedure":{'
               '"date":"2024-02-01","embolization":"none","id":"' + OLD_PROCEDURE + '","operator":"Rad","tumor_'
               'staining":"absent"}}')
OLD_SHA256 = hashlib.sha256(OLD_CONTENT.encode()).hexdigest()
OLD_ADDENDUM = ('{"created_at":"2024-02-03T08:00:00Z","procedure_id":"' + OLD_PROCEDURE + '","procedure_sha256":"'
                + OLD_SHA256 + '","reason":"late finding","text":"Day 2: fine.","username":"rad"}')


def _schema_4_logbook_with_a_signature(path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={schema.APPLICATION_ID}")
    _apply_first_migrations(conn, 4)
    conn.execute("PRAGMA user_version=4")
    AuditSession(conn, "rad")
    for sql, values in [
        ("INSERT INTO users (username, full_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
         ["rad", "Rad One", "radiologist", hash_password("rad's password"), "2024-01-01T00:00:00Z"]),
        ("INSERT INTO patients (id, mrn, name, sex, weight_kg, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
         [OLD_PATIENT, "OLD-1", "旧病人", "F", 54, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"]),
        ("INSERT INTO procedures (id, patient_id, date, operator, tumor_staining, embolization, created_at, "
         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [OLD_PROCEDURE, OLD_PATIENT, "2024-02-01", "Rad", "absent",
                                                         "none", "2024-02-01T10:00:00Z", "2024-02-01T10:00:00Z"]),
        ("INSERT INTO signatures (procedure_id, username, signer, meaning, signed_at, content_sha256) VALUES "
         "(?, ?, ?, ?, ?, ?)", [OLD_PROCEDURE, "rad", "Rad One", "performed and reviewed by", "2024-02-01T11:00:00Z",
                                OLD_SHA256]),
        ("UPDATE procedures SET status = 'signed' WHERE id = ?", [OLD_PROCEDURE]),
        ("INSERT INTO addenda (id, procedure_id, text, reason, username, author, meaning, created_at, content_sha256) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ["a1", OLD_PROCEDURE, "Day 2: fine.", "late finding", "rad", "Rad One",
                                                "addendum written and signed by", "2024-02-03T08:00:00Z",
                                                hashlib.sha256(OLD_ADDENDUM.encode()).hexdigest()]),
    ]:
        conn.execute(sql, values)
    conn.close()


def test_signatures_made_before_schema_5_keep_verifying_and_say_they_cover_fewer_fields(tmp_path, capsys,
                                                                                       pdf_pages_text):
    path = tmp_path / "four.sqlite"
    _schema_4_logbook_with_a_signature(path)
    assert main(["--db", str(path), "check"]) == 0  # read as it is: a backup is never upgraded by a check
    assert "1 signatures and 1 addenda verified against their records (1 made before TACE Log stored the signed " \
           "content cover fewer fields" in capsys.readouterr().out
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    with Logbook.open(path) as logbook:  # migration 0005 makes the signatures and addenda tables again
        rows = len(list(logbook.audit.rows()))
        assert logbook.schema_version == schema.SCHEMA_VERSION and logbook.audit.verify().ok
        assert len(list(logbook.audit.rows())) == rows  # the migration changes no value: no audit row
        signature = logbook.signing.signature_of(OLD_PROCEDURE)
        assert (signature.content_version, signature.content, signature.role) == (1, None, "radiologist")
        check = logbook.signing.check(OLD_PROCEDURE)
        assert check.ok and check.covers_fewer_fields and check.signed_patient is None
        assert [a.id for a in logbook.signing.addenda_of(OLD_PROCEDURE)] == ["a1"]
        verified = logbook.signing.verify()
        assert (verified.ok, verified.signatures, verified.addenda, verified.older) == (True, 1, 1, 1)
        patient = logbook.get_patient(OLD_PATIENT)
        patient.weight_kg = 95  # not covered by a version-1 signature: nothing to show as changed
        logbook.save_patient(patient)
        assert logbook.signing.check(OLD_PROCEDURE).changes == ()
        report = "".join(pdf_pages_text(procedure_report(logbook, OLD_PROCEDURE))).split()
        assert "This signature was made before TACE Log kept what was signed: it covers the procedure and the " \
               "patient's id, MRN, name, sex and birth date; the patient's other values are as recorded now." \
               in " ".join(report) and "95 kg" in " ".join(report) and "DOES NOT VERIFY" not in " ".join(report)
        logbook.signing.add_addendum(OLD_PROCEDURE, "rad", "rad's password", "second look", "Still fine.")
        assert logbook.signing.verify().ok and logbook.audit.history(OLD_PROCEDURE)[-1].table_name == "addenda"
        exported = interchange.export_document(logbook)
        with sqlite3.connect(path) as conn:
            assert _schema(conn) == _fresh_schema(tmp_path)
            AuditSession(conn, "forger")  # the triggers made again hold for the old rows
            for sql, refused in (("UPDATE signatures SET signer = 'x'", "a signature cannot be changed"),
                                 ("DELETE FROM addenda", "an addendum cannot be changed"),
                                 ("UPDATE procedures SET operator = 'x'", "is signed and locked")):
                with pytest.raises(sqlite3.IntegrityError, match=refused):
                    conn.execute(sql)
        conn.close()
    assert main(["--db", str(path), "show", OLD_PROCEDURE]) == 0
    assert "it covers only the procedure and the patient's id, MRN, name, sex and birth date" in \
        capsys.readouterr().out
    moved = exported["patients"][0]["procedures"][0]["signature"]
    assert (moved["content"], moved["sha256"], moved["signer_role"]) == (OLD_CONTENT, OLD_SHA256, "radiologist")
    with Logbook.open(tmp_path / "there.sqlite") as other:  # it travels, and verifies there as version 1
        other.import_document(json.loads(json.dumps(exported)))
        arrived = other.signing.signature_of(OLD_PROCEDURE)
        assert (arrived.content_version, arrived.signed_elsewhere) == (1, True) and other.signing.verify().ok
        assert interchange.export_document(other) == exported


def _fresh_schema(tmp_path) -> list:
    with Logbook.open(tmp_path / "fresh.sqlite") as fresh:
        return _schema(fresh._db)


def test_a_version_1_signature_whose_record_changed_does_not_verify(tmp_path, capsys):
    path = tmp_path / "four.sqlite"
    _schema_4_logbook_with_a_signature(path)
    with sqlite3.connect(path, isolation_level=None) as conn:
        AuditSession(conn, "forger")
        conn.execute("DROP TRIGGER lock_patients_update")
        conn.execute("UPDATE patients SET name = '别人'")
    conn.close()
    assert main(["--db", str(path), "check"]) == 1
    assert "no longer matches the record: the procedure and the patient's id" in capsys.readouterr().err
    assert main(["--db", str(path), "audit", "verify"]) == 1  # upgraded first: the check is the same after
    assert f"procedure {OLD_PROCEDURE} (2024-02-01, MRN OLD-1) does not verify" in capsys.readouterr().err
