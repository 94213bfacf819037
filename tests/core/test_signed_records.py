"""A signature covers what its report prints and travels with its record (issue 12, items 1, 6 and 8): the signed
content is stored and printed, a later change to the patient is shown as such, tampering is named by `audit
verify`, `check` and `show`, and a signed record moved to another logbook arrives signed, as signed elsewhere."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3

import pytest

from tace_log import interchange
from tace_log.cli import main
from tace_log.errors import AuthenticationError, InvalidInputError
from tace_log.reports import DRAFT_TEXT
from tace_log.settings import SETTINGS_FILENAME
from tace_log.storage import Logbook
from tace_log.storage.audit import seal
from tests.core.signing_support import PASSWORD, signable_logbook


@pytest.fixture
def signed(tmp_path):
    """A logbook with a signed procedure of a patient weighing 54 kg, in the lenvatinib + TACE arm, margin R0."""
    logbook, patient, procedure = signable_logbook(tmp_path / "here.sqlite")
    patient.weight_kg, patient.arm, patient.resection_margin = 54, "lenvatinib_tace", "R0"
    logbook.save_patient(patient)
    signature = logbook.signing.sign(procedure.id, "chen", PASSWORD)
    yield logbook, patient, procedure, signature
    logbook.close()


def cli(*args: str) -> int:
    return main(list(args))


def export(logbook, target) -> dict:
    assert cli("--db", str(logbook.path), "export", "-o", str(target)) == 0
    return json.loads(target.read_text(encoding="utf-8"))


def write(doc: dict, target) -> str:
    target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(target)


def report_text(db, procedure_id: str, target, pdf_pages_text) -> str:
    """`tace-log report` of a procedure, read back with pdftotext, without whitespace (cells wrap)."""
    assert cli("--db", str(db), "report", procedure_id, "-o", str(target)) == 0
    return re.sub(r"\s+", "", "".join(pdf_pages_text(target.read_bytes())))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- item 1: what was signed is what shows, and a later change says so ---------------------------------------------
def test_a_patient_reimported_after_signing_is_shown_as_changed_since_signing(signed, tmp_path, capsys,
                                                                            pdf_pages_text):
    """The re-import of the issue: weight 54 -> 95 kg, the arm and the margin changed after signing. The reprinted
    report prints what was signed, and what changed since beside it; `show` says the same."""
    logbook, patient, procedure, signature = signed
    before = report_text(logbook.path, procedure.id, tmp_path / "before.pdf", pdf_pages_text)
    assert "Weight54kg" in before and "Changedsincesigning" not in before
    doc = export(logbook, tmp_path / "out.json")
    doc["patients"][0].update(weight_kg=95, arm="lenvatinib", resection_margin="R1")
    assert cli("--db", str(logbook.path), "import", write(doc, tmp_path / "changed.json")) == 0
    assert logbook.get_patient(patient.id).weight_kg == 95  # the clinic's rule: the patient may change ...
    check = logbook.signing.check(procedure.id)
    assert check.ok and check.signed_patient.weight_kg == 54  # ... what was signed does not
    assert [c.describe() for c in check.changes] == [
        "Weight 54 → 95 kg", "Study arm lenvatinib_tace → lenvatinib", "Resection margin R0 → R1"]
    capsys.readouterr()
    assert cli("--db", str(logbook.path), "show", procedure.id) == 0
    out = capsys.readouterr().out
    assert f"SHA-256 {signature.content_sha256}" in out and "Signature verified" in out
    assert "Changed since signing: Weight 54 → 95 kg; Study arm lenvatinib_tace → lenvatinib; Resection margin " \
           "R0 → R1" in out
    assert cli("--db", str(logbook.path), "audit", "verify") == 0
    after = report_text(logbook.path, procedure.id, tmp_path / "after.pdf", pdf_pages_text)
    assert "Weight54kg" in after and "95kg" not in after.split("Changedsincesigning")[0]
    assert "Studyarmlenvatinib+TACE" in after and "ResectionmarginR0" in after  # as signed
    assert squeeze(signature.content_sha256) in after and DRAFT_TEXT.replace(" ", "") not in after
    assert squeeze("Changed since signing: Weight 54 → 95 kg; Study arm lenvatinib + TACE → lenvatinib; "
                   "Resection margin R0 → R1") in after
    assert after.index(signature.content_sha256) < after.index("Changedsincesigning")  # below the signature
    (tmp_path / SETTINGS_FILENAME).write_text(json.dumps({"report": {"language": "zh"}}), encoding="utf-8")
    chinese = report_text(logbook.path, procedure.id, tmp_path / "zh.pdf", pdf_pages_text)
    assert squeeze("签名后已更改：体重 54 → 95 kg；研究分组 仑伐替尼 + TACE → 仑伐替尼") in chinese


def test_the_signed_content_holds_every_value_of_the_patient_and_the_procedure(signed):
    logbook, patient, procedure, signature = signed
    content = json.loads(signature.content)
    assert content["content_version"] == 2
    assert content["patient"]["weight_kg"] == 54 and content["patient"]["arm"] == "lenvatinib_tace"
    assert content["patient"]["resection_date"] == "2025-01-06" and content["procedure"]["id"] == procedure.id
    assert content["signature"] == {"signer": "chen", "signer_name": "陈伟 Chen Wei", "signer_role": "radiologist",
                                    "signed_at": signature.signed_at, "meaning": signature.meaning}
    assert hashlib.sha256(signature.content.encode()).hexdigest() == signature.content_sha256


# -- item 6: every signature recomputed by audit verify, check and show -------------------------------------------
def _forge(path, *statements: str) -> None:
    """What an editor of the file would do: supply the audit functions, drop the triggers in the way, write."""
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.create_function("tace_audit_user", 0, lambda: "forger")
        conn.create_function("tace_audit_reason", 0, lambda: None)
        conn.create_function("tace_audit_seal", 11, seal, deterministic=True)
        for statement in statements:
            conn.execute(statement)
    conn.close()


TAMPERING = {
    "procedure changed": ("DROP TRIGGER lock_procedures_update", "UPDATE procedures SET cycle = 4",
                          "the procedure differs from what was signed (cycle)"),
    "agent dose changed": ("DROP TRIGGER lock_agent_doses_update", "UPDATE agent_doses SET dose = 80 WHERE "
                           "agent = 'epirubicin'", "the procedure differs from what was signed (agents)"),
    "signed content changed": ("DROP TRIGGER append_only_signatures_update",
                               "UPDATE signatures SET content = replace(content, '\"weight_kg\":54', "
                               "'\"weight_kg\":95')", "does not match the signed content"),
    "signer changed": ("DROP TRIGGER append_only_signatures_update", "UPDATE signatures SET signer = 'Someone'",
                       "signer_name differs from what was signed ('陈伟 Chen Wei' signed, 'Someone' stored)"),
    "patient renamed": ("DROP TRIGGER lock_patients_update", "UPDATE patients SET name = '李四'",
                        "the patient's name differs from what was signed ('张伟' signed, '李四' in the record)"),
    "unsigned": ("DROP TRIGGER lock_procedures_update", "UPDATE procedures SET status = 'draft'",
                 "has a signature but is not marked signed"),
    "addendum edited": ("DROP TRIGGER append_only_addenda_update", "UPDATE addenda SET text = 'nothing happened'",
                        "addendum 1 does not match its SHA-256"),
}


@pytest.mark.parametrize("case", TAMPERING)
def test_a_signed_record_changed_in_the_file_is_named_by_audit_verify_check_show_and_the_report(signed, case, capsys,
                                                                                               pdf_pages_text):
    logbook, _, procedure, _ = signed
    logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, "late finding", "Day 2: fever.")
    path = logbook.path
    logbook.close()
    db = ("--db", str(path))
    assert cli(*db, "audit", "verify") == 0 and cli(*db, "check") == 0 and cli(*db, "show", procedure.id) == 0
    capsys.readouterr()
    *statements, problem = TAMPERING[case]
    _forge(path, *statements)
    assert cli(*db, "audit", "verify") == 1
    err = capsys.readouterr().err
    assert f"procedure {procedure.id}" in err and problem in err and "1 signed record does not verify" in err
    assert cli(*db, "check") == 1
    assert problem in capsys.readouterr().err
    if case != "unsigned":  # a draft shows no signature to recompute; verify and check name it
        assert cli(*db, "show", procedure.id) == 1
        captured = capsys.readouterr()
        assert "SIGNATURE DOES NOT VERIFY" in captured.out and problem in captured.out
        assert f"does not verify: {procedure.id}" in captured.err
        text = report_text(path, procedure.id, path.parent / "report.pdf", pdf_pages_text)
        assert "THISSIGNATUREDOESNOTVERIFY" in text and squeeze(problem) in text
        pages = pdf_pages_text((path.parent / "report.pdf").read_bytes())
        assert all("SIGNATURE DOES NOT VERIFY: " in page for page in pages)  # never "Signed by"
        assert not any("Signed by" in page for page in pages)


# -- item 8: signatures travel with the record ----------------------------------------------------------------------
def test_a_signed_record_moved_to_another_logbook_arrives_signed_elsewhere(signed, tmp_path, capsys,
                                                                          pdf_pages_text):
    logbook, patient, procedure, signature = signed
    addendum = logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, "late complication", "Day 3: fever. 发热")
    doc = export(logbook, tmp_path / "moved.json")
    moved = doc["patients"][0]["procedures"][0]
    assert moved["signature"] == {
        "signer": "chen", "signer_name": "陈伟 Chen Wei", "signer_role": "radiologist",
        "signed_at": signature.signed_at, "meaning": signature.meaning, "sha256": signature.content_sha256,
        "content": signature.content}
    assert moved["addenda"] == [{"text": "Day 3: fever. 发热", "reason": "late complication", "signer": "chen",
                                 "signer_name": "陈伟 Chen Wei", "signed_at": addendum.created_at,
                                 "sha256": addendum.signature.content_sha256}]
    there = tmp_path / "there.sqlite"
    assert cli("--db", str(there), "import", str(tmp_path / "moved.json")) == 0
    with Logbook.open(there) as other:
        arrived = other.signing.signature_of(procedure.id)
        assert other.signing.is_signed(procedure.id) and arrived.signed_elsewhere
        assert arrived.content_sha256 == signature.content_sha256 and arrived.content == signature.content
        assert other.users.everyone() == []  # the signer is not made a user here
        with pytest.raises(AuthenticationError):
            other.users.sign_in("chen", PASSWORD)
        assert other.signing.addenda_of(procedure.id)[0].signature.signed_elsewhere
        assert other.signing.verify().ok
        procedure_there = other.get_procedure(procedure.id)
        procedure_there.cycle = 2
        with pytest.raises(Exception, match="signed"):  # locked, as a record signed here
            other.save_procedure(procedure_there)
        history = other.audit.history(procedure.id)
        assert {e.reason for e in history if e.table_name == "signatures"} == {
            "imported with its record: signed in another logbook"}
    capsys.readouterr()
    assert cli("--db", str(there), "show", procedure.id) == 0
    out = capsys.readouterr().out
    assert "Signed: signed elsewhere (not a user of this logbook): reviewed and signed by 陈伟 Chen Wei (chen, " \
           "radiologist)" in out and "ADDENDUM" in out and "(signed elsewhere)" in out
    here = report_text(logbook.path, procedure.id, tmp_path / "here.pdf", pdf_pages_text)
    there_text = report_text(there, procedure.id, tmp_path / "there.pdf", pdf_pages_text)
    assert DRAFT_TEXT.replace(" ", "") not in there_text and signature.content_sha256 in there_text
    assert "Signedelsewhere:inanotherlogbook" in there_text and "Signedelsewhere" not in here
    for text in (here, there_text):  # the same signature, with its signer's name and role, on both
        assert squeeze("Reviewed and signed by 陈伟 Chen Wei, radiologist (chen)") in text and "Weight54kg" in text
    # idempotent: the same file again, and the other logbook's export, change nothing
    assert cli("--db", str(there), "import", str(tmp_path / "moved.json")) == 0
    assert "procedures: 0 added, 0 updated, 1 unchanged" in capsys.readouterr().out
    with Logbook.open(there) as other:
        assert interchange.export_document(other) == doc
    assert cli("--db", str(logbook.path), "import", str(tmp_path / "moved.json")) == 0
    assert not logbook.signing.signature_of(procedure.id).signed_elsewhere  # still the one signed here


def test_a_signer_who_is_also_a_user_here_is_still_signed_elsewhere(signed, tmp_path):
    """A hash proves no identity: an imported signature naming a local user is never that user's signature."""
    logbook, _, procedure, _ = signed
    doc = export(logbook, tmp_path / "moved.json")
    with Logbook.open(tmp_path / "there.sqlite") as other:
        other.users.add("chen", "陈伟 Chen Wei", "radiologist", PASSWORD)
        other.import_document(doc)
        assert other.signing.signature_of(procedure.id).signed_elsewhere


