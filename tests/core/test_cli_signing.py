"""The signing commands as a user runs them: user add/list, sign, addendum, show, import of a signed record."""

from __future__ import annotations

import io
import json

import pytest

from tace_log import interchange
from tace_log.cli import main
from tace_log.storage import Logbook
from tests.core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook


@pytest.fixture
def db(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "l.sqlite")
    logbook.close()
    return str(logbook.path), patient, procedure


def _run(monkeypatch, args, stdin="", password=None):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    if password is None:
        monkeypatch.delenv("TACE_LOG_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("TACE_LOG_PASSWORD", password)
    return main(args)


def test_user_add_reads_the_password_from_stdin_and_list_shows_roles(db, monkeypatch, capsys):
    path, _, _ = db
    assert _run(monkeypatch, ["--db", path, "user", "add", "wang", "--role", "admin", "--full-name", "王明"],
                stdin="a long password\n") == 2
    assert "needs the user name and password of a radiologist" in capsys.readouterr().err
    assert _run(monkeypatch, ["--db", path, "user", "add", "wang", "--role", "admin", "--full-name", "王明",
                              "--by", "chen"], stdin="a long password\n", password=PASSWORD) == 0
    assert _run(monkeypatch, ["--db", path, "user", "add", "zhao", "--role", "nurse", "--by", "chen"],
                stdin="a long password\n", password=PASSWORD) == 2
    assert "adding a user needs an administrator" in capsys.readouterr().err  # there is an admin now
    assert _run(monkeypatch, ["--db", path, "user", "add", "zhao", "--role", "nurse", "--by", "wang"],
                stdin="short\n", password="a long password") == 2
    assert "at least 8 characters" in capsys.readouterr().err
    assert _run(monkeypatch, ["--db", path, "user", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["chen\tradiologist\t陈伟 Chen Wei", "li\tnurse\t李娜 Li Na", "wang\tadministrator\t王明"]


def test_sign_from_the_environment_and_refusals_exit_2(db, monkeypatch, capsys):
    path, _, procedure = db
    assert _run(monkeypatch, ["--db", path, "sign", procedure.id, "--user", "chen"], password="wrong!!!") == 2
    assert "wrong user name or password" in capsys.readouterr().err
    assert _run(monkeypatch, ["--db", path, "sign", procedure.id, "--user", "li"], password=NURSE_PASSWORD) == 2
    assert "only a radiologist may sign" in capsys.readouterr().err
    assert _run(monkeypatch, ["--db", path, "sign", procedure.id, "--user", "chen"], stdin=PASSWORD + "\n") == 0
    assert "signed procedure" in capsys.readouterr().out
    assert _run(monkeypatch, ["--db", path, "list"]) == 0
    assert "\tsigned\t" in capsys.readouterr().out


def test_a_signed_record_refused_by_import_names_it(db, monkeypatch, capsys, tmp_path):
    path, _, procedure = db
    assert _run(monkeypatch, ["--db", path, "sign", procedure.id, "--user", "chen"], password=PASSWORD) == 0
    assert _run(monkeypatch, ["--db", path, "export", "-o", str(tmp_path / "all.json")]) == 0
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    doc["patients"][0]["procedures"][0]["cycle"] = 3
    (tmp_path / "changed.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = (tmp_path / "all.json").read_text(encoding="utf-8")
    capsys.readouterr()
    assert _run(monkeypatch, ["--db", path, "import", str(tmp_path / "changed.json")]) == 2
    err = capsys.readouterr().err
    assert f"procedure {procedure.id} of 张伟 (MRN M0001) is signed" in err
    assert _run(monkeypatch, ["--db", path, "export", "-o", str(tmp_path / "after.json")]) == 0
    assert (tmp_path / "after.json").read_text(encoding="utf-8") == before


def test_addendum_then_show_prints_signature_and_addendum_after_the_record(db, monkeypatch, capsys):
    path, _, procedure = db
    args = ["--db", path, "addendum", procedure.id, "--user", "chen", "--reason", "late complication",
            "--text", "Day 3: fever. 术后发热"]
    assert _run(monkeypatch, args, password=PASSWORD) == 2  # a draft is edited, not amended
    assert "is a draft" in capsys.readouterr().err
    assert _run(monkeypatch, ["--db", path, "sign", procedure.id, "--user", "chen"], password=PASSWORD) == 0
    assert _run(monkeypatch, args, password=PASSWORD) == 0
    capsys.readouterr()
    assert _run(monkeypatch, ["--db", path, "show", procedure.id]) == 0
    out = capsys.readouterr().out
    assert "Signed: reviewed and signed by 陈伟 Chen Wei (chen, radiologist)" in out  # the operator performed it
    assert out.index("Signed:") < out.index("ADDENDUM") and "reason: late complication" in out
    assert out.rstrip().endswith("Day 3: fever. 术后发热")
    assert _run(monkeypatch, ["--db", path, "history", procedure.id]) == 0
    history = capsys.readouterr().out
    assert "update procedures.status: draft -> signed" in history and "(reason: late complication)" in history


def test_import_still_works_for_drafts(db, monkeypatch, tmp_path):
    path, _, _ = db
    doc = {"format": interchange.FORMAT, "patients": [{"mrn": "M0009", "name": "王芳"}]}
    (tmp_path / "new.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert _run(monkeypatch, ["--db", path, "import", str(tmp_path / "new.json")]) == 0


def test_sign_lists_unacknowledged_warnings_and_says_how_to_acknowledge(db, monkeypatch, capsys):
    path, _, procedure = db
    with Logbook.open(path) as logbook:
        procedure.agents[1].dose = 90  # epirubicin: a warning above 80 mg
        logbook.save_procedure(procedure)
    assert _run(monkeypatch, ["--db", path, "sign", procedure.id, "--user", "chen"], password=PASSWORD) == 2
    err = capsys.readouterr().err
    assert "warning agents[1].dose: 90 mg of epirubicin" in err and "--acknowledge-warnings" in err
    assert _run(monkeypatch, ["--db", path, "sign", procedure.id, "--user", "chen", "--acknowledge-warnings"],
                password=PASSWORD) == 0


def test_user_passwd_with_the_current_password_or_by_whoever_may_add_users(db, monkeypatch, capsys):
    path, _, _ = db
    assert _run(monkeypatch, ["--db", path, "user", "passwd", "chen"], stdin="wrong password\nnew long password\n") == 2
    assert "wrong user name or password" in capsys.readouterr().err
    assert _run(monkeypatch, ["--db", path, "user", "passwd", "chen"], stdin=f"{PASSWORD}\nnew long password\n") == 0
    assert capsys.readouterr().out == "password of chen changed\n"
    assert _run(monkeypatch, ["--db", path, "user", "passwd", "li", "--by", "chen"], stdin="li's new password\n",
                password="new long password") == 0
    with Logbook.open(path) as logbook:
        assert logbook.users.authenticate("chen", "new long password")
        assert logbook.users.authenticate("li", "li's new password")


def test_user_deactivate_and_activate_and_list_shows_who_must_choose_a_password(db, monkeypatch, capsys):
    path, _, procedure = db
    assert _run(monkeypatch, ["--db", path, "user", "deactivate", "li", "--by", "li"], password=NURSE_PASSWORD) == 2
    assert "li is a nurse: deactivating a user needs a radiologist" in capsys.readouterr().err
    assert _run(monkeypatch, ["--db", path, "user", "deactivate", "li", "--by", "chen"], password=PASSWORD) == 0
    assert capsys.readouterr().out == "li deactivated\n"
    assert _run(monkeypatch, ["--db", path, "user", "passwd", "chen", "--by", "chen"], stdin="set for chen\n",
                password=PASSWORD) == 0
    assert _run(monkeypatch, ["--db", path, "user", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "chen\tradiologist\t陈伟 Chen Wei\tmust choose a new password", "li\tnurse\t李娜 Li Na\tdeactivated"]
    assert _run(monkeypatch, ["--db", path, "sign", procedure.id, "--user", "chen"], password="set for chen") == 2
    assert "choose your own before you sign" in capsys.readouterr().err
    assert _run(monkeypatch, ["--db", path, "user", "activate", "li", "--by", "chen"], password="set for chen") == 2
    assert "chen's password was set by someone else: choose your own first" in capsys.readouterr().err
    assert _run(monkeypatch, ["--db", path, "user", "passwd", "chen"], stdin="set for chen\nchen's own one\n") == 0
    assert _run(monkeypatch, ["--db", path, "user", "activate", "li", "--by", "chen"], password="chen's own one") == 0
    assert _run(monkeypatch, ["--db", path, "user", "activate", "li", "--by", "chen"], password="chen's own one") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "li is already active"
