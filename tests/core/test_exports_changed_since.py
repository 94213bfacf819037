"""Pooling is re-runnable: `tace-log export --changed-since T` writes only the patients with a change after T by
the audit trail (each whole), in every format, with the real command in a process of its own."""

from __future__ import annotations

import datetime as dt
import json
import time

from tace_log.storage import Logbook
from tests.core.export_support import export_logbook, read_csv
from tests.core.test_cli import run_cli


def _stamp_between(logbook_path) -> str:
    """A moment after everything stored so far and before the next write."""
    time.sleep(0.05)  # the audit trail stamps milliseconds: the moment falls strictly between two writes
    moment = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    time.sleep(0.05)
    return moment


def test_only_the_patients_changed_since_a_moment_are_exported_in_every_format(tmp_path):
    path = tmp_path / "site.sqlite"
    export_logbook(path).close()
    since = _stamp_between(path)
    with Logbook.open(path) as logbook:
        changed = logbook.find_patient_by_mrn("ZS-2025-0113")
        changed.weight_kg = (changed.weight_kg or 60) + 0.5  # the weight corrected
        logbook.save_patient(changed)
        quiet = logbook.find_patient_by_mrn("HS-2024-0007")

    out = run_cli("--db", str(path), "export", "--changed-since", since, "-o", str(tmp_path / "since.json"))
    assert out.returncode == 0, out.stderr
    doc = json.loads((tmp_path / "since.json").read_text(encoding="utf-8"))
    assert [p["mrn"] for p in doc["patients"]] == ["ZS-2025-0113"]
    assert doc["patients"][0]["procedures"]  # the patient whole, not the one value

    out = run_cli("--db", str(path), "export", "--format", "csv", "--changed-since", since, "-o", str(tmp_path / "csv"))
    assert out.returncode == 0, out.stderr
    assert "1 patients" in out.stderr
    assert [r["id"] for r in read_csv(tmp_path / "csv" / "patients.csv")] == [changed.id]
    assert quiet.id not in (tmp_path / "csv" / "procedures.csv").read_text(encoding="utf-8-sig")

    out = run_cli("--db", str(path), "export", "--format", "odm", "--changed-since", since, "-o",
                  str(tmp_path / "since.xml"))
    assert out.returncode == 0, out.stderr
    xml = (tmp_path / "since.xml").read_text(encoding="utf-8")
    assert changed.id in xml and quiet.id not in xml

    # nothing changed since now: an empty export, not an error; and the whole logbook before anything was written
    out = run_cli("--db", str(path), "export", "--changed-since", dt.datetime.now(dt.UTC).isoformat(), "-o",
                  str(tmp_path / "none.json"))
    assert out.returncode == 0 and json.loads((tmp_path / "none.json").read_text())["patients"] == []
    out = run_cli("--db", str(path), "export", "--changed-since", "2000-01-01", "-o", str(tmp_path / "all.json"))
    assert len(json.loads((tmp_path / "all.json").read_text())["patients"]) == 2


def test_a_moment_without_a_zone_is_the_workstations_local_time(tmp_path):
    path = tmp_path / "site.sqlite"
    export_logbook(path).close()
    shanghai = {"TZ": "Asia/Shanghai"}
    in_an_hour_here = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    typed = in_an_hour_here.strftime("%Y-%m-%dT%H:%M")  # Shanghai's clock, no zone written
    out = run_cli("--db", str(path), "export", "--changed-since", typed, "-o", str(tmp_path / "a.json"), env=shanghai)
    assert out.returncode == 0, out.stderr
    assert json.loads((tmp_path / "a.json").read_text())["patients"] == []  # an hour ahead: nothing since
    out = run_cli("--db", str(path), "export", "--changed-since", typed, "-o", str(tmp_path / "b.json"),
                  env={"TZ": "America/New_York"})  # the same clock text in New York is 13 hours later still
    assert json.loads((tmp_path / "b.json").read_text())["patients"] == []
    hour_ago_here = (in_an_hour_here - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    out = run_cli("--db", str(path), "export", "--changed-since", hour_ago_here, "-o", str(tmp_path / "c.json"),
                  env=shanghai)
    assert len(json.loads((tmp_path / "c.json").read_text())["patients"]) == 2


def test_a_mistyped_moment_is_refused_with_what_to_type_and_writes_nothing(tmp_path):
    path = tmp_path / "site.sqlite"
    export_logbook(path).close()
    out = run_cli("--db", str(path), "export", "--changed-since", "last tuesday", "-o", str(tmp_path / "x.json"))
    assert out.returncode != 0
    assert "'last tuesday' is not a moment" in out.stderr and "ISO 8601" in out.stderr
    assert not (tmp_path / "x.json").exists()


def test_a_package_of_the_changes_names_the_moment_in_its_manifest(tmp_path):
    import zipfile

    path = tmp_path / "site.sqlite"
    export_logbook(path).close()
    since = _stamp_between(path)
    with Logbook.open(path) as logbook:
        changed = logbook.find_patient_by_mrn("HS-2024-0007")
        changed.weight_kg = (changed.weight_kg or 60) + 1
        logbook.save_patient(changed)
    out = run_cli("--db", str(path), "export", "--package", "--format", "csv", "--changed-since", since, "-o",
                  str(tmp_path / "p.zip"))
    assert out.returncode == 0, out.stderr
    with zipfile.ZipFile(tmp_path / "p.zip") as package:
        manifest = json.loads(package.read("manifest.json"))
        assert manifest["rows"]["csv/patients.csv"] == 1
        assert manifest["changed_since"].startswith(since[:19]) and manifest["changed_since"].endswith("Z")
