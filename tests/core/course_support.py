"""Patients with a course, written as tace-log/2 documents and imported through the real Logbook, for the tests of
endpoints, flags and the flow: every date is given as days after the patient's resection."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from pathlib import Path

from tace_log.protocol import SITE_FILENAME, protocol_for
from tace_log.resources import resource
from tace_log.storage import Logbook
from tace_log.validation import Validator

from .conftest import DATA, TODAY

RESECTION = dt.date(2020, 1, 6)
_EXAMPLE = json.loads((DATA / "example.json").read_text(encoding="utf-8"))


def day(n: int | None, start: dt.date = RESECTION) -> str | None:
    """The date `n` days after the resection (day 0), as a document writes it."""
    return None if n is None else (start + dt.timedelta(days=n)).isoformat()


def procedure(on: int, cycle: int | None = 1, intent: str | None = None, stain: str | None = None) -> dict:
    """A TACE on day `on`; `stain` an interpretation of a tumour stain seen (none seen otherwise)."""
    doc = copy.deepcopy(_EXAMPLE["patients"][0]["procedures"][0])
    doc.update(id=str(uuid.uuid4()), date=day(on), cycle=cycle)
    if stain is None:
        doc.update(tumor_staining="absent", stained_segments=[], lesion_count=None, largest_lesion_mm=None,
                   embolization="prophylactic_embolization", impression="Prophylactic embolization.")
    else:
        doc["stain_interpretation"] = stain
    if intent is not None:
        doc["intent"] = intent
    return doc


def scan(on: int, result: str = "no_evidence_of_disease") -> dict:
    return {"date": day(on), "type": "imaging", "modality": "ce_ct", "result": result}


def visit(on: int, kind: str = "clinic", alive: bool | None = None) -> dict:
    row = {"date": day(on), "type": kind}
    if alive is not None:
        row["alive"] = alive
    return row


def enrolled(on: int = 20, arm_basis: str = "patient_choice") -> dict:
    return {"screen_no": "S-1", "screen_date": day(on - 10), "consent_date": day(on - 5), "enrolled": True,
            "enrol_date": day(on), "arm_basis": arm_basis}


def patient(mrn: str, *, arm: str = "lenvatinib_tace", screening: dict | None | bool = True,
            procedures: list[dict] = (), follow_ups: list[dict] = (), **course) -> dict:
    """A patient resected on RESECTION, enrolled on day 20 unless told otherwise (`screening=None`: no screening
    record), with these course records (tace-log/2 keys: recurrence, death, lenvatinib, ...)."""
    doc = copy.deepcopy({k: v for k, v in _EXAMPLE["patients"][0].items() if k != "procedures"})
    doc.update(id=str(uuid.uuid4()), mrn=mrn, study_id=None, arm=arm, resection_date=day(0),
               procedures=list(procedures), follow_ups=list(follow_ups))
    doc["screening"] = enrolled() if screening is True else screening
    doc.update(course)
    return doc


def recurrence(first_seen: int, confirmation: int | None = None, dsa: int | None = None) -> dict:
    return {"first_seen_date": day(first_seen), "confirmation_date": day(confirmation),
            "dsa_first_seen_date": day(dsa), "pattern": "intrahepatic",
            "confirmation_method": "imaging_noninvasive"}


def death(on: int, cause: str = "hcc_progression") -> dict:
    return {"date": day(on), "cause": cause}


def logbook_of(folder: Path, *patients: dict, protocol: dict | None = None) -> Logbook:
    """A new logbook in `folder` holding these patients, imported as one tace-log/2 document; `protocol` changes the
    bundled protocol's keys in a protocol.json beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    if protocol is not None:
        text = json.loads(resource("protocol.json").read_text(encoding="utf-8"))
        text.update(protocol)
        (folder / SITE_FILENAME).write_text(json.dumps(text), encoding="utf-8")
    path = folder / "logbook.sqlite"
    book = Logbook.open(path, validator=Validator(today=TODAY, protocol=protocol_for(path)))
    book.import_document({"format": "tace-log/2", "patients": list(patients)})
    return book
