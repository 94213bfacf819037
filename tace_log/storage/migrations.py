"""The logbook schema, and the only place it changes: each migration is frozen history, never edited.

A migration writes its own SQL rather than deriving it from the dictionary, so changing the dictionary later
cannot rewrite what an old migration did. `tests/core/test_storage.py` checks every dictionary field has a column.
The one exception is a new entity's audit triggers, which `audit_triggers` reads from its declaration (the same
columns its table's rows are written with); the pinned schema (`pinned_schema.py`) holds what they were when the
migration shipped, so a later change of that declaration fails its test instead of rewriting history.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ..dictionary import COURSE, KEY_IMAGE, MEDICATION, Entity, declared
from . import schema
from .audit import seal
from .records import layout
from .schema import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    # One execute per statement: executescript() would COMMIT and break the migration's transaction.
    for statement in _INITIAL:
        db.execute(statement)


_INITIAL = [
    """CREATE TABLE patients (
        id TEXT PRIMARY KEY,
        mrn TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        sex TEXT,
        birth_date TEXT,
        weight_kg REAL,
        height_cm REAL,
        arm TEXT,
        study_id TEXT,
        resection_date TEXT,
        resection_margin TEXT,
        pathology_mvi TEXT,
        pathology_tumor_count INTEGER,
        pathology_max_diameter_cm REAL,
        pathology_capsule TEXT,
        pathology_margin_clear INTEGER,
        pathology_rupture INTEGER,
        pathology_adjacent_invasion INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX patients_study_id ON patients(study_id)",
    """CREATE TABLE patient_thrombus (
        patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        site TEXT NOT NULL,
        PRIMARY KEY (patient_id, site)
    )""",
    """CREATE TABLE procedures (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id),
        date TEXT NOT NULL,
        cycle INTEGER,
        operator TEXT,
        access_site TEXT,
        microcatheter TEXT,
        tumor_staining TEXT NOT NULL,
        lesion_count INTEGER,
        largest_lesion_mm REAL,
        embolization TEXT NOT NULL,
        selectivity TEXT,
        target_vessels TEXT,
        endpoint TEXT,
        technical_success TEXT,
        contrast_ml REAL,
        fluoroscopy_min REAL,
        dap_gycm2 REAL,
        air_kerma_mgy REAL,
        findings TEXT,
        impression TEXT,
        status TEXT NOT NULL DEFAULT 'draft',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX procedures_patient ON procedures(patient_id)",
    "CREATE INDEX procedures_date ON procedures(date)",
    """CREATE TABLE procedure_segments (
        procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
        segment TEXT NOT NULL,
        PRIMARY KEY (procedure_id, segment)
    )""",
    """CREATE TABLE agent_doses (
        id TEXT PRIMARY KEY,
        procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        agent TEXT NOT NULL,
        dose REAL NOT NULL,
        unit TEXT NOT NULL,
        particle_min_um REAL,
        particle_max_um REAL,
        lot TEXT,
        UNIQUE (procedure_id, position)
    )""",
    """CREATE TABLE complications (
        id TEXT PRIMARY KEY,
        procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        term TEXT NOT NULL,
        ctcae_grade INTEGER,
        sir_class TEXT,
        management TEXT,
        UNIQUE (procedure_id, position)
    )""",
]


def migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]


# -- 0002: users, signatures, addenda, the audit trail, and the locks ---------------------------------------------
# Frozen copies of the audited columns as of this migration. A later migration that adds a clinical column must
# re-create that table's audit triggers (tests/core/test_audit.py checks every column is covered).
_AUDITED = {
    # table: (record id expression, owner expression: the patient or procedure the row belongs to, columns)
    "patients": ("{row}.id", "{row}.id", [
        "id", "mrn", "name", "sex", "birth_date", "weight_kg", "height_cm", "arm", "study_id", "resection_date",
        "resection_margin", "pathology_mvi", "pathology_tumor_count", "pathology_max_diameter_cm",
        "pathology_capsule", "pathology_margin_clear", "pathology_rupture", "pathology_adjacent_invasion"]),
    "procedures": ("{row}.id", "{row}.id", [
        "id", "patient_id", "date", "cycle", "operator", "access_site", "microcatheter", "tumor_staining",
        "lesion_count", "largest_lesion_mm", "embolization", "selectivity", "target_vessels", "endpoint",
        "technical_success", "contrast_ml", "fluoroscopy_min", "dap_gycm2", "air_kerma_mgy", "findings",
        "impression", "status"]),
    "agent_doses": ("{row}.id", "{row}.procedure_id", [
        "id", "procedure_id", "position", "agent", "dose", "unit", "particle_min_um", "particle_max_um", "lot"]),
    "complications": ("{row}.id", "{row}.procedure_id", [
        "id", "procedure_id", "position", "term", "ctcae_grade", "sir_class", "management"]),
    "patient_thrombus": ("{row}.patient_id", "{row}.patient_id", ["patient_id", "site"]),
    "procedure_segments": ("{row}.procedure_id", "{row}.procedure_id", ["procedure_id", "segment"]),
    "signatures": ("{row}.procedure_id", "{row}.procedure_id", [
        "procedure_id", "username", "signer", "meaning", "signed_at", "content_sha256"]),
    "addenda": ("{row}.id", "{row}.procedure_id", [
        "id", "procedure_id", "text", "reason", "username", "author", "meaning", "created_at", "content_sha256"]),
    "users": ("{row}.username", "NULL", ["username", "full_name", "role"]),
}
# Tables whose rows never change once written.
_APPEND_ONLY = {"signatures": "a signature cannot be changed or removed",
                "addenda": "an addendum cannot be changed or removed: add another addendum",
                "audit_log": "audit rows cannot be changed or removed"}
_LOCKED = "is signed and locked: add an addendum instead"


def _audit_row(table: str, action: str, record: str, owner: str, field: str, old: str, new: str,
               where: str = "") -> str:
    """One audit row, chained to the row before it (its generated `hash` column seals it). The user, reason and
    seal are functions the Logbook registers on its connection (storage/audit.py), so a client without them
    cannot write clinical data. A plain VALUES row: each value is computed once, nothing is materialized."""
    values = (f"strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), tace_audit_user(), tace_audit_reason(), '{table}', "
              f"{record}, {owner}, '{action}', {field}, {old}, {new}, "
              "(SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)")
    return ("INSERT INTO audit_log (at, username, reason, table_name, record_id, parent_id, action, field, "
            "old_value, new_value, prev_hash) " + (f"SELECT {values} {where};" if where else f"VALUES ({values});"))


def _json_row(columns: list[str], row: str) -> str:
    return "json_object(" + ", ".join(f"'{c}', {row}.{c}" for c in columns) + ")"


def _audit_triggers(table: str, audited: tuple | None = None) -> list[str]:
    """The insert, delete and update audit triggers of a table, for its audited columns as of one migration."""
    record, owner, columns = audited or _AUDITED[table]
    out = []
    for action, row in (("insert", "NEW"), ("delete", "OLD")):
        rec, par = record.format(row=row), owner.format(row=row)
        # an inserted or deleted record is one row holding all its values (lean: imports stay fast)
        value = f"{row}.{columns[-1]}" if len(columns) == 2 else _json_row(columns, row)
        field = f"'{columns[-1]}'" if len(columns) == 2 else "NULL"
        old, new = ("NULL", value) if action == "insert" else (value, "NULL")
        out.append(f"CREATE TRIGGER audit_{table}_{action} AFTER {action.upper()} ON {table} BEGIN "
                   f"{_audit_row(table, action, rec, par, field, old, new)} END")
    rec, par = record.format(row="NEW"), owner.format(row="NEW")
    body = " ".join(_audit_row(table, "update", rec, par, f"'{c}'", f"OLD.{c}", f"NEW.{c}",
                               f"WHERE OLD.{c} IS NOT NEW.{c}") for c in columns)
    out.append(f"CREATE TRIGGER audit_{table}_update AFTER UPDATE ON {table} BEGIN {body} END")
    return out


def _signed(procedure_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM procedures WHERE id = {procedure_id} AND status = 'signed')"


def _lock_triggers() -> list[str]:
    out = [
        f"""CREATE TRIGGER lock_procedures_update BEFORE UPDATE ON procedures WHEN OLD.status = 'signed'
            BEGIN SELECT RAISE(ABORT, 'procedure {_LOCKED}'); END""",
        f"""CREATE TRIGGER lock_procedures_delete BEFORE DELETE ON procedures WHEN OLD.status = 'signed'
            BEGIN SELECT RAISE(ABORT, 'procedure {_LOCKED}'); END""",
        _SIGNED_ONLY_WITH_A_SIGNATURE,
        """CREATE TRIGGER lock_procedures_insert BEFORE INSERT ON procedures WHEN NEW.status != 'draft'
            BEGIN SELECT RAISE(ABORT, 'a new procedure is a draft'); END""",
        # a patient's identifying fields are part of what was signed
        """CREATE TRIGGER lock_patients_update BEFORE UPDATE OF id, mrn, name, sex, birth_date ON patients
            WHEN (OLD.id IS NOT NEW.id OR OLD.mrn IS NOT NEW.mrn OR OLD.name IS NOT NEW.name
                  OR OLD.sex IS NOT NEW.sex OR OLD.birth_date IS NOT NEW.birth_date)
             AND EXISTS (SELECT 1 FROM procedures WHERE patient_id = OLD.id AND status = 'signed')
            BEGIN SELECT RAISE(ABORT, 'patient has a signed procedure: name, MRN, sex and birth date are locked');
            END""",
        """CREATE TRIGGER lock_patients_delete BEFORE DELETE ON patients
            WHEN EXISTS (SELECT 1 FROM procedures WHERE patient_id = OLD.id AND status = 'signed')
            BEGIN SELECT RAISE(ABORT, 'patient has a signed procedure and cannot be removed'); END""",
    ]
    for table in ("agent_doses", "complications", "procedure_segments"):
        for action, row in (("insert", "NEW"), ("update", "OLD"), ("delete", "OLD")):
            out.append(f"""CREATE TRIGGER lock_{table}_{action} BEFORE {action.upper()} ON {table}
                WHEN {_signed(row + '.procedure_id')}
                BEGIN SELECT RAISE(ABORT, 'procedure {_LOCKED}'); END""")
    out.append(_ADDENDA_ONLY_WHEN_SIGNED)
    for table in _APPEND_ONLY:
        out += _append_only(table)
    return out


def _append_only(table: str) -> list[str]:
    return [f"CREATE TRIGGER append_only_{table}_{action} BEFORE {action.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY[table]}'); END" for action in ("update", "delete")]


_SIGNED_ONLY_WITH_A_SIGNATURE = (
    "CREATE TRIGGER lock_procedures_sign BEFORE UPDATE OF status ON procedures WHEN NEW.status = 'signed'\n"
    "            AND NOT EXISTS (SELECT 1 FROM signatures WHERE procedure_id = NEW.id)\n"
    "            BEGIN SELECT RAISE(ABORT, 'a procedure is signed only with a signature'); END")
_ADDENDA_ONLY_WHEN_SIGNED = """CREATE TRIGGER lock_addenda_draft BEFORE INSERT ON addenda
        WHEN NOT EXISTS (SELECT 1 FROM procedures WHERE id = NEW.procedure_id AND status = 'signed')
        BEGIN SELECT RAISE(ABORT, 'only a signed procedure gets addenda'); END"""


_SIGNING = [
    """CREATE TABLE users (
        username TEXT PRIMARY KEY,
        full_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('radiologist', 'nurse', 'admin')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE signatures (
        procedure_id TEXT PRIMARY KEY REFERENCES procedures(id),
        username TEXT NOT NULL REFERENCES users(username),
        signer TEXT NOT NULL,
        meaning TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        content_sha256 TEXT NOT NULL
    )""",
    """CREATE TABLE addenda (
        id TEXT PRIMARY KEY,
        procedure_id TEXT NOT NULL REFERENCES procedures(id),
        text TEXT NOT NULL,
        reason TEXT NOT NULL,
        username TEXT NOT NULL REFERENCES users(username),
        author TEXT NOT NULL,
        meaning TEXT NOT NULL,
        created_at TEXT NOT NULL,
        content_sha256 TEXT NOT NULL
    )""",
    "CREATE INDEX addenda_procedure ON addenda(procedure_id)",
    # old_value/new_value have no declared type, so a value keeps its SQLite type (and its hash)
    """CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        username TEXT,
        reason TEXT,
        table_name TEXT NOT NULL,
        record_id TEXT,
        parent_id TEXT,
        action TEXT NOT NULL,
        field TEXT,
        old_value,
        new_value,
        prev_hash TEXT,
        hash TEXT NOT NULL GENERATED ALWAYS AS (tace_audit_seal(prev_hash, at, username, reason, table_name,
            record_id, parent_id, action, field, old_value, new_value)) STORED
    )""",
    "CREATE INDEX audit_log_parent ON audit_log(parent_id)",
]


@migrations(name="0002_signing_audit")
def signing_audit(db: Database) -> None:
    # the seal must exist to create the table whose hash column uses it; the Logbook registers it again, with the
    # time, user and reason functions, on every connection it opens
    db.conn.create_function("tace_audit_seal", 11, seal, deterministic=True)
    for statement in [*_SIGNING, *_lock_triggers(), *(t for table in _AUDITED for t in _audit_triggers(table))]:
        db.execute(statement)


# -- 0003: a user can be deactivated (leaves, never signs again), and a password someone else set must be changed
# before its owner signs -----------------------------------------------------------------------------------------
_USERS_0003 = ("{row}.username", "NULL", ["username", "full_name", "role", "active", "must_change_password"])


@migrations(name="0003_user_accounts")
def user_accounts(db: Database) -> None:
    db.conn.create_function("tace_audit_seal", 11, seal, deterministic=True)  # the schema is re-read on ALTER
    for statement in [
        "ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))",
        "ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 "
        "CHECK (must_change_password IN (0, 1))",
        *(f"DROP TRIGGER audit_users_{action}" for action in ("insert", "delete", "update")),
        # A password set by someone else before this migration (its last change not made with the current one).
        # Between the triggers: the migration, not a user, sets this, and its connection has no audit functions.
        "UPDATE users SET must_change_password = 1 WHERE (SELECT new_value FROM audit_log WHERE table_name = 'users' "
        "AND record_id = users.username AND action = 'password' ORDER BY seq DESC LIMIT 1) "
        "NOT LIKE '%, with the current password'",
        *_audit_triggers("users", _USERS_0003),
    ]:
        db.execute(statement)


# -- 0004: a change of a password's hash is audited, whoever makes it: who made it and that it changed (an event
# row, as the Logbook wrote itself before), never the hash. The Logbook's reason says who allowed it, or that it was
# an upgrade to stronger scrypt parameters. ------------------------------------------------------------------------
_PASSWORD_AUDIT = (
    "CREATE TRIGGER audit_users_password AFTER UPDATE OF password_hash ON users "
    "WHEN OLD.password_hash IS NOT NEW.password_hash BEGIN "
    + _audit_row("users", "password", "NEW.username", "NULL", "NULL", "NULL", "'password of ' || NEW.username || "
                 "' changed'") + " END")


@migrations(name="0004_password_audit")
def password_audit(db: Database) -> None:
    db.execute(_PASSWORD_AUDIT)  # a new trigger only: the audit functions are needed when it fires, not now


# -- 0005: a signature keeps what it signed (the content of signing.py's version 2, every value the report prints,
# and which version a signature used: the ones made before cover fewer fields and keep verifying), the signer's role,
# and whether it was signed in another logbook and imported (`signed_elsewhere`): such a signer is no user of this
# logbook, so the signatures and addenda tables lose their reference to users, and a trigger keeps it for what is
# signed here. SQLite cannot drop a reference in place: each table is made again, its rows copied as they are, its
# triggers with it. Nothing is audited: no value changes (the new columns of the old rows are their defaults). ---
_SIGNATURES_0005 = ("{row}.procedure_id", "{row}.procedure_id", [
    "procedure_id", "username", "signer", "meaning", "signed_at", "content_sha256", "content_version", "content",
    "signer_role", "signed_elsewhere"])
_ADDENDA_0005 = ("{row}.id", "{row}.procedure_id", [
    "id", "procedure_id", "text", "reason", "username", "author", "meaning", "created_at", "content_sha256",
    "signed_elsewhere"])


def _signed_here_by_a_user(table: str, what: str) -> str:
    return (f"CREATE TRIGGER local_signer_{table} BEFORE INSERT ON {table} WHEN NOT NEW.signed_elsewhere "
            "AND NOT EXISTS (SELECT 1 FROM users WHERE username = NEW.username) "
            f"BEGIN SELECT RAISE(ABORT, '{what} made in this logbook is by one of its users'); END")


_SIGNED_CONTENT = [
    "DROP TRIGGER lock_procedures_sign",  # it names the signatures table, made again below
    "ALTER TABLE signatures RENAME TO signatures_0002",
    """CREATE TABLE signatures (
        procedure_id TEXT PRIMARY KEY REFERENCES procedures(id),
        username TEXT NOT NULL,
        signer TEXT NOT NULL,
        meaning TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        content_version INTEGER NOT NULL CHECK (content_version >= 1),
        content TEXT CHECK ((content IS NULL) = (content_version = 1)),
        signer_role TEXT,
        signed_elsewhere INTEGER NOT NULL DEFAULT 0 CHECK (signed_elsewhere IN (0, 1))
    )""",
    "INSERT INTO signatures (procedure_id, username, signer, meaning, signed_at, content_sha256, content_version) "
    "SELECT procedure_id, username, signer, meaning, signed_at, content_sha256, 1 FROM signatures_0002",
    "DROP TABLE signatures_0002",  # and its triggers (a dropped table's rows fire no trigger)
    "ALTER TABLE addenda RENAME TO addenda_0002",
    """CREATE TABLE addenda (
        id TEXT PRIMARY KEY,
        procedure_id TEXT NOT NULL REFERENCES procedures(id),
        text TEXT NOT NULL,
        reason TEXT NOT NULL,
        username TEXT NOT NULL,
        author TEXT NOT NULL,
        meaning TEXT NOT NULL,
        created_at TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        signed_elsewhere INTEGER NOT NULL DEFAULT 0 CHECK (signed_elsewhere IN (0, 1))
    )""",
    # the rowid too: addenda are read in the order they were written
    "INSERT INTO addenda (rowid, id, procedure_id, text, reason, username, author, meaning, created_at, "
    "content_sha256) SELECT rowid, id, procedure_id, text, reason, username, author, meaning, created_at, "
    "content_sha256 FROM addenda_0002",
    "DROP TABLE addenda_0002",
    "CREATE INDEX addenda_procedure ON addenda(procedure_id)",
    _SIGNED_ONLY_WITH_A_SIGNATURE,
    _ADDENDA_ONLY_WHEN_SIGNED,
    _signed_here_by_a_user("signatures", "a signature"),
    _signed_here_by_a_user("addenda", "an addendum"),
    *_append_only("signatures"),
    *_append_only("addenda"),
    *_audit_triggers("signatures", _SIGNATURES_0005),
    *_audit_triggers("addenda", _ADDENDA_0005),
]


@migrations(name="0005_signed_content")
def keep_signed_content(db: Database) -> None:
    db.conn.create_function("tace_audit_seal", 11, seal, deterministic=True)  # the schema is re-read on ALTER
    for statement in _SIGNED_CONTENT:
        db.execute(statement)



# -- 0006: a value recorded where it does not apply (stained lesions with no stain: `applies_when`, a rule added
# after version 0.1 stored them) is cleared from every unsigned procedure, as the form clears it, each change
# audited with its reason. A signed procedure keeps what was signed: its export imports with a warning
# (validation.LATER_RULES). Frozen: the fields and values of the rule as it was added.
CLEARED_0006 = "cleared by migration 0006: recorded where it does not apply (no tumour stain)"
_NO_STAIN_0006 = "(tumor_staining IS NULL OR tumor_staining NOT IN ('present', 'equivocal')) AND status != 'signed'"


@migrations(name="0006_clear_values_not_applying")
def clear_values_not_applying(db: Database) -> None:
    db.conn.create_function("tace_audit_user", 0, lambda: "tace-log:migration")
    db.conn.create_function("tace_audit_reason", 0, lambda: CLEARED_0006)
    db.conn.create_function("tace_audit_seal", 11, seal, deterministic=True)
    db.execute(f"UPDATE procedures SET lesion_count = NULL, largest_lesion_mm = NULL WHERE {_NO_STAIN_0006} "
               "AND (lesion_count IS NOT NULL OR largest_lesion_mm IS NOT NULL)")
    db.execute("DELETE FROM procedure_segments WHERE procedure_id IN "
               f"(SELECT id FROM procedures WHERE {_NO_STAIN_0006})")


# -- 0007: the patient's course (tace-log/2): screening, labs, the lenvatinib course, adverse events, follow-ups, a
# recurrence, a death, a loss to follow-up, a withdrawal, each a table under its patient; the pathology's "HCC
# confirmed", a procedure's intent and stain interpretation. The tables are this migration's SQL; their audit
# triggers are read from the declarations (`audit_triggers`), pinned by tests/core/test_tampering.py. The patients'
# and procedures' audit triggers are made again to cover the new columns (frozen copies below). A signed
# procedure's new columns are null: what it signed is unchanged (null is not recorded, `signing._recorded`). ------
_PATIENTS_0007 = ("{row}.id", "{row}.id", [*_AUDITED["patients"][2], "pathology_hcc_confirmed"])
_PROCEDURES_0007 = ("{row}.id", "{row}.id", [
    "id", "patient_id", "date", "cycle", "intent", "operator", "access_site", "microcatheter", "tumor_staining",
    "lesion_count", "largest_lesion_mm", "stain_interpretation", "embolization", "selectivity", "target_vessels",
    "endpoint", "technical_success", "contrast_ml", "fluoroscopy_min", "dap_gycm2", "air_kerma_mgy", "findings",
    "impression", "status"])
_COURSE_TABLES = [
    """CREATE TABLE screenings (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL UNIQUE REFERENCES patients(id) ON DELETE CASCADE,
        screen_no TEXT,
        screen_date TEXT,
        consent_date TEXT,
        enrolled INTEGER,
        enrol_date TEXT,
        arm_basis TEXT,
        not_enrolled_reason TEXT,
        not_enrolled_note TEXT,
        resection_intent TEXT,
        asa INTEGER,
        ecog INTEGER,
        ascites TEXT,
        encephalopathy TEXT,
        hbsag TEXT,
        antiviral TEXT,
        prior_lenvatinib INTEGER,
        sorafenib_allergy INTEGER,
        pregnant_or_lactating INTEGER,
        other_malignancy INTEGER,
        mental_illness INTEGER,
        other_trial_within_3_months INTEGER,
        prohibited_postop_therapy INTEGER
    )""",
    """CREATE TABLE labs (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        date TEXT NOT NULL,
        test TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        qualifier TEXT,
        uln REAL
    )""",
    "CREATE INDEX labs_patient ON labs(patient_id, position)",
    """CREATE TABLE lenvatinib_periods (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        start TEXT NOT NULL,
        end TEXT,
        dose_mg INTEGER NOT NULL,
        frequency TEXT NOT NULL,
        intent TEXT,
        weight_kg REAL,
        end_reason TEXT,
        adverse_event_id TEXT
    )""",
    "CREATE INDEX lenvatinib_periods_patient ON lenvatinib_periods(patient_id, position)",
    """CREATE TABLE adverse_events (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        term TEXT NOT NULL,
        ctcae_grade INTEGER NOT NULL,
        onset TEXT NOT NULL,
        resolved TEXT,
        serious INTEGER,
        attribution_lenvatinib TEXT,
        attribution_tace TEXT,
        action_lenvatinib TEXT,
        action_date TEXT,
        outcome TEXT,
        management TEXT
    )""",
    "CREATE INDEX adverse_events_patient ON adverse_events(patient_id, position)",
    """CREATE TABLE follow_ups (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        date TEXT NOT NULL,
        type TEXT NOT NULL,
        modality TEXT,
        result TEXT,
        alive INTEGER,
        note TEXT
    )""",
    "CREATE INDEX follow_ups_patient ON follow_ups(patient_id, position)",
    """CREATE TABLE recurrences (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL UNIQUE REFERENCES patients(id) ON DELETE CASCADE,
        first_seen_date TEXT NOT NULL,
        confirmation_date TEXT,
        dsa_first_seen_date TEXT,
        pattern TEXT NOT NULL,
        intrahepatic_type TEXT,
        relation_to_resection TEXT,
        confirmation_method TEXT NOT NULL,
        note TEXT
    )""",
    """CREATE TABLE recurrence_sites (
        recurrence_id TEXT NOT NULL REFERENCES recurrences(id) ON DELETE CASCADE,
        site TEXT NOT NULL,
        PRIMARY KEY (recurrence_id, site)
    )""",
    """CREATE TABLE recurrence_treatments (
        recurrence_id TEXT NOT NULL REFERENCES recurrences(id) ON DELETE CASCADE,
        treatment TEXT NOT NULL,
        PRIMARY KEY (recurrence_id, treatment)
    )""",
    """CREATE TABLE deaths (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL UNIQUE REFERENCES patients(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        cause TEXT NOT NULL,
        source TEXT
    )""",
    """CREATE TABLE losses_to_follow_up (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL UNIQUE REFERENCES patients(id) ON DELETE CASCADE,
        declared_date TEXT NOT NULL
    )""",
    """CREATE TABLE contact_attempts (
        loss_id TEXT NOT NULL REFERENCES losses_to_follow_up(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        PRIMARY KEY (loss_id, date)
    )""",
    """CREATE TABLE withdrawals (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL UNIQUE REFERENCES patients(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        reason TEXT NOT NULL,
        note TEXT
    )""",
]


@migrations(name="0007_course")
def course(db: Database) -> None:
    db.conn.create_function("tace_audit_seal", 11, seal, deterministic=True)  # the schema is re-read on ALTER
    for statement in [
        "ALTER TABLE patients ADD COLUMN pathology_hcc_confirmed INTEGER",
        "ALTER TABLE procedures ADD COLUMN intent TEXT",
        "ALTER TABLE procedures ADD COLUMN stain_interpretation TEXT",
        *(f"DROP TRIGGER audit_{table}_{action}" for table in ("patients", "procedures")
          for action in ("insert", "delete", "update")),
        *_audit_triggers("patients", _PATIENTS_0007),
        *_audit_triggers("procedures", _PROCEDURES_0007),
        *_COURSE_TABLES,
        *(t for entity in COURSE for t in audit_triggers(entity)),
    ]:
        db.execute(statement)


# -- 0008: the angiography record, complete (issue 20): a procedure's times, indication and diagnosis, assistants,
# consent and time-out, anaesthesia, sheath, base catheter and closure, the hepatic arterial anatomy, the lipiodol
# emulsion, completion angiography and cone-beam CT, the contrast agent, tolerance, orders and follow-up plan; and
# the other drugs given (lidocaine, antiemetics), a list locked with its signed procedure like the agents. The
# procedures' audit triggers are made again for the new columns (frozen below); a signed procedure's new columns
# are null, so what it signed is unchanged. ------------------------------------------------------------------------
_PROCEDURES_0008 = ("{row}.id", "{row}.id", [
    "id", "patient_id", "date", "cycle", "intent", "start_time", "end_time", "procedure_name", "indication",
    "pre_diagnosis", "operator", "assistants", "consent_obtained", "time_out_done", "anaesthesia",
    "access_site", "sheath_fr", "base_catheter", "microcatheter", "closure", "closure_device", "michels_type",
    "anatomy_variants", "portal_vein", "tumor_staining", "lesion_count", "largest_lesion_mm",
    "stain_interpretation", "embolization", "selectivity", "target_vessels", "endpoint", "technical_success",
    "emulsion_drug", "emulsion_ratio", "completion_angiography", "cone_beam_ct", "contrast_agent",
    "contrast_ml", "fluoroscopy_min", "dap_gycm2", "air_kerma_mgy", "tolerance", "findings", "impression",
    "post_orders", "follow_up_plan", "status"])
_ANGIOGRAPHY_RECORD = [
    "ALTER TABLE procedures ADD COLUMN start_time TEXT",
    "ALTER TABLE procedures ADD COLUMN end_time TEXT",
    "ALTER TABLE procedures ADD COLUMN procedure_name TEXT",
    "ALTER TABLE procedures ADD COLUMN indication TEXT",
    "ALTER TABLE procedures ADD COLUMN pre_diagnosis TEXT",
    "ALTER TABLE procedures ADD COLUMN assistants TEXT",
    "ALTER TABLE procedures ADD COLUMN consent_obtained INTEGER",
    "ALTER TABLE procedures ADD COLUMN time_out_done INTEGER",
    "ALTER TABLE procedures ADD COLUMN anaesthesia TEXT",
    "ALTER TABLE procedures ADD COLUMN sheath_fr REAL",
    "ALTER TABLE procedures ADD COLUMN base_catheter TEXT",
    "ALTER TABLE procedures ADD COLUMN closure TEXT",
    "ALTER TABLE procedures ADD COLUMN closure_device TEXT",
    "ALTER TABLE procedures ADD COLUMN michels_type TEXT",
    "ALTER TABLE procedures ADD COLUMN anatomy_variants TEXT",
    "ALTER TABLE procedures ADD COLUMN portal_vein TEXT",
    "ALTER TABLE procedures ADD COLUMN emulsion_drug TEXT",
    "ALTER TABLE procedures ADD COLUMN emulsion_ratio TEXT",
    "ALTER TABLE procedures ADD COLUMN completion_angiography INTEGER",
    "ALTER TABLE procedures ADD COLUMN cone_beam_ct INTEGER",
    "ALTER TABLE procedures ADD COLUMN contrast_agent TEXT",
    "ALTER TABLE procedures ADD COLUMN tolerance TEXT",
    "ALTER TABLE procedures ADD COLUMN post_orders TEXT",
    "ALTER TABLE procedures ADD COLUMN follow_up_plan TEXT",
    """CREATE TABLE procedure_medications (
        id TEXT PRIMARY KEY,
        procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        drug TEXT NOT NULL,
        dose REAL,
        unit TEXT,
        route TEXT,
        UNIQUE (procedure_id, position)
    )""",
]


@migrations(name="0008_angiography_record")
def angiography_record(db: Database) -> None:
    db.conn.create_function("tace_audit_seal", 11, seal, deterministic=True)  # the schema is re-read on ALTER
    for statement in [
        *_ANGIOGRAPHY_RECORD,
        *(f"DROP TRIGGER audit_procedures_{action}" for action in ("insert", "delete", "update")),
        *_audit_triggers("procedures", _PROCEDURES_0008),
        *audit_triggers(MEDICATION),
        *(f"""CREATE TRIGGER lock_procedure_medications_{action} BEFORE {action.upper()} ON procedure_medications
                WHEN {_signed(row + '.procedure_id')}
                BEGIN SELECT RAISE(ABORT, 'procedure {_LOCKED}'); END"""
          for action, row in (("insert", "NEW"), ("update", "OLD"), ("delete", "OLD"))),
    ]:
        db.execute(statement)


# -- 0009: a patient's lab results by test and date, with the columns a rule reads: eligibility reads each patient's
# results of nine tests up to a date (storage/eligibility_inputs.py), and over 10,000 patients with 60 results each,
# seeking them here rather than walking every result of every patient is a third of its time. --------------------
@migrations(name="0009_labs_by_test")
def labs_by_test(db: Database) -> None:
    db.execute("CREATE INDEX labs_by_test ON labs(patient_id, test, date, position, value, unit, qualifier, uln)")


# -- 0010: key images (issue 20): a procedure's images, a list locked with its signed procedure like the agents,
# naming each image by the SHA-256 of its bytes; the bytes are kept once each in key_image_files, never updated or
# deleted (an image attached by mistake and removed stays in the file, unreferenced: nothing is ever lost). The
# bytes are not copied into the audit trail: the key_images rows, audited, name them by hash, and every read of
# the bytes recomputes it (storage/key_images.py). ------------------------------------------------------------
_KEY_IMAGES = [
    """CREATE TABLE key_image_files (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        media_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        data BLOB NOT NULL,
        stored_at TEXT NOT NULL
    )""",
    *(f"""CREATE TRIGGER append_only_key_image_files_{action} BEFORE {action.upper()} ON key_image_files
            BEGIN SELECT RAISE(ABORT, 'a key image file is never changed or deleted'); END"""
      for action in ("update", "delete")),
    """CREATE TABLE key_images (
        id TEXT PRIMARY KEY,
        procedure_id TEXT NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        caption TEXT,
        media_type TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES key_image_files(sha256),
        UNIQUE (procedure_id, position)
    )""",
    "CREATE INDEX key_images_by_file ON key_images(sha256)",
]


@migrations(name="0010_key_images")
def key_images(db: Database) -> None:
    for statement in [
        *_KEY_IMAGES,
        *audit_triggers(KEY_IMAGE),
        *(f"""CREATE TRIGGER lock_key_images_{action} BEFORE {action.upper()} ON key_images
                WHEN {_signed(row + '.procedure_id')}
                BEGIN SELECT RAISE(ABORT, 'procedure {_LOCKED}'); END"""
          for action, row in (("insert", "NEW"), ("update", "OLD"), ("delete", "OLD"))),
    ]:
        db.execute(statement)


# -- 0011: the dose report's details (issue 20): a procedure's fluoroscopy and acquisition dose-area products and its
# number of irradiation events, which a dose import (rdsr.py) reads with the totals. The procedures' audit triggers
# are made again for the new columns (frozen below); a signed procedure's new columns are null, so what it signed is
# unchanged. --------------------------------------------------------------------------------------------------
_DOSE_DETAILS_AFTER = _PROCEDURES_0008[2].index("air_kerma_mgy") + 1  # where the dictionary declares them
_PROCEDURES_0011 = ("{row}.id", "{row}.id", [*_PROCEDURES_0008[2][:_DOSE_DETAILS_AFTER], "fluoro_dap_gycm2",
                                              "acquisition_dap_gycm2", "irradiation_events",
                                              *_PROCEDURES_0008[2][_DOSE_DETAILS_AFTER:]])


@migrations(name="0011_dose_details")
def dose_details(db: Database) -> None:
    db.conn.create_function("tace_audit_seal", 11, seal, deterministic=True)  # the schema is re-read on ALTER
    for statement in [
        "ALTER TABLE procedures ADD COLUMN fluoro_dap_gycm2 REAL",
        "ALTER TABLE procedures ADD COLUMN acquisition_dap_gycm2 REAL",
        "ALTER TABLE procedures ADD COLUMN irradiation_events INTEGER",
        *(f"DROP TRIGGER audit_procedures_{action}" for action in ("insert", "delete", "update")),
        *_audit_triggers("procedures", _PROCEDURES_0011),
    ]:
        db.execute(statement)


# What the audit triggers cover now: each table's columns as of the last migration that set them.
AUDITED = {**_AUDITED, "users": _USERS_0003, "signatures": _SIGNATURES_0005, "addenda": _ADDENDA_0005,
           "patients": _PATIENTS_0007, "procedures": _PROCEDURES_0011}


# -- a declared entity's audit triggers, and migrations added from outside this file ----------------------------
_UNAUDITED = ("created_at", "updated_at")  # the audit row has its own time


def audited_columns(entity: Entity) -> dict[str, tuple[str, str, list[str]]]:
    """What the audit triggers of an entity's table and its multi-choice tables cover, read from its declaration:
    table -> (record id expression, owner expression, columns), as `_AUDITED` has them. The owner is the record a
    row's history is kept under: the patient's or procedure's own id, a part's parent's (an agent's procedure)."""
    stored = layout(entity)
    parent = declared(entity.parent) if entity.parent is not None else None
    grouped_alone = parent is None or entity.standalone
    owner = "{row}.id" if grouped_alone else "{row}." + str(stored.owner)
    out = {stored.table: ("{row}.id", owner, [c for c in stored.columns if c not in _UNAUDITED])}
    for _part, _key, table in stored.multi:
        # a multi-choice row of a part (a lab's findings) is kept under its record's owner, found while it exists:
        # its rows are deleted before the record's (Logbook._delete_under)
        multi_owner = "{row}." + table.owner if grouped_alone else \
            f"(SELECT {stored.owner} FROM {stored.table} WHERE id = {{row}}.{table.owner})"
        out[table.table] = ("{row}." + table.owner, multi_owner, [table.owner, table.value])
    return out


def audit_triggers(entity: Entity) -> list[str]:
    """The audit triggers of a declared entity's table and its multi-choice tables, for its migration to create
    (docs/adding-an-entity.md)."""
    return [t for table, audited in audited_columns(entity).items() for t in _audit_triggers(table, audited)]


# ... and the course's tables, the other drugs' and the key images', whose triggers migrations 0007, 0008 and 0010
# read from their declarations.
AUDITED.update((table, audited) for entity in (*COURSE, MEDICATION, KEY_IMAGE)
               for table, audited in audited_columns(entity).items())


def add(name: str, migrate: Callable[[Database], None]) -> Callable[[], None]:
    """Run `migrate` after the shipped migrations, on every logbook opened from now on, and return what takes it
    back. A shipped migration is written above instead, its name in `schema.MIGRATION_NAMES`; this is for
    migrations made at run time (a test's throwaway entity)."""
    migrations(name=name)(migrate)
    schema.ADDED.append(name)

    def take_back() -> None:
        schema.ADDED.remove(name)
        migrations._migrations[:] = [m for m in migrations._migrations if m.name != name]

    return take_back
