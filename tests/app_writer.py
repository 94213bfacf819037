"""The real app, driven line by line from stdin: `python app_writer.py LOGBOOK` (offscreen).

It opens the logbook as `tace-log gui` does (the window lock, the main window, the deferred damage check on its
own thread), prints `open` once the check has passed, then for each line:
- `save MRN`: File > New procedure, types a procedure for a new patient MRN, clicks Save, and prints `ack MRN`
  once the form says "Saved." (what the radiologist sees), or `refused MRN: <the form's message>`;
- `quit`: File > Quit (the backup on exit included), prints `closed`.
The test kills it with SIGKILL whenever it likes, as a power cut or a crash would.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QPushButton  # noqa: E402

from ui.app import create_application, open_main_window  # noqa: E402
from ui.safety.logbook_lock import LogbookLock  # noqa: E402
from ui.shell.smoke import type_procedure  # noqa: E402


def save(app, window, mrn: str) -> str:
    window.findChild(QAction, "new_procedure").trigger()
    form = window.form
    type_procedure(form, mrn, "林晓明")
    form.findChild(QPushButton, "save").click()
    app.processEvents()
    said = form.banner.text()
    return f"ack {mrn}" if said == "Saved." else f"refused {mrn}: {said}"


def main() -> None:
    path = Path(sys.argv[1]).resolve()
    app = create_application()
    lock = LogbookLock(path)
    lock.acquire()
    settings = QSettings(str(path.with_name("app-settings.ini")), QSettings.Format.IniFormat)
    window, logbook = open_main_window(path, settings)
    window.check.wait()
    app.processEvents()  # the check's result, queued to this thread: writes are allowed once it passed
    assert not window.writes_held, window.writes_held
    print("open", flush=True)
    for line in sys.stdin:
        command, *words = line.split()
        if command == "save":
            print(save(app, window, words[0]), flush=True)
        elif command == "quit":
            window.findChild(QAction, "quit").trigger()
            app.processEvents()
            logbook.close()
            lock.release()
            print("closed", flush=True)
            return


if __name__ == "__main__":
    main()
