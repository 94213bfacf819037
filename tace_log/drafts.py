"""Drafts: what a form holds before it is saved, kept on disk so nothing typed is lost to a crash or a kill.

One JSON file per open form (a procedure form, or a course record's dialog) and per person in a `drafts/` folder
beside the logbook (two people's unsaved work on one procedure are two drafts: neither overwrites the other's),
written atomically (a temporary file, fsync, rename) so a kill mid-write leaves the previous draft, never half of
one. A draft is deleted when its form is saved or explicitly discarded; whatever is left at the next start is offered
back. Drafts hold documents (the interchange shapes) exactly as the form had them, invalid values included: a draft
is not a record.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

from .files import atomic_file
from .times import now_utc

DRAFTS_FOLDER = "drafts"
DRAFT_INTERVAL_MS = 3000  # how long typing may go unsaved to disk at most
_SUFFIX = ".draft.json"


@dataclass(frozen=True)
class Draft:
    """An unsaved form as it was last typed, to be offered back after a crash."""

    id: str  # the record the form edits (a procedure's id, or `course_draft_id`): one draft per record and owner
    logbook: str  # the logbook file it belongs to (a folder may hold several logbooks)
    saved_at: str  # ISO 8601 UTC
    title: str  # what the user recognises it by, e.g. "张伟 2026-11-20"
    patient: dict
    procedure: dict
    # Who typed it (the logbook's `users.current`): their work, offered back to them. None in a draft file written
    # before drafts recorded it.
    owner: str | None = None
    # A course record's draft (a lab, a dose period...): the entity's key and the record's document (or `lab_grid`
    # and {"grid": its rows of cell text}); `patient` then holds only the patient's id and `procedure` is empty.
    # None in a procedure form's draft.
    entity: str | None = None
    record: dict | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "logbook": self.logbook, "saved_at": self.saved_at, "title": self.title,
                "patient": self.patient, "procedure": self.procedure, "owner": self.owner,
                "entity": self.entity, "record": self.record}


def course_draft_id(patient_id: str, entity_key: str, record_id: str | None) -> str:
    """The draft id of a course record's dialog: the record's own id, or for a patient's one record of an entity
    with no id of its own (the screening, the recurrence...) the patient and the entity."""
    return record_id or f"{patient_id}-{entity_key}"


class DraftStore:
    """The drafts of one logbook."""

    def __init__(self, logbook_path: Path):
        self.logbook = str(Path(logbook_path).resolve())
        self.folder = Path(self.logbook).parent / DRAFTS_FOLDER

    def _file(self, draft_id: str, owner: str | None) -> Path:
        if not draft_id or any(c in draft_id for c in "/\\."):
            raise ValueError(f"not a draft id: {draft_id!r}")
        whose = f".{owner.encode('utf-8').hex()}" if owner else ""  # hex: any user name makes a safe file name
        return self.folder / f"{draft_id}{whose}{_SUFFIX}"

    def save(self, draft_id: str, title: str, patient: dict, procedure: dict, owner: str | None = None,
             entity: str | None = None, record: dict | None = None) -> Draft:
        draft = Draft(draft_id, self.logbook, now_utc(), title, patient, procedure, owner, entity, record)
        target = self._file(draft_id, owner)
        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic_file(target) as handle:
            json.dump(draft.to_json(), handle, ensure_ascii=False)
        return draft

    def discard(self, draft_id: str, owner: str | None = None) -> None:
        """Remove `owner`'s draft of the procedure (and one with no owner, written before drafts had owners)."""
        for whose in {owner, None}:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # no such draft, or no drafts folder
                self._file(draft_id, whose).unlink()

    def drafts(self) -> list[Draft]:
        """This logbook's drafts, oldest first. A file that cannot be read is left alone (never deleted)."""
        found = []
        for path in sorted(self.folder.glob(f"*{_SUFFIX}")) if self.folder.is_dir() else []:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                draft = Draft(**{k: data[k] for k in ("id", "logbook", "saved_at", "title", "patient", "procedure")},
                              owner=data.get("owner"), entity=data.get("entity"), record=data.get("record"))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if draft.logbook == self.logbook:
                found.append(draft)
        return sorted(found, key=lambda d: d.saved_at)
