"""The self-test `--smoke`: the main window on a temporary logbook (opened as `launch` opens it, background
damage check included), one procedure typed into the form and saved, then read back through the Logbook.
Exit 0 means the (frozen) app can start, render, validate and write."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QWidget

from tace_log.resources import resource
from tace_log.storage import Logbook
from ui.shell.language import APP_TRANSLATIONS


def _type(form: QWidget, name: str, text: str) -> None:
    form.findChild(QLineEdit, name).setText(text)


def _choose(parent: QWidget, name: str, key: str) -> None:
    combo = parent.findChild(QComboBox, name)
    combo.setCurrentIndex(combo.findData(key))


def type_procedure(form: QWidget, mrn: str, name: str) -> None:
    """Type a new patient's TACE of today into an empty procedure form, as a radiologist would: a month after the
    resection, no stain, lipiodol 5 mL (a prophylactic embolization)."""
    today = dt.date.today()
    _type(form, "mrn", mrn)
    _type(form, "name", name)
    _type(form, "weight_kg", "64")
    _type(form, "resection_date", (today - dt.timedelta(days=30)).isoformat())
    _type(form, "date", today.isoformat())
    _choose(form, "tumor_staining", "absent")
    form.findChild(QPushButton, "agents-add").click()
    row = form.findChild(QWidget, "agents[0]")
    _choose(row, "agent", "lipiodol")
    _type(row, "dose", "5")


def run_smoke(app: QApplication) -> int:
    from ui.app import open_main_window

    if not QTranslator(app).load(APP_TRANSLATIONS, str(resource("translations"))):
        print(f"smoke: FAILED; no {APP_TRANSLATIONS}.qm in {resource('translations')}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="tace-log-smoke-") as folder:
        settings = QSettings(str(Path(folder, "settings.ini")), QSettings.Format.IniFormat)
        Logbook.open(Path(folder, "smoke.sqlite")).close()  # an existing logbook, so the start-up check runs
        window, logbook = open_main_window(Path(folder, "smoke.sqlite"), settings)
        with logbook:
            window.check.wait()  # the background damage check holds writes until it passes
            app.processEvents()  # its result, queued to this thread
            if window.writes_held:
                print(f"smoke: FAILED; writes held: {window.writes_held}", file=sys.stderr)
                return 1
            form = window.new_procedure()
            type_procedure(form, "SMOKE-1", "张伟")
            form.findChild(QPushButton, "save").click()
            app.processEvents()
            rows = logbook.worklist.rows()
            ok = (len(rows) == 1 and rows[0].name == "张伟" and window.worklist.model.rowCount() == 1
                  and logbook.get_procedure(rows[0].procedure_id).embolization == "prophylactic_embolization")
            problems = f"{form.banner.text()} {[str(f) for f in form.findings]}"
            window.close()
            app.processEvents()
    if not ok:
        print(f"smoke: FAILED; the form says: {problems}", file=sys.stderr)
        return 1
    print("smoke: ok (window opened, procedure saved and read back)")
    return 0
