"""Every bad import document is refused with exit code 2, a message naming where, and nothing written: the
defect classes of issue 11 item 3 one by one (each exited 1, or imported, before), then a fuzz test over the
real `tace-log import` and `validate` with mutated documents."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tace_log import interchange
from tace_log.cli import main
from tace_log.model import Patient, Procedure
from tace_log.storage import Logbook
from tace_log.times import now_utc

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
EXAMPLE = json.loads((DATA / "example.json").read_text(encoding="utf-8"))
TYPICAL = json.loads((DATA / "typical-procedure.json").read_text(encoding="utf-8"))
PROCEDURE_ID = TYPICAL["patients"][0]["procedures"][0]["id"]
PR = "patients[0].procedures[0]"


def run(argv: list[str]) -> tuple[int, str]:
    """`tace-log ARGV` in this process, as the installed command runs it; (exit code, stdout + stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue() + err.getvalue()


def run_process(*args: str) -> subprocess.CompletedProcess:
    """A real `tace-log` process (its standard streams are the strict UTF-8 of a terminal, not a StringIO)."""
    return subprocess.run([sys.executable, "-m", "tace_log", *args], cwd=ROOT, capture_output=True, text=True,
                          errors="backslashreplace", env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def content(path: Path) -> dict[str, list]:
    """Every row of every table of the logbook file (the audit trail too): what 'nothing written' compares."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A logbook holding the typical procedure, copied for each test so ids in the documents meet stored ones."""
    path = tmp_path_factory.mktemp("template") / "logbook.sqlite"
    with Logbook.open(path) as logbook:
        logbook.import_document(copy.deepcopy(TYPICAL))
    return path


@pytest.fixture
def db(tmp_path, template) -> Path:
    path = tmp_path / "logbook.sqlite"
    shutil.copy(template, path)
    return path


def _text(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=True)  # a lone surrogate is written as its escape, as in the field


def changed(change, base: dict = EXAMPLE) -> str:
    doc = copy.deepcopy(base)
    change(doc)
    return _text(doc)


def _procedure(doc):
    return doc["patients"][0]["procedures"][0]


def _second_spelling(doc):
    """The stored typical procedure twice: once as stored, once in capitals and braces, with other content."""
    procedures = doc["patients"][0]["procedures"]
    procedures.append({**copy.deepcopy(procedures[0]), "id": "{" + PROCEDURE_ID.upper() + "}", "cycle": 2,
                       "date": "2026-05-02", "impression": "overwritten?"})


def _patient_by_id_and_by_mrn(doc):
    """The stored typical patient once by MRN (no id), once by its id under another MRN."""
    by_mrn = doc["patients"][0]
    by_id = {**copy.deepcopy(by_mrn), "mrn": "HS-OTHER", "name": "Someone else", "procedures": []}
    del by_mrn["id"]
    for procedure in by_mrn["procedures"]:
        del procedure["id"]
    doc["patients"].append(by_id)


_DEEP = "[" * 3000 + "]" * 3000
BAD = {  # defect class: (document text, the path named, a phrase of the message)
    "json nested 3000 deep": ('{"format": "tace-log/1", "patients": ' + _DEEP + "}", "patients" + "[0]" * 31,
                              "more than 32 levels deep"),
    "an integer of 5000 digits": (_text(EXAMPLE).replace('"contrast_ml": 95', '"contrast_ml": ' + "9" * 5000),
                                  f"{PR}.contrast_ml", "5000 digits"),
    "an integer too large for a float": (changed(lambda d: _procedure(d).update(contrast_ml=10**400)),
                                         f"{PR}.contrast_ml", "too large a number to store"),
    "a float beyond the range": (_text(EXAMPLE).replace('"contrast_ml": 95', '"contrast_ml": 1e400'),
                                 f"{PR}.contrast_ml", "beyond the range of a number"),
    "a particle dose of 1e19": (changed(lambda d: _procedure(d)["agents"][2].update(dose=1e19)),
                                f"{PR}.agents[2].dose", "too large a number to store"),
    "a particle dose of 1e15 vials": (changed(lambda d: _procedure(d)["agents"][2].update(dose=1e15)),
                                      f"{PR}.agents[2].dose", "above the limit of 10 vial per session"),
    "tumor_staining as a list": (changed(lambda d: _procedure(d).update(tumor_staining=["present"])),
                                 f"{PR}.tumor_staining", "must be text"),
    "tumor_staining as an object": (changed(lambda d: _procedure(d).update(tumor_staining={"present": True})),
                                    f"{PR}.tumor_staining", "must be text"),
    "findings as a list": (changed(lambda d: _procedure(d).update(findings=["stain"], technical_success="partial")),
                           f"{PR}.findings", "must be text"),
    "findings as a number": (changed(lambda d: _procedure(d).update(findings=7, technical_success="failed")),
                             f"{PR}.findings", "must be text"),
    "a lone surrogate in a name": (changed(lambda d: d["patients"][0].update(name="林\ud800")),
                                   "patients[0].name", "half of a character"),
    "a lone surrogate in findings": (changed(lambda d: _procedure(d).update(findings="stain \udc01")),
                                     f"{PR}.findings", "half of a character"),
    "a lone surrogate in a key": (changed(lambda d: d["patients"][0].update({"\ud800": 1})),
                                  "patients[0]['\\ud800']", "unknown key"),
    "a key given twice": (_text(EXAMPLE).replace('"mrn": "HS-2024-0007"', '"mrn": "HS-2024-0007", "mrn": "HS-9"'),
                          "patients[0]", "'mrn' more than once"),
    "a key given twice at the top": (_text(EXAMPLE)[:-1] + ', "patients": []}', "the document",
                                     "'patients' more than once"),
    "one UUID spelled two ways": (changed(_second_spelling, TYPICAL), "patients[0].procedures[1].id",
                                  "also the id at patients[0].procedures[0].id"),
    "a patient by its id and by its MRN": (changed(_patient_by_id_and_by_mrn, TYPICAL), "patients[1]",
                                           "same logbook patient as patients[0]"),
    "an MRN with a zero-width space": (changed(lambda d: d["patients"].append(
        {**copy.deepcopy(d["patients"][0]), "mrn": "HS-2024-\u200b0007", "procedures": []})),
        "patients[1].mrn", "U+200B ZERO WIDTH SPACE"),
    "a study ID with a control character": (changed(lambda d: d["patients"][0].update(study_id="LT-\x00007")),
                                            "patients[0].study_id", "U+0000"),
    "an id that only looks like a UUID": (changed(lambda d: d["patients"][0].update(
        id=" 0f6a2c1e-5b7d-4c8e-9a10-2b3c4d5e6f7")), "patients[0].id", "must be a UUID"),
}


@pytest.mark.parametrize("command", ["validate", "import"])
@pytest.mark.parametrize("defect", BAD)
def test_each_bad_document_exits_2_naming_where_and_writes_nothing(db, tmp_path, defect, command):
    text, path, phrase = BAD[defect]
    document = tmp_path / "document.json"
    document.write_text(text, encoding="utf-8")
    before = content(db)
    code, said = run(["--db", str(db), command, str(document)])
    assert code == 2, said
    assert f"{path}: " in said or f"{path} " in said, said
    assert phrase in said and "ready to import" not in said and "unexpected error" not in said, said
    assert content(db) == before


@pytest.mark.parametrize("defect", ["json nested 3000 deep", "an integer of 5000 digits", "a lone surrogate in a key",
                                    "a key given twice", "one UUID spelled two ways", "a particle dose of 1e19"])
def test_a_real_tace_log_process_exits_2_with_the_path(db, tmp_path, defect):
    text, path, phrase = BAD[defect]
    document = tmp_path / "document.json"
    document.write_text(text, encoding="utf-8")
    before = content(db)
    for command in ("validate", "import"):
        done = run_process("--db", str(db), command, str(document))
        said = done.stdout + done.stderr
        assert done.returncode == 2, said
        assert path in said and phrase in said and "Traceback" not in said, said
    assert content(db) == before


def test_the_same_uuid_in_two_spellings_no_longer_overwrites_a_stored_procedure(db, tmp_path):
    document = tmp_path / "document.json"
    document.write_text(changed(_second_spelling, TYPICAL), encoding="utf-8")
    assert run(["--db", str(db), "import", str(document)])[0] == 2
    with Logbook.open(db) as logbook:
        assert logbook.get_procedure(PROCEDURE_ID).impression == TYPICAL["patients"][0]["procedures"][0]["impression"]


@pytest.mark.parametrize("blank", ["\u3164", "\u115f", "\ufe0f", "\u2800", "\u034f", "\u17b4"])
def test_an_mrn_with_a_character_that_draws_as_nothing_is_refused(db, tmp_path, blank):
    doc = copy.deepcopy(EXAMPLE)
    doc["patients"][0]["mrn"] += blank
    (tmp_path / "doc.json").write_text(_text(doc), encoding="utf-8")
    code, err = run(["--db", str(db), "import", str(tmp_path / "doc.json")])[:2]
    assert code == 2 and "patients[0].mrn" in err and f"U+{ord(blank):04X}" in err


@pytest.mark.parametrize(("stored", "typed"), [
    ("JOS\u00c9-7", "JOSE\u0301-7"),  # É as one character; then E and a combining acute accent
    ("HS-2024-0077", "ＨＳ－２０２４－００７７"),  # then typed in a Chinese input method's full-width mode
])
def test_an_mrn_typed_another_way_is_the_same_patient_not_a_look_alike(db, tmp_path, stored, typed):
    """Identifiers are stored in NFKC: the same MRN however it was typed."""
    first, second = copy.deepcopy(EXAMPLE), copy.deepcopy(EXAMPLE)
    first["patients"][0]["mrn"] = stored
    second["patients"][0]["mrn"] = typed
    second["patients"][0]["procedures"][0]["date"] = "2024-10-20"
    for number, doc in enumerate((first, second)):
        (tmp_path / f"{number}.json").write_text(_text(doc), encoding="utf-8")
        assert run(["--db", str(db), "import", str(tmp_path / f"{number}.json")])[0] == 0
    with Logbook.open(db) as logbook:
        patient = logbook.find_patient_by_mrn(stored)
        assert patient is not None and len(logbook.procedures_of(patient.id)) == 2
        assert logbook.counts()["patients"] == 2  # the typical patient and this one


def test_a_stored_record_a_new_rule_refuses_still_exports(db, tmp_path):
    """Export writes what is stored; only import, validate and save refuse (here an MRN with a zero-width space
    and a particle dose above the new limit, stored as a logbook written before the rules would hold them)."""
    doc = copy.deepcopy(EXAMPLE)["patients"][0]
    doc["mrn"] = "HS-\u200b7"
    doc["procedures"][0]["agents"][2]["dose"] = 1e15
    with Logbook.open(db) as logbook, logbook._session.transaction():
        patient = Patient.from_document(doc)
        logbook._write_patient(patient, now_utc())
        procedure = Procedure.from_document(doc["procedures"][0], patient_id=patient.id)
        logbook._write_procedure(procedure, now_utc())
    out = tmp_path / "export.json"
    code, said = run(["--db", str(db), "export", "-o", str(out)])
    assert code == 0, said
    exported = json.loads(out.read_text(encoding="utf-8"))["patients"]
    assert [p["mrn"] for p in exported] == [TYPICAL["patients"][0]["mrn"], "HS-\u200b7"]
    assert exported[1]["procedures"][0]["agents"][2]["dose"] == 10**15
    assert run(["--db", str(db), "validate", str(out)])[0] == 2  # and importing it again is refused


# -- fuzz: mutated documents through the real CLI ---------------------------------------------------------------
def _nodes(doc, path=()):
    """(path, value) of every value in a document, the document itself first."""
    yield path, doc
    children = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in children:
        yield from _nodes(value, (*path, key))


def _at(doc, path):
    for key in path:
        doc = doc[key]
    return doc


hostile_text = st.sampled_from(["", " ", "\ud800", "x\udfff", "\u200b", "HS-2024-\u200b0007", "\x00", "\u202e",
                                "\u00a0", "HS-2024-0007", "Jose\u0301", "present", "vial", "mL", "2026-13-45"])
hostile_numbers = st.one_of(st.integers(-2**70, 2**70), st.sampled_from([0, -1, 1e15, 1e19, 10**400, 2**63, 0.5]),
                            st.floats(allow_nan=False, allow_infinity=False))
leaves = st.one_of(st.none(), st.booleans(), hostile_numbers, hostile_text)
values = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(hostile_text, inner, max_size=3)), max_leaves=6)


