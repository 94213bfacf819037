"""What a committed write changed, as the Logbook tells its listeners (the app refreshes its views from it)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Changed(Enum):
    """What kind of change a notice is about."""

    PATIENT_SAVED = "patient saved"
    PROCEDURE_SAVED = "procedure saved"
    PROCEDURE_DELETED = "procedure deleted"
    SIGNED = "signed"
    ADDENDUM = "addendum"
    ENTERED_IN_ERROR = "entered in error"
    IMPORTED = "imported"
    USERS = "users changed"
    RESTORED = "restored"  # the whole logbook was replaced: everything shown of it is stale


# The notices after which a list of records (the worklist) is stale.
RECORDS = frozenset({Changed.PATIENT_SAVED, Changed.PROCEDURE_SAVED, Changed.PROCEDURE_DELETED, Changed.SIGNED,
                     Changed.ADDENDUM, Changed.ENTERED_IN_ERROR, Changed.IMPORTED, Changed.RESTORED})


@dataclass(frozen=True)
class Change:
    """One committed write: what changed, and the ids of the records it changed (patients, procedures, or user
    names; an import names the procedures it added or changed; a restore names none, it changed everything)."""

    what: Changed
    ids: tuple[str, ...] = ()

    @property
    def records_changed(self) -> bool:
        return self.what in RECORDS
