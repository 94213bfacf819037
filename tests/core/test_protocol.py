"""The protocol file decides the rules: the bundled one loads with the contract's defaults, a `protocol.json`
beside the logbook replaces it (a TACE-only arm), a malformed one is an error naming the file and the key, and
every protocol choice is read from the file."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

from tace_log.cli import main
from tace_log.errors import InvalidInputError
from tace_log.protocol import SITE_FILENAME, ProtocolError, default_protocol, protocol_for
from tace_log.resources import resource
from tace_log.storage import Logbook

BUNDLED = json.loads(resource("protocol.json").read_text(encoding="utf-8"))
TACE_ONLY = {"key": "tace", "en": "TACE only", "zh": "单纯TACE", "tace": True, "lenvatinib": False}


def site_file(folder: Path, change=None, text: str | None = None) -> Path:
    """A protocol.json in `folder`: the bundled one as `change(data)` leaves it, or `text` as it is."""
    data = copy.deepcopy(BUNDLED)
    if change is not None:
        change(data)
    path = folder / SITE_FILENAME
    path.write_text(text if text is not None else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def with_tace_only_arm(data: dict) -> None:
    data["version"] = "site amendment 1"
    data["arms"].append(TACE_ONLY)


def test_the_bundled_file_loads_with_the_contracts_defaults():
    protocol = default_protocol()
    assert protocol.source == resource("protocol.json")
    assert protocol.describe() == f"{resource('protocol.json')} (NCT03838796 registry record of 2022-08-02)"
    assert protocol.arm_keys == ("lenvatinib", "lenvatinib_tace")
    assert [(a.tace, a.lenvatinib) for a in protocol.arms] == [(False, True), (True, True)]
    window = protocol.tace_window
    assert (window.cycle, window.first_day, window.last_day) == (1, 21, 56)
    cycle2 = protocol.tace_cycle2
    assert (cycle2.enabled, cycle2.from_days_after_cycle1, cycle2.to_days_after_cycle1) == (True, 28, 91)
    imaging = protocol.imaging_schedule
    assert (imaging.interval_days_y1_2, imaging.interval_days_y3_5, imaging.window_days, imaging.anchor) == \
        (91, 182, 14, "resection")
    assert (protocol.ltfu_days, protocol.rfs_origin, protocol.recurrence_date_rule) == (183, "resection", "first_seen")
    assert (protocol.lenvatinib.label_basis, protocol.lenvatinib.max_duration_months) == ("EU", None)
    risk = protocol.eligibility.high_risk
    assert (risk.mvi, risk.tumor_count_min, risk.max_diameter_cm_min, risk.count_inclusive, risk.size_inclusive) == \
        ("M2", 3, 8.0, True, True)
    assert protocol.eligibility.labs_max_age_days is None
    assert (protocol.eligibility.age_years.min, protocol.eligibility.age_years.max) == (18, 75)


def test_a_file_that_leaves_out_the_keys_with_defaults_takes_the_contracts(tmp_path):
    def leave_out(data):
        for key in ("tace_cycle2", "imaging_schedule", "ltfu_days", "rfs_origin", "recurrence_date_rule"):
            del data[key]
        for key in ("label_basis", "max_duration_months"):
            del data["lenvatinib"][key]
        del data["eligibility"]["labs_max_age_days"]
        for key in ("count_inclusive", "size_inclusive"):
            del data["eligibility"]["high_risk"][key]

    path = site_file(tmp_path, leave_out)
    assert protocol_for(tmp_path / "logbook.sqlite") == replace(default_protocol(), source=path.resolve())


# -- a site's own protocol beside the logbook -------------------------------------------------------------------
def test_a_site_file_with_a_tace_only_arm_is_in_force_and_its_arm_accepted(tmp_path, example):
    site = tmp_path / "site"
    site.mkdir()
    path = site_file(site, with_tace_only_arm)
    example["patients"][0]["arm"] = "tace"
    with Logbook.open(site / "logbook.sqlite") as logbook:
        assert logbook.protocol.source == path.resolve() and logbook.validator.protocol is logbook.protocol
        assert logbook.protocol.arm("tace") == logbook.protocol.arms[-1]
        logbook.import_document(copy.deepcopy(example))
        assert logbook.find_patient_by_mrn("HS-2024-0007").arm == "tace"
    with Logbook.open(tmp_path / "bundled.sqlite") as bundled:  # no protocol.json beside it: the bundled arms
        assert bundled.protocol == default_protocol()
        with pytest.raises(InvalidInputError, match=r"patients\[0\]\.arm: 'tace' is not one of lenvatinib, "):
            bundled.import_document(copy.deepcopy(example))
        assert bundled.find_patient_by_mrn("HS-2024-0007") is None


def test_the_site_arm_is_shown_by_its_name(tmp_path, example, capsys):
    site_file(tmp_path, with_tace_only_arm)
    example["patients"][0]["arm"] = "tace"
    document = tmp_path / "doc.json"
    document.write_text(json.dumps(example), encoding="utf-8")
    db = str(tmp_path / "logbook.sqlite")
    assert main(["--db", db, "import", str(document)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "show", "HS-2024-0007"]) == 0
    assert "TACE only" in capsys.readouterr().out


# -- a malformed file: an error naming the file and the key ----------------------------------------------------
def _set(path: str, value):
    """A change that sets the key at `path` ("a.b", "arms[1].key") to `value`."""
    def change(data):
        *parents, last = _parts(path)
        for part in parents:
            data = data[part]
        data[last] = value
    return change


def _delete(path: str):
    def change(data):
        *parents, last = _parts(path)
        for part in parents:
            data = data[part]
        del data[last]
    return change


def _parts(path: str) -> list:
    return [int(p) if p.isdigit() else p for p in path.replace("[", ".").replace("]", "").split(".")]


MALFORMED = [
    # wrong type
    (_set("tace_window_days.from", "21"), "tace_window_days.from must be a whole number of days from 0 to 365, "
                                          'not "21"'),
    (_set("tace_cycle2.enabled", "yes"), 'tace_cycle2.enabled must be true or false, not "yes"'),
    (_set("eligibility.high_risk.count_inclusive", 1), "eligibility.high_risk.count_inclusive must be true or false"),
    (_set("arms", {}), "arms must be a list that is not empty, not {}"),
    (_set("arms[0].en", " "), 'arms[0].en must be text, not blank, not " "'),
    (_set("eligibility.inr_max", None), "eligibility.inr_max must be a number above 0, not null"),
    # unknown key
    (_set("tace_windw_days", {}), "unknown key tace_windw_days"),
    (_set("arms[0].colour", "red"), "unknown key arms[0].colour"),
    (_set("embolization_for_staining.maybe", "none"), "unknown key embolization_for_staining.maybe"),
    # missing key
    (_delete("arms[1].lenvatinib"), "arms[1].lenvatinib is missing"),
    (_delete("title"), "title is missing"),
    (_delete("tace_cycle2.to_days_after_cycle1"), "tace_cycle2.to_days_after_cycle1 is missing"),
    # out of range
    (_set("tace_window_days.from", -3), "tace_window_days.from must be a whole number of days from 0 to 365, not -3"),
    (_set("tace_window_days.to", 14), "tace_window_days.to must be a whole number of days from 21 to 365, not 14"),
    (_set("tace_window_days.cycle", 2), "tace_window_days.cycle must be a whole number from 1 to 1, not 2"),
    (_set("tace_cycle2.to_days_after_cycle1", 7), "tace_cycle2.to_days_after_cycle1 must be a whole number of days "
                                                  "from 28 to 365, not 7"),
    (_set("imaging_schedule.window_days", 50), "imaging_schedule.window_days must be a whole number of days from 0 "
                                               "to 45, not 50"),
    (_set("ltfu_days", 0), "ltfu_days must be a whole number of days from 1 to 3650, not 0"),
    (_set("eligibility.age_years.max", 10), "eligibility.age_years.max must be a whole number from 18 to 120"),
    (_set("eligibility.labs_max_age_days", -1), "eligibility.labs_max_age_days must be a whole number of days"),
    (_set("lenvatinib.max_duration_months", 0), "lenvatinib.max_duration_months must be null (no planned duration) "
                                                "or a number of months above 0"),
    # not an allowed value
    (_set("rfs_origin", "surgery"), 'rfs_origin must be "resection" or "enrolment", not "surgery"'),
    (_set("recurrence_date_rule", "dsa"), 'recurrence_date_rule must be "first_seen" or "confirmation" or '
                                          '"earliest_including_dsa", not "dsa"'),
    (_set("imaging_schedule.anchor", "last_scan"), 'imaging_schedule.anchor must be "resection" or "enrolment"'),
    (_set("lenvatinib.label_basis", "JP"), 'lenvatinib.label_basis must be "EU" or "US", not "JP"'),
    (_set("lenvatinib.dose_mg_below", 10), "lenvatinib.dose_mg_below must be 12 or 8 or 4, not 10"),
    (_set("embolization_for_staining.present", "coils"), "embolization_for_staining.present must be"),
    (_set("eligibility.high_risk.mvi", "M3"), 'eligibility.high_risk.mvi must be "M0" or "M1" or "M2", not "M3"'),
    (_set("arms[1].key", "lenvatinib"), 'arms[1].key must differ from arms[0].key, not "lenvatinib"'),
]


@pytest.mark.parametrize(("change", "said"), MALFORMED, ids=[said.split(" ")[0] + "-" + str(i)
                                                             for i, (_, said) in enumerate(MALFORMED)])
def test_a_malformed_site_file_is_an_error_naming_the_file_and_the_key(tmp_path, change, said):
    path = site_file(tmp_path, change).resolve()
    with pytest.raises(ProtocolError) as raised:
        protocol_for(tmp_path / "logbook.sqlite")
    assert str(raised.value).startswith(f"{path}: {said}"), str(raised.value)
    key = said.split(" ")[2] if said.startswith("unknown key") else said.split(" ")[0]
    chinese = raised.value.text("zh")
    assert key in chinese and str(path) in chinese
    assert any("\u4e00" <= c <= "\u9fff" for c in chinese)


@pytest.mark.parametrize(("text", "said"), [
    ("{not json", "cannot be read as JSON"),
    ('{"key": "A", "key": "B"}', "the key key is written twice in one object"),
    ("[]", "the file must be an object, not []"),
])
def test_a_site_file_that_is_not_a_protocol_object_says_so(tmp_path, text, said):
    path = site_file(tmp_path, text=text).resolve()
    with pytest.raises(ProtocolError, match="^" + str(path) + ": " + said.replace("[", r"\[").replace("]", r"\]")):
        protocol_for(tmp_path / "logbook.sqlite")


def test_a_malformed_site_file_makes_validation_fail_never_the_bundled_one_instead(tmp_path, example, capsys):
    site_file(tmp_path, _set("rfs_origin", "surgery"))
    db = tmp_path / "logbook.sqlite"
    with Logbook.open(db) as logbook:
        with pytest.raises(ProtocolError, match="rfs_origin must be"):
            logbook.validator  # noqa: B018
        with pytest.raises(ProtocolError, match="rfs_origin must be"):
            logbook.import_document(example)
        assert logbook.counts()["patients"] == 0
    document = tmp_path / "doc.json"
    document.write_text(json.dumps(example), encoding="utf-8")
    for command in (["validate", str(document)], ["import", str(document)], ["protocol"]):
        assert main(["--db", str(db), *command]) == 1, command
        err = capsys.readouterr().err
        assert f"tace-log: {(tmp_path / SITE_FILENAME).resolve()}: rfs_origin must be" in err, (command, err)
    with Logbook.open(db) as logbook:
        assert logbook.counts()["patients"] == 0


def test_a_dangling_link_as_the_site_file_is_an_error_not_no_file(tmp_path):
    (tmp_path / SITE_FILENAME).symlink_to(tmp_path / "gone.json")
    with pytest.raises(ProtocolError, match="cannot be read as JSON"):
        protocol_for(tmp_path / "logbook.sqlite")


# -- the protocol's choices: the contract's default, and the alternative a site may set ------------------------
CHOICES = [
    ("rfs_origin", "resection", "enrolment", lambda p: p.rfs_origin),
    ("recurrence_date_rule", "first_seen", "confirmation", lambda p: p.recurrence_date_rule),
    ("recurrence_date_rule", "first_seen", "earliest_including_dsa", lambda p: p.recurrence_date_rule),
    ("eligibility.high_risk.count_inclusive", True, False, lambda p: p.eligibility.high_risk.count_inclusive),
    ("eligibility.high_risk.size_inclusive", True, False, lambda p: p.eligibility.high_risk.size_inclusive),
    ("eligibility.labs_max_age_days", None, 14, lambda p: p.eligibility.labs_max_age_days),
    ("lenvatinib.label_basis", "EU", "US", lambda p: p.lenvatinib.label_basis),
    ("lenvatinib.max_duration_months", None, 12, lambda p: p.lenvatinib.max_duration_months),
    ("imaging_schedule.anchor", "resection", "enrolment", lambda p: p.imaging_schedule.anchor),
    ("imaging_schedule.window_days", 14, 7, lambda p: p.imaging_schedule.window_days),
    ("imaging_schedule.interval_days_y1_2", 91, 84, lambda p: p.imaging_schedule.interval_days_y1_2),
    ("imaging_schedule.interval_days_y3_5", 182, 168, lambda p: p.imaging_schedule.interval_days_y3_5),
    ("ltfu_days", 183, 365, lambda p: p.ltfu_days),
    ("tace_cycle2.enabled", True, False, lambda p: p.tace_cycle2.enabled),
    ("tace_cycle2.from_days_after_cycle1", 28, 42, lambda p: p.tace_cycle2.from_days_after_cycle1),
    ("tace_window_days.to", 56, 42, lambda p: p.tace_window.last_day),
]


@pytest.mark.parametrize(("key", "default", "alternative", "read"), CHOICES,
                         ids=[f"{key}={alternative}" for key, _, alternative, _ in CHOICES])
def test_each_protocol_choice_has_the_contracts_default_and_reads_a_sites_alternative(tmp_path, key, default,
                                                                                     alternative, read):
    assert read(default_protocol()) == default
    site_file(tmp_path, _set(key, alternative))
    assert read(protocol_for(tmp_path / "logbook.sqlite")) == alternative


# -- the commands say which protocol is in force ---------------------------------------------------------------
def test_tace_log_protocol_prints_the_file_in_force_and_its_rules(tmp_path, capsys):
    db = str(tmp_path / "logbook.sqlite")
    assert main(["--db", db, "protocol"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"protocol: {resource('protocol.json')} (NCT03838796 registry record of 2022-08-02)\n")
    assert f"the bundled file (no {tmp_path.resolve() / SITE_FILENAME})" in out
    assert "TACE cycle 1: days 21-56 after resection" in out and "RFS origin: resection" in out
    assert not (tmp_path / "logbook.sqlite").exists()  # saying which protocol creates no logbook
    path = site_file(tmp_path, with_tace_only_arm).resolve()
    assert main(["--db", db, "protocol"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"protocol: {path} (NCT03838796 site amendment 1)\n")
    assert "the site file beside the logbook" in out and "tace (TACE only / 单纯TACE: TACE yes, lenvatinib no)" in out


def test_validate_import_and_schema_say_the_protocol_in_force_on_stderr(tmp_path, example, capsys):
    path = site_file(tmp_path, with_tace_only_arm).resolve()
    line = f"protocol: {path} (NCT03838796 site amendment 1)\n"
    example["patients"][0]["arm"] = "tace"
    document = tmp_path / "doc.json"
    document.write_text(json.dumps(example), encoding="utf-8")
    db = str(tmp_path / "logbook.sqlite")
    assert main(["--db", db, "validate", str(document)]) == 0  # before the logbook exists: the file beside it
    said = capsys.readouterr()
    assert said.err == line and "protocol" not in said.out and "ready to import" in said.out
    assert main(["--db", db, "import", str(document)]) == 0
    assert line in capsys.readouterr().err
    assert main(["--db", db, "schema"]) == 0
    said = capsys.readouterr()
    assert said.err == line
    schema = json.loads(said.out)  # stdout is the schema alone, its arms the site's
    assert "tace" in json.dumps(schema)


def test_a_site_file_without_our_version_key_is_read(tmp_path):
    """`version` is TACE Log's addition, not the contract's: a file written to the contract alone is in force."""
    protocol = protocol_for(site_file(tmp_path, lambda data: data.pop("version")).parent / "logbook.sqlite")
    assert protocol.version == "" and protocol.describe().endswith(f"({protocol.key})")
