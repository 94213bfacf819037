"""Pooling into the trial's REDCap through its API (`tace-log push --redcap URL --token-file FILE`, docs/exports.md):
the rows of `records.csv`, a batch of patients per request, in REDCap's normal (never blanking) mode. One way and
re-runnable: the workstation's logbook stays the signed source; records are keyed by the patient's UUID (or
pseudonym), with the site's prefix so that two sites never share a record_id.

The API is a form POST answered with JSON (`{"count": n}`, or `{"error": "..."}` with HTTP 400), read here with the
standard library: a few requests do not earn `requests` and PyCap (4 MB in the frozen app). REDCap refuses a whole
request for one bad value, so a refused batch is sent again patient by patient: the others go in, and each refused
patient is said with REDCap's own words.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import TaceLogError
from ..messages import Message
from ..storage import Logbook
from .deidentify import Deidentification
from .redcap import RECORD_ID, REPEAT_COLUMNS, Project
from .walk import batches

PUSH_BATCH = 50  # patients per request: a few hundred rows, well within REDCap's post size


class RedcapApiError(TaceLogError):
    """The REDCap server refused a request, or could not be reached; the message says which and why. `refused`:
    REDCap read the request and refused its data (HTTP 400), rather than the token, the server or the network
    failing."""

    def __init__(self, message: Message, refused: bool = False):
        super().__init__(message)
        self.refused = refused


@dataclass
class PushSummary:
    """What a push did (or, in a dry run, would do), by REDCap row: a record's non-repeating row or one instance."""

    patients: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    sent: int = 0  # rows REDCap counted as imported
    refused: dict[str, Message] = field(default_factory=dict)  # record_id -> what REDCap said
    changes: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (record_id, row, fields changed)


class RedcapApi:
    """One REDCap project's API: `RedcapApi(url, token)`."""

    def __init__(self, url: str, token: str, timeout: float = 120):
        self.url, self.token, self.timeout = url, token, timeout

    def call(self, **fields: Any) -> Any:
        body = urllib.parse.urlencode({"token": self.token, "format": "json", "returnFormat": "json", **fields},
                                      doseq=True).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (the user's URL)
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise RedcapApiError(Message("redcap.refused", url=self.url, status=exc.code,
                                         reason=_reason(exc.read())), refused=exc.code == 400) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise RedcapApiError(Message("redcap.unreachable", url=self.url,
                                         reason=getattr(exc, "reason", exc))) from exc
        except ValueError as exc:  # not JSON: not a REDCap API answer
            raise RedcapApiError(Message("redcap.not_json", url=self.url)) from exc

    def export_records(self, record_ids: list[str]) -> list[dict[str, str]]:
        # REDCap reads a list as PHP does: records[0], records[1], ...
        found = self.call(content="record", action="export", type="flat",
                          **{f"records[{i}]": record_id for i, record_id in enumerate(record_ids)})
        return found if isinstance(found, list) else []

    def import_records(self, rows: list[dict[str, str]]) -> int:
        answer = self.call(content="record", action="import", type="flat", overwriteBehavior="normal",
                           forceAutoNumber="false", returnContent="count", data=json.dumps(rows, ensure_ascii=False))
        return int(answer.get("count", 0)) if isinstance(answer, dict) else 0


def _reason(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    try:
        answer = json.loads(text)
    except ValueError:
        return text.strip()[:500]
    return str(answer.get("error", answer)) if isinstance(answer, dict) else text.strip()[:500]


def _key(row: dict[str, str]) -> tuple[str, str, str]:
    return row[RECORD_ID], row.get(REPEAT_COLUMNS[0], ""), str(row.get(REPEAT_COLUMNS[1], ""))


def patient_rows(logbook: Logbook, site: str, plan: Deidentification | None, only: Collection[str] | None,
                 batch: int) -> Iterator[list[list[dict[str, str]]]]:
    """Each batch of patients as REDCap rows (a list of rows per patient), values as the records file writes them,
    the record_id prefixed by the site."""
    project = Project(logbook.validator.choices, plan)
    header = project.record_header()
    for part in batches(logbook, batch, audit="inserts", pseudonym=plan.pseudonym if plan else None, only=only):
        signed = set(part.signed)
        out = []
        for top in part.trees:
            rows = []
            for values in project.record_rows(top, signed):
                row = {name: "" if value is None else str(value) for name, value in zip(header, values, strict=True)}
                row[RECORD_ID] = f"{site}-{row[RECORD_ID]}" if site else row[RECORD_ID]
                rows.append(row)
            out.append(rows)
        yield out


def push(logbook: Logbook, api: RedcapApi, *, site: str = "", plan: Deidentification | None = None,
         only: Collection[str] | None = None, dry_run: bool = False, batch: int = PUSH_BATCH,
         progress: Callable[[int, int], None] | None = None) -> PushSummary:
    """Send the logbook's records (or those of the patients in `only`) to the project; with `dry_run`, only read
    what the project holds and say what a push would add and change. `progress(patients done, patients)`."""
    summary = PushSummary()
    total = logbook.counts()["patients"] if only is None else len(only)
    for patients in patient_rows(logbook, site, plan, only, batch):
        stored = {_key(r): r for r in api.export_records([rows[0][RECORD_ID] for rows in patients])}
        for rows in patients:
            for row in rows:
                _compare(summary, row, stored.get(_key(row)))
        if not dry_run:
            _send(api, patients, summary)
        summary.patients += len(patients)
        if progress is not None:
            progress(summary.patients, total)
    return summary


def _compare(summary: PushSummary, row: dict[str, str], stored: dict[str, str] | None) -> None:
    """Whether REDCap's normal mode would add the row, change it (a value of ours differs; a blank of ours never
    blanks one of theirs), or leave it as it is."""
    if stored is None:
        summary.new += 1
        return
    changed = [name for name, value in row.items() if value != "" and str(stored.get(name, "")) != value]
    if changed:
        summary.changed += 1
        where = row.get(REPEAT_COLUMNS[0]) or "record"
        instance = row.get(REPEAT_COLUMNS[1])
        summary.changes.append((row[RECORD_ID], f"{where} {instance}".strip(), changed))
    else:
        summary.unchanged += 1


def _send(api: RedcapApi, patients: list[list[dict[str, str]]], summary: PushSummary) -> None:
    try:
        summary.sent += api.import_records([row for rows in patients for row in rows])
        return
    except RedcapApiError as exc:
        if not exc.refused:  # the token, the server or the network: nothing more can go
            raise
        if len(patients) == 1:
            summary.refused[patients[0][0][RECORD_ID]] = exc.said
            return
    for rows in patients:  # one bad value refuses the whole request: each patient alone, to say which
        _send(api, [rows], summary)
