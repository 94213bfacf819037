"""In the app, every time shown is the workstation's local time with its offset (Asia/Shanghai: +08:00): the
signature above a signed record, its history, the drafts offered back. The history words its values as the form
and the report do, in the app's language."""

from __future__ import annotations

import re

from core.signing_support import PASSWORD, signable_logbook
from PySide6.QtCore import Qt
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


def test_the_history_in_chinese_names_the_agents_and_shows_the_signing_time_in_shanghai(
        chinese, qtbot, tmp_path, settings, time_zone):
    time_zone("Asia/Shanghai")
    logbook, _patient, procedure = signable_logbook(tmp_path / "logbook.sqlite")  # lipiodol, epirubicin
    with logbook:
        logbook.signing.sign(procedure.id, "chen", PASSWORD)
        window = shown_window(qtbot, logbook, settings)
        buttons = window.open_procedure(procedure.id).record_buttons
        qtbot.mouseClick(buttons.history, Qt.MouseButton.LeftButton)
        table = buttons.dialog.findChild(HistoryView).table
        model = table.model()
        cells = {model.headerData(c, Qt.Orientation.Horizontal): [model.index(r, c).data() for r in range(
            model.rowCount())] for c in range(model.columnCount())}
        after = dict(zip(cells["项目"], cells["修改后"], strict=True))
        agents = [a for what, a in zip(cells["项目"], cells["修改后"], strict=True) if what == "药物: 药物"]
        assert agents == ["碘化油", "表柔比星"], agents  # the formulary's Chinese names, not lipiodol, epirubicin
        assert after["肿瘤染色"] == "有" and after["签名: 签名人角色"] == "放射科医师"
        assert SHANGHAI.fullmatch(after["签名: 签名时间"]), after["签名: 签名时间"]
        assert not any("T" in value and value.endswith("Z") for value in cells["修改后"])  # no stored UTC stamp
        buttons.dialog.reject()
        window.close()
