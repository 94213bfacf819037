"""The worklist (`Logbook.worklist`): pages of procedures with their patients' names and ids, searched and sorted
in SQL, and how many a search matches; never the whole logbook loaded."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..model import ENTERED_IN_ERROR
from .session import Session
from .signatures import marked_entered_in_error_sql

# Worklist columns a view may sort by, and the SQL each sorts on (a whitelist: nothing user-typed reaches SQL).
WORKLIST_SORT = {
    "date": "pr.date",
    "name": "pa.name",
    "mrn": "pa.mrn",
    "study_id": "pa.study_id",
    "tumor_staining": "pr.tumor_staining",
    "embolization": "pr.embolization",
    "status": "pr.status",
}
# Whether a patient matches a search (three LIKE parameters, `like(text)`). Unqualified: procedures has no such
# columns.
PATIENT_MATCH = "(name LIKE ? ESCAPE '\\' OR mrn LIKE ? ESCAPE '\\' OR study_id LIKE ? ESCAPE '\\')"
# A record marked entered in error shows so.
_COLUMNS = ("pr.id, pr.patient_id, pr.date, pa.name, pa.mrn, pa.study_id, pr.cycle, pr.tumor_staining, "
            f"pr.embolization, CASE WHEN {marked_entered_in_error_sql('pr.id')} THEN '{ENTERED_IN_ERROR}' "
            "ELSE pr.status END")


def like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class WorklistRow:
    """One line of the worklist: a procedure with its patient's name and ids."""

    procedure_id: str
    patient_id: str
    date: str
    name: str
    mrn: str
    study_id: str | None
    cycle: int | None
    tumor_staining: str
    embolization: str
    status: str


class Worklist:
    """The procedures of one logbook as the worklist pages through them (`Logbook.worklist`)."""

    def __init__(self, session: Session):
        self._session = session

    @property
    def _db(self) -> sqlite3.Connection:
        return self._session.db

    def _filter(self, search: str) -> tuple[str, list]:
        text = (search or "").strip()
        if not text:
            return "", []
        q = like(text)
        return f"WHERE pr.patient_id IN (SELECT id FROM patients WHERE {PATIENT_MATCH})", [q, q, q]

    def rows(self, search: str = "", sort: str = "date", descending: bool = True, limit: int = 200,
             offset: int = 0) -> list[WorklistRow]:
        """One page of procedures for the worklist, filtered and sorted in SQL (never loaded whole)."""
        if sort not in WORKLIST_SORT:
            raise ValueError(f"cannot sort the worklist by {sort!r}")
        direction = "DESC" if descending else "ASC"
        order = f"ORDER BY {WORKLIST_SORT[sort]} {direction}, pr.rowid {direction} LIMIT ? OFFSET ?"
        text = (search or "").strip()
        if text and sort == "date" and descending:
            rows = self._recent_matches(like(text), order, limit, offset)
            if rows is not None:
                return rows
        where, params = self._filter(text)
        sql = (f"SELECT {_COLUMNS} FROM procedures pr JOIN patients pa ON pa.id = pr.patient_id "
               f"{where} {order}")
        return [WorklistRow(*row) for row in self._db.execute(sql, [*params, int(limit), int(offset)]).fetchall()]

    def _recent_matches(self, pattern: str, order: str, limit: int, offset: int) -> list[WorklistRow] | None:
        """The page, if it lies among the most recent procedures; else None.

        The first letters typed ("HS0", "LT-") match most patients: then walking the date index from the newest
        procedure fills a page after a few hundred rows, where looking up every matching patient would touch them
        all. A rare match (a full MRN, a 2-character name) would make that walk cover the whole logbook, so it is
        bounded to a recent window, and the caller falls back to looking the matching patients up.
        """
        # The newest procedures tell how often the search matches: the walk pays off above about one in twenty,
        # over a window sized to hold the page with room to spare.
        sampled, hits = self._db.execute(
            f"SELECT count(*), coalesce(sum({PATIENT_MATCH}), 0) FROM (SELECT patient_id FROM procedures "
            "ORDER BY date DESC LIMIT 200) pr JOIN patients pa ON pa.id = pr.patient_id", [pattern, pattern, pattern]
        ).fetchone()
        if hits * 20 < sampled or not sampled:
            return None
        window = int(min(20_000, max(1000, 1.5 * (offset + limit) * sampled / hits)))
        cutoff = self._db.execute("SELECT date FROM procedures ORDER BY date DESC LIMIT 1 OFFSET ?",
                                  [window]).fetchone()
        if cutoff is None:
            return None  # the logbook is smaller than the window: the general query is as cheap
        sql = (f"SELECT {_COLUMNS} FROM procedures pr INDEXED BY procedures_date "
               f"JOIN patients pa ON pa.id = pr.patient_id WHERE pr.date >= ? AND {PATIENT_MATCH} {order}")
        rows = self._db.execute(sql, [cutoff[0], pattern, pattern, pattern, int(limit), int(offset)]).fetchall()
        # Every procedure dated on or after the cutoff was considered, so a full page is exactly the global one.
        return [WorklistRow(*row) for row in rows] if len(rows) == limit else None

    def count(self, search: str = "") -> int:
        """How many procedures the search matches.

        Counting the procedures of every matching patient costs a lookup per patient, ~100 ms when the first
        letters typed match them all; so the patients are scanned once, and the smaller side is counted:
        the matching patients' procedures, or all procedures less the non-matching patients' ones.
        """
        text = (search or "").strip()
        total = self._db.execute("SELECT count(*) FROM procedures").fetchone()[0]
        if not text:
            return total
        q = like(text)
        hits, patients = self._db.execute(f"SELECT coalesce(sum({PATIENT_MATCH}), 0), count(*) FROM patients",
                                          [q, q, q]).fetchone()
        if hits == 0 or hits == patients:
            return total if hits else 0
        # the smaller side; a NULL study ID is no match
        side = PATIENT_MATCH if hits <= patients - hits else f"NOT coalesce({PATIENT_MATCH}, 0)"
        counted = self._db.execute(f"SELECT count(*) FROM procedures WHERE patient_id IN "
                                   f"(SELECT id FROM patients WHERE {side})", [q, q, q]).fetchone()[0]
        return counted if hits <= patients - hits else total - counted