def _resealed(signature_doc: dict, content: dict) -> None:
    signature_doc["content"] = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    signature_doc["sha256"] = hashlib.sha256(signature_doc["content"].encode()).hexdigest()


FORGERIES = {
    "hash": (lambda proc: proc["signature"].update(sha256="0" * 64), "signature.sha256",
             "does not match the signed content"),
    "content": (lambda proc: proc["signature"].update(content=proc["signature"]["content"].replace("54", "95")),
                "signature.sha256", "does not match the signed content"),
    "content resealed for another record": (
        lambda proc: _resealed(proc["signature"], {**json.loads(proc["signature"]["content"]),
                                                   "procedure": {**json.loads(proc["signature"]["content"])[
                                                       "procedure"], "cycle": 3}}),
        "signature.content", "the procedure differs from what was signed (cycle)"),
    "signer renamed": (lambda proc: proc["signature"].update(signer_name="王医生"), "signature.signer_name",
                       "signer_name differs from what was signed"),
    "addendum": (lambda proc: proc["addenda"][0].update(text="No fever."), "addenda[0].sha256",
                 "does not match its SHA-256"),
    "not canonical": (lambda proc: _resealed_raw(proc), "signature.content", "not written in the one form"),
}


def _resealed_raw(proc: dict) -> None:
    proc["signature"]["content"] = json.dumps(json.loads(proc["signature"]["content"]), indent=1)
    proc["signature"]["sha256"] = hashlib.sha256(proc["signature"]["content"].encode()).hexdigest()


