"""Signing: who may sign, what is checked, and that a signed record is locked everywhere (Logbook, import, CLI,
and the database itself)."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from tace_log import interchange
from tace_log.errors import (
    AuthenticationError,
    InvalidInputError,
    NotPermittedError,
    RecordLockedError,
    RecordNotFoundError,
    WarningsNotAcknowledgedError,
)
from tace_log.model import Addendum, Signature
from tace_log.signing import CONTENT_VERSION, MEANING, signed_content
from tace_log.storage import Logbook
from tace_log.storage.audit import seal
from tests.core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook
from tests.core.test_audit import replay, rows, table_rows


@pytest.fixture
def book(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "logbook.sqlite")
    yield logbook, patient, procedure
    logbook.close()


def test_a_radiologist_signs_with_the_meaning_and_the_content_hash(book):
    logbook, patient, procedure = book
    signature = logbook.signing.sign(procedure.id, "chen", PASSWORD)
    assert signature == logbook.signing.signature_of(procedure.id)
    assert isinstance(signature, Signature)
    assert (signature.signer, signature.username, signature.meaning) == ("陈伟 Chen Wei", "chen", MEANING)
    assert (signature.role, signature.content_version, signature.signed_elsewhere) == (
        "radiologist", CONTENT_VERSION, False)
    assert signature.content.encode() == signed_content(patient, logbook.get_procedure(procedure.id), signature)
    assert signature.content_sha256 == hashlib.sha256(signature.content.encode()).hexdigest()
    assert logbook.get_procedure(procedure.id).status == "signed"
    assert logbook.signing.intact(procedure.id)
    assert logbook.worklist.rows()[0].status == "signed"


def test_a_wrong_password_is_refused_and_nothing_is_signed(book):
    logbook, _, procedure = book
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        logbook.signing.sign(procedure.id, "chen", PASSWORD + "x")
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        logbook.signing.sign(procedure.id, "nobody", PASSWORD)
    assert logbook.signing.signature_of(procedure.id) is None
    assert not logbook.signing.is_signed(procedure.id)


def test_a_nurse_cannot_sign(book):
    logbook, _, procedure = book
    with pytest.raises(NotPermittedError, match="li is a nurse: only a radiologist may sign"):
        logbook.signing.sign(procedure.id, "li", NURSE_PASSWORD)
    assert not logbook.signing.is_signed(procedure.id)


def test_errors_block_signing_and_warnings_must_be_acknowledged(book):
    logbook, _, procedure = book
    procedure.operator = None  # required to sign, not to save a draft
    logbook.save_procedure(procedure)
    with pytest.raises(InvalidInputError, match="operator: is required before signing"):
        logbook.signing.sign(procedure.id, "chen", PASSWORD, acknowledge_warnings=True)
    procedure.operator = "Chen Wei"
    procedure.agents[1].dose = 90  # epirubicin warns above 80 mg
    logbook.save_procedure(procedure)
    with pytest.raises(WarningsNotAcknowledgedError) as refused:
        logbook.signing.sign(procedure.id, "chen", PASSWORD)
    assert [f.code for f in refused.value.findings] == ["dose_high"]
    assert not logbook.signing.is_signed(procedure.id)
    logbook.signing.sign(procedure.id, "chen", PASSWORD, acknowledge_warnings=True)
    assert logbook.signing.is_signed(procedure.id)
    signing_rows = [e for e in logbook.audit.history(procedure.id) if e.username == "chen"]
    assert signing_rows and all(e.reason.startswith("warnings acknowledged: agents[1].dose: 90 mg of epirubicin")
                                for e in signing_rows)


def _file_dump(path) -> list[str]:
    """Every row of the logbook file, as SQL (read-only): what a refused signing must leave as it was."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as reader:
        return list(reader.iterdump())


@pytest.mark.parametrize("impression", [None, "  \n\t "])
def test_signing_without_an_impression_is_refused_saying_so_and_writes_nothing(book, impression):
    logbook, _, procedure = book
    procedure.impression = impression  # a draft may lack it (spaces only are not one)
    logbook.save_procedure(procedure)
    before = _file_dump(logbook.path)
    with pytest.raises(InvalidInputError) as refused:
        logbook.signing.sign(procedure.id, "chen", PASSWORD, acknowledge_warnings=True)
    assert str(refused.value) == f"procedure {procedure.id} not signed: impression: is required before signing"
    assert "术中诊断" in refused.value.text("zh") and "签名前必须填写" in refused.value.text("zh")
    assert [f.code for f in refused.value.findings] == ["required_to_sign"]
    assert _file_dump(logbook.path) == before  # no signature, no status, no audit row
    assert logbook.signing.signature_of(procedure.id) is None and logbook.get_procedure(procedure.id).status == "draft"


