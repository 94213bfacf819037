"""The `tace-log` command: `tace-log [--db PATH] COMMAND`.

Exit codes: 0 done (warnings printed), 2 invalid input and nothing written, 1 any other failure, with a
one-line message (a traceback only with --debug). Commands live in modules beside this one; other packages
(the desktop app) add theirs through the `tace_log.commands` entry point group, so the core never imports them.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from importlib.metadata import entry_points

from .. import __version__
from ..errors import InvalidInputError, LogbookCorruptError, TaceLogError
from ..logs import configure_logging
from ..messages import CATALOGUE, EN, cli_wording, render
from ..settings import LANGUAGES
from ..storage.backup import newest_good_backup
from . import backup, course, dose, eligibility, key_images, protocol, push, records, reports, signing
from .output import (
    EXIT_FAILURE,
    EXIT_INVALID,
    EXIT_OK,
    choose_language,
    cli_text,
    columns,
    language,
    print_findings,
    say,
    use_language,
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_CLOSING = set("，。；：、）》”")  # Chinese punctuation a line does not begin with
COMMAND_MODULES = [records, reports, backup, signing, protocol, course, eligibility, dose, key_images, push]
log = logging.getLogger(__name__)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix if prefix is not None else cli_text("help.usage"))

    def _split_lines(self, text, width):
        """Chinese wrapped by the columns it takes (a character two), between any two characters but inside no
        ASCII word (`--save`, `tace-log/2`), and no line begun by a closing mark."""
        if not _CJK.search(text):
            return super()._split_lines(text, width)
        lines, line = [], ""
        for piece in re.findall(r"[!-~]+|\s+|.", " ".join(text.split())):
            if line.strip() and columns(line + piece) > width and piece not in _CLOSING:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
        return [*lines, line.rstrip()]


class _Parser(argparse.ArgumentParser):
    """argparse's own words (usage, its headings, -h) in the CLI's language; `add_parser` makes each command's
    parser of this class too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = cli_text("help.positionals")
        self._optionals.title = cli_text("help.options")
        if self.add_help:
            self._option_string_actions["-h"].help = cli_text("help.help")


@contextmanager
def _argparse_words() -> Iterator[None]:
    """argparse's own messages (a required argument missing, an invalid choice) in the CLI's language while it
    parses: argparse words each through its module's `_`, by its English text, which the catalogue's
    `cli.argparse.*` entries are."""
    by_english = {render(key, EN): key[len("cli."):] for key in CATALOGUE if key.startswith("cli.argparse.")}
    argparse_words = vars(argparse)
    english = argparse_words["_"]
    argparse_words["_"] = lambda text: cli_text(by_english[text]) if text in by_english else english(text)
    try:
        yield
    finally:
        argparse_words["_"] = english


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the CLI's language as it is when called (`main` chooses it first)."""
    parser = _Parser(prog="tace-log", description=cli_text("help.tace_log"))
    parser.add_argument("--db", metavar="PATH", help=cli_text("help.db"))
    parser.add_argument("--debug", action="store_true", help=cli_text("help.debug"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=cli_text("help.lang"))
    parser.add_argument("--version", action="version", version=f"tace-log {__version__}",
                        help=cli_text("help.version"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(commands)
    for plugin in entry_points(group="tace_log.commands"):
        plugin.load()(commands)
    return parser


def _lang_asked(argv: list[str]) -> str | None:
    """--lang's value as written, read before the parser is built so that its help is in that language (the parser
    then checks it)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    use_language(choose_language(_lang_asked(argv)))
    parser = build_parser()
    with _argparse_words():
        args = parser.parse_args(argv)
    use_language(choose_language(args.lang))
    configure_logging()
    log.info("tace-log %s", args.command)
    # The core's commands say what to do in the CLI's words (a command, not a menu); a plugin's (the app) its own.
    with cli_wording() if args.run.__module__.startswith(__name__) else nullcontext():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return args.run(args) or EXIT_OK
    except InvalidInputError as exc:
        print_findings(exc.findings, sys.stderr)
        say(cli_text("failed", problem=exc.text(language())), sys.stderr)
        return EXIT_INVALID
    except TaceLogError as exc:
        log.warning("tace-log %s failed: %s", args.command, exc)
        if args.debug:
            raise
        say(cli_text("failed", problem=exc.text(language()) + _backup_hint(exc)), sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        say(cli_text("interrupted"), sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # the edge: a user never gets a bare traceback unless they ask for one
        log.exception("tace-log %s: unexpected error", args.command)
        if args.debug:
            raise
        say(cli_text("unexpected", kind=type(exc).__name__, problem=exc), sys.stderr)
        return EXIT_FAILURE


def _backup_hint(exc: TaceLogError) -> str:
    """For a damaged logbook, the way back, on the same line: the newest backup that passes every check."""
    if not isinstance(exc, LogbookCorruptError) or exc.path is None:
        return ""
    good = newest_good_backup(exc.path)
    return cli_text("backup_hint", good=good) if good else cli_text("no_good_backup")


def run() -> None:
    sys.exit(main())
