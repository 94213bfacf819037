"""A signed procedure put right: marked entered in error by a signed record that keeps the original (issue 19,
item 6; interchange-v2 "Signatures")."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3

import pytest

from tace_log import interchange
from tace_log.cli import main
from tace_log.errors import AuthenticationError, InvalidInputError, NotPermittedError
from tace_log.model import Procedure
from tace_log.reports.report_file import procedure_report
from tace_log.storage import Logbook
from tests.core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook
from tests.core.test_signed_records import _forge


@pytest.fixture
def signed(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "here.sqlite")
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    yield logbook, patient, procedure
    logbook.close()


def test_a_signed_procedure_marked_entered_in_error_keeps_its_record_and_its_signature(signed):
    logbook, _, procedure = signed
    before = logbook.get_procedure(procedure.id).to_document()
    mark = logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "wrong patient selected")
    assert (mark.reason, mark.signature.signer, mark.signature.username) == ("wrong patient selected",
                                                                          "陈伟 Chen Wei", "chen")
    assert logbook.signing.entered_in_error_of(procedure.id) == mark
    assert logbook.get_procedure(procedure.id).to_document() == before
    assert logbook.signing.addenda_of(procedure.id) == []  # a mark is not an addendum
    assert logbook.signing.intact(procedure.id) and logbook.signing.verify().ok
    (entry,) = [e for e in logbook.audit.history(procedure.id) if e.table_name == "addenda"]
    assert (entry.username, entry.reason) == ("chen", "wrong patient selected")


def test_a_record_is_marked_once_only_when_signed_and_only_by_a_radiologist_with_a_reason(signed, tmp_path):
    logbook, patient, procedure = signed
    with pytest.raises(AuthenticationError):
        logbook.signing.mark_entered_in_error(procedure.id, "chen", "wrong password", "duplicate")
    with pytest.raises(NotPermittedError, match="only a radiologist"):
        logbook.signing.mark_entered_in_error(procedure.id, "li", NURSE_PASSWORD, "duplicate")
    with pytest.raises(InvalidInputError) as blank:
        logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "  ")
    assert [f.path for f in blank.value.findings] == ["reason"]
    assert logbook.signing.entered_in_error_of(procedure.id) is None  # nothing was written
    logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "duplicate")
    with pytest.raises(NotPermittedError, match="already marked entered in error"):
        logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "again")
    draft = Procedure(patient_id=patient.id, date=dt.date(2025, 2, 20), cycle=2, tumor_staining="absent",
                      embolization="prophylactic_embolization")
    logbook.save_procedure(draft)
    with pytest.raises(NotPermittedError, match="is a draft: delete it instead"):
        logbook.signing.mark_entered_in_error(draft.id, "chen", PASSWORD, "not done")


def test_the_mark_cannot_be_changed_or_removed_in_the_file_and_a_changed_one_is_named_by_verify(signed):
    logbook, _, procedure = signed
    logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "wrong patient")
    path = logbook.path
    logbook.close()
    for statement in ("UPDATE addenda SET reason = 'x'", "DELETE FROM addenda"):
        with pytest.raises(sqlite3.IntegrityError, match="an addendum cannot be changed or removed"):
            _forge(path, statement)
    _forge(path, "DROP TRIGGER append_only_addenda_update", "UPDATE addenda SET reason = 'no reason'")
    with Logbook.open(path) as reopened:
        check = reopened.signing.verify()
        assert not check.ok and "entered-in-error mark does not match its SHA-256" in str(check)
        assert reopened.signing.entered_in_error_of(procedure.id).reason == "no reason"


def test_the_mark_travels_in_tace_log_2_and_imports_into_an_empty_logbook(signed, tmp_path):
    logbook, _, procedure = signed
    mark = logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "wrong patient")
    doc = interchange.export_document(logbook)
    carried = doc["patients"][0]["procedures"][0]["entered_in_error"]
    assert carried == {"reason": "wrong patient", "signer": "chen", "signer_name": "陈伟 Chen Wei",
                       "signed_at": mark.signature.signed_at, "sha256": mark.signature.content_sha256}
    with Logbook.open(tmp_path / "empty.sqlite") as other:
        other.import_document(json.loads(json.dumps(doc)))
        arrived = other.signing.entered_in_error_of(procedure.id)
        assert (arrived.reason, arrived.signature.content_sha256, arrived.signature.signed_elsewhere) == (
            "wrong patient", mark.signature.content_sha256, True)
        assert other.signing.verify().ok
        first = interchange.export_document(other)
        other.import_document(doc)  # again: nothing doubles
        assert interchange.export_document(other) == first
        assert interchange.export_document(other)["patients"][0]["procedures"][0]["entered_in_error"] == carried
    logbook.import_document(doc)  # into the logbook it came from: the same mark, kept once
    assert logbook.signing.entered_in_error_of(procedure.id) == mark


@pytest.mark.parametrize("case", ["changed reason", "on a draft", "not an object", "another mark here"])
def test_a_bad_mark_in_a_document_is_refused_with_its_path(signed, tmp_path, case):
    logbook, _, procedure = signed
    with Logbook.open(tmp_path / "there.sqlite") as there:  # marked in another logbook, by its radiologist
        there.import_document(interchange.export_document(logbook))
        there.users.add("wang", "王明 Wang Ming", "radiologist", "wang's password")
        there.signing.mark_entered_in_error(procedure.id, "wang", "wang's password", "wrong patient")
        doc = interchange.export_document(there)
    proc, path = doc["patients"][0]["procedures"][0], "patients[0].procedures[0].entered_in_error"
    if case == "changed reason":
        proc["entered_in_error"]["reason"] = "another reason"
        expected = [(f"{path}.sha256", "entered_in_error_hash")]
    elif case == "on a draft":
        proc["signature"] = None
        expected = [(path, "entered_in_error_unsigned")]
    elif case == "not an object":
        proc["entered_in_error"] = "yes"
        expected = [(path, "type.entered_in_error")]
    else:
        logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "duplicate entry")
        expected = [(path, "entered_in_error_differently")]
    with pytest.raises(InvalidInputError) as refused:
        logbook.import_document(doc)
    assert [(f.path, f.said.key) for f in refused.value.findings if f.path.startswith(path)] == expected
    assert logbook.signing.verify().ok  # nothing half-written


def test_the_cli_marks_a_record_and_show_says_so(signed, capsys, monkeypatch):
    logbook, _, procedure = signed
    monkeypatch.setenv("TACE_LOG_PASSWORD", PASSWORD)
    db = str(logbook.path)
    assert main(["--db", db, "entered-in-error", procedure.id, "--user", "chen", "--reason", "wrong patient"]) == 0
    assert f"marked procedure {procedure.id} entered in error, signed by 陈伟 Chen Wei" in capsys.readouterr().out
    assert main(["--db", db, "entered-in-error", procedure.id, "--user", "chen", "--reason", "again"]) != 0
    assert "already marked entered in error" in capsys.readouterr().err
    assert main(["--db", db, "show", procedure.id]) == 0
    shown = capsys.readouterr().out
    assert f"Procedure 2025-02-03, signed, entered in error, id {procedure.id}" in shown
    assert "ENTERED IN ERROR" in shown and "(reason: wrong patient)" in shown


@pytest.mark.parametrize("language, mark", [("en", "ENTEREDINERROR–NOTVALID"), ("zh", "录入错误–本记录无效")])
def test_the_report_says_entered_in_error_on_every_page_and_ends_with_the_signed_mark(signed, pdf_pages_text,
                                                                                      language, mark):
    logbook, _, procedure = signed
    original = procedure_report(logbook, procedure.id, language=language)
    logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "wrong patient 选错患者")
    pages = [re.sub(r"\s+", "", page) for page in pdf_pages_text(procedure_report(logbook, procedure.id,
                                                                                  language=language))]
    assert len(pages) >= 2 and all(mark in page for page in pages)
    assert "wrongpatient选错患者" in pages[-1] and ("Markedenteredinerrorandsignedby" in pages[-1]
                                                  or "标记为录入错误并签名" in pages[-1])
    assert not any(mark in re.sub(r"\s+", "", page) for page in pdf_pages_text(original))


def test_a_procedure_entered_in_error_is_no_contact_and_no_cycle_for_the_course_rules(signed):
    logbook, patient, procedure = signed
    (course,) = logbook.courses.read()
    assert [p.date for p in course.procedures] == [procedure.date]
    logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "did not take place")
    (course,) = logbook.courses.read()
    assert course.procedures == ()


def test_the_record_entered_again_after_the_mistake_is_no_likely_duplicate_of_it(signed):
    logbook, patient, procedure = signed
    again = Procedure(patient_id=patient.id, date=procedure.date, cycle=procedure.cycle, tumor_staining="absent",
                      embolization="prophylactic_embolization")
    assert [f.code for f in logbook.check_entry(patient, again) if f.code == "likely_duplicate"] == [
        "likely_duplicate"]
    logbook.signing.mark_entered_in_error(procedure.id, "chen", PASSWORD, "entered under the wrong cycle")
    assert not [f for f in logbook.check_entry(patient, again) if f.code == "likely_duplicate"]
    assert str(logbook.signing.verify()) == ("signatures intact: 1 signatures, 1 entered-in-error marks and 0 "
                                             "addenda verified against their records")


def test_every_trial_export_says_a_procedure_was_entered_in_error(tmp_path):
    """CSV, REDCap and ODM keep the marked procedure (nothing is deleted) with its record status, so a statistician
    never counts it as a TACE cycle; ODM's AuditRecord for it is the mark's own row of the trail."""
    from lxml import etree

    from tace_log import exports

    from .export_support import export_logbook, read_csv
    from .test_exports_odm import NS, problems

    with export_logbook(tmp_path / "book.sqlite") as book:
        (signed,) = [p for _, procs in book.iter_patients() for p in procs if p.status == "signed"]
        book.signing.mark_entered_in_error(signed.id, "chen", PASSWORD, "wrong patient")
        exports.write(book, "csv", tmp_path / "csv")
        exports.write(book, "redcap", tmp_path / "rc")
        exports.write(book, "odm", tmp_path / "study.xml")
        mark_seq = max(e.seq for e in book.audit.history(signed.id) if e.table_name == "addenda")
    statuses = {row["id"]: row["record_status"] for row in read_csv(tmp_path / "csv" / "procedures.csv")}
    assert statuses[signed.id] == "entered_in_error" and set(statuses.values()) == {"entered_in_error", "draft"}
    variable = {r["Variable / Field Name"]: r for r in read_csv(tmp_path / "rc" / "data_dictionary.csv")}
    assert variable["proc_record_status"]["Field Type"] == "radio"
    assert "entered_in_error, entered in error: not valid / 录入错误：无效" in variable["proc_record_status"][
        "Choices, Calculations, OR Slider Labels"]
    records = read_csv(tmp_path / "rc" / "records.csv")
    assert sorted(r["proc_record_status"] for r in records if r["redcap_repeat_instrument"] == "procedure") == [
        "draft", "entered_in_error"]
    tree = etree.parse(str(tmp_path / "study.xml"))
    assert problems(tree) == []
    values = tree.findall(".//odm:ItemData[@ItemOID='IT.PROCEDURE.RECORD_STATUS']", NS)
    marked = [v for v in values if v.get("Value") == "entered_in_error"]
    assert len(marked) == 1
    assert f"audit row {mark_seq} (insert)" in marked[0].find("odm:AuditRecord/odm:SourceID", NS).text
