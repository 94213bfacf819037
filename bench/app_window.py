"""The app's start-up, as `launch` does it: the main window shown on a logbook with its worklist filled, then
quit. Prints 'shown <rows>' when visible. Usage: python bench/app_window.py LOGBOOK"""

import sys
from pathlib import Path

from ui.app import create_application, open_main_window

app = create_application()
window, logbook = open_main_window(Path(sys.argv[1]))
app.processEvents()
print("shown", window.worklist.model.rowCount(), flush=True)
window.check.wait()  # not part of the figure: the check runs after the window shows
sys.exit(0)
