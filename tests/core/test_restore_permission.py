"""Who may replace the logbook with a backup: once it has users, an administrator or a radiologist, never a nurse
(nor nobody). A refusal restores nothing."""

from __future__ import annotations

import pytest
from core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook
from safety_samples import fill, logbook_state

from tace_log.errors import NotPermittedError
from tace_log.storage import Logbook
from tace_log.users import ADMIN, NURSE, RADIOLOGIST, may_restore


@pytest.fixture
def users_logbook(tmp_path):
    """A logbook with the radiologist chen and the nurse li, a backup of it, and more recorded after."""
    logbook, _patient, _procedure = signable_logbook(tmp_path / "logbook.sqlite")
    backup = logbook.backups.back_up().path
    fill(logbook, seed=21, patients=2, procedures_each=1)
    yield logbook, backup
    logbook.close()


def test_the_rule_administrators_and_radiologists_restore_nurses_do_not():
    assert may_restore(ADMIN) and may_restore(RADIOLOGIST)
    assert not may_restore(NURSE) and not may_restore(None)


def test_a_nurse_is_refused_and_nothing_is_restored(users_logbook):
    logbook, backup = users_logbook
    logbook.users.sign_in("li", NURSE_PASSWORD)
    before = logbook_state(logbook)
    refusal = "li is a nurse: only an administrator or a radiologist may restore a backup"
    assert str(logbook.backups.restore_refusal()) == refusal
    assert logbook.backups.restore_refusal().text("zh") == "li是护士：只有管理员或放射科医师可以恢复备份"
    with pytest.raises(NotPermittedError, match="li is a nurse: only an administrator or a radiologist"):
        logbook.backups.restore(backup)
    assert logbook_state(logbook) == before
    assert not list(logbook.path.parent.joinpath("backups").glob("*before-restore*"))  # not even a safety copy
    assert [row.action for row in logbook.audit.rows()].count("restore") == 0


def test_nobody_signed_in_is_refused_once_the_logbook_has_users(users_logbook):
    logbook, backup = users_logbook
    assert logbook.users.current.startswith("os:")
    with pytest.raises(NotPermittedError, match="is not a user of this logbook"):
        logbook.backups.restore(backup)


def test_a_radiologist_restores(users_logbook):
    logbook, backup = users_logbook
    logbook.users.sign_in("chen", PASSWORD)
    assert logbook.backups.restore_refusal() is None
    report = logbook.backups.restore(backup)
    assert report.safety_copy.exists() and logbook.counts()["procedures"] == 1


def test_an_administrator_restores(users_logbook):
    logbook, backup = users_logbook
    logbook.users.add("ma", "马 Ma", ADMIN, "admin password", by=("chen", PASSWORD))
    logbook.users.sign_in("ma", "admin password")
    assert logbook.backups.restore(backup).safety_copy.exists()


def test_without_users_the_operating_system_login_restores(tmp_path):
    with Logbook.open(tmp_path / "logbook.sqlite") as logbook:
        fill(logbook, seed=22, patients=1, procedures_each=1)
        backup = logbook.backups.back_up().path
        assert logbook.backups.restore_refusal() is None
        assert logbook.backups.restore(backup).safety_copy.exists()
