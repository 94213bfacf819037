"""The `tace-log` command: `tace-log [--db PATH] COMMAND`.

Exit codes: 0 done (warnings printed), 2 invalid input and nothing written, 1 any other failure, with a
one-line message (a traceback only with --debug). Commands live in modules beside this one; other packages
(the desktop app) add theirs through the `tace_log.commands` entry point group, so the core never imports them.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import entry_points

from .. import __version__
from ..errors import InvalidInputError, TaceLogError
from . import records, signing
from .output import print_findings

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2

COMMAND_MODULES = [records, signing]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tace-log", description="TACE Log: the TACE procedure logbook.")
    parser.add_argument("--db", metavar="PATH",
                        help="logbook file (default: $TACE_LOG_DB, else tace-log.sqlite in the user data folder)")
    parser.add_argument("--debug", action="store_true", help="show a traceback on failure")
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
    try:
        return args.run(args) or EXIT_OK
    except InvalidInputError as exc:
        print_findings(exc.findings, sys.stderr)
        print(f"tace-log: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except TaceLogError as exc:
        if args.debug:
            raise
        print(f"tace-log: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("tace-log: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # the edge: a user never gets a bare traceback unless they ask for one
        if args.debug:
            raise
        print(f"tace-log: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return EXIT_FAILURE


def run() -> None:
    sys.exit(main())