def _respell(uuid_text: str, how: int) -> str:
    return [uuid_text.upper(), "{" + uuid_text + "}", uuid_text.replace("-", ""), "urn:uuid:" + uuid_text][how]


@st.composite
def mutated(draw) -> str:
    """A valid document changed by value, by structure or in its raw text, a few times over."""
    doc = copy.deepcopy(draw(st.sampled_from([EXAMPLE, TYPICAL])))
    for _ in range(draw(st.integers(1, 3))):
        nodes = list(_nodes(doc))
        path, node = draw(st.sampled_from(nodes))
        how = draw(st.sampled_from(["value", "drop", "add", "repeat", "respell", "nest"]))
        parent = _at(doc, path[:-1]) if path else None
        if how == "value" and path:
            parent[path[-1]] = draw(values)
        elif how == "drop" and path:
            del parent[path[-1]]
        elif how == "add" and isinstance(node, dict):
            node[draw(st.sampled_from(["id", "mrn", "dose", "unit", "extra", "\ud800", "agents"]))] = draw(values)
        elif how == "repeat" and isinstance(node, list) and node:
            node.append(copy.deepcopy(draw(st.sampled_from(node))))  # a procedure twice: one id twice
        elif how == "respell":
            ids = [(p, v) for p, v in nodes if p and p[-1] == "id" and isinstance(v, str)]
            if ids:
                id_path, value = draw(st.sampled_from(ids))
                _at(doc, id_path[:-1])["id"] = _respell(value, draw(st.integers(0, 3)))
        elif how == "nest" and path:
            parent[path[-1]] = _nested(node, draw(st.integers(1, 40)))
    text = _text(doc)
    raw = draw(st.sampled_from(["none", "repeat key", "huge int", "nan", "deep"]))
    objects = [m.end() for m in re.finditer(r'\{(?=")', text)]  # just inside an object that has a key
    if raw == "repeat key" and objects:
        at = draw(st.sampled_from(objects))
        text = text[:at] + draw(st.sampled_from(['"mrn": "X", ', '"dose": 1, ', '"id": null, '])) + text[at:]
    elif raw == "huge int":
        text = text.replace(": 1", ": 1" + "0" * draw(st.sampled_from([20, 400, 4400])), 1)
    elif raw == "nan":
        text = text.replace(": 5", ": NaN", 1)
    elif raw == "deep":
        text = text.replace("[]", "[" * 1200 + "]" * 1200, 1)
    return text


def _nested(value, depth: int):
    for _ in range(depth):
        value = [value]
    return value


@settings(max_examples=120, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutated())
def test_a_mutated_document_is_imported_or_refused_with_nothing_written(template, tmp_path_factory, text):
    work = tmp_path_factory.mktemp("fuzz")
    db, document = work / "logbook.sqlite", work / "document.json"
    shutil.copy(template, db)
    document.write_text(text, encoding="utf-8")
    before = content(db)
    checked, said_checking = run(["--db", str(db), "validate", str(document)])
    imported, said = run(["--db", str(db), "import", str(document)])
    assert imported in (0, 2), said
    assert checked == imported, (said_checking, said)  # validate says "ready" exactly when import takes it
    if imported == 2:
        assert content(db) == before
        assert "unexpected error" not in said and said.strip(), said
    else:
        with Logbook.open(db) as logbook:  # what was taken exports again as the document it came from
            interchange.export_document(logbook)
