"""The tace-log command as a user runs it: exit codes, messages on stderr, nothing written on invalid input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tace_log.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def example_file(tmp_path, example):
    path = tmp_path / "example.json"
    path.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "logbook.sqlite")


def test_import_list_show_export(db, example_file, tmp_path, capsys):
    assert main(["--db", db, "import", str(example_file)]) == 0
    assert "1 added" in capsys.readouterr().out
    assert main(["--db", db, "list", "--search", "晓明"]) == 0
    out = capsys.readouterr()
    assert "林晓明" in out.out and "HS-2024-0007" in out.out and "1 of 1 procedures" in out.err
    procedure_id = out.out.split("\t")[-1].strip()
    assert main(["--db", db, "show", procedure_id]) == 0
    shown = capsys.readouterr().out
    # each agent on one line, its fields as the dictionary labels them and the formulary names the agent
    assert "Agent: epirubicin; Dose 30; Unit mg" in shown
    assert "superselective chemoembolization" in shown and "Dose-area product" in shown
    assert main(["--db", db, "show", "HS-2024-0007"]) == 0
    assert procedure_id in capsys.readouterr().out
    out_file = tmp_path / "out.json"
    assert main(["--db", db, "export", "-o", str(out_file)]) == 0
    assert json.loads(out_file.read_text(encoding="utf-8"))["patients"][0]["name"] == "林晓明"


def test_invalid_input_exits_2_and_writes_nothing(db, example_file, example, capsys):
    example["patients"][0]["procedures"][0]["agents"][0]["dose"] = -20
    example_file.write_text(json.dumps(example), encoding="utf-8")
    assert main(["--db", db, "import", str(example_file)]) == 2
    err = capsys.readouterr().err
    assert "patients[0].procedures[0].agents[0].dose: must be > 0" in err and "nothing imported" in err
    assert not Path(db).exists()  # not even an empty logbook (test_nothing_left_behind.py)


def test_validate_prints_findings_and_writes_nothing(db, example_file, example, capsys):
    assert main(["--db", db, "validate", str(example_file)]) == 0
    assert "ready to import" in capsys.readouterr().out
    assert not Path(db).exists()  # validate never creates a logbook
    example["patients"][0]["procedures"][0]["dap_gycm2"] = 0.5
    example["patients"][0]["weight_kg"] = 20
    example_file.write_text(json.dumps(example), encoding="utf-8")
    assert main(["--db", db, "validate", str(example_file)]) == 2
    out = capsys.readouterr().out
    assert "error   patients[0].weight_kg: must be between 30 and 200 kg, not 20" in out
    assert "warning patients[0].procedures[0].dap_gycm2" in out
    assert "1 errors, 1 warnings" in out


def test_warnings_do_not_block_an_import(db, example_file, example, capsys):
    example["patients"][0]["procedures"][0]["contrast_ml"] = 300
    example_file.write_text(json.dumps(example), encoding="utf-8")
    assert main(["--db", db, "import", str(example_file)]) == 0
    assert "warning patients[0].procedures[0].contrast_ml" in capsys.readouterr().err


def test_a_file_that_is_not_a_logbook_exits_1_with_one_line(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert main(["--db", str(path), "list"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a TACE Log logbook" in err[0]
    assert path.read_text() == "hello"


def test_missing_and_unreadable_files(db, tmp_path, capsys):
    assert main(["--db", db, "import", str(tmp_path / "nope.json")]) == 1
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["--db", db, "import", str(bad)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_show_an_unknown_id_exits_1(db, example_file, capsys):
    assert main(["--db", db, "import", str(example_file)]) == 0
    assert main(["--db", db, "show", "nobody"]) == 1
    assert "no procedure, patient or MRN 'nobody'" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["list"], ["export"], ["show", "x"], ["audit", "verify"], ["user", "list"]])
def test_reading_commands_never_create_a_logbook_at_a_mistyped_path(tmp_path, command, capsys):
    typo = tmp_path / "tace-lgo.sqlite"
    assert main(["--db", str(typo), *command]) == 1
    assert "no logbook at" in capsys.readouterr().err
    assert not typo.exists()


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "tace_log", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_the_default_logbook_follows_tace_log_db(tmp_path, example_file):
    target = tmp_path / "elsewhere" / "book.sqlite"
    result = run_cli("import", str(example_file), env={"TACE_LOG_DB": str(target)})
    assert result.returncode == 0, result.stderr
    assert target.exists()


def test_the_default_logbook_is_in_the_user_data_folder(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "TACE_LOG_DB": ""}
    result = run_cli("import", str(ROOT / "tests" / "data" / "example.json"), env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "tace-log" / "tace-log.sqlite").exists()


def test_a_traceback_only_with_debug(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    quiet = run_cli("--db", str(path), "list")
    assert quiet.returncode == 1 and "Traceback" not in quiet.stderr
    loud = run_cli("--db", str(path), "--debug", "list")
    assert loud.returncode == 1 and "Traceback" in loud.stderr and "NotALogbookError" in loud.stderr


@pytest.mark.parametrize("args, version", [([], "2"), (["--format", "tace-log/1"], "1")])
def test_schema_command_writes_the_shipped_schema(tmp_path, args, version):
    out = tmp_path / "schema.json"
    assert main(["schema", "-o", str(out), *args]) == 0
    shipped = (ROOT / "resources" / "schema" / f"tace-log-{version}.schema.json").read_text(encoding="utf-8")
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(shipped)
