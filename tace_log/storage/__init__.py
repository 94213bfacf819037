"""SQLite storage: opening a logbook, its migrations, and the Logbook facade (the only code that runs SQL)."""

from .logbook import Change, ImportSummary, Logbook, SaveResult, WorklistRow

__all__ = ["Change", "ImportSummary", "Logbook", "SaveResult", "WorklistRow"]
