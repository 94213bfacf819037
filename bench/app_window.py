"""The product side of the start-up figure: `python bench/app_window.py LOGBOOK` starts the app the way
`tace-log gui` does, and prints 'shown' once the main window is visible with the worklist filled."""

import sys

from ui.app import create_application, open_main_window

app = create_application()
window, logbook = open_main_window(sys.argv[1])
app.processEvents()
if not (window.isVisible() and window.worklist.model.rowCount() > 0):
    raise SystemExit("the main window is not shown with a filled worklist")
print("shown", flush=True)
sys.exit(0)
