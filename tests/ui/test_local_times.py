"""In the app, every time shown is the workstation's local time with its offset (Asia/Shanghai: +08:00): the
signature above a signed record, its history, the drafts offered back."""

from __future__ import annotations

import re

from core.signing_support import PASSWORD, signable_logbook
from PySide6.QtWidgets import QLabel
from ui_support import shown_window

from tace_log.drafts import DraftStore
from tace_log.model import new_id
from tace_log.times import readable
from ui.record.history_view import HistoryView

SHANGHAI = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00")


def test_the_signature_its_history_and_the_drafts_show_shanghai_time(qtbot, tmp_path, settings, time_zone):
    time_zone("Asia/Shanghai")
    logbook, _patient, procedure = signable_logbook(tmp_path / "logbook.sqlite")
    with logbook:
        signature = logbook.signing.sign(procedure.id, "chen", PASSWORD)
        DraftStore(logbook.path).save(new_id(), "王芳", {"id": new_id(), "name": "王芳"}, {"id": new_id()})
        window = shown_window(qtbot, logbook, settings)
        form = window.open_procedure(procedure.id)
        assert readable(signature.signed_at) in form.signed_banner.text()
        assert SHANGHAI.search(form.signed_banner.text()), form.signed_banner.text()
        history = form.record_buttons.open_history()
        rows = history.findChild(HistoryView).row_texts()
        when = {row[0] for row in rows}
        assert when and all(SHANGHAI.fullmatch(w) for w in when), when
        history.reject()
        drafts = " ".join(label.text() for label in window.drafts_bar.findChildren(QLabel))
        assert SHANGHAI.search(drafts), drafts
        window.close()
