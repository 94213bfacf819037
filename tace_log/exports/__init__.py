"""The trial exports: CSV, REDCap and CDISC ODM 1.3.2, each built from the data dictionary's declarations, each
optionally de-identified (docs/exports.md). `write` names them; the tace-log/2 JSON is `interchange`'s."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ..storage import Logbook
from . import csv_files, odm, redcap
from .deidentify import Deidentification

WRITERS = {"csv": csv_files.write, "redcap": redcap.write, "odm": odm.write}
FOLDERS = frozenset({"csv", "redcap"})  # formats that write several files into a folder


def write(logbook: Logbook, format: str, target: str | Path, plan: Deidentification | None = None,
          batch: int | None = None, only: Collection[str] | None = None) -> dict:
    """Export the logbook (or the patients with an id in `only`) in `format` to `target` (a folder for csv and
    redcap, a file for odm), reading `batch` patients at a time (by default as many as suits the format); returns
    counts."""
    if batch is None:
        return WRITERS[format](logbook, target, plan, only=only)
    return WRITERS[format](logbook, target, plan, batch, only)


__all__ = ["Deidentification", "FOLDERS", "WRITERS", "write"]
