"""TACE Log's desktop app (PySide6). It reaches the data only through the core's Logbook facade."""