@pytest.mark.parametrize("case", FORGERIES)
def test_a_forged_signature_is_refused_at_import_with_its_path(signed, tmp_path, capsys, case):
    logbook, _, procedure, _ = signed
    logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, "late finding", "Day 2: fever.")
    doc = export(logbook, tmp_path / "moved.json")
    forge, key, message = FORGERIES[case]
    forge(doc["patients"][0]["procedures"][0])
    there = tmp_path / "there.sqlite"
    capsys.readouterr()
    assert cli("--db", str(there), "import", write(doc, tmp_path / "forged.json")) == 2
    err = capsys.readouterr().err
    assert f"patients[0].procedures[0].{key}: " in err and message in err and "nothing imported" in err
    assert not there.exists()  # a refused import into a new path leaves no logbook


def test_a_record_signed_here_refuses_another_signature_and_gains_addenda_from_elsewhere(signed, tmp_path):
    logbook, _, procedure, signature = signed
    doc = export(logbook, tmp_path / "moved.json")
    with Logbook.open(tmp_path / "there.sqlite") as other:
        other.import_document(doc)
        other.users.add("wang", "王明 Wang Ming", "radiologist", "wang's password")
        added = other.signing.add_addendum(procedure.id, "wang", "wang's password", "second look", "Reviewed again.")
        back = interchange.export_document(other)
    logbook.import_document(back)  # the addendum written there comes here, as written elsewhere
    (arrived,) = logbook.signing.addenda_of(procedure.id)
    assert (arrived.text, arrived.author, arrived.signature.signed_elsewhere) == ("Reviewed again.",
                                                                                  "王明 Wang Ming", True)
    assert arrived.signature.content_sha256 == added.signature.content_sha256 and logbook.signing.verify().ok
    before = interchange.export_document(logbook)
    other_signature = dict(before["patients"][0]["procedures"][0]["signature"], signed_at="2026-01-01T00:00:00Z")
    content = json.loads(other_signature["content"])
    content["signature"]["signed_at"] = other_signature["signed_at"]
    _resealed(other_signature, content)
    before["patients"][0]["procedures"][0].update(signature=other_signature, addenda=[])
    with pytest.raises(InvalidInputError) as refused:
        logbook.import_document(before)
    assert [str(f) for f in refused.value.findings] == [
        f"patients[0].procedures[0].signature: procedure {procedure.id} is signed here by 陈伟 Chen Wei (chen) at "
        f"{signature.signed_at} with another signature: a signed record keeps its one signature"]


