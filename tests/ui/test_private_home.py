"""No test writes into the real home: for the whole session HOME and the XDG folders are a temporary folder
(tests/conftest.py), wherever Qt and platformdirs look, and tests that write user files leave the home they were
given as they found it."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest
from PySide6.QtCore import QSettings, QStandardPaths

ROOT = Path(__file__).parents[2]
Location = QStandardPaths.StandardLocation

# Tests that write user files when nothing points them elsewhere: `launch` keeps the window's state in the default
# QSettings, and Qt's file dialog remembers its folder in ~/.config/QtProject.conf.
WRITERS = [
    "tests/ui/test_startup_wiring.py",
    "tests/ui/test_record_buttons.py::test_preview_export_print_and_history_act_on_the_saved_record",
]


def test_qt_and_platformdirs_find_every_user_folder_inside_the_session_home(qapp, private_home):
    assert private_home.resolve() != Path(pwd.getpwuid(os.getuid()).pw_dir).resolve()
    found = {f"QStandardPaths {location.name}": QStandardPaths.writableLocation(location) for location in (
        Location.HomeLocation, Location.ConfigLocation, Location.GenericConfigLocation, Location.AppDataLocation,
        Location.AppLocalDataLocation, Location.GenericDataLocation, Location.CacheLocation,
        Location.GenericCacheLocation, Location.StateLocation, Location.GenericStateLocation,
        Location.RuntimeLocation)}
    found |= {"QSettings()": QSettings().fileName(),
              "the app's QSettings": QSettings("tace-log", "TACE Log").fileName(),
              "Path.home()": str(Path.home()), "~": os.path.expanduser("~")}
    found |= {f"platformdirs {name}": getattr(platformdirs, name)("tace-log", appauthor=False) for name in (
        "user_data_dir", "user_config_dir", "user_cache_dir", "user_state_dir", "user_log_dir", "user_runtime_dir")}
    outside = {what: where for what, where in found.items()
               if not Path(where).resolve().is_relative_to(private_home.resolve())}
    assert not outside, f"outside the session's home {private_home}: {outside}"


@pytest.mark.slow
def test_tests_that_write_user_files_leave_the_home_they_are_given_untouched(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    # As a developer's shell would start pytest: a HOME, and XDG folders unset (their defaults are in HOME).
    env = {name: value for name, value in os.environ.items() if not name.startswith("XDG_")} | {"HOME": str(home)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *WRITERS], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert sorted(str(path.relative_to(home)) for path in home.rglob("*")) == []
