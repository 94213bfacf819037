"""The `tace-log gui` command, added to the core's CLI through the `tace_log.commands` entry point."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("gui", help="open the desktop app on the logbook")
    p.add_argument("--smoke", action="store_true",
                   help="self-test: open the window on a temporary logbook, save a procedure, exit")
    p.set_defaults(run=run_gui)


def run_gui(args) -> int:
    from .app import launch  # Qt is imported only when the app is wanted, so other commands stay fast

    return launch(args.db, args.smoke)
