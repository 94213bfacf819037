"""Starting the desktop app: the QApplication, the bundled CJK font, the UI language, the main window.

`tace-log gui [--db PATH] [--smoke]` and the `tace-log-gui` program both land in `main`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tace_log import __version__
from tace_log.errors import TaceLogError
from tace_log.paths import default_logbook_path
from tace_log.resources import CJK_FONT_FAMILY, cjk_font_file


def create_application(argv: list[str] | None = None):
    """The QApplication with the app's names, the bundled CJK font and the UI language (made once)."""
    from PySide6.QtWidgets import QApplication

    from .language import choose_language, install_translations

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *(argv or [])])
        app.setOrganizationName("tace-log")
        app.setApplicationName("TACE Log")
        app.setApplicationVersion(__version__)
        register_cjk_font(app)
        install_translations(app, choose_language())
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


def launch(db: str | None, smoke: bool = False) -> int:
    """Open the main window on the logbook and run until it closes; with smoke, the self-test instead."""
    if smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_application()
    if smoke:
        from .smoke import run_smoke

        return run_smoke(app)
    from PySide6.QtWidgets import QMessageBox

    from tace_log.storage import Logbook

    from .main_window import MainWindow

    path = Path(db).expanduser() if db else default_logbook_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        logbook = Logbook.open(path)
    except (TaceLogError, OSError) as exc:
        QMessageBox.critical(None, "TACE Log", app.translate("App", "Cannot open the logbook %1:\n%2")
                             .replace("%1", str(path)).replace("%2", str(exc)))
        return 1
    window = MainWindow(logbook)
    window.show()
    try:
        return app.exec()
    finally:
        logbook.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tace-log-gui", description="TACE Log desktop app")
    parser.add_argument("--db", metavar="PATH", help="logbook file (default: the user's logbook)")
    parser.add_argument("--smoke", action="store_true",
                        help="self-test: open the window on a temporary logbook, save a procedure, exit")
    args = parser.parse_args(argv)
    return launch(args.db, args.smoke)


def run() -> None:
    sys.exit(main(sys.argv[1:]))