def test_a_signed_procedure_is_refused_by_the_logbook(book):
    logbook, _, procedure = book
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    procedure.cycle = 2
    with pytest.raises(RecordLockedError, match="is signed and cannot be changed"):
        logbook.save_procedure(procedure)
    with pytest.raises(RecordLockedError, match="cannot be signed again"):
        logbook.signing.sign(procedure.id, "chen", PASSWORD)
    assert logbook.get_procedure(procedure.id).cycle == 1


@pytest.mark.parametrize("sql", [
    "UPDATE procedures SET cycle = 2",
    "DELETE FROM procedures",
    "UPDATE agent_doses SET dose = 50",
    "DELETE FROM agent_doses",
    "INSERT INTO agent_doses (id, procedure_id, position, agent, dose, unit) SELECT 'x', id, 9, 'lipiodol', 1, 'mL' "
    "FROM procedures",
    "UPDATE complications SET ctcae_grade = 3",
    "DELETE FROM complications",
    "DELETE FROM procedure_segments",
    "UPDATE patients SET name = '李四'",
    "DELETE FROM patients",
    "UPDATE signatures SET signer = 'someone else'",
    "DELETE FROM signatures",
])
def test_a_signed_procedure_is_refused_by_the_database_itself(book, sql):
    logbook, _, procedure = book
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    path = logbook.path
    logbook.close()
    before = path.read_bytes()
    # a plain sqlite3 client cannot write clinical data at all: it lacks the audit functions
    with sqlite3.connect(path) as plain, pytest.raises(sqlite3.OperationalError, match="no such function"):
        plain.execute(sql)
    # a client that supplies them (to get past the audit) still meets the lock triggers
    with sqlite3.connect(path) as forger:
        forger.create_function("tace_audit_user", 0, lambda: "forger")
        forger.create_function("tace_audit_reason", 0, lambda: None)
        forger.create_function("tace_audit_seal", 11, seal, deterministic=True)
        with pytest.raises(sqlite3.IntegrityError, match="signed|cannot be changed"):
            forger.execute(sql)
    assert path.read_bytes() == before


def test_a_draft_is_still_writable_by_a_client_with_the_audit_functions(book):
    """The lock triggers are aimed at signed records only (so the test above fails for the right reason)."""
    logbook, _, procedure = book
    logbook.close()
    with sqlite3.connect(logbook.path) as client:
        client.create_function("tace_audit_user", 0, lambda: "script")
        client.create_function("tace_audit_reason", 0, lambda: "bulk fix")
        client.create_function("tace_audit_seal", 11, seal, deterministic=True)
        client.execute("UPDATE procedures SET cycle = 2")
        row = client.execute("SELECT username, reason, field, old_value, new_value FROM audit_log "
                             "ORDER BY seq DESC LIMIT 1").fetchone()
    assert row == ("script", "bulk fix", "cycle", 1, 2)


def _edited_export(logbook, edit) -> dict:
    doc = interchange.export_document(logbook)
    edit(doc["patients"][0])
    return doc


@pytest.mark.parametrize("edit", [
    lambda p: p["procedures"][0].update(cycle=2),
    lambda p: p["procedures"][0]["agents"][0].update(dose=6),
    lambda p: p["procedures"][0]["complications"].clear(),
    lambda p: p["procedures"][0].update(stained_segments=["VIII"]),
    lambda p: p.update(name="张三"),
])
def test_an_import_that_changes_a_signed_record_is_refused_and_writes_nothing(book, edit):
    logbook, _, procedure = book
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    doc = _edited_export(logbook, edit)
    doc["patients"].append({"mrn": "M0002", "name": "王芳"})  # would be added if the import went through
    before_export = interchange.export_document(logbook)
    before_audit = list(logbook.audit.rows())
    with pytest.raises(InvalidInputError) as refused:
        logbook.import_document(doc)
    assert "signed" in str(refused.value) and ("张伟" in str(refused.value) or procedure.id in str(refused.value))
    assert interchange.export_document(logbook) == before_export
    assert list(logbook.audit.rows()) == before_audit


