"""README.md's command block lists every `tace-log` command and subcommand the parser has, with every option of
each (in the manner of sqlite-utils' tests/test_docs.py): a command or option added without its README line fails
here, naming it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from tace_log.cli import build_parser

README = Path(__file__).parents[2] / "README.md"
GLOBAL = "(global)"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> list[list[str]]:
    """Each option's spellings (["-o", "--output"]); -h is argparse's own."""
    return [action.option_strings for action in parser._actions
            if action.option_strings and not isinstance(action, argparse._HelpAction)]


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, its parser) for every command a user can run: `backup`, `user add`, ...; groups that only hold
    subcommands (`user`, `audit`) are listed through them."""
    subcommands = _subcommands(parser)
    if not subcommands:
        yield path, parser
    for name, sub in subcommands.items():
        yield from _commands(sub, (*path, name))


PARSER = build_parser()
COMMANDS = dict(_commands(PARSER))


def _readme_entries() -> dict[tuple[str, ...], str]:
    """The command block's text for each command: its lines (a line names one command, or several as `a|b`) and
    the comment lines that continue them."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"^## The `tace-log` command\n```\n(.*?)^```", text, re.S | re.M)
    assert block, "README.md has no `tace-log` command block"
    entries: dict[tuple[str, ...], str] = {}
    current: list[tuple[str, ...]] = []
    for line in block.group(1).splitlines():
        if line.startswith("tace-log"):
            words = line.split("#")[0].replace("[--db PATH]", "").split()[1:]
            group = _subcommands(PARSER).get(words[0]) if words else None
            if group is not None and _subcommands(group) and len(words) > 1:
                current = [(words[0], name) for name in words[1].split("|")]
            elif words and not words[0].startswith("-"):
                current = [tuple(words[:1])]
            else:  # a line of global options only
                current = []
            current.append((GLOBAL,))  # the global options may be shown on any line
        elif not line.lstrip().startswith("#"):
            current = []
        for path in current:
            entries[path] = entries.get(path, "") + line + "\n"
    return entries


ENTRIES = _readme_entries()


@pytest.mark.parametrize("command", [" ".join(path) for path in COMMANDS])
def test_every_command_is_in_the_readme(command):
    assert tuple(command.split()) in ENTRIES, f"README.md's command block has no line for `tace-log {command}`"


@pytest.mark.parametrize(("command", "option"), [
    *((GLOBAL, spellings) for spellings in _options(PARSER)),
    *((" ".join(path), spellings) for path, parser in COMMANDS.items() for spellings in _options(parser)),
], ids=lambda value: "/".join(value) if isinstance(value, list) else value)
def test_every_option_is_in_the_readme(command, option):
    entry = ENTRIES.get(tuple(command.split()), "")
    assert any(re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", entry) for spelling in option), (
        f"README.md's lines for `tace-log {command}` do not mention {' or '.join(option)}")


def test_the_readme_names_no_command_the_parser_lacks():
    """A renamed or removed command leaves no stale README line behind."""
    stale = [" ".join(path) for path in ENTRIES if path not in ((GLOBAL,), *COMMANDS)]
    assert not stale, f"README.md lists commands `tace-log` does not have: {stale}"
