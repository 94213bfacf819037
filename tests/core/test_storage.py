"""The logbook file: created right, refuses files that are not ours without touching them, stores exactly."""

import datetime as dt
import sqlite3

import pytest
from safety_samples import damage, file_digest

from tace_log.dictionary import AGENT, COMPLICATION, PATHOLOGY, PATIENT, PROCEDURE, FieldType
from tace_log.errors import InvalidInputError, LogbookCorruptError, NewerSchemaError, NotALogbookError
from tace_log.model import AgentDose, Complication, Patient, Procedure
from tace_log.storage import Change, Changed, Logbook
from tace_log.storage.schema import APPLICATION_ID, MIGRATION_NAMES, SCHEMA_VERSION


def make_patient(**kw) -> Patient:
    values = dict(mrn="HS-1", name="张伟", sex="M", weight_kg=64.5, resection_date=dt.date(2026, 9, 1),
                  arm="lenvatinib_tace", study_id="LT-001")
    values.update(kw)
    return Patient(**values)


def make_procedure(patient: Patient, **kw) -> Procedure:
    values = dict(patient_id=patient.id, date=dt.date(2026, 10, 2), cycle=1, tumor_staining="present",
                  stained_segments=["VI"], embolization="superselective_chemoembolization",
                  agents=[AgentDose(agent="epirubicin", dose=30, unit="mg"),
                          AgentDose(agent="lipiodol", dose=5, unit="mL")])
    values.update(kw)
    return Procedure(**values)


def test_a_new_logbook_has_the_pragmas_and_marks(tmp_path):
    path = tmp_path / "sub" / "new.sqlite"
    with Logbook.open(path) as book:
        assert book.schema_version == SCHEMA_VERSION == Logbook.supported_schema_version()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not (tmp_path / "sub" / "new.sqlite.creating").exists()


def test_connection_settings(logbook):
    db = logbook._db
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_every_dictionary_field_has_a_column_or_a_child_table(logbook):
    db = logbook._db
    cols = {t: {row[1] for row in db.execute(f"PRAGMA table_info({t})")}
            for t in ("patients", "procedures", "agent_doses", "complications")}
    for f in PATIENT.fields:
        assert f.key in cols["patients"]
    for f in PATHOLOGY.fields:
        if f.type is not FieldType.MULTI_CHOICE:
            assert "pathology_" + f.key in cols["patients"]
    for entity, table in ((PROCEDURE, "procedures"), (AGENT, "agent_doses"), (COMPLICATION, "complications")):
        for f in entity.fields:
            if f.type is not FieldType.MULTI_CHOICE:
                assert f.key in cols[table], (table, f.key)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"procedure_segments", "patient_thrombus"} <= tables


def test_save_and_read_back_exactly(logbook):
    patient = make_patient()
    patient.pathology.thrombus = ["portal_vein", "bile_duct"]
    patient.pathology.margin_clear = False
    logbook.save_patient(patient)
    proc = make_procedure(patient, stained_segments=["VII", "VI"], findings="染色，见于VI段。\nSecond line.",
                          complications=[Complication(term="Abdominal pain", ctcae_grade=2, sir_class="mild")])
    proc.agents.append(AgentDose(agent="gelatin_sponge", dose=0.5, unit="vial", particle_min_um=350,
                                 particle_max_um=560, lot="GS-7"))
    logbook.save_procedure(proc)
    assert logbook.get_patient(patient.id).to_document() == patient.to_document()
    stored = logbook.get_procedure(proc.id)
    assert stored.to_document() == proc.to_document()
    assert stored.stained_segments == ["VII", "VI"]
    assert stored.created_at and stored.updated_at and stored.status == "draft"
    assert logbook.counts() == {"patients": 1, "procedures": 1, "agent_doses": 3, "complications": 1}


def test_one_row_per_agent_dose_queryable_with_sqlite3(logbook):
    patient = make_patient()
    logbook.save_patient(patient)
    logbook.save_procedure(make_procedure(patient))
    conn = sqlite3.connect(logbook.path)
    rows = conn.execute("SELECT agent, dose, unit FROM agent_doses ORDER BY position").fetchall()
    assert rows == [("epirubicin", 30.0, "mg"), ("lipiodol", 5.0, "mL")]


def test_a_refused_save_writes_nothing_and_names_the_field(logbook):
    patient = make_patient()
    logbook.save_patient(patient)
    proc = make_procedure(patient)
    logbook.save_procedure(proc)
    before = logbook.get_procedure(proc.id).to_document()
    proc.agents[0].dose = -20
    proc.findings = "changed"
    with pytest.raises(InvalidInputError) as raised:
        logbook.save_procedure(proc)
    assert "agents[0].dose: must be > 0" in str(raised.value)
    assert logbook.get_procedure(proc.id).to_document() == before