def test_a_signature_made_here_is_by_a_user_of_this_logbook(signed):
    """Only an import marks a signer as signed elsewhere; the database refuses a local one by nobody."""
    logbook, patient, _, _ = signed
    path = logbook.path
    logbook.close()
    with pytest.raises(sqlite3.IntegrityError, match="a signature made in this logbook is by one of its users"):
        _forge(path, "INSERT INTO procedures (id, patient_id, date, tumor_staining, embolization, created_at, "
                     f"updated_at) VALUES ('p2', '{patient.id}', '2025-03-01', 'absent', 'none', 'x', 'x')",
               "INSERT INTO signatures (procedure_id, username, signer, meaning, signed_at, content_sha256, "
               "content_version) VALUES ('p2', 'ghost', 'Ghost', 'm', 'x', 'x', 1)")


def test_the_course_in_a_tace_log_1_document_is_refused_with_its_path(logbook, example):
    """tace-log/1 has no course: its keys there are a mislabelled document, not data to guess at."""
    example["patients"][0]["labs"] = [{"date": "2025-01-02", "test": "alb", "value": 40, "unit": "g/L"}]
    example["patients"][0]["pathology"]["hcc_confirmed"] = True
    example["patients"][0]["procedures"][0]["intent"] = "adjuvant"
    with pytest.raises(InvalidInputError) as refused:
        logbook.import_document(example)
    assert [str(f) for f in refused.value.findings] == [
        f"patients[0].{key}: is a tace-log/2 key: this document says 'tace-log/1'"
        for key in ("labs", "pathology.hcc_confirmed", "procedures[0].intent")]


def test_a_tace_log_1_document_has_no_signatures(logbook, example):
    example["patients"][0]["procedures"][0]["signature"] = None
    with pytest.raises(InvalidInputError) as refused:
        logbook.import_document(example)
    assert [str(f) for f in refused.value.findings] == [
        "patients[0].procedures[0].signature: is a tace-log/2 key: this document says 'tace-log/1'"]
