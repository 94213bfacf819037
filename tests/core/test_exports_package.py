"""The trial office's package: the formats, the signed reports, the audit trail and a manifest that checks them, the
same bytes for the same logbook; de-identified, without what identifies."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from tace_log import __version__, package
from tace_log.cli import main
from tace_log.errors import TaceLogError
from tace_log.exports import Deidentification
from tace_log.times import as_utc

from .export_support import export_logbook, identifiers


@pytest.fixture
def book(tmp_path):
    with export_logbook(tmp_path / "logbook.sqlite") as logbook:
        yield logbook


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_package_holds_every_format_the_signed_reports_the_trail_and_a_manifest_that_checks_them(
        book, tmp_path, pdf_pages_text):
    manifest = package.write_package(book, tmp_path / "trial.zip")
    members = _members(tmp_path / "trial.zip")
    assert json.loads(members["manifest.json"]) == manifest
    assert set(manifest["files"]) == set(members) - {"manifest.json"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(members[name]).hexdigest() == digest, name
    assert {"tace-log.json", "csv/labs.csv", "csv/codebook.csv", "redcap/data_dictionary.csv", "redcap/records.csv",
            "odm/study.xml", "audit/audit_trail.csv"} <= set(members)
    reports = [name for name in members if name.startswith("reports/")]
    assert len(reports) == 1 and "HS-2024-0007" in reports[0]  # the one signed procedure; never the name
    assert any("Signed by" in page or "Reviewed and signed by" in page for page in pdf_pages_text(members[reports[0]]))
    assert manifest["app_version"] == __version__ and manifest["schema_version"] == book.schema_version
    assert manifest["interchange_format"] == "tace-log/2" and manifest["protocol"]["key"] == "NCT03838796"
    assert manifest["as_of"] == book.audit.newest() and manifest["deidentified"] is False
    assert manifest["rows"]["csv/labs.csv"] == 4 and manifest["rows"]["tace-log.json"] == 2
    assert manifest["rows"]["audit/audit_trail.csv"] == sum(1 for _ in book.audit.rows())
    assert manifest["rows"]["reports/"] == 1


def test_the_same_logbook_gives_the_same_bytes(book, tmp_path):
    package.write_package(book, tmp_path / "one.zip")
    package.write_package(book, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    *day, second = as_utc(book.audit.newest()).timetuple()[:6]
    with zipfile.ZipFile(tmp_path / "one.zip") as z:  # dated by the data, not the clock (a zip counts 2 s steps)
        assert {info.date_time for info in z.infolist()} == {(*day, second // 2 * 2)}


def test_a_deidentified_package_leaves_out_the_reports_the_trail_the_json_and_every_identifier(book, tmp_path):
    manifest = package.write_package(book, tmp_path / "deid.zip", ("csv", "redcap", "odm"), Deidentification())
    members = _members(tmp_path / "deid.zip")
    assert manifest["deidentified"] is True
    assert not [n for n in members if n.startswith(("reports/", "audit/")) or n == "tace-log.json"]
    words = identifiers(book)
    leaks = [(name, w) for name, data in members.items() for w in words if w in data.decode("utf-8-sig")]
    assert leaks == []
    with pytest.raises(TaceLogError, match="de-identifying is for CSV, REDCap and ODM"):
        package.write_package(book, tmp_path / "no.zip", ("json",), Deidentification())


def test_the_command_packages_the_formats_asked_for(book, tmp_path, capsys):
    db = str(tmp_path / "logbook.sqlite")
    book.close()
    assert main(["--db", db, "export", "--package", "--format", "odm", "--format", "csv", "-o",
                 str(tmp_path / "p.zip")]) == 0
    assert "(csv, odm)" in capsys.readouterr().err
    manifest = json.loads(_members(tmp_path / "p.zip")["manifest.json"])
    assert manifest["formats"] == ["csv", "odm"]
    assert main(["--db", db, "export", "--format", "odm", "--format", "csv", "-o", str(tmp_path / "x")]) == 1
    assert "give one --format" in capsys.readouterr().err
    assert main(["--db", db, "export", "--package", "--deidentify", "-o", str(tmp_path / "d.zip")]) == 0
    assert json.loads(_members(tmp_path / "d.zip")["manifest.json"])["formats"] == ["csv", "redcap", "odm"]