def test_importing_a_signed_record_unchanged_is_fine(book):
    logbook, _, procedure = book
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    summary = logbook.import_document(interchange.export_document(logbook))
    assert summary.procedures_unchanged == 1 and summary.patients_unchanged == 1
    assert logbook.signing.intact(procedure.id)


def test_a_patients_other_fields_stay_editable_after_signing(book):
    logbook, patient, procedure = book
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    patient.weight_kg = 61
    logbook.save_patient(patient)
    patient.name = "张三"
    with pytest.raises(InvalidInputError, match="name cannot change"):
        logbook.save_patient(patient)
    assert logbook.signing.intact(procedure.id)


def test_addenda_are_signed_appended_and_never_change_the_original(book):
    logbook, _, procedure = book
    with pytest.raises(NotPermittedError, match="draft"):
        logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, "late finding", "text")
    signature = logbook.signing.sign(procedure.id, "chen", PASSWORD)
    original = logbook.get_procedure(procedure.id).to_document()
    with pytest.raises(AuthenticationError):
        logbook.signing.add_addendum(procedure.id, "chen", "wrong password", "late finding", "text")
    with pytest.raises(NotPermittedError):
        logbook.signing.add_addendum(procedure.id, "li", NURSE_PASSWORD, "late finding", "text")
    with pytest.raises(InvalidInputError, match="reason: is required"):
        logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, " ", "text")
    first = logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, "late complication",
                                         "Day 3: fever 38.5 °C. 发热")
    second = logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, "correction", "Fever resolved on day 4.")
    assert logbook.signing.addenda_of(procedure.id) == [first, second]
    assert isinstance(first, Addendum) and first.signature.username == "chen" and first.author == "陈伟 Chen Wei"
    assert first.signature.content_sha256 != second.signature.content_sha256
    assert logbook.get_procedure(procedure.id).to_document() == original
    assert logbook.signing.signature_of(procedure.id) == signature and logbook.signing.intact(procedure.id)
    reasons = {e.reason for e in logbook.audit.history(procedure.id) if e.table_name == "addenda"}
    assert reasons == {"late complication", "correction"}
    logbook.close()
    with sqlite3.connect(logbook.path) as client:
        client.create_function("tace_audit_user", 0, lambda: "x")
        client.create_function("tace_audit_reason", 0, lambda: None)
        client.create_function("tace_audit_seal", 11, seal, deterministic=True)
        for sql in ("UPDATE addenda SET text = 'nothing happened'", "DELETE FROM addenda"):
            with pytest.raises(sqlite3.IntegrityError, match="addendum cannot be changed"):
                client.execute(sql)


def test_a_field_not_recorded_does_not_enter_the_signed_hash():
    """A field the dictionary gains later is null in every old record: old signatures must stay intact."""
    from tace_log.signing import _canonical

    signed = {"procedure": {"dose": 30, "agents": [{"agent": "lipiodol", "lot": "L1"}]}}
    later = {"procedure": {"dose": 30, "new_field": None, "new_list": [], "agents": [{"agent": "lipiodol",
                                                                                        "lot": "L1", "x": None}]}}
    assert _canonical(signed) == _canonical(later)
    assert _canonical(signed) != _canonical({"procedure": {"dose": 31, "agents": [{"agent": "lipiodol"}]}})


def stored_hash(logbook, username: str) -> str:
    return rows(logbook, "SELECT password_hash FROM users WHERE username = ?", [username])[0]["password_hash"]


def test_a_user_changes_their_password_with_the_current_one(book):
    logbook, _, _ = book
    before = list(logbook.audit.rows())
    logbook.users.change_password("chen", "a new long password", old_password=PASSWORD)
    logbook.users.authenticate("chen", "a new long password")
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        logbook.users.authenticate("chen", PASSWORD)
    (row,) = list(logbook.audit.rows())[len(before):]  # one row (migration 0004's trigger): that it changed, and who
    assert (row.table_name, row.record_id, row.action, row.new_value) == ("users", "chen", "password",
                                                                           "password of chen changed")
    assert (row.username, row.reason) == (logbook.users.current, "password changed, allowed by chen, with the current "
                                                                "password")
    stored = stored_hash(logbook, "chen")
    assert stored not in repr(row) and "a new long password" not in repr(row)  # never the password or its hash
    assert logbook.audit.verify().ok


