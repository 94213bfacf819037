"""The `tace-log` command: `tace-log [--db PATH] COMMAND`.

Exit codes: 0 done (warnings printed), 2 invalid input and nothing written, 1 any other failure, with a
one-line message (a traceback only with --debug). Commands live in modules beside this one; other packages
(the desktop app) add theirs through the `tace_log.commands` entry point group, so the core never imports them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import nullcontext
from importlib.metadata import entry_points

from .. import __version__
from ..errors import InvalidInputError, LogbookCorruptError, TaceLogError
from ..logs import configure_logging
from ..messages import cli_wording
from ..settings import LANGUAGES
from ..storage.backup import newest_good_backup
from . import backup, course, dose, eligibility, key_images, protocol, push, records, reports, signing
from .output import (
    EXIT_FAILURE,
    EXIT_INVALID,
    EXIT_OK,
    choose_language,
    cli_text,
    language,
    print_findings,
    say,
    use_language,
)

COMMAND_MODULES = [records, reports, backup, signing, protocol, course, eligibility, dose, key_images, push]
log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tace-log", description="TACE Log: the TACE procedure logbook.")
    parser.add_argument("--db", metavar="PATH",
                        help="logbook file (default: $TACE_LOG_DB, else tace-log.sqlite in the user data folder)")
    parser.add_argument("--debug", action="store_true", help="show a traceback on failure")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="the language of what the command says: en or zh (default: $TACE_LOG_LANG, else the "
                             "system's locale); --json, CSV and files are the same in both")
    parser.add_argument("--version", action="version", version=f"tace-log {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(commands)
    for plugin in entry_points(group="tace_log.commands"):
        plugin.load()(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
