"""How the CLI prints, in its language (`--lang`, else TACE_LOG_LANG, else the system's locale): what it says
through the message catalogue, findings one per line, records with the dictionary's labels. Machine output
(`--json`, CSV, ids, paths, numbers) is the same in every language."""

from __future__ import annotations

import os
import sys
import unicodedata

from ..choice_lists import ChoiceLists
from ..dictionary import Entity, parts
from ..messages import EN, Message, language_named, render, worded

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2  # done; any other failure; invalid input, nothing written
_LOCALE = ("LC_ALL", "LC_MESSAGES", "LANG")  # the order POSIX reads them in
_language = EN


def choose_language(flag: str | None) -> str:
    """The CLI's language: --lang, else TACE_LOG_LANG (as the app), else the locale's; English for none."""
    for name in (flag, os.environ.get("TACE_LOG_LANG"), *(os.environ.get(v) for v in _LOCALE)):
        if name and name.strip():
            return language_named(name)
    return EN


def use_language(language: str) -> None:
    global _language
    _language = language


def language() -> str:
    return _language


def say(message: Message | str, file=None, **print_options) -> None:
    """One line of the CLI's human output: a catalogue message in the CLI's language, or a text as it is."""
    text = message.text(_language) if isinstance(message, Message) else message
    print(text, file=file or sys.stdout, **print_options)


def cli_text(key: str, **params) -> str:
    """The catalogue's `cli.KEY` in the CLI's language."""
    return render(f"cli.{key}", _language, **params)


def word(kind: str, stored: str) -> str:
    """A word the core stores in English (`role`, a signature's `meaning`) in the CLI's language."""
    return worded(f"{kind}.{stored}", _language, stored)


def columns(text: str) -> int:
    """Columns a text takes in a terminal: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _padded(text: str, width: int) -> str:
    return text + " " * max(width - columns(text), 0)


def print_protocol(protocol, stream) -> None:
    """Which protocol is in force, one line: on stderr where a command validates, so a JSON on stdout stays alone."""
    say(cli_text("protocol", protocol=protocol.describe()), stream)


def print_findings(findings, stream) -> None:
    for f in findings:
        say(f"{_padded(cli_text(f'severity.{f.severity}'), 7)} {f.label(_language)}", stream)


def print_fields(entity: Entity, record, stream, choices: ChoiceLists, indent: str = "  ") -> None:
    """Each recorded field as 'Label: value unit'; fields not recorded are left out."""
    width = max(columns(f.label(_language)) for f in entity.fields)
    for f in entity.fields:
        text = choices.display(f, getattr(record, f.key), _language)
        if text:
            lines = text.splitlines() or [""]
            say(f"{indent}{_padded(f.label(_language), width)}  {lines[0]}", stream)
            for line in lines[1:]:
                say(f"{indent}{'':<{width}}  {line}", stream)


def print_parts(entity: Entity, record, stream, choices: ChoiceLists, indent: str = "  ") -> None:
    """The parts of a record its declaration names: one (a pathology) field by field, each of a list (agents) on
    one line."""
    for part in parts(entity):
        value = getattr(record, part.document_key)
        if value is None:  # an optional part not recorded (no recurrence)
            continue
        if not part.many:
            print_fields(part, value, stream, choices, indent=f"{indent}{part.label(_language)}: ")
            continue
        for row in value:
            # the field that names the row (an agent's "Agent") without its label: "Agent: epirubicin; Dose 30"
            shown = ((f"{f.label(_language)} " if f.en != part.en else "",
                      choices.display(f, getattr(row, f.key), _language)) for f in part.fields)
            say(f"{indent}{part.label(_language)}: " + "; ".join(f"{label}{text}" for label, text in shown if text),
                stream)
