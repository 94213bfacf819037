"""The app's windows as the walker (tests/ui_walker.py) walks them: fresh main windows on copies of a template
logbook, in each state there is something more to press in (a procedure to sign, a signed one, the sign-in at
start, the idle lock, a nurse, unsaved typing, a de-identified export), and the first run's dialog on an empty
logbook; used by tests/ui/test_every_button.py and, in Chinese, by tests/ui/test_chinese_everywhere.py."""

from __future__ import annotations

import json
import shutil

import pytest
from core.signing_support import NURSE_PASSWORD, PASSWORD, signable_logbook
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication
from safety_samples import damage, fill
from ui_support import sign_in_by_clicking

import ui.shell.messages
from tace_log.drafts import DraftStore
from tace_log.errors import LogbookCorruptError
from tace_log.model import Procedure, new_id
from tace_log.settings import settings_file
from tace_log.storage import Logbook
from ui.safety.damaged_logbook import DamagedLogbookDialog
from ui.safety.unexpected_error import unexpected_error_dialog
from ui.shell.language import install_translations, language
from ui.shell.main_window import MainWindow

ASK_UNSAVED = ui.shell.messages.ask_unsaved  # the real question (tests/ui/conftest.py answers it with Discard)
LOGBOOK = "walk.sqlite"


def main_template(folder):
    """A logbook with the radiologist chen and the nurse li; a procedure ready to sign and a signed one; a backup.
    Returns the two procedures' ids."""
    folder.mkdir()
    logbook, patient, unsigned = signable_logbook(folder / LOGBOOK)
    signed = Procedure.from_document({**unsigned.to_document(), "id": new_id(), "date": "2025-03-03", "cycle": 2},
                                     patient_id=patient.id)
    logbook.save_procedure(signed)
    logbook.signing.sign(signed.id, "chen", PASSWORD)
    logbook.backups.back_up()
    logbook.close()
    # A walk presses for longer than the idle lock's 10 minutes on a loaded machine, and the lock would cover the
    # dialog it is in; the lock's own states are walked by calling `who.lock()`.
    settings_file(folder / LOGBOOK).write_text(json.dumps({"idle_lock_minutes": 24 * 60}), encoding="utf-8")
    return {"unsigned": unsigned.id, "signed": signed.id}


class MainWindows:
    """Fresh main windows on copies of the template, drafts of two more procedures in the drafts bar (one chen's,
    one li's), signed in through the sign-in dialog, a procedure open."""

    def __init__(self, qtbot, tmp_path):
        self.qtbot, self.folder = qtbot, tmp_path
        self.template = tmp_path / "template"
        self.procedures = main_template(self.template)
        self.made = 0
        self.language = language()  # View > Language walked in one window leaves the app in the other language

    def setup(self, user="chen", password=PASSWORD, procedure="unsigned", then=None, root=None):
        """`then(window)` brings it to the state walked; `root(window)` is the dialog to walk instead of it."""
        def fresh():
            self.made += 1
            if language() != self.language:
                install_translations(QApplication.instance(), self.language)
            here = self.folder / f"window-{self.made}"
            shutil.copytree(self.template, here)
            drafts = DraftStore(here / LOGBOOK)  # a draft belongs to its logbook's path: written for this copy
            for owner, name in (("chen", "王芳"), ("li", "赵敏")):
                draft_id = new_id()
                drafts.save(draft_id, name, {"id": new_id(), "name": name, "mrn": f"D-{owner}"}, {"id": draft_id},
                            owner=owner)
            logbook = Logbook.open(here / LOGBOOK)
            window = MainWindow(logbook, QSettings(str(here / "settings.ini"), QSettings.Format.IniFormat))
            window.show()
            self.qtbot.waitExposed(window)
            replacements = []  # View > Language's window in the other language: put away with this one
            window.replaced.connect(replacements.append)
            if user is not None:
                sign_in_by_clicking(self.qtbot, window.who.sign_in(), user, password)
            if procedure is not None:
                window.open_procedure(self.procedures[procedure])
            window.worklist.table.selectRow(0)  # so New procedure for the selected patient is there to choose
            if then is not None:
                then(window)

            def put_away():
                # A window left open would go on counting to its idle lock and cover a later walk's dialogs.
                for each in (window, *replacements):
                    if each.form is not None:
                        each.form.discard()  # the real "unsaved changes?" question must not hold the close
                    each.close()
                    each.deleteLater()
                logbook.close()
            return (root(window) if root else window), put_away
        return fresh


