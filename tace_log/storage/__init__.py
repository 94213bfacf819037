"""SQLite storage: opening a logbook, its migrations, and the Logbook facade with its managers (the only code
that runs SQL)."""

from .backups import Backups
from .changes import Change, Changed
from .logbook import ImportSummary, Logbook, SaveResult
from .signatures import SignedParts
from .worklist import WorklistRow

__all__ = ["Backups", "Change", "Changed", "ImportSummary", "Logbook", "SaveResult", "SignedParts", "WorklistRow"]
