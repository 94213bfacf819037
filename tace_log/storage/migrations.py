"""The logbook schema, and the only place it changes: each migration is frozen history, never edited.

A migration writes its own SQL rather than deriving it from the dictionary, so changing the dictionary later
cannot rewrite what an old migration did. `tests/core/test_storage.py` checks every dictionary field has a column.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

# PRAGMA application_id marks a file as a TACE Log logbook ("TACE" in ASCII).
APPLICATION_ID = 0x54414345
MIGRATION_SET = "tace_log"

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


def schema_version() -> int:
    """The schema version this build writes: one step per migration."""
    return len(migrations._migrations)


def migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]
