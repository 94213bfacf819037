"""The study flow is counted from the records, never typed (interchange-v2.md, "Derived values"; course-reference.md
§1.2): screened, excluded by reason, enrolled by arm, lenvatinib stopped by reason, lost, withdrawn, analysed, each
as of the cutoff."""

from __future__ import annotations

import datetime as dt
import json

from tace_log.cli import main
from tace_log.course.flow import flow

from .course_support import RESECTION, day, enrolled, logbook_of, patient

CUTOFF = RESECTION + dt.timedelta(days=365)


def _not_enrolled(reason: str | None) -> dict:
    return {"screen_date": day(10), "enrolled": False, "not_enrolled_reason": reason}


def _course(*periods: tuple[int, int | None, str | None], intent: str = "adjuvant") -> list[dict]:
    return [{"start": day(start), "end": day(end), "dose_mg": 8, "frequency": "qd", "intent": intent,
             "end_reason": reason, "weight_kg": 55} for start, end, reason in periods]


PATIENTS = [
    patient("TACE-1"),
    patient("TACE-2", lenvatinib=_course((30, 100, "held_for_ae"), (110, 200, "discontinued_ae"))),
    patient("LEN-1", arm="lenvatinib", lenvatinib=_course((30, 100, "patient_decision"))),
    patient("LEN-2", arm="lenvatinib", lenvatinib=_course((30, 100, "held_peri_procedural"))),  # on hold
    patient("LEN-3", arm="lenvatinib", lenvatinib=_course((30, 400, "discontinued_ae"))),  # stops after the cutoff
    patient("LEN-4", arm="lenvatinib", lenvatinib=_course((30, 360, "completed_planned_duration"))),
    patient("LOST", lost_to_follow_up={"declared_date": day(300), "attempt_dates": [day(280), day(290), day(295)]}),
    patient("WITHDRAWN", withdrawal={"date": day(60), "reason": "residual_lesion_on_dsa"}),
    patient("WITHDRAWN-LATER", withdrawal={"date": day(400), "reason": "consent_withdrawn"}),
    patient("ENROLLED-LATER", screening=enrolled(on=370)),  # screened by the cutoff, enrolled after it
    patient("DECLINED", screening=_not_enrolled("declined")),
    patient("INCLUSION", screening=_not_enrolled("not_meeting_inclusion")),
    patient("INCLUSION-2", screening=_not_enrolled("not_meeting_inclusion")),
    patient("PENDING", screening=_not_enrolled(None)),
    patient("SCREENED-LATER", screening={"screen_date": day(380), "enrolled": False}),
    patient("NO-SCREENING", screening=None),
]


def test_the_flow_is_counted_from_the_records(tmp_path):
    with logbook_of(tmp_path, *PATIENTS) as book:
        counts = flow(book.courses.read(), book.protocol, CUTOFF)
    assert counts == {
        "assessed": 14,  # every screening dated by the cutoff; a patient without one was never assessed
        "excluded": {"declined": 1, "not_meeting_inclusion": 2, "pending": 2},  # pending: no reason, or enrolled later
        "enrolled": {"lenvatinib": 4, "lenvatinib_tace": 5},
        "lenvatinib_discontinued": {"discontinued_ae": 1, "patient_decision": 1},  # not a hold, not completion
        "lost_to_follow_up": 1,
        "withdrawn": 1,
        "analysed": 9,  # the lost and the withdrawn stay in the analysis
    }
    assert counts["assessed"] == sum(counts["excluded"].values()) + sum(counts["enrolled"].values())


def test_the_command_prints_the_flow_as_json(tmp_path, capsys):
    book = logbook_of(tmp_path, patient("A"), patient("B", screening=_not_enrolled("declined")))
    book.close()
    assert main(["--db", str(book.path), "flow", "--cutoff", CUTOFF.isoformat(), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {"assessed": 2, "excluded": {"declined": 1}, "enrolled": {"lenvatinib_tace": 1},
                               "lenvatinib_discontinued": {}, "lost_to_follow_up": 0, "withdrawn": 0, "analysed": 1}
    assert "protocol: " in err
