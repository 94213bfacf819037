"""The app's start-up, as `launch` does it: the main window shown on a logbook with its worklist filled, then
quit. Prints 'shown <rows>' when visible. Usage: python bench/app_window.py LOGBOOK"""

import sys
from pathlib import Path

from ui.app import create_application, open_main_window

app = create_application()
window, logbook = open_main_window(Path(sys.argv[1]))
app.processEvents()
if not (window.isVisible() and window.worklist.model.rowCount() > 0):
    raise SystemExit("the main window is not shown with a filled worklist")
print("shown", window.worklist.model.rowCount(), flush=True)
window.check.wait()  # after 'shown', so not timed; the peak memory includes the check, as the app's does
status = Path("/proc/self/status").read_text()  # this process's own peak memory (VmHWM), as it exits
print("peak", next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), flush=True)
sys.exit(0)
