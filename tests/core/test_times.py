"""Times are kept in UTC and shown in the workstation's local time with its offset: in Shanghai a signature of
11:00:05Z reads 19:00:05 +08:00 in the report, while the audit trail and the record keep the UTC stamp."""

from __future__ import annotations

import datetime as dt
import re

from tace_log.reports import build_report
from tace_log.storage import Logbook
from tace_log.times import readable, shown
from tests.core.signing_support import PASSWORD, signable_logbook
from tests.core.test_report import SIGNATURE, records, squeeze


def test_a_stored_time_is_shown_in_the_workstations_zone_with_its_offset(time_zone):
    assert readable("2026-03-14T11:00:05Z") == "2026-03-14 11:00:05 UTC"  # the tests' workstation: UTC
    time_zone("Asia/Shanghai")
    assert readable("2026-03-14T11:00:05Z") == "2026-03-14 19:00:05 +08:00"
    assert readable("2026-03-14T20:30:00Z") == "2026-03-15 04:30:00 +08:00"  # the next day there
    time_zone("America/St_Johns")  # half an hour, and behind UTC
    assert readable("2026-01-14T11:00:05Z") == "2026-01-14 07:30:05 -03:30"
    assert shown(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)) == "2026-07-01 09:30:00 -02:30"  # summer time
    assert readable(None) == ""


def test_the_report_prints_the_signature_in_shanghai_time(report_logbook, pdf_pages_text, time_zone):
    time_zone("Asia/Shanghai")
    patient, procedure = records(report_logbook)
    flat = squeeze("".join(pdf_pages_text(build_report(patient, procedure, SIGNATURE))))
    assert squeeze("2026-03-14 19:00:05 +08:00") in flat
    assert "11:00:05" not in flat


def test_the_audit_trail_and_the_signature_keep_utc(tmp_path, time_zone):
    time_zone("Asia/Shanghai")
    logbook, _patient, procedure = signable_logbook(tmp_path / "logbook.sqlite")
    with logbook:
        signature = logbook.signing.sign(procedure.id, "chen", PASSWORD)
        stamps = [signature.signed_at, *(e.at for e in logbook.audit.history(procedure.id))]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", s) for s in stamps), stamps
    with Logbook.open(tmp_path / "logbook.sqlite") as again:
        assert again.signing.check(procedure.id).signature.signed_at == signature.signed_at
