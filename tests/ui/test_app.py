"""Starting the app: the `tace-log gui` command, and what the window remembers between runs."""

import subprocess
import sys

from ui_support import shown_window


def test_tace_log_gui_smoke_saves_a_procedure_and_exits_0():
    done = subprocess.run([sys.executable, "-m", "tace_log", "gui", "--smoke"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "smoke: ok" in done.stdout


def test_splitter_and_columns_are_remembered(qtbot, window, logbook, settings):
    window.splitter.setSizes([300, 900])
    window.worklist.table.setColumnWidth(1, 155)
    window.close()
    again = shown_window(qtbot, logbook, settings)
    assert again.splitter.sizes()[0] == window.splitter.sizes()[0]
    assert again.worklist.table.columnWidth(1) == 155
