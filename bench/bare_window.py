"""The floor for start-up and memory: a bare PySide6 QMainWindow shown, then quit. Prints 'shown' when visible."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 800)
window.show()
app.processEvents()
print("shown", flush=True)
status = Path("/proc/self/status").read_text()  # this process's own peak memory (VmHWM), as it exits
print("peak", next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), flush=True)
sys.exit(0)
