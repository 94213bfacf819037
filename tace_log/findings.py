"""Findings: what validation, import and signing say about a record. A finding names the field path
(`patients[0].procedures[1].agents[0].dose`), a severity, a stable code and a message a radiologist understands.

Errors block a save or an import; warnings need acknowledging; info is advice. Kept apart from the rules
(`validation`) so the start-up path, which only shows findings, need not load the formulary and protocol.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One thing said about a record: the field's path, a severity, a stable code and a message."""

    path: str
    severity: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def join(path: str, key: str | int) -> str:
    """The path of `key` inside `path`: `a.b`, `a[2]`, `key` at the top, or `a['b c']` for a key that is not a
    name (an unknown key, as written, with its invisible characters escaped)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if not (key.isidentifier() and key.isprintable()):  # an unknown key as written: quoted, its invisibles escaped
        return f"{path}[{key!r}]"
    return f"{path}.{key}" if path else key


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == WARNING]
