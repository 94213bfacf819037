"""Text values: a sane maximum length for each text field (new input beyond it refused, naming the field and the
limit), and a report that prints any value whole, however long, in Chinese, Latin or both."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections import Counter

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tace_log import interchange
from tace_log.cli import main
from tace_log.dictionary import ADDENDUM, AGENT, COMPLICATION, ENTITIES, PATIENT, PROCEDURE, FieldType
from tace_log.envelope import check_document
from tace_log.errors import InvalidInputError
from tace_log.model import Addendum, AgentDose, Complication, Patient, Procedure, Signature
from tace_log.reports import build_report, procedure_report
from tace_log.signing import ADDENDUM_MEANING, MEANING
from tace_log.storage import Logbook
from tace_log.validation import Validator
from tests.core.signing_support import PASSWORD, signable_logbook

TEXT_TYPES = (FieldType.TEXT, FieldType.LONG_TEXT)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


class EarlierRules(Validator):
    """The rules of an earlier version, which stored what this one refuses: text of any length, and an access site
    the dictionary no longer has (`DROPPED_CHOICE`)."""

    def _type_problem(self, f, value):
        problem = super()._type_problem(f, value)
        return None if problem and (problem.key == "too_long" or value == DROPPED_CHOICE) else problem


DROPPED_CHOICE = "left_ulnar"


# -- the limits ----------------------------------------------------------------------------------------------
def test_every_text_field_has_a_maximum_length_in_the_dictionary_and_the_schema():
    schema = interchange.json_schema()
    for entity in (*ENTITIES, ADDENDUM):
        for f in entity.fields:
            if f.type in TEXT_TYPES:
                assert f.max_length == (200 if f.type is FieldType.TEXT else 30_000), f.key
            if entity is not ADDENDUM and f.type in TEXT_TYPES:
                prop = schema["$defs"][entity.key]["properties"][f.key]
                string = next(s for s in prop.get("anyOf", [prop]) if s.get("type") == "string")
                assert string["maxLength"] == f.max_length, f.key


@pytest.mark.parametrize("where, key, limit", [
    (lambda d: d["patients"][0], "name", 200),
    (lambda d: d["patients"][0], "mrn", 200),
    (lambda d: d["patients"][0]["procedures"][0], "target_vessels", 200),
    (lambda d: d["patients"][0]["procedures"][0], "microcatheter", 200),
    (lambda d: d["patients"][0]["procedures"][0], "findings", 30_000),
    (lambda d: d["patients"][0]["procedures"][0]["agents"][0], "lot", 200),
])
def test_a_text_value_over_its_maximum_is_refused_naming_the_field_and_the_limit(validator, example, where, key,
                                                                                  limit):
    record = where(example)
    record[key] = "肝" * limit  # at the limit: accepted, whatever the script
    assert not [f for f in check_document(example, validator) if f.code == "too_long"]
    record[key] = "A" * (limit + 1)
    too_long = [f for f in check_document(example, validator) if f.code == "too_long"]
    assert len(too_long) == 1 and too_long[0].path.endswith(f".{key}") and too_long[0].severity == "error"
    label = next(f.en for e in ENTITIES for f in e.fields if f.key == key)
    assert too_long[0].message == f"{label} must be at most {limit:,} characters long, not {limit + 1:,}"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(example, interchange.json_schema())


def test_an_addendum_over_its_maximum_is_refused_and_nothing_is_added(tmp_path):
    logbook, _patient, procedure = signable_logbook(tmp_path / "addendum.sqlite")
    with logbook:
        logbook.signing.sign(procedure.id, "chen", PASSWORD)
        for reason, text, message in (("r" * 201, "text", "reason: Reason must be at most 200 characters long"),
                                      ("reason", "t" * 30_001, "text: Text must be at most 30,000 characters")):
            with pytest.raises(InvalidInputError, match=message):
                logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, reason, text)
        assert logbook.signing.addenda_of(procedure.id) == []
        logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, "理" * 200, "文" * 30_000)  # the limits themselves
        assert len(logbook.signing.addenda_of(procedure.id)) == 1


# -- what was stored before the limits ----------------------------------------------------------------------
def numbered(template: str, count: int) -> str:
    """A long value whose pieces can be found in order in the report: 'V0001 …V0002 …'."""
    return "".join(template.format(i) for i in range(1, count + 1)).strip()  # as stored: no space around it


LONG_VALUES = {  # each far longer than a page, in a short field (or longer than a narrative may now be)
    "target_vessels": numbered("V{:04d}肝右动脉A6、A7分支，", 120),  # about 2,000 Chinese and Latin characters
    "microcatheter": numbered("K{:04d} Progreat 2.7F over a 0.016 inch wire; ", 60),  # about 2,600 Latin
    "management": numbered("C{:04d}镇痛，观察。Analgesia and observation. ", 60),
    "reason": numbered("R{:04d}迟发并发症 late complication; ", 60),
    "findings": numbered("F{:04d} 肝右叶结节状染色 nodular stain in segment VI. ", 800),  # about 35,000
}


@pytest.fixture
def stored_before_the_limits(tmp_path):
    """A logbook holding a signed procedure (and its addendum) whose text was accepted before the limits."""
    path = tmp_path / "older.sqlite"
    with Logbook.open(path, validator=EarlierRules()) as logbook:
        logbook.users.add("chen", "陈伟 Chen Wei", "radiologist", PASSWORD)
        patient = Patient(mrn="M0001", name="张伟", resection_date=dt.date(2025, 1, 6))
        logbook.save_patient(patient)
        procedure = Procedure(
            patient_id=patient.id, date=dt.date(2025, 2, 3), operator="Chen Wei", tumor_staining="absent",
            embolization="prophylactic_embolization", target_vessels=LONG_VALUES["target_vessels"],
            microcatheter=LONG_VALUES["microcatheter"], findings=LONG_VALUES["findings"], impression="No stain.",
            agents=[AgentDose(agent="lipiodol", dose=5, unit="mL")],
            complications=[Complication(term="Abdominal pain", ctcae_grade=1, management=LONG_VALUES["management"])])
        logbook.save_procedure(procedure)
        logbook.signing.sign(procedure.id, "chen", PASSWORD)
        logbook.signing.add_addendum(procedure.id, "chen", PASSWORD, LONG_VALUES["reason"], "Day 2: well.")
    return path, procedure.id


def test_a_record_stored_before_the_limits_still_prints_every_long_value_whole(stored_before_the_limits,
                                                                               pdf_pages_text):
    path, procedure_id = stored_before_the_limits
    with Logbook.open(path) as logbook:
        pages = pdf_pages_text(procedure_report(logbook, procedure_id))
    assert len(pages) >= 5
    text = squeeze("".join(pages))
    for key, prefix, count in (("target_vessels", "V", 120), ("microcatheter", "K", 60), ("management", "C", 60),
                               ("reason", "R", 60), ("findings", "F", 800)):
        positions = [text.find(f"{prefix}{i:04d}") for i in range(1, count + 1)]
        assert -1 not in positions and positions == sorted(positions), key  # every piece, in order
    assert len([page for page in pages if re.search(r"V\d{4}", page)]) >= 2  # one short field over two pages


def test_a_record_stored_before_the_limits_exports_and_imports_as_signed_each_long_value_a_warning(
        stored_before_the_limits, tmp_path, capsys):
    """The contract's compatibility rule: a logbook's own export always imports into an empty logbook. A signed
    record was signed before the limits (signing refuses such text now): it imports signed, as it was."""
    path, procedure_id = stored_before_the_limits
    exported = tmp_path / "export.json"
    assert main(["--db", str(path), "export", "-o", str(exported)]) == 0
    procedure = json.loads(exported.read_text(encoding="utf-8"))["patients"][0]["procedures"][0]
    assert procedure["target_vessels"] == LONG_VALUES["target_vessels"]
    assert procedure["findings"] == LONG_VALUES["findings"]
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "new.sqlite"), "import", str(exported)]) == 0
    said = "".join(capsys.readouterr())
    assert "warning patients[0].procedures[0].target_vessels: Target vessels must be at most 200 characters" in said
    assert f"findings: Findings must be at most 30,000 characters long, not {len(LONG_VALUES['findings']):,}" in said
    with Logbook.open(tmp_path / "new.sqlite") as imported:
        assert imported.get_procedure(procedure_id).findings == LONG_VALUES["findings"]
        assert imported.signing.intact(procedure_id)


def test_the_same_text_unsigned_is_refused_as_new_input(stored_before_the_limits, tmp_path, capsys):
    path, _procedure_id = stored_before_the_limits
    exported = tmp_path / "export.json"
    assert main(["--db", str(path), "export", "-o", str(exported)]) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    for key in ("signature", "addenda"):
        document["patients"][0]["procedures"][0].pop(key)
    exported.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "new.sqlite"), "import", str(exported)]) == 2
    err = capsys.readouterr().err
    assert "patients[0].procedures[0].target_vessels: Target vessels must be at most 200 characters long" in err


# -- any accepted value prints ---------------------------------------------------------------------------------
# Words that never meet in a report unless a space between them was lost; Chinese words; the rest of what is typed.
LATIN = ["catheter", "wire", "stasis", "coil", "shunt", "portal", "lobe", "artery", "nodule", "embolic"]
CHINESE = ["肝右叶", "动脉", "栓塞", "结节状", "染色", "微导管", "镇痛", "观察"]
OTHER = ["，", "。", "；", "、", "（", "）", ",", ".", ";", "(", ")", "<", ">", "&", "/", "-", "'", '"', "2.7F", "A6",
         "µm", "Gy·cm²", "100%", "0.016"]


@st.composite
def text_value(draw, limit: int) -> str:
    """Text up to `limit` characters: often short, often at the limit; Chinese and Latin words, punctuation, line
    breaks, spaces."""
    tokens = draw(st.lists(st.tuples(st.sampled_from(LATIN + CHINESE + OTHER), st.sampled_from([" ", " ", "\n", ""])),
                           min_size=1, max_size=30))
    piece = "".join(word + gap for word, gap in tokens)
    length = draw(st.one_of(st.integers(0, 40), st.just(limit), st.integers(0, limit)))
    return (piece * (length // len(piece) + 1))[:length]


def spaced_pairs(value: str) -> set[str]:
    """Latin words of `value` with a space or line break between them, written together: 'catheterwire'."""
    return {a + b for a, b in re.findall(r"\b([a-z]+)\s+(?=([a-z]+)\b)", value)}


TEXT_FIELDS = [(entity.key, f.key, f.max_length) for entity in (PATIENT, PROCEDURE, AGENT, COMPLICATION, ADDENDUM)
               for f in entity.fields if f.type in TEXT_TYPES]


@pytest.mark.slow
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(values=st.fixed_dictionaries({(entity, key): text_value(limit) for entity, key, limit in TEXT_FIELDS}),
       language=st.sampled_from(["en", "zh"]))
def test_any_accepted_text_in_every_text_field_prints_whole(values, language):
    from tace_log.settings import ReportSettings

    def of(entity: str) -> dict:
        return {key: value for (e, key), value in values.items() if e == entity}

    patient = Patient(**of("patient"))
    procedure = Procedure(patient_id=patient.id, date=dt.date(2025, 2, 3), tumor_staining="absent",
                          embolization="none", **of("procedure"),
                          agents=[AgentDose(agent="lipiodol", dose=5, **of("agent"))],
                          complications=[Complication(**of("complication"))])
    signature = Signature("陈伟 Chen Wei", "chen", "2025-02-03T10:00:00Z", MEANING, "0" * 64)
    addendum = Addendum("a1", procedure.id, author="陈伟 Chen Wei", created_at="2025-02-04T10:00:00Z",
                        signature=Signature("陈伟 Chen Wei", "chen", "2025-02-04T10:00:00Z", ADDENDUM_MEANING,
                                            "1" * 64), **of("addendum"))
    data = build_report(patient, procedure, signature, [addendum], settings=ReportSettings(language=language))
    # pdftotext -raw: its reading order would drop a hyphen that ends a line, taking it for hyphenation
    pages = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, check=True,
                           capture_output=True).stdout.decode("utf-8").split("\f")
    printed = Counter(squeeze("".join(pages)))
    wanted = Counter(squeeze("".join(values.values())))
    assert not wanted - printed  # every character of every value is on the report (none lost at a split)
    flowing, typed = " ".join(pages), "\n".join(values.values())
    glued = {pair for value in values.values() for pair in spaced_pairs(value) if pair in flowing}
    assert not {pair for pair in glued if pair not in typed}  # nor a space (a pair some value has glued is no sign)
