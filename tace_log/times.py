"""Timestamps as TACE Log writes and shows them: written in ISO 8601 in UTC ('2026-03-14T11:00:05Z'), as the
audit trail and every record keep them; shown and printed in the workstation's local time with its offset
('2026-03-14 19:00:05 +08:00' in Shanghai), so a radiologist reads the time on the wall clock, unambiguously."""

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


def typed_moment(text: str) -> dt.datetime:
    """A moment a person typed (`--changed-since`): ISO 8601, a date alone meaning its midnight; without a zone,
    the workstation's local time. Raises ValueError when it is not one."""
    moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment.astimezone(dt.UTC)  # a naive moment is taken as local time by astimezone


def audit_stamp(moment: dt.datetime) -> str:
    """A moment written as the audit trail writes its `at` (UTC, milliseconds, Z), so the two compare as text."""
    return f"{moment.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%S.%f}"[:23] + "Z"


def shown(moment: dt.datetime) -> str:
    """A moment (aware) in the workstation's zone (TZ, else the system's), with the zone's offset: '2026-03-14
    19:00:05 +08:00'; on a workstation kept in UTC, '2026-03-14 11:00:05 UTC'."""
    local = moment.astimezone()
    offset = local.utcoffset() or dt.timedelta(0)
    if not offset:
        return f"{local:%Y-%m-%d %H:%M:%S} UTC"
    minutes = abs(offset) // dt.timedelta(minutes=1)
    return f"{local:%Y-%m-%d %H:%M:%S} {'-' if offset < dt.timedelta(0) else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


def shown_file_time(seconds: float) -> str:
    """A file's time (seconds since the epoch: when a backup was written) as `shown`."""
    return shown(dt.datetime.fromtimestamp(seconds, dt.UTC))


def stamp_column(column: str) -> bool:
    """An audited column that holds a moment (`signed_at`, `created_at`): stored in UTC, shown by `readable`."""
    return column.endswith("_at")


def readable(stamp: str | None) -> str:
    """A stored timestamp as the report, the history and the app show it (`shown`); '' for none."""
    return shown(as_utc(stamp)) if stamp else ""


def parse_date(value: object) -> dt.date | None:
    """A document's date ('YYYY-MM-DD'), or None when it is not one (the field checks report it)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):  # fromisoformat also reads '20250101'
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
