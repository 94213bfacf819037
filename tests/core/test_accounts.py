"""Accounts: OWASP's scrypt parameters (old hashes upgraded after a sign-in), what a new password may be, an
unknown user told apart from a wrong password by nothing, the first user, and password changes in the audit
trail whoever makes them."""

from __future__ import annotations

import hashlib
import io
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tace_log import users
from tace_log.cli import main
from tace_log.errors import AuthenticationError, InvalidInputError
from tace_log.storage import Logbook
from tests.core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook
from tests.core.test_signing import stored_hash

TESTS = Path(__file__).resolve().parent.parent
RACER = TESTS / "user_add_racer.py"


@pytest.fixture
def book(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "logbook.sqlite")
    yield logbook, patient, procedure
    logbook.close()


def _user_add(path: Path, name: str, role: str, password: str):
    return subprocess.run([sys.executable, "-m", "tace_log", "--db", str(path), "user", "add", name, "--role", role],
                          input=password + "\n", capture_output=True, text=True, cwd=TESTS.parent)


# -- the parameters, and upgrading old hashes ------------------------------------------------------------------
def test_a_real_process_stores_passwords_with_at_least_owasps_minimum_scrypt_parameters(tmp_path):
    """The tests lower the cost in their own process (tests/conftest.py); `tace-log` run as a user runs it does
    not."""
    path = tmp_path / "logbook.sqlite"
    result = _user_add(path, "chen", "radiologist", PASSWORD)
    assert result.returncode == 0, result.stderr
    with Logbook.open(path) as logbook:
        scheme, n, r, p, salt, digest = stored_hash(logbook, "chen").split("$")
        assert logbook.users.authenticate("chen", PASSWORD).username == "chen"
    assert scheme == "scrypt" and int(n) >= 2**17 and int(r) >= 8 and int(p) >= 1
    assert (len(bytes.fromhex(salt)), len(bytes.fromhex(digest))) == (16, 64)


def test_an_old_hash_is_upgraded_after_a_sign_in_by_the_next_write_and_audited(tmp_path, production_scrypt,
                                                                              monkeypatch):
    with Logbook.open(tmp_path / "logbook.sqlite") as logbook:
        with monkeypatch.context() as before:  # the parameters TACE Log hashed with before OWASP's minimum
            before.setattr(users, "SCRYPT_N", 2**14)
            logbook.users.add("chen", "Chen Wei", "radiologist", PASSWORD)
            logbook.users.add("li", "Li Na", "nurse", NURSE_PASSWORD, by=("chen", PASSWORD))
        old = stored_hash(logbook, "chen")
        assert old.startswith("scrypt$16384$8$1$")
        rows = list(logbook.audit.rows())
        logbook.users.sign_in("chen", PASSWORD)  # the app signs in before its damage check has passed: nothing written
        assert stored_hash(logbook, "chen") == old and list(logbook.audit.rows()) == rows
        logbook.users.set_active("li", False, by=("chen", PASSWORD))  # the next write writes the upgrade first
        new = stored_hash(logbook, "chen")
        assert new.startswith("scrypt$131072$8$1$") and logbook.users.authenticate("chen", PASSWORD).username == "chen"
        upgrade = list(logbook.audit.rows())[len(rows)]
        assert (upgrade.table_name, upgrade.record_id, upgrade.action, upgrade.username, upgrade.new_value) == (
            "users", "chen", "password", "chen", "password of chen changed")
        assert upgrade.reason == "password hash upgraded to scrypt N=131072, r=8, p=1 at a check of the password"
        assert old not in repr(upgrade) and new not in repr(upgrade)
        assert list(logbook.audit.rows())[-1].field == "active"  # the write itself, in the same transaction
        assert stored_hash(logbook, "li").startswith("scrypt$16384$")  # li has not signed in since
        assert logbook.audit.verify().ok


