"""One package for the trial office (docs/exports.md): a zip of the chosen formats, the signed procedures' PDF
reports, the audit trail as CSV and `manifest.json`. The manifest gives the versions, the site, the protocol, the
data's as-of time, the row counts and each file's SHA-256.

The same logbook gives the same bytes. The package is dated by the data's as-of time (the audit trail's newest
row), never by the clock: the files are written in a fixed order, with fixed times and permissions, and every
format is deterministic.

The key images are there as `key_images/<SHA-256>.png|.jpg`, the name their records give (CSV `key_images.csv`).
A de-identified package leaves out the PDFs (they print the name), the key images (a DSA frame often has the name
burned in) and the audit trail (its values and times identify). The JSON is left out too: it is the whole record,
signed content and all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Collection
from pathlib import Path

from . import __version__, exports, interchange
from .errors import TaceLogError
from .files import atomic_file
from .messages import Message
from .model import SIGNED
from .reports.report_file import procedure_report, report_file_name, write_pdf
from .settings import load_report_settings
from .storage import Logbook
from .times import as_utc, audit_stamp
from .validation import FORMAT

FORMATS = ("json", "csv", "redcap", "odm")
MANIFEST = "manifest.json"
JSON_FILE, ODM_FILE, AUDIT_FILE = "tace-log.json", "odm/study.xml", "audit/audit_trail.csv"
NO_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: for a logbook that never changed


def reading_passes(formats: tuple[str, ...], plan: exports.Deidentification | None) -> int:
    """How many times `write_package` reads the logbook's patients through (each pass reported from 0 by
    `Logbook.reading_progress`): once per format, and for the reports and the key images unless de-identified."""
    return sum(f in formats for f in FORMATS) + (2 if plan is None else 0)


def write_package(logbook: Logbook, target: str | Path, formats: tuple[str, ...] = FORMATS,
                  plan: exports.Deidentification | None = None, changed_since: dt.datetime | None = None) -> dict:
    """Write the package to `target` (a .zip); returns its manifest. With `changed_since`, only the patients with
    a change after it (by the audit trail) are in its data and reports; the audit trail is whole."""
    if plan is not None and "json" in formats:
        raise TaceLogError(Message("error.json_not_deidentified"))
    as_of = logbook.audit.newest()
    only = logbook.patients_changed_since(changed_since) if changed_since is not None else None
    rows: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="tace-log-package-") as work:
        root = Path(work)
        for fmt in FORMATS:  # in a fixed order, whatever order they were asked in
            if fmt not in formats:
                continue
            if fmt == "json":
                doc = interchange.export_document(logbook, only=only)
                with (root / JSON_FILE).open("w", encoding="utf-8") as handle:
                    interchange.write_json(doc, handle)
                rows[JSON_FILE] = len(doc["patients"])
            elif fmt == "odm":
                (root / ODM_FILE).parent.mkdir()
                rows[ODM_FILE] = exports.write(logbook, fmt, root / ODM_FILE, plan, only=only)["subjects"]
            else:
                counts = exports.write(logbook, fmt, root / fmt, plan, only=only)
                rows.update((f"{fmt}/{name}", n) for name, n in counts.items())
        if plan is None:
            rows.update(_reports(logbook, root / "reports", only))
            rows.update(_key_images(logbook, root / "key_images", only))
            (root / AUDIT_FILE).parent.mkdir()
            rows[AUDIT_FILE] = logbook.audit.export(root / AUDIT_FILE)
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        settings = load_report_settings(logbook.path)
        protocol = logbook.protocol
        manifest = {
            "package": "tace-log-package/1",
            "app_version": __version__,
            "schema_version": logbook.schema_version,
            "interchange_format": FORMAT,
            "site": {"institution": settings.institution, "department": settings.department},
            "protocol": {"key": protocol.key, "version": protocol.version, "in_force": protocol.describe()},
            "as_of": as_of,
            **({"changed_since": audit_stamp(changed_since)} if changed_since is not None else {}),
            "deidentified": plan is not None,
            "formats": [f for f in FORMATS if f in formats],
            "rows": dict(sorted(rows.items())),
            "files": {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in files},
        }
        stamp = as_utc(as_of).timetuple()[:6] if as_of else NO_DATE
        with atomic_file(target, "wb") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for name in files:
                package.writestr(_entry(name, stamp), (root / name).read_bytes())
            package.writestr(_entry(MANIFEST, stamp),
                             json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    return manifest


def _entry(name: str, stamp) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, on every platform: the same bytes everywhere
    info.external_attr = 0o644 << 16
    return info


def _reports(logbook: Logbook, folder: Path, only: Collection[str] | None) -> dict[str, int]:
    """The PDF report of each signed procedure, named as `tace-log report --all` names them."""
    folder.mkdir()
    settings = load_report_settings(logbook.path)
    written = 0
    for patient, procedures in logbook.iter_patients(only=only):
        for procedure in procedures:
            if procedure.status == SIGNED:
                name = report_file_name(procedure.date.isoformat() if procedure.date else None, patient.mrn,
                                        procedure.id)
                write_pdf(folder / name, procedure_report(logbook, procedure.id, settings))
                written += 1
    return {"reports/": written}


def _key_images(logbook: Logbook, folder: Path, only: Collection[str] | None) -> dict[str, int]:
    """Each key image once, named by its SHA-256 (checked as it is read)."""
    written: set[str] = set()
    for _patient, procedures in logbook.iter_patients(only=only):
        for image in (i for procedure in procedures for i in procedure.key_images):
            if image.sha256 not in written:
                folder.mkdir(exist_ok=True)
                suffix = ".jpg" if image.media_type == "jpeg" else ".png"
                (folder / f"{image.sha256}{suffix}").write_bytes(logbook.key_images.data(image.sha256))
                written.add(image.sha256)
    return {"key_images/": len(written)} if written else {}