def walk_the_app(walker, qtbot, tmp_path, type_text, monkeypatch) -> None:
    """Every state of the main window and its dialogs worth walking, each from fresh windows."""
    windows = MainWindows(qtbot, tmp_path)
    main = "main_window: " + QCoreApplication.translate("MainWindow", "TACE Log — %1").replace("%1", LOGBOOK) + "[*]"
    walker.walk(windows.setup())  # an unsigned procedure open: Sign, the report buttons, the rows, the menus
    walker.walk(windows.setup(procedure="signed"))  # Addendum...
    walker.walk(windows.setup(user=None, root=lambda window: window.who.sign_in()))  # who is working, at start
    walker.walk(windows.setup(root=lambda window: window.who.lock()))  # the idle lock's sign-in
    walker.walk(windows.setup(then=lambda window: window.who.lock().reject()))  # the lock cover's Sign in
    walker.walk(windows.setup(user="li", password=NURSE_PASSWORD),  # File > Restore says a nurse may not
                only=[f"{main}/action:restore_backup"])
    walker.walk(windows.setup(root=lambda window: de_identifying_export(qtbot, window)))  # the secret's Choose…
    walker.walk(first_run_dialogs(qtbot, tmp_path))  # the first user, on a logbook with none
    with monkeypatch.context() as patch:
        patch.setattr(ui.shell.messages, "ask_unsaved", ASK_UNSAVED)
        walker.walk(windows.setup(then=lambda window: type_text(window.form.editors["procedure.operator"].input,
                                                                "Jr")),
                    only=[f"{main}/action:close_form"])  # Save, Discard or Cancel?


def de_identifying_export(qtbot, window):
    """File > Export… (as its action makes it) for CSV with De-identify ticked (the space bar, as a user tabbing
    through it does), which the walker does not do (it presses buttons): the site secret's Choose… is there to
    press only then."""
    from ui.exchange.export_dialog import ExportDialog

    dialog = ExportDialog(window.logbook, window)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))  # the JSON is the full record: never de-identified
    dialog.deidentify.setFocus()
    qtbot.keyClick(dialog.deidentify, Qt.Key.Key_Space)
    assert dialog.choose_secret.isEnabled()
    return dialog


def first_run_dialogs(qtbot, tmp_path):
    """Fresh first-run dialogs, as the app opens one on a logbook with no users yet (no idle lock: nobody to lock
    for), each over a main window on its own empty logbook."""
    made = []

    def fresh():
        here = tmp_path / f"first-run-{len(made)}"
        made.append(here)
        here.mkdir()
        logbook = Logbook.open(here / LOGBOOK)
        window = MainWindow(logbook, QSettings(str(here / "settings.ini"), QSettings.Format.IniFormat))
        window.show()
        qtbot.waitExposed(window)

        def put_away():
            window.close()
            window.deleteLater()
            logbook.close()
        return window.who.first_run(), put_away
    return fresh


def damaged_logbook_dialogs(qtbot, tmp_path):
    """Fresh damaged-logbook dialogs, each on its own copy of a damaged logbook with a good backup."""
    template = tmp_path / "template"
    template.mkdir(parents=True)
    with Logbook.open(template / LOGBOOK) as book:
        fill(book, seed=31, patients=3, procedures_each=1)
        book.backups.back_up()
    damage(template / LOGBOOK)
    made = []

    def fresh():
        here = tmp_path / f"damaged-{len(made)}"
        made.append(here)
        shutil.copytree(template, here)
        with pytest.raises(LogbookCorruptError) as caught:
            Logbook.open(here / LOGBOOK)
        dialog = DamagedLogbookDialog(caught.value)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog, dialog.deleteLater
    return fresh


def unexpected_error_dialogs(tmp_path):
    def fresh():
        try:
            {}["a key no dictionary has"]
        except KeyError as exc:
            dialog = unexpected_error_dialog(exc, tmp_path / "tace-log.log")
        dialog.open()
        return dialog, dialog.deleteLater
    return fresh
