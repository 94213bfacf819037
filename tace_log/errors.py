"""One family of errors raised by the core; the CLI and the app turn them into a message at the edge.

What an error says is a `Message` of the catalogue (`tace_log.messages`): `str(error)` is the English (the CLI,
the log), `error.text("zh")` the Chinese the app shows. An error raised with a plain English string is said by
its class's entry, with the string as its detail.
"""

from __future__ import annotations

from .messages import CATALOGUE, EN, Message


class TaceLogError(Exception):
    """Something the user can act on; the message says what and where, in one line."""

    def __init__(self, message: str | Message = ""):
        self.said = message if isinstance(message, Message) else self._detail(message)
        super().__init__(self.said.text(EN))

    def _detail(self, detail: str) -> Message:
        """An English detail, said by the entry of the nearest class that has one (a subclass outside the core
        may have none)."""
        key = next(c.__name__ for c in type(self).__mro__ if c.__name__ in CATALOGUE)
        return Message(key, detail=detail)

    def text(self, language: str = EN) -> str:
        """What the error says in `language` ('zh' or 'en')."""
        return self.said.text(language)


class LogbookError(TaceLogError):
    """The logbook file cannot be used: the file stays as it was. `path` is the file concerned, when known."""

    def __init__(self, message: str | Message, path=None):
        super().__init__(message)
        self.path = path


class NotALogbookError(LogbookError):
    pass


class LogbookCorruptError(LogbookError):
    """The file is damaged. `storage.backup.newest_good_backup(error.path)` finds the backup to offer."""


class LogbookBusyError(LogbookError):
    """Another program held the logbook's write lock for longer than the busy timeout; nothing was written."""


class DiskFullError(LogbookError):
    """The disk is full: the write was rolled back, nothing was written."""


class BackupError(LogbookError):
    """A backup could not be written or verified, or a file offered for restore is not a good backup."""


class UnverifiedBackupError(BackupError):
    """A backup whose schema, audit trail or signatures do not verify: restored only when told why (`despite`)."""


class NewerSchemaError(LogbookError):
    pass


class LogbookInUseError(LogbookError):
    """Another program (the app's window, a CLI) has the logbook open, and what was asked would replace the file
    under it (a restore): refused, naming who holds it; nothing was changed."""


class RecordNotFoundError(TaceLogError):
    pass


class InvalidInputError(TaceLogError):
    """Input that breaks a rule; nothing was written. Carries every finding."""

    def __init__(self, findings, summary: str | Message = Message("summary.invalid_input")):
        self.findings = list(findings)
        errors = [f for f in self.findings if f.severity == "error"]
        first = Message("first_finding", finding=errors[0]) if errors else ""
        more = Message("and_more", count=len(errors) - 1) if len(errors) > 1 else ""
        super().__init__(Message("InvalidInputError", summary=summary, first=first, more=more))


class RefusedError(InvalidInputError):
    """A request the rules refuse (a locked record, a wrong password, a role that may not sign); nothing written."""

    def __init__(self, message: str | Message, findings=()):
        super().__init__(findings, message)
        if not isinstance(message, Message) and not self.findings:  # said by its class: "无权限：..."
            self.said = self._detail(message)


class RecordLockedError(RefusedError):
    """The record is signed: it never changes; an addendum is the way to add to it."""


class AuthenticationError(RefusedError):
    pass


class NotPermittedError(RefusedError):
    pass


class WarningsNotAcknowledgedError(RefusedError):
    """Signing a record with warnings needs each warning acknowledged explicitly."""
