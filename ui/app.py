"""Starting the desktop app: the QApplication, the bundled CJK font, the UI language, the main window.

`tace-log gui [--db PATH] [--smoke]` and the `tace-log-gui` program both land in `main`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from tace_log import __version__
from tace_log.errors import TaceLogError
from tace_log.paths import default_logbook_path
from tace_log.resources import CJK_FONT_FAMILY, cjk_font_file

# The Logbook and the core it needs load before Qt: once PySide6 is imported, its __feature__ import hook reads
# the source of every module imported after it (about 7 ms of the 100k start-up benchmark for the core).
from tace_log.storage import Logbook

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None):
    """The QApplication with the app's names, the bundled CJK font and the UI language (made once)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.shell.language import choose_language, install_translations
    from ui.shell.screen import keep_windows_on_screen

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *(argv or [])])
        app.setOrganizationName("tace-log")
        app.setApplicationName("TACE Log")
        app.setApplicationVersion(__version__)
        register_cjk_font(app)
        install_translations(app, choose_language(QSettings()))
        keep_windows_on_screen(app)
    return app


def register_cjk_font(app) -> str | None:
    """Register the bundled font and put it in the app font's fallback list, so Chinese renders on a machine
    whose only font is DejaVu. Returns the family, or None if the file could not be loaded."""
    from PySide6.QtGui import QFontDatabase

    font_id = QFontDatabase.addApplicationFont(str(cjk_font_file()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    family = CJK_FONT_FAMILY if CJK_FONT_FAMILY in families else families[0]
    font = app.font()
    font.setFamilies([font.family(), family])  # Latin from the system font, CJK from ours
    app.setFont(font)
    return family


def open_main_window(path: Path, settings=None):
    """Open the logbook and show the main window on it, its worklist filled: `(window, logbook)`.

    The open-time damage check is deferred (`quick_check=False`; the core still checks first if an upgrade is
    pending) and runs off the UI thread once the window shows (`show_main_window`). Raises the `TaceLogError`
    of a logbook that cannot be opened. `launch` uses this; so does the start-up benchmark.
    """
    from ui.shell.main_window import MainWindow

    logbook = Logbook.open(path, quick_check=False)
    try:
        window = MainWindow(logbook, settings)
    except BaseException:
        logbook.close()
        raise
    show_main_window(window)
    return window, logbook


def show_main_window(window) -> None:
    """Show a new main window: what its logbook warned of on opening (a network drive) in the notice line,
    every write held from the first moment it shows, and the damage check started once it is painted."""
    from PySide6.QtWidgets import QApplication

    from ui.shell.main_window import CHECKING

    for warning in window.logbook.warnings:
        window.show_notice(warning)
    window.hold_writes(window.tr(CHECKING))
    window.show()
    QApplication.processEvents()  # painted, rows and all, before the check competes for the disk and the CPU
    window.check_logbook_in_background()  # when it is done, the window says which protocol is in force


def _cannot_open(app, path: Path, exc: Exception) -> None:
    from ui.shell.messages import error_text, show_error

    show_error(None, app.translate("App", "TACE Log"), app.translate("App", "Cannot open the logbook %1:\n%2")
               .replace("%1", str(path)).replace("%2", error_text(exc)))


def launch(db: str | None, smoke: bool = False) -> int:
    """Open the main window on the logbook and run until it closes; with smoke, the self-test instead."""
    from tace_log.logs import configure_logging

    if smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    log_path = configure_logging()
    app = create_application()
    if smoke:
        from ui.shell.smoke import run_smoke

        return run_smoke(app)
    from ui.safety.logbook_lock import LogbookInUseError, LogbookLock
    from ui.safety.unexpected_error import ExceptionHook

    hook = ExceptionHook(log_path).install()
    path = Path(db).expanduser() if db else default_logbook_path()
    try:
        path = Logbook.location(path)  # a FIFO or a looping link: one message, nothing made
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = LogbookLock(path)
        lock.acquire()
    except LogbookInUseError as exc:
        from ui.shell.messages import error_text, show_error

        show_error(None, app.translate("App", "TACE Log: the logbook is already open"), error_text(exc))
        return 1
    except (TaceLogError, OSError) as exc:
        _cannot_open(app, path, exc)
        return 1
    try:
        return AppWindows(app, path, hook).run()
    finally:
        lock.release()
        hook.uninstall()


class AppWindows:
    """The window on the logbook for the app's lifetime: opened (offering a backup if the logbook is damaged),
    signed in to, and replaced by a fresh one after a damaged logbook is restored."""

    def __init__(self, app, path: Path, hook):
        self.app, self.path, self.hook = app, path, hook
        self.window = None
        self.logbook = None

    def run(self) -> int:
        if not self.open():
            return 1
        try:
            return self.app.exec()
        finally:
            if self.logbook is not None:
                self.logbook.close()

    def open(self) -> bool:
        """The window on the logbook; a damaged logbook first gets the backup offer. False: nothing to show."""
        from PySide6.QtWidgets import QDialog

        from tace_log.errors import LogbookCorruptError
        from ui.safety.damaged_logbook import DamagedLogbookDialog

        while True:
            try:
                self.window, self.logbook = open_main_window(self.path)
                break
            except LogbookCorruptError as exc:
                log.error("%s", exc)
                if DamagedLogbookDialog(exc).exec() != QDialog.DialogCode.Accepted:
                    return False  # not restored: the file stays as it is
            except (TaceLogError, OSError) as exc:
                log.error("cannot open %s: %s", self.path, exc)
                _cannot_open(self.app, self.path, exc)
                return False
        self._adopt(self.window)
        if self.window.who.sign_in() is None:  # no one to sign in: on a logbook without users, the first one
            self.window.who.first_run()
        return True

    def _adopt(self, window) -> None:
        """The window on the logbook from now on: at opening, or in place of one left for another language."""
        if self.window is not None and self.window is not window:
            self.window.deleteLater()
        self.window = window
        self.hook.parent = window
        window.logbook_damaged.connect(self.damaged)
        window.replaced.connect(self._adopt)

    def damaged(self, error) -> None:
        """The background check found damage: the window has closed the logbook; offer the newest good backup
        and, once it is restored, a fresh window on it (the old one goes; its drafts are offered back)."""
        from ui.safety.damaged_logbook import DamagedLogbookDialog

        old = self.window
        self.logbook.close()
        self.logbook = None
        dialog = DamagedLogbookDialog(error, old, old.who.signed_in)
        dialog.restored.connect(lambda _report: self._reopen(old))
        dialog.open()

    def _reopen(self, old) -> None:
        if self.open():
            old.close()
            old.deleteLater()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tace-log-gui", description="TACE Log desktop app")
    parser.add_argument("--db", metavar="PATH", help="logbook file (default: the user's logbook)")
    parser.add_argument("--smoke", action="store_true",
                        help="self-test: open the window on a temporary logbook, save a procedure, exit")
    args = parser.parse_args(argv)
    return launch(args.db, args.smoke)


def run() -> None:
    sys.exit(main(sys.argv[1:]))
