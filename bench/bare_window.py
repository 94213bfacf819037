"""The floor for start-up and memory: a bare PySide6 QMainWindow shown, then quit. Prints 'shown' when visible."""

import sys

from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 800)
window.show()
app.processEvents()
print("shown", flush=True)
sys.exit(0)
