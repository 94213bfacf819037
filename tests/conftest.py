"""Shared by every test: nothing a test does may write into the real user folders of the machine."""

import pytest


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path_factory, monkeypatch):
    # The CLI and the app write their log under XDG_STATE_HOME (platformdirs); keep it out of the real home.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.getbasetemp() / "state"))
