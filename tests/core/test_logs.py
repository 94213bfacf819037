"""The log file: in the user log folder, rotating, and it records what failed (with the traceback)."""

from __future__ import annotations

import logging

import pytest

from tace_log import logs
from tace_log.cli import main


@pytest.fixture
def log_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield tmp_path / "state"
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "tace_log", 0))
    logging.getLogger().removeHandler(handler)
    handler.close()  # removing it leaves its log file open


def test_the_cli_logs_a_failure_to_the_rotating_log_in_the_user_log_folder(log_home, tmp_path, capsys):
    assert main(["--db", str(tmp_path / "missing.sqlite"), "backup"]) == 1
    assert logs.log_file().is_relative_to(log_home)
    text = logs.log_file().read_text(encoding="utf-8")
    assert "tace-log backup failed: no logbook at" in text
    assert capsys.readouterr().err.count("\n") == 1  # the user sees one line; the log has the rest


def test_configuring_twice_keeps_one_handler_and_the_log_rotates(log_home):
    logs.configure_logging()
    path = logs.configure_logging()
    ours = [h for h in logging.getLogger().handlers if getattr(h, "tace_log", False)]
    assert len(ours) == 1
    for i in range(logs.MAX_BYTES // 500 + 50):
        logging.getLogger("tace_log.test").info("line %d %s", i, "x" * 480)
    assert path.with_name(path.name + ".1").exists() and path.stat().st_size <= logs.MAX_BYTES


def test_a_log_folder_that_cannot_be_written_never_stops_the_program(tmp_path, monkeypatch, log_home):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the log folder should be")
    assert logs.configure_logging(folder=blocker / "log") is None
    logging.getLogger("tace_log.test").warning("still fine")