@pytest.mark.parametrize("how, error, message", [
    ({"old_password": "not the password"}, AuthenticationError, "wrong user name or password"),
    ({"old_password": PASSWORD, "new": "short"}, InvalidInputError, "at least 8 characters"),
    ({}, InvalidInputError, "give the current password, or who allows the change"),
    ({"by": ("li", NURSE_PASSWORD)}, NotPermittedError,
     "li is a nurse: setting another user's password needs a radiologist"),
    ({"by": ("chen", "not the password")}, AuthenticationError, "wrong user name or password"),
])
def test_a_password_change_that_is_not_allowed_changes_nothing(book, how, error, message):
    logbook, _, _ = book
    stored, rows = stored_hash(logbook, "chen"), len(list(logbook.audit.rows()))
    new = how.get("new", "a new long password")
    with pytest.raises(error, match=message):
        logbook.users.change_password("chen", new, **{k: v for k, v in how.items() if k != "new"})
    assert stored_hash(logbook, "chen") == stored and len(list(logbook.audit.rows())) == rows


def test_whoever_may_add_users_sets_a_forgotten_password(book):
    logbook, _, _ = book
    logbook.users.change_password("li", "set by the radiologist", by=("chen", PASSWORD))  # no administrator yet
    assert logbook.users.authenticate("li", "set by the radiologist").username == "li"
    logbook.users.add("wang", "王明", "admin", "administrator password", by=("chen", PASSWORD))
    with pytest.raises(NotPermittedError, match="chen is a radiologist: setting another user's password needs an "
                                                "administrator"):
        logbook.users.change_password("li", "another new password", by=("chen", PASSWORD))
    logbook.users.change_password("li", "another new password", by=("wang", "administrator password"))
    last = list(logbook.audit.rows())[-1]
    assert (last.new_value, last.reason) == ("password of li changed", "password changed, allowed by wang")
    with pytest.raises(RecordNotFoundError, match="no user 'ghost'"):
        logbook.users.change_password("ghost", "another new password", by=("wang", "administrator password"))


def test_a_password_someone_else_set_must_be_changed_before_its_owner_signs(book):
    logbook, _, procedure = book
    logbook.users.add("wang", "王明", "admin", "administrator password", by=("chen", PASSWORD))
    logbook.users.change_password("chen", "set by the admin", by=("wang", "administrator password"))
    assert logbook.users.sign_in("chen", "set by the admin").must_change_password  # signing in is fine
    with pytest.raises(NotPermittedError, match="chen's password was set by someone else: choose your own before "
                                                "you sign"):
        logbook.signing.sign(procedure.id, "chen", "set by the admin")
    assert not logbook.signing.is_signed(procedure.id)
    logbook.users.change_password("chen", "chen's own password", old_password="set by the admin")
    assert not logbook.users.get("chen").must_change_password
    logbook.signing.sign(procedure.id, "chen", "chen's own password")
    assert logbook.signing.is_signed(procedure.id)


def test_a_user_who_left_is_deactivated_and_signs_in_and_signs_no_more(book):
    logbook, _, procedure = book
    logbook.users.add("zhao", "赵强", "radiologist", "zhao's password", by=("chen", PASSWORD))
    with pytest.raises(NotPermittedError, match="deactivating a user needs the user name and password"):
        logbook.users.set_active("zhao", False, by=None)
    with pytest.raises(NotPermittedError, match="li is a nurse: deactivating a user needs a radiologist"):
        logbook.users.set_active("zhao", False, by=("li", NURSE_PASSWORD))
    assert not logbook.users.set_active("zhao", False, by=("chen", PASSWORD)).active
    last = list(logbook.audit.rows())[-1]
    assert (last.table_name, last.record_id, last.field, last.old_value, last.new_value, last.reason) == (
        "users", "zhao", "active", 1, 0, "deactivating a user, allowed by chen")
    with pytest.raises(AuthenticationError, match="zhao is deactivated"):
        logbook.users.sign_in("zhao", "zhao's password")
    with pytest.raises(AuthenticationError, match="zhao is deactivated"):
        logbook.signing.sign(procedure.id, "zhao", "zhao's password")
    with pytest.raises(AuthenticationError, match="zhao is deactivated"):
        logbook.users.add("sun", "孙", "nurse", "a long password", by=("zhao", "zhao's password"))
    assert [u.username for u in logbook.users.active()] == ["chen", "li"]  # the pickers
    assert [u.username for u in logbook.users.everyone()] == ["chen", "li", "zhao"]
    logbook.users.set_active("zhao", True, by=("chen", PASSWORD))
    logbook.signing.sign(procedure.id, "zhao", "zhao's password")
    assert logbook.audit.verify().ok


