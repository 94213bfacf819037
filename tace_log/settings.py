"""Workstation settings the core needs (the report header), from a JSON file beside the logbook.

`tace-log-settings.json` in the logbook's folder, every key optional:
    {"report": {"institution": "...", "department": "...", "logo": "logo.png", "language": "en"},
     "idle_lock_minutes": 10, "key_image_max_mb": 10}
A relative logo path is relative to the settings file. No file means an empty header, English labels. The app's
own window state lives in QSettings; these settings travel with the logbook so the CLI and the app agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import TaceLogError
from .files import atomic_file
from .key_images import DEFAULT_LIMIT_MB
from .messages import Message

SETTINGS_FILENAME = "tace-log-settings.json"
LANGUAGES = ("en", "zh")
DEFAULT_IDLE_LOCK_MINUTES = 10.0  # the shared workstation locks after this long without input


class SettingsError(TaceLogError):
    """The settings file cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class ReportSettings:
    """The report header and label language, shared by the CLI and the app."""

    institution: str = ""
    department: str = ""
    logo: Path | None = None  # a PNG or JPEG drawn at the top right of every page
    # The language of labels, "en" or "zh", when the site fixes it; None: the reader's (the app's language; the
    # CLI's English).
    language: str | None = None


def settings_file(logbook_path: str | Path) -> Path:
    return Path(logbook_path).expanduser().resolve().with_name(SETTINGS_FILENAME)


def _read_settings(path: Path) -> dict | None:
    """The settings file's content (None when there is no file)."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(Message("error.settings_json", path=path, reason=exc)) from exc
    if not isinstance(data, dict):
        raise SettingsError(Message("error.settings_object", path=path))
    return data


def _positive(logbook_path: str | Path, key: str, default: float, unit: Message) -> float:
    """A top-level setting that is a positive number (`unit` names what it counts, for the message)."""
    path = settings_file(logbook_path)
    value = (_read_settings(path) or {}).get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise SettingsError(Message("error.settings_positive", path=path, key=key, unit=unit,
                                    value=repr(value)))
    return float(value)


def load_idle_lock_minutes(logbook_path: str | Path) -> float:
    """Minutes without input before the app locks (`idle_lock_minutes`, a positive number; default 10)."""
    return _positive(logbook_path, "idle_lock_minutes", DEFAULT_IDLE_LOCK_MINUTES, Message("unit.minutes"))


def load_key_image_limit_mb(logbook_path: str | Path) -> float:
    """The largest key image a procedure takes, in MB (`key_image_max_mb`, a positive number; default 10)."""
    return _positive(logbook_path, "key_image_max_mb", DEFAULT_LIMIT_MB, Message("unit.megabytes"))


def save_key_image_limit_mb(logbook_path: str | Path, limit_mb: float) -> Path:
    """Write the key image limit into the settings file (its other keys kept as they are); the default is left
    out. Returns the file."""
    path = settings_file(logbook_path)
    data = _read_settings(path) or {}
    data.pop("key_image_max_mb", None)
    if limit_mb != DEFAULT_LIMIT_MB:
        data["key_image_max_mb"] = limit_mb
    _write_settings(path, data)
    return path


def _write_settings(path: Path, data: dict) -> None:
    with atomic_file(path) as handle:
        handle.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def load_report_settings(logbook_path: str | Path) -> ReportSettings:
    path = settings_file(logbook_path)
    data = _read_settings(path)
    if data is None:
        return ReportSettings()
    report = data.get("report", {})
    if not isinstance(report, dict):
        raise SettingsError(Message("error.settings_report_object", path=path))
    unknown = set(report) - {"institution", "department", "logo", "language"}
    if unknown:
        raise SettingsError(Message("error.settings_unknown_key", path=path, key=sorted(unknown)[0]))
    for key in ("institution", "department", "logo", "language"):
        if key in report and not isinstance(report[key], str):
            raise SettingsError(Message("error.settings_text", path=path, key=key))
    language = report.get("language")
    if language is not None and language not in LANGUAGES:
        raise SettingsError(Message("error.settings_language", path=path, languages=", ".join(LANGUAGES),
                                    value=repr(language)))
    logo = None
    if report.get("logo"):
        logo = (path.parent / report["logo"]).resolve()
        if not logo.is_file():
            raise SettingsError(Message("error.settings_logo_missing", path=path, logo=repr(report["logo"]),
                                        resolved=logo))
    return ReportSettings(report.get("institution", ""), report.get("department", ""), logo, language)


def save_report_settings(logbook_path: str | Path, report: ReportSettings) -> Path:
    """Write the report header and language into the settings file beside the logbook (its other keys kept as
    they are), as `load_report_settings` reads them back: a logo in the settings' folder (or below it) by its
    relative path, any other by its full path; empty values and a language not fixed left out. Returns the file."""
    path = settings_file(logbook_path)
    data = _read_settings(path) or {}
    written: dict[str, str] = {k: v for k, v in (("institution", report.institution.strip()),
                                                   ("department", report.department.strip())) if v}
    if report.logo is not None:
        logo = Path(report.logo).resolve()
        written["logo"] = logo.relative_to(path.parent).as_posix() if logo.is_relative_to(path.parent) else str(logo)
    if report.language is not None:
        written["language"] = report.language
    data["report"] = written
    _write_settings(path, data)
    return path
