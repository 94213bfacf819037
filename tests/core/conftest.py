"""Fixtures for core tests: real logbook files in a temporary folder, a fixed 'today', example documents."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from tace_log.storage import Logbook
from tace_log.validation import Validator

DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def validator() -> Validator:
    return Validator(today=TODAY)


@pytest.fixture
def logbook(tmp_path, validator):
    with Logbook.open(tmp_path / "logbook.sqlite", validator=validator) as book:
        yield book


@pytest.fixture(scope="session")
def _example() -> dict:
    return json.loads((DATA / "example.json").read_text(encoding="utf-8"))


@pytest.fixture
def example(_example) -> dict:
    """The interchange contract's example document (a fresh copy each test may change)."""
    return copy.deepcopy(_example)


@pytest.fixture
def patient_doc(example) -> dict:
    return example["patients"][0]


@pytest.fixture
def procedure_doc(patient_doc) -> dict:
    return patient_doc["procedures"][0]


@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MB filesystem (tmpfs) to fill up; needs the right to mount (root), as on CI."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)
