"""Start-up loads what the first screen shows and nothing more: the rules, hashing, ids, backups, reports and
the procedure form load on first use, and the core loads before Qt. Each would cost start-up time on the 100k
benchmark (`make bench`); this keeps a new top-level import from quietly bringing one back."""

import os
import subprocess
import sys

# What the main window on a logbook must not have loaded when it shows, and why it is not needed yet.
LOADED_ON_FIRST_USE = {
    "tace_log.validation": "the rules: the first check or save",
    "tace_log.formulary": "the agents' limits: the first check or the form",
    "tace_log.protocol": "the protocol: the first check or the form",
    "tace_log.catalogues": "the lab and adverse-event catalogues: the first check or the form",
    "tace_log.interchange": "import and export",
    "tace_log.reports": "the PDF report",
    "reportlab": "the PDF report",
    "tace_log.storage.backup": "File > Back up, restore, the backup on exit",
    "sqlite_utils": "creating or upgrading a logbook",
    "hashlib": "signing, passwords, the audit seal of a write",
    "uuid": "making or reading a record id",
    "platform": "what uuid loads",
    "csv": "the audit export",
    "ui.entry.procedure_form": "opening a procedure",
    "ui.shell.widgets": "the sign-in, sign and addendum dialogs",
    "ui.people.password_dialog": "File > Change password",
}

SHOW_MAIN_WINDOW = """
import sys
from pathlib import Path

from ui.app import create_application, open_main_window

app = create_application()
window, logbook = open_main_window(Path(sys.argv[1]))
assert window.isVisible() and window.worklist.model.rowCount() == 1
print(" ".join(sys.modules))  # in the order they were loaded
window.check.wait()
"""


def test_the_main_window_shows_without_what_it_loads_on_first_use(report_logbook):
    shown = subprocess.run([sys.executable, "-c", SHOW_MAIN_WINDOW, str(report_logbook.path)], capture_output=True,
                           text=True, timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert shown.returncode == 0, shown.stderr
    in_load_order = shown.stdout.split()
    modules = set(in_load_order)
    assert {"tace_log.storage.logbook", "ui.worklist.panel", "PySide6.QtWidgets"} <= modules  # the listing is real
    # PySide6's import hook reads the source of every module imported after it
    assert in_load_order.index("tace_log.storage.logbook") < in_load_order.index("PySide6")
    loaded = {name: why for name, why in LOADED_ON_FIRST_USE.items()
              if name in modules or any(m.startswith(name + ".") for m in modules)}
    assert loaded == {}, f"loaded at start-up, though only needed for: {loaded}"