def test_an_upgrade_never_overwrites_a_password_changed_since_its_check(tmp_path, monkeypatch):
    path = tmp_path / "logbook.sqlite"
    with Logbook.open(path) as app, monkeypatch.context() as before:
        before.setattr(users, "SCRYPT_N", users.SCRYPT_N // 2)  # weaker than today's
        app.users.add("chen", "Chen Wei", "radiologist", PASSWORD)
        before.undo()
        app.users.sign_in("chen", PASSWORD)  # an upgrade waits for the app's next write
        with Logbook.open(path) as cli:
            cli.users.change_password("chen", "chen's new password", old_password=PASSWORD)
        changed = stored_hash(app, "chen")
        app.users.set_active("chen", True, by=("chen", "chen's new password"))  # a write
        assert stored_hash(app, "chen") == changed
        assert [e.reason for e in app.audit.rows() if e.action == "password"] == [
            "password changed, allowed by chen, with the current password"]


def test_a_stored_hash_asking_for_more_memory_than_allowed_is_not_checked():
    salt = secrets.token_bytes(16)
    greedy = f"scrypt${2**20}$8$1${salt.hex()}${'00' * 64}"  # 1 GiB per check: a planted hash could exhaust memory
    assert not users.check_password(PASSWORD, greedy)
    assert not users.check_password(PASSWORD, "not$a$hash")


# -- an unknown user and a wrong password --------------------------------------------------------------------
def test_an_unknown_user_and_a_wrong_password_get_the_same_message_after_the_same_work(book, monkeypatch):
    logbook, _, _ = book
    logbook.users.add("zhao", "赵强", "radiologist", "zhao's password", by=("chen", PASSWORD))
    logbook.users.set_active("zhao", False, by=("chen", PASSWORD))
    calls = []
    real = hashlib.scrypt

    def scrypt(password, **kwargs):
        calls.append((kwargs["n"], kwargs["r"], kwargs["p"], kwargs["maxmem"], kwargs["dklen"], len(kwargs["salt"])))
        return real(password, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", scrypt)
    outcomes = []
    for username, password in [("chen", "not chen's password"), ("ghost", PASSWORD), ("zhao", PASSWORD)]:
        calls.clear()
        with pytest.raises(AuthenticationError) as refused:
            logbook.users.sign_in(username, password)
        outcomes.append((str(refused.value), list(calls)))
    work = [(users.SCRYPT_N, users.SCRYPT_R, users.SCRYPT_P, users.SCRYPT_MAXMEM, 64, 16)]
    assert outcomes == [("wrong user name or password", work)] * 3  # a deactivated user is no different
    with pytest.raises(AuthenticationError, match="zhao is deactivated"):  # said only with the right password
        logbook.users.sign_in("zhao", "zhao's password")


def test_the_cli_says_the_same_for_an_unknown_signer_and_a_wrong_password(book, monkeypatch, capsys):
    logbook, _, procedure = book
    monkeypatch.setattr("sys.stdin", io.StringIO())
    errors = []
    for user, password in [("chen", "not chen's password"), ("ghost", PASSWORD)]:
        monkeypatch.setenv("TACE_LOG_PASSWORD", password)
        assert main(["--db", str(logbook.path), "sign", procedure.id, "--user", user]) == 2
        errors.append(capsys.readouterr().err)
    assert errors == ["tace-log: wrong user name or password\n"] * 2


# -- what a new password may be ------------------------------------------------------------------------------
@pytest.mark.parametrize("password, message", [
    (" " * 8, "must not be only spaces"),
    ("\u3000" * 8, "must not be only spaces"),  # ideographic spaces, as a Chinese input method types them
    (" \t" * 6, "must not be only spaces"),
    ("x" * (users.MAX_PASSWORD_LENGTH + 1), "must be at most 1024 characters"),
])
def test_a_blank_or_overlong_password_is_refused_when_set_and_nothing_is_written(book, password, message):
    logbook, _, _ = book
    rows, hashes = len(list(logbook.audit.rows())), stored_hash(logbook, "li")
    with pytest.raises(InvalidInputError, match=f"password: {message}"):
        logbook.users.add("wang", "王明", "admin", password, by=("chen", PASSWORD))
    with pytest.raises(InvalidInputError, match=f"password: {message}"):
        logbook.users.change_password("li", password, old_password=NURSE_PASSWORD)
    with pytest.raises(InvalidInputError, match=f"password: {message}"):
        logbook.users.change_password("li", password, by=("chen", PASSWORD))
    assert [u.username for u in logbook.users.active()] == ["chen", "li"] and stored_hash(logbook, "li") == hashes
    assert len(list(logbook.audit.rows())) == rows


def test_a_password_of_the_maximum_length_with_spaces_inside_is_accepted(book):
    logbook, _, _ = book
    longest = "密" * (users.MAX_PASSWORD_LENGTH - 2) + " x"  # characters, not bytes (3 bytes each in UTF-8)
    logbook.users.change_password("li", longest, old_password=NURSE_PASSWORD)
    logbook.users.change_password("li", "  spaces around  ", old_password=longest)  # kept as typed
    assert logbook.users.authenticate("li", "  spaces around  ").username == "li"


def test_user_add_and_passwd_refuse_a_password_of_only_spaces(book, monkeypatch, capsys):
    logbook, _, _ = book
    monkeypatch.setenv("TACE_LOG_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(" " * 10 + "\n"))
    assert main(["--db", str(logbook.path), "user", "add", "wang", "--role", "admin", "--by", "chen"]) == 2
    assert "password: must not be only spaces" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{NURSE_PASSWORD}\n{' ' * 10}\n"))
    assert main(["--db", str(logbook.path), "user", "passwd", "li"]) == 2
    assert "password: must not be only spaces" in capsys.readouterr().err
    assert [u.username for u in logbook.users.active()] == ["chen", "li"]


# -- the first user ------------------------------------------------------------------------------------------
def test_the_first_user_must_be_an_administrator_or_a_radiologist(tmp_path, monkeypatch, capsys):
    path = tmp_path / "logbook.sqlite"
    with Logbook.open(path) as logbook:
        with pytest.raises(InvalidInputError, match="role: the first user must be an administrator or a "
                                                    "radiologist, who then adds the others"):
            logbook.users.add("li", "李娜", "nurse", NURSE_PASSWORD)
        assert logbook.users.active() == [] and not list(logbook.audit.rows())
    monkeypatch.setattr("sys.stdin", io.StringIO(NURSE_PASSWORD + "\n"))
    assert main(["--db", str(path), "user", "add", "li", "--role", "nurse"]) == 2
    assert "the first user must be an administrator or a radiologist" in capsys.readouterr().err
    for role in ("admin", "radiologist"):
        with Logbook.open(tmp_path / f"{role}.sqlite") as logbook:
            assert logbook.users.add("first", "First", role, PASSWORD).role == role
            logbook.users.add("li", "李娜", "nurse", NURSE_PASSWORD, by=("first", PASSWORD))


def test_two_first_users_added_at_once_by_two_processes_are_not_both_added(tmp_path):
    """Both processes read the logbook empty before either writes (user_add_racer.py holds each at its write
    transaction until both are there); only one may then add a user without anyone's permission."""
    path = tmp_path / "logbook.sqlite"
    Logbook.open(path).close()
    names = ["chen", "wang"]
    racers = [subprocess.Popen([sys.executable, str(RACER), "--db", str(path), "user", "add", name, "--role",
                                "radiologist"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=TESTS)
              for name in names]
    for racer, name in zip(racers, names, strict=True):
        racer.stdin.write(f"{name}'s password\n")
        racer.stdin.flush()
    for racer in racers:
        assert racer.stdout.readline() == "ready\n"
    for racer in racers:
        racer.stdin.write("go\n")
        racer.stdin.flush()
    results = [racer.communicate(timeout=120) for racer in racers]
    codes = [racer.returncode for racer in racers]
    assert sorted(codes) == [0, 2], results
    winner, loser = (names[codes.index(0)], results[codes.index(2)][1])
    assert loser == ("tace-log: adding a user needs the user name and password of a radiologist\n")
    with Logbook.open(path) as logbook:
        assert [u.username for u in logbook.users.active()] == [winner]


# -- a change of a password hash is audited, whoever makes it ------------------------------------------------
def test_a_password_hash_changed_outside_the_logbook_is_audited_without_the_hash(book):
    logbook, _, _ = book
    rows = len(list(logbook.audit.rows()))
    planted = users.hash_password("the attacker's password")
    with logbook.users.reason("no reason given"):  # a program with the audit functions, writing SQL of its own
        logbook._db.execute("UPDATE users SET password_hash = ? WHERE username = 'chen'", [planted])
    (row,) = list(logbook.audit.rows())[rows:]
    assert (row.table_name, row.record_id, row.action, row.new_value, row.username) == (
        "users", "chen", "password", "password of chen changed", logbook.users.current)
    assert planted not in repr(row) and logbook.audit.verify().ok
    logbook._db.execute("UPDATE users SET password_hash = password_hash WHERE username = 'chen'")
    assert len(list(logbook.audit.rows())) == rows + 1  # not changed: no row


def test_adding_a_deactivated_user_again_says_where_to_activate_them_in_the_app_and_the_cli(book, monkeypatch,
                                                                                         capsys):
    logbook, _, _ = book
    logbook.users.set_active("li", False, by=("chen", PASSWORD))
    with pytest.raises(InvalidInputError) as refused:
        logbook.users.add("li", "Li Na", "nurse", NURSE_PASSWORD, by=("chen", PASSWORD))
    assert refused.value.text("en") == ("user not added: user name: user 'li' already exists (deactivated: "
                                        "activate li again in the Users list, Tools > Users)")
    assert refused.value.text("zh") == ("未添加用户：用户名：用户'li'已存在（已停用：请在“工具 > 用户”的用户列表中"
                                        "重新启用li）")
    monkeypatch.setenv("TACE_LOG_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(NURSE_PASSWORD + "\n"))
    assert main(["--db", str(logbook.path), "--lang", "zh", "user", "add", "li", "--role", "nurse",
                 "--by", "chen"]) == 2
    err = capsys.readouterr().err
    assert "用户名：用户'li'已存在（已停用：tace-log user activate li）" in err and "Tools" not in err, err