def test_an_mrn_belongs_to_one_patient(logbook):
    logbook.save_patient(make_patient(mrn="HS-9"))
    with pytest.raises(InvalidInputError, match="MRN 'HS-9' already belongs to another patient"):
        logbook.save_patient(make_patient(mrn="HS-9", name="李娜"))
    assert logbook.counts()["patients"] == 1


def test_a_new_resection_date_after_a_stored_procedure_is_refused(logbook):
    patient = make_patient()
    logbook.save_patient(patient)
    logbook.save_procedure(make_procedure(patient))
    patient.resection_date = dt.date(2026, 10, 10)
    with pytest.raises(InvalidInputError, match=r"procedures\[0\]\.date: must not be before the resection date"):
        logbook.save_patient(patient)


def test_saving_unchanged_content_changes_nothing(logbook):
    patient = make_patient()
    first = logbook.save_patient(patient)
    stamp = logbook.get_patient(patient.id).updated_at
    second = logbook.save_patient(make_patient(id=patient.id))
    assert first.changed and not second.changed
    assert logbook.get_patient(patient.id).updated_at == stamp


def test_listeners_hear_committed_changes_only(logbook):
    heard = []
    logbook.subscribe(heard.append)
    patient = make_patient()
    logbook.save_patient(patient)
    bad = make_procedure(patient, cycle=0)
    with pytest.raises(InvalidInputError):
        logbook.save_procedure(bad)
    assert heard == [Change(Changed.PATIENT_SAVED, (patient.id,))]


@pytest.fixture
def worklist_book(logbook):
    people = [("张伟", "HS-100", "LT-001"), ("欧阳娜娜", "HS-200", "LT-002"), ("Wang Fang", "HX-300", None),
              ("张伟明", "HS-400", "LT-004")]
    for i, (name, mrn, study) in enumerate(people):
        patient = make_patient(name=name, mrn=mrn, study_id=study)
        logbook.save_patient(patient)
        logbook.save_procedure(make_procedure(patient, date=dt.date(2026, 10, 1 + i)))
    return logbook


@pytest.mark.parametrize("text,names", [
    ("张伟", {"张伟", "张伟明"}),  # a 2-character Chinese name (FTS trigram would need 3)
    ("欧阳", {"欧阳娜娜"}),
    ("HS-2", {"欧阳娜娜"}),  # MRN prefix
    ("HS-", {"张伟", "欧阳娜娜", "张伟明"}),  # most patients match: counted as all less the others
    ("lt-004", {"张伟明"}),  # study ID, any case
    ("wang", {"Wang Fang"}),
    ("%", set()),  # LIKE wildcards are literal
    ("", {"张伟", "欧阳娜娜", "Wang Fang", "张伟明"}),
])
def test_search_finds_names_mrns_and_study_ids(worklist_book, text, names):
    rows = worklist_book.worklist.rows(search=text)
    assert {r.name for r in rows} == names
    assert worklist_book.worklist.count(text) == len(names)
    assert {p.name for p in worklist_book.search_patients(text)} == names


def test_worklist_is_newest_first_sortable_and_paged(worklist_book):
    dates = [r.date for r in worklist_book.worklist.rows()]
    assert dates == sorted(dates, reverse=True)
    by_name = [r.name for r in worklist_book.worklist.rows(sort="name", descending=False)]
    assert by_name == sorted(by_name)
    pages = worklist_book.worklist.rows(limit=2, offset=0) + worklist_book.worklist.rows(limit=2, offset=2)
    assert [r.procedure_id for r in pages] == [r.procedure_id for r in worklist_book.worklist.rows()]
    with pytest.raises(ValueError):
        worklist_book.worklist.rows(sort="name; DROP TABLE patients")


