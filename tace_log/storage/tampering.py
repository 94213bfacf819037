"""Signs that a logbook was changed outside TACE Log: its schema compared with what the migrations made (a dropped
lock or audit trigger lets a plain SQLite client edit a signed record or the audit trail), and, read-only, the
whole file's evidence for `tace-log check`: schema, hash chain, and the heads recorded outside the trail.

The expected schema is pinned (`pinned_schema.py`: the SHA-256 of each table's, index's and trigger's SQL, for
every number of migrations), not made by running the migrations: the app compares it right after its open-time
check, which must not load sqlite-utils. `tests/core/test_tampering.py` checks the migrations still make exactly it.
"""

from __future__ import annotations

from pathlib import Path

from . import audit, heads
from .connection import connect


def schema_objects(conn) -> dict[str, str]:
    """'type name': SHA-256 of its SQL, for every table, index, view and trigger a migration could have made. Left
    out: sqlite-utils' own table of applied migrations (its SQL is whichever sqlite-utils made it) and SQLite's
    internal objects (a table's automatic indexes, which its SQL already fixes; ANALYZE's statistics)."""
    import hashlib  # on first use, not at start-up (tests/ui/test_startup_imports.py)

    return {f"{kind} {name}": hashlib.sha256(sql.encode("utf-8")).hexdigest()
            for kind, name, sql in conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                "AND tbl_name != '_sqlite_migrations' ORDER BY type, name")}


def schema_problems(conn) -> list[str]:
    """Each table, index or trigger that differs from what the logbook's migrations made: dropped, altered or
    added (empty when the schema is exactly theirs)."""
    from .pinned_schema import SCHEMA

    version = conn.execute("PRAGMA user_version").fetchone()[0]
    expected = SCHEMA.get(version)
    if expected is None:
        return [f"the schema is version {version}, which no TACE Log migration makes"]
    found = schema_objects(conn)
    return ([f"{name} was dropped from the schema" for name in sorted(expected.keys() - found.keys())]
            + [f"{name} was altered (its SQL is not what the migrations made)"
               for name in sorted(expected.keys() & found.keys()) if expected[name] != found[name]]
            + [f"{name} was added to the schema (no migration makes it)"
               for name in sorted(found.keys() - expected.keys())])


def file_problems(path: Path) -> tuple[list[str], audit.ChainCheck]:
    """For `tace-log check`, read-only: the schema's problems and the audit trail's check (its hash chain and the
    heads recorded for the file: its head file, and its backups' if it is a logbook)."""
    recorded = heads.recorded_for(path)  # before the snapshot: a head is written after its rows are committed
    conn = connect(Path(path), read_only=True)
    try:
        conn.execute("BEGIN")  # one snapshot of the schema and the trail, while a writer may add rows beside it
        try:
            return schema_problems(conn), audit.verify(audit.read_rows(conn), recorded)
        finally:
            conn.execute("COMMIT")
    finally:
        conn.close()
