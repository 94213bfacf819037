"""Fixtures shared by tests/core and tests/ui: real logbook files holding known records. Never imports Qt.

Nothing a test does may write into the real user folders of the machine (`tests/ui/test_private_home.py`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tace_log import users
from tace_log.settings import SETTINGS_FILENAME
from tace_log.storage import Logbook

# The session's home and XDG folders are a temporary folder, set here as this file is imported: before Qt (its
# QSettings and QStandardPaths, its file dialog's QtProject.conf), platformdirs (the log) or fontconfig first
# read them, and inherited by every process the tests start. Whatever a test forgets to point elsewhere lands here.
PRIVATE_HOME = Path(tempfile.mkdtemp(prefix="tace-log-tests-home-"))
USER_FOLDERS = {"XDG_CONFIG_HOME": ".config", "XDG_DATA_HOME": ".local/share", "XDG_STATE_HOME": ".local/state",
                "XDG_CACHE_HOME": ".cache", "XDG_RUNTIME_DIR": "runtime"}
os.environ["HOME"] = str(PRIVATE_HOME)
for _name, _folder in USER_FOLDERS.items():
    os.environ[_name] = str(PRIVATE_HOME / _folder)
(PRIVATE_HOME / "runtime").mkdir(mode=0o700)  # Qt wants its runtime folder private to the user
# Times are shown in the workstation's zone: the tests' workstation is in UTC, whatever the machine's is, and a
# test of another zone says so (`time_zone`).
os.environ["TZ"] = "UTC"
time.tzset()


def pytest_unconfigure(config):
    shutil.rmtree(PRIVATE_HOME, ignore_errors=True)

DATA = Path(__file__).parent / "data"
PRODUCTION_SCRYPT = (users.SCRYPT_N, users.SCRYPT_R, users.SCRYPT_P)  # read before the fixture below lowers them


@pytest.fixture
def typical_document() -> dict:
    """One patient with one fully recorded procedure (Chinese name, CJK punctuation, three agents)."""
    return json.loads((DATA / "typical-procedure.json").read_text(encoding="utf-8"))


@pytest.fixture
def typical_procedure_id(typical_document) -> str:
    return typical_document["patients"][0]["procedures"][0]["id"]


@pytest.fixture
def report_logbook(tmp_path, typical_document):
    """A logbook file holding the typical procedure, with a report header in the settings file beside it."""
    (tmp_path / SETTINGS_FILENAME).write_text(json.dumps({"report": {
        "institution": "复旦大学附属华山医院 Huashan Hospital", "department": "介入放射科 Interventional Radiology"}},
        ensure_ascii=False), encoding="utf-8")
    with Logbook.open(tmp_path / "logbook.sqlite") as logbook:
        logbook.import_document(typical_document)
        yield logbook


def _pdf_pages_text(data: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, check=True,
                         capture_output=True).stdout.decode("utf-8")
    return out.split("\f")[:-1]


@pytest.fixture
def pdf_pages_text():
    """Reads a PDF back: the text of each page, as poppler's pdftotext sees it."""
    return _pdf_pages_text


@pytest.fixture
def time_zone():
    """`time_zone("Asia/Shanghai")`: the workstation in that zone for the test (and the processes it starts)."""
    with pytest.MonkeyPatch.context() as patch:
        def move(zone: str) -> None:
            patch.setenv("TZ", zone)
            time.tzset()
        yield move
    time.tzset()


@pytest.fixture
def private_home() -> Path:
    """The temporary folder that is HOME (and holds the XDG folders) for the whole session."""
    return PRIVATE_HOME


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes():
    """Production scrypt costs ~0.4 s and 128 MiB a hash, and the tests add and check passwords hundreds of times:
    in this test process only, N is lowered (nothing in tace_log/ can lower it). Processes the tests start use
    the real cost; `tests/core/test_accounts.py` checks a hash such a process stored, and uses
    `production_scrypt` where a test needs the real parameters in this process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "SCRYPT_N", 2**10)
        yield


@pytest.fixture
def production_scrypt(monkeypatch):
    """The real scrypt parameters for one test (see `_cheap_password_hashes`)."""
    for name, value in zip(("SCRYPT_N", "SCRYPT_R", "SCRYPT_P"), PRODUCTION_SCRYPT, strict=True):
        monkeypatch.setattr(users, name, value)
