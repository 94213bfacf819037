"""The `tace-log gui` command, added to the core's CLI through the `tace_log.commands` entry point."""

from __future__ import annotations

import argparse

from tace_log.cli.output import cli_text


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("gui", help=cli_text("help.gui"))
    p.add_argument("--smoke", action="store_true",
                   help=cli_text("help.gui.smoke"))
    p.set_defaults(run=run_gui)


def run_gui(args) -> int:
    from .app import launch  # Qt is imported only when the app is wanted, so other commands stay fast

    return launch(args.db, args.smoke)
