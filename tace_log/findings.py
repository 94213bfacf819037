"""Findings: what validation, import and signing say about a record. A finding names the field path
(`patients[0].procedures[1].agents[0].dose`), a severity, a stable code and a message a radiologist understands:
a `Message` of the catalogue (`tace_log.messages`), whose key is the code or `code.variant`, rendered in English
(`message`, for the CLI, logs and files) or in the user's language (`text`).

Errors block a save or an import; warnings need acknowledging; info is advice. Kept apart from the rules
(`validation`) so the start-up path, which only shows findings, need not load the formulary and protocol.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dictionary import path_label
from .messages import CATALOGUE, EN, ZH, Message, render

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One thing said about a record: the field's path, a severity, and what is said (its code and parameters)."""

    path: str
    severity: str
    said: Message

    @property
    def code(self) -> str:
        """The stable code: the catalogue key without its variant (`type.list` is a `type` finding)."""
        return self.said.key.partition(".")[0]

    @property
    def message(self) -> str:
        return self.said.text(EN)

    def text(self, language: str = EN) -> str:
        """The message in `language` ('zh' or 'en'), field labels in it too."""
        return self.said.text(language)

    def label(self, language: str = EN) -> str:
        """'path: message', the path in the dictionary's labels in Chinese (as a parameter of an error's text); a
        user's own field (`username`, not the dictionary's) in its word in both."""
        if not self.path:
            return self.text(language)
        account = f"account.{self.path}"
        if account in CATALOGUE:
            where = render(account, language)
        elif language != ZH:
            return f"{self.path}: {self.message}"
        else:
            where = path_label(self.path, language)
        return f"{where}：{self.text(language)}" if language == ZH else f"{where}: {self.text(language)}"

    def __str__(self) -> str:
        return self.label(EN)


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
