"""The study flow (CONSORT 2010 / STROBE item 13) at a cutoff, counted from the records, never typed
(../shared/interchange-v2.md, "Derived values"; course-reference.md §1.2). Only what is dated on or before the
cutoff counts.

- `assessed`: the screening records (one dated after the cutoff is not yet one; an undated one counts).
- `excluded`: the assessed not enrolled by the cutoff, by `not_enrolled_reason`; one without a reason is
  `pending` (still being decided), so `assessed` = the excluded (pending included) + the enrolled.
- `enrolled`: by the patient's arm (`unassigned` when none is recorded).
- `lenvatinib_discontinued`: enrolled patients whose adjuvant lenvatinib course has stopped by the cutoff, by its
  last period's `end_reason`: a hold (`held_*`) waits for the next period and a `completed_planned_duration` is
  not a discontinuation, so neither is counted.
- `lost_to_follow_up`, `withdrawn`: enrolled patients declared lost, or withdrawn, by the cutoff.
- `analysed`: the enrolled whose endpoints can be computed (the origin is recorded): withdrawn and lost patients
  stay in the analysis, censored. A course stopped without a recorded reason counts as `not_recorded`.
Counts of zero are left out of the by-reason maps.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from ..protocol import Protocol
from .endpoints import origin
from .inputs import PatientCourse

PENDING = "pending"
NOT_RECORDED = "not_recorded"  # a period ended without its reason
UNASSIGNED = "unassigned"
NOT_DISCONTINUED = ("held_for_ae", "held_peri_procedural", "held_other", "completed_planned_duration")
POST_RECURRENCE = "post_recurrence"


def flow(courses: Iterable[PatientCourse], protocol: Protocol, cutoff: dt.date) -> dict:
    assessed = 0
    excluded: Counter[str] = Counter()
    enrolled: Counter[str] = Counter()
    discontinued: Counter[str] = Counter()
    lost = withdrawn = analysed = 0
    for c in courses:
        s = c.screening
        if s is None or (s.screen_date is not None and s.screen_date > cutoff):
            continue
        assessed += 1
        if not c.enrolled_by(cutoff):
            excluded[s.not_enrolled_reason or PENDING] += 1
            continue
        enrolled[c.arm or UNASSIGNED] += 1
        reason = _stopped(c, cutoff)
        if reason is not None:
            discontinued[reason] += 1
        lost += c.lost_date is not None and c.lost_date <= cutoff
        withdrawn += c.withdrawal is not None and c.withdrawal.date <= cutoff
        analysed += origin(c, protocol.rfs_origin) is not None
    return {"assessed": assessed, "excluded": dict(sorted(excluded.items())),
            "enrolled": dict(sorted(enrolled.items())), "lenvatinib_discontinued": dict(sorted(discontinued.items())),
            "lost_to_follow_up": lost, "withdrawn": withdrawn, "analysed": analysed}


def _stopped(course: PatientCourse, cutoff: dt.date) -> str | None:
    """Why the adjuvant course stopped by the cutoff (its last period's end reason), or None while it goes on."""
    periods = [p for p in course.dose_periods if p.intent != POST_RECURRENCE and p.start <= cutoff]
    if not periods:
        return None
    last = max(periods, key=lambda p: p.start)
    if last.end is None or last.end > cutoff or last.end_reason in NOT_DISCONTINUED:
        return None
    return last.end_reason or NOT_RECORDED
