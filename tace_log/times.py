"""Timestamps as TACE Log writes and shows them: ISO 8601 in UTC ('2026-03-14T11:00:05Z'), read as a person would."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def as_utc(stamp: str) -> dt.datetime:
    """An ISO 8601 timestamp as a UTC datetime (ours end in Z; one without a zone is UTC)."""
    moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment.astimezone(dt.UTC) if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def readable(stamp: str | None) -> str:
    """'2026-03-14 11:00:05 UTC': how the report, the history and the app print a moment."""
    return as_utc(stamp).strftime("%Y-%m-%d %H:%M:%S UTC") if stamp else ""


def parse_date(value: object) -> dt.date | None:
    """A document's date ('YYYY-MM-DD'), or None when it is not one (the field checks report it)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):  # fromisoformat also reads '20250101'
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
