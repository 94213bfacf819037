"""Workstation settings beside the logbook: the idle-lock time the app reads at start."""

import re

import pytest

from tace_log.settings import SETTINGS_FILENAME, SettingsError, load_idle_lock_minutes, load_report_settings


def test_no_settings_file_locks_after_ten_minutes(tmp_path):
    assert load_idle_lock_minutes(tmp_path / "logbook.sqlite") == 10.0


@pytest.mark.parametrize("content, minutes", [
    ('{"idle_lock_minutes": 3}', 3.0),
    ('{"idle_lock_minutes": 0.5, "report": {"institution": "H"}}', 0.5),
    ('{"report": {"institution": "H"}}', 10.0),
])
def test_the_idle_lock_time_comes_from_the_settings_file(tmp_path, content, minutes):
    (tmp_path / SETTINGS_FILENAME).write_text(content, encoding="utf-8")
    assert load_idle_lock_minutes(tmp_path / "logbook.sqlite") == minutes


@pytest.mark.parametrize("value", ["0", "-5", '"ten"', "true", "null"])
def test_a_bad_idle_lock_time_is_refused_with_what_and_where(tmp_path, value):
    (tmp_path / SETTINGS_FILENAME).write_text(f'{{"idle_lock_minutes": {value}}}', encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(str(tmp_path / SETTINGS_FILENAME)) + ".*idle_lock_minutes"):
        load_idle_lock_minutes(tmp_path / "logbook.sqlite")


def test_a_settings_file_that_is_not_an_object_is_refused(tmp_path):
    (tmp_path / SETTINGS_FILENAME).write_text("[]", encoding="utf-8")
    for load in (load_idle_lock_minutes, load_report_settings):
        with pytest.raises(SettingsError, match="must hold a JSON object"):
            load(tmp_path / "logbook.sqlite")


def test_saved_report_settings_read_back_as_written_and_keep_the_other_keys(tmp_path):
    import json

    from tace_log.settings import ReportSettings, load_report_settings, save_report_settings, settings_file

    logbook = tmp_path / "site" / "logbook.sqlite"
    logbook.parent.mkdir()
    settings_file(logbook).write_text(json.dumps({"idle_lock_minutes": 4}), encoding="utf-8")
    elsewhere = tmp_path / "logo.png"
    elsewhere.write_bytes(b"not read here")
    save_report_settings(logbook, ReportSettings("华山医院", " ", elsewhere, None))
    data = json.loads(settings_file(logbook).read_text(encoding="utf-8"))
    assert data == {"idle_lock_minutes": 4, "report": {"institution": "华山医院", "logo": str(elsewhere.resolve())}}
    assert load_report_settings(logbook) == ReportSettings("华山医院", "", elsewhere.resolve(), None)