# -- files that are not ours stay untouched --------------------------------------------------------------------
def test_a_text_file_is_not_a_logbook_and_stays_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("patient list\n")
    before = file_digest(path)
    with pytest.raises(NotALogbookError, match="not a TACE Log logbook"):
        Logbook.open(path)
    assert file_digest(path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_a_zero_byte_file_is_refused(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(NotALogbookError, match="empty"):
        Logbook.open(path)
    assert path.stat().st_size == 0


def test_another_apps_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = file_digest(path)
    with pytest.raises(NotALogbookError, match="SQLite database but not a TACE Log logbook"):
        Logbook.open(path)
    assert file_digest(path) == before and not (tmp_path / "other.db-wal").exists()


def test_a_logbook_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.sqlite"
    Logbook.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = file_digest(path)
    with pytest.raises(NewerSchemaError, match="newer TACE Log"):
        Logbook.open(path)
    assert file_digest(path) == before


def test_a_damaged_logbook_is_refused_untouched(tmp_path):
    path = tmp_path / "damaged.sqlite"
    with Logbook.open(path) as book:
        patient = make_patient()
        book.save_patient(patient)
    damage(path)
    before = file_digest(path)
    with pytest.raises(LogbookCorruptError, match="damaged"):
        Logbook.open(path)
    assert file_digest(path) == before


def test_a_missing_logbook_is_not_created_when_asked_not_to(tmp_path):
    from tace_log.errors import LogbookError

    with pytest.raises(LogbookError, match="no logbook"):
        Logbook.open(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()


@pytest.fixture(scope="module")
def big_book(tmp_path_factory):
    """1,500 generated procedures: more than the worklist's recent window, so both search paths run."""
    from bench.generate import TODAY, document
    from tace_log.validation import Validator

    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    with Logbook.open(path, validator=Validator(today=TODAY)) as book:
        book.import_document(document(1500, seed=3))
    with Logbook.open(path) as book:
        yield book


@pytest.mark.parametrize("text", ["HS", "HS000", "HS00001", "张", "王芳", "LT-0001", "Wang", "nobody"])
@pytest.mark.parametrize("offset", [0, 40, 400])
def test_every_worklist_page_is_the_slice_of_the_full_ordered_list(big_book, text, offset):
    everything = list(reversed(big_book.worklist.rows(search=text, descending=False, limit=10_000)))
    assert len(everything) == big_book.worklist.count(text)
    page = big_book.worklist.rows(search=text, limit=40, offset=offset)
    assert page == everything[offset:offset + 40]


def test_a_damaged_logbook_that_needs_an_upgrade_is_checked_even_when_the_check_is_deferred(tmp_path):
    from tace_log.storage.connection import inspect_file

    path = tmp_path / "old.sqlite"
    with Logbook.open(path) as book:
        book.save_patient(make_patient())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=0")  # an older logbook: opening it would upgrade it, and so write
    conn.commit()
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'agent_doses'").fetchone()[0]
    conn.close()
    damage(path, offset=(root - 1) * 4096, length=4096)  # a page none of the cheap checks read
    with pytest.raises(LogbookCorruptError):
        inspect_file(path, None)


def test_a_closed_logbook_says_so(tmp_path):
    book = Logbook.open(tmp_path / "l.sqlite")
    assert book.is_open
    book.close()
    assert not book.is_open


def test_a_refusal_by_a_trigger_is_a_locked_record_not_a_busy_logbook(tmp_path):
    from tace_log.errors import LogbookBusyError, RecordLockedError
    from tace_log.storage.connection import write_error

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("CREATE TRIGGER no BEFORE INSERT ON t "
                 "BEGIN SELECT RAISE(ABORT, 'procedure is signed and locked'); END")
    with pytest.raises(sqlite3.IntegrityError) as raised:
        conn.execute("INSERT INTO t VALUES (1)")
    error = write_error(raised.value, tmp_path / "l.sqlite")
    assert isinstance(error, RecordLockedError) and not isinstance(error, LogbookBusyError)
    assert "signed and locked" in str(error)


def test_the_schema_manifest_names_the_migrations_in_order():
    from tace_log.storage.migrations import migration_names

    assert list(MIGRATION_NAMES) == migration_names()


def test_opening_a_current_logbook_does_not_load_sqlite_utils(tmp_path):
    """sqlite-utils is for migrations; loading it costs the app ~60 ms of its start-up."""
    import subprocess
    import sys

    path = tmp_path / "l.sqlite"
    Logbook.open(path).close()
    probe = ("import sys; from tace_log.storage import Logbook; Logbook.open(sys.argv[1]).close(); "
             "print('sqlite_utils' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("table,column,key", [
    ("procedures", "dap_gycm2", "dap_gycm2"), ("procedure_segments", "segment", "stained_segments"),
    ("patients", "pathology_mvi", "mvi"), ("patient_thrombus", "site", "thrombus"), ("agent_doses", "dose", "dose"),
    ("procedures", "status", None), ("signatures", "signer", None),
])
def test_an_audit_rows_column_is_read_back_as_its_dictionary_field(table, column, key):
    from tace_log.storage.records import audited_field

    field = audited_field(table, column)
    assert (field.key if field else None) == key
