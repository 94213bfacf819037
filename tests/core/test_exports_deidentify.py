"""De-identified exports: no name, MRN, birth date or patient id of the logbook anywhere in any file written; the
study id or a keyed hash stands for the patient, ages and day offsets (or shifted dates) for the dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from tace_log import exports
from tace_log.cli import main
from tace_log.errors import TaceLogError
from tace_log.exports import Deidentification

from .export_support import export_logbook, identifiers, read_csv
from .test_exports_odm import NS, XSD, problems

SECRET = b"a site secret that never leaves the site"


@pytest.fixture
def book(tmp_path):
    with export_logbook(tmp_path / "logbook.sqlite") as logbook:
        yield logbook


def _files(target: Path) -> list[Path]:
    return sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]


def _leaks(target: Path, words: list[str]) -> list[tuple[str, str]]:
    return [(p.name, w) for p in _files(target) for w in words if w in p.read_text(encoding="utf-8-sig")]


@pytest.mark.parametrize("plan", [Deidentification(), Deidentification(secret=SECRET, shift_dates=True)],
                         ids=["study id, day offsets", "keyed hash, shifted dates"])
@pytest.mark.parametrize("fmt", ["csv", "redcap", "odm"])
def test_no_identifier_of_the_logbook_is_anywhere_in_the_export(book, tmp_path, fmt, plan):
    words = identifiers(book)
    target = tmp_path / ("out.xml" if fmt == "odm" else "out")
    exports.write(book, fmt, target, plan)
    assert len(words) > 10 and "林晓明" in words and "HS-2024-0007" in words and "1968-02-11" in words
    assert _leaks(target, words) == []
    for free_text in ("Qin", "Zhou", "Progreat", "Nodular stain", "entecavir", "moved away"):  # free text left out too
        assert _leaks(target, [free_text]) == [], free_text
    # the same export, not de-identified, has them: the search does find what is there
    exports.write(book, fmt, tmp_path / ("plain.xml" if fmt == "odm" else "plain"))
    assert {w for _, w in _leaks(tmp_path / ("plain.xml" if fmt == "odm" else "plain"), words)} >= \
        {"林晓明", "HS-2024-0007", "1968-02-11"}


def test_the_study_id_stands_for_the_patient_with_ages_and_days_from_resection(book, tmp_path):
    exports.write(book, "csv", tmp_path / "out", Deidentification())
    patients = read_csv(tmp_path / "out" / "patients.csv")
    assert [p["id"] for p in patients] == ["LT-007", "LT-013"]
    assert "name" not in patients[0] and "mrn" not in patients[0] and "birth_date" not in patients[0]
    assert patients[0]["age_at_resection"] == "56" and patients[0]["resection_date_day"] == "0"
    procedure = read_csv(tmp_path / "out" / "procedures.csv")[0]
    assert procedure["patient_id"] == "LT-007" and procedure["date_day"] == "31" and "date" not in procedure
    assert "operator" not in procedure and "findings" not in procedure
    loss = read_csv(tmp_path / "out" / "lost_to_follow_up.csv")[0]
    assert loss["attempt_dates_day"] == "176; 207"
    codebook = {r["column"]: r for r in read_csv(tmp_path / "out" / "codebook.csv") if r["entity"] == "procedure"}
    assert codebook["date_day"]["label_en"] == "Procedure date: days from resection"
    assert codebook["date_day"]["declared_as"] == "procedure.date"


def test_a_site_secret_keys_the_pseudonym_and_the_shift_kept_for_each_patient(book, tmp_path):
    plan = Deidentification(secret=SECRET, shift_dates=True)
    exports.write(book, "csv", tmp_path / "one", plan)
    exports.write(book, "csv", tmp_path / "two", plan)
    exports.write(book, "csv", tmp_path / "other", Deidentification(secret=b"another site's secret, not ours"))
    one = read_csv(tmp_path / "one" / "patients.csv")
    assert one == read_csv(tmp_path / "two" / "patients.csv")  # the same secret: the same pseudonyms and shifts
    assert all(p["id"].startswith("P-") and len(p["id"]) == 22 for p in one)
    assert {p["id"] for p in one}.isdisjoint(p["id"] for p in read_csv(tmp_path / "other" / "patients.csv"))
    procedures = read_csv(tmp_path / "one" / "procedures.csv")
    shifted_resection = dt.date.fromisoformat(one[0]["resection_date"])
    assert shifted_resection != dt.date(2024, 9, 2)
    assert (dt.date.fromisoformat(procedures[0]["date"]) - shifted_resection).days == 31  # intervals stay
    shift = (shifted_resection - dt.date(2024, 9, 2)).days
    assert 0 < abs(shift) <= 182
    death = read_csv(tmp_path / "one" / "death.csv")[0]
    assert dt.date.fromisoformat(death["date"]) == dt.date(2025, 8, 1) + dt.timedelta(days=shift)


def test_free_text_is_kept_only_when_asked_for(book, tmp_path):
    exports.write(book, "csv", tmp_path / "out", Deidentification(free_text=True))
    assert read_csv(tmp_path / "out" / "procedures.csv")[0]["operator"] == "Qin"


def test_without_a_study_id_or_a_secret_nothing_can_stand_for_the_patient(book, tmp_path, capsys):
    patient = book.find_patient_by_mrn("ZS-2025-0113")
    patient.study_id = None
    book.save_patient(patient)
    with pytest.raises(TaceLogError, match="has no study ID") as refused:
        exports.write(book, "csv", tmp_path / "out", Deidentification())
    # the app names its export dialog's choice, the CLI its option
    assert refused.value.text("en").endswith("or choose a site secret file (Site secret, in File > Export)")
    assert "“站点密钥”" in refused.value.text("zh") and "--secret-file" not in refused.value.text("zh")
    with pytest.raises(TaceLogError, match="needs the site secret"):
        Deidentification(shift_dates=True)
    db = str(book.path)
    assert main(["--db", db, "--lang", "zh", "export", "--format", "csv", "--deidentify", "-o",
                 str(tmp_path / "cli")]) == 1
    assert "或使用站点密钥（--secret-file FILE）" in capsys.readouterr().err


def test_a_deidentified_odm_file_is_valid_and_has_no_audit_trail_or_signature(book, tmp_path):
    exports.write(book, "odm", tmp_path / "out.xml", Deidentification())
    tree = etree.parse(str(tmp_path / "out.xml"))
    assert etree.XMLSchema(etree.parse(str(XSD))).validate(tree)
    assert problems(tree) == []
    assert tree.find(".//odm:AuditRecord", NS) is None and tree.find(".//odm:Signature", NS) is None
    assert tree.find(".//odm:User", NS) is None


def test_the_command_deidentifies(book, tmp_path, capsys):
    secret = tmp_path / "site.secret"
    secret.write_bytes(SECRET)
    db = str(tmp_path / "logbook.sqlite")
    words = identifiers(book)
    book.close()
    assert main(["--db", db, "export", "--format", "redcap", "--deidentify", "--secret-file", str(secret),
                 "--shift-dates", "-o", str(tmp_path / "rc")]) == 0
    assert _leaks(tmp_path / "rc", words) == []
    assert main(["--db", db, "export", "--deidentify"]) == 1
    assert "--deidentify is for csv, redcap and odm" in capsys.readouterr().err
    assert main(["--db", db, "export", "--format", "csv", "--shift-dates", "-o", str(tmp_path / "c")]) == 1
    assert "go with --deidentify" in capsys.readouterr().err
    secret.write_bytes(b"short")
    assert main(["--db", db, "export", "--format", "csv", "--deidentify", "--secret-file", str(secret), "-o",
                 str(tmp_path / "c")]) == 1
    assert "at least 16 characters" in capsys.readouterr().err