def test_the_last_user_who_can_allow_user_changes_cannot_be_deactivated(book):
    logbook, _, _ = book  # chen, the only radiologist, and li, a nurse
    with pytest.raises(NotPermittedError, match="chen is the last active administrator or radiologist"):
        logbook.users.set_active("chen", False, by=("chen", PASSWORD))
    assert logbook.users.get("chen").active
    logbook.users.add("wang", "王明", "admin", "administrator password", by=("chen", PASSWORD))
    logbook.users.set_active("chen", False, by=("wang", "administrator password"))  # an administrator remains
    with pytest.raises(NotPermittedError, match="wang is the last active administrator or radiologist"):
        logbook.users.set_active("wang", False, by=("wang", "administrator password"))


def test_neither_a_deactivated_user_nor_one_with_a_password_set_for_them_adds_an_addendum(book):
    logbook, _, procedure = book
    logbook.users.add("wang", "王明", "admin", "administrator password", by=("chen", PASSWORD))
    logbook.users.add("zhao", "赵强", "radiologist", "zhao's password", by=("wang", "administrator password"))
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    logbook.users.change_password("chen", "set by wang", by=("wang", "administrator password"))
    with pytest.raises(NotPermittedError, match="choose your own before you sign an addendum"):
        logbook.signing.add_addendum(procedure.id, "chen", "set by wang", "late finding", "text")
    logbook.users.set_active("zhao", False, by=("wang", "administrator password"))
    with pytest.raises(AuthenticationError, match="zhao is deactivated"):
        logbook.signing.add_addendum(procedure.id, "zhao", "zhao's password", "late finding", "text")
    assert logbook.signing.addenda_of(procedure.id) == []


def test_a_deactivated_user_is_not_worked_as_and_a_password_is_changed_to_another(book, tmp_path):
    logbook, _, _ = book
    logbook.users.add("zhao", "赵强", "radiologist", "zhao's password", by=("chen", PASSWORD))
    logbook.users.set_active("zhao", False, by=("chen", PASSWORD))
    with pytest.raises(NotPermittedError, match="zhao is deactivated"):
        logbook.users.act_as("zhao")
    with pytest.raises(NotPermittedError, match="zhao is deactivated"):
        Logbook.open(logbook.path, user="zhao")
    with pytest.raises(InvalidInputError, match="must differ from the current one"):
        logbook.users.change_password("chen", PASSWORD, old_password=PASSWORD)


def test_user_changes_replay_from_the_audit_trail(book):
    logbook, _, _ = book
    logbook.users.add("wang", "王明", "admin", "administrator password", by=("chen", PASSWORD))
    logbook.users.change_password("li", "set by wang", by=("wang", "administrator password"))
    logbook.users.set_active("chen", False, by=("wang", "administrator password"))
    logbook.users.change_password("li", "li's own password", old_password="set by wang")
    logbook.users.set_active("chen", True, by=("wang", "administrator password"))
    assert replay(logbook)["users"] == table_rows(logbook, "users")


def test_what_a_broken_signature_says_is_said_in_the_report_language(book):
    """Recomputing a signature names what differs, in English for the CLI and the log, in Chinese on a Chinese
    chart copy and form."""
    from tace_log.signing import check_signature

    logbook, patient, procedure = book
    signature = logbook.signing.sign(procedure.id, "chen", PASSWORD)
    changed = logbook.get_procedure(procedure.id).replace(contrast_ml=190)  # not what was signed
    check = check_signature(signature, patient, changed)
    assert not check.ok
    assert check.describe() == "the procedure differs from what was signed (contrast_ml)"
    assert check.describe("zh") == "手术与签名时不同（contrast_ml）"
