"""Commands that keep a logbook safe: backup, restore, backups, check."""

from __future__ import annotations

import argparse

from ..errors import TaceLogError
from ..messages import Message
from ..storage import Backups, Logbook
from ..storage.backup import BackupPolicy, check_file
from ..storage.tampering import file_problems
from ..times import shown_file_time
from .output import cli_text, say
from .records import logbook_path, open_logbook
from .signing import signature_failures


def register(commands: argparse._SubParsersAction) -> None:
    policy = BackupPolicy()
    p = commands.add_parser("backup", help=cli_text("help.backup"))
    p.add_argument("-o", "--output", metavar="FILE", help=cli_text("help.backup.output"))
    p.add_argument("--keep-daily", type=int, default=policy.daily, metavar="N",
                   help=cli_text("help.backup.keep_daily", days=policy.daily))
    p.add_argument("--keep-weekly", type=int, default=policy.weekly, metavar="N",
                   help=cli_text("help.backup.keep_weekly", weeks=policy.weekly))
    p.set_defaults(run=run_backup)

    p = commands.add_parser("restore", help=cli_text("help.restore"))
    p.add_argument("file", help=cli_text("help.restore.file"))
    p.add_argument("--despite", metavar="REASON", help=cli_text("help.restore.despite"))
    p.set_defaults(run=run_restore)

    p = commands.add_parser("backups", help=cli_text("help.backups"))
    p.set_defaults(run=run_backups)

    p = commands.add_parser("check", help=cli_text("help.check"))
    p.add_argument("file", nargs="?", help=cli_text("help.check.file"))
    p.set_defaults(run=run_check)


def run_backup(args) -> int:
    with open_logbook(args, create=False) as logbook:
        report = logbook.backups.back_up(args.output, BackupPolicy(args.keep_daily, args.keep_weekly))
    say(cli_text("backed_up", path=logbook.path, backup=report))
    for path in report.removed:
        say(cli_text("removed_backup", path=path))
    return 0


def run_restore(args) -> int:
    report = Backups.restore_file(logbook_path(args), args.file, despite=args.despite)
    kept = cli_text("restore_kept", path=report.safety_copy) if report.safety_copy else ""
    say(cli_text("restored", path=report.path, source=report.source, procedures=report.counts.get("procedures", 0),
                 kept=kept))
    return 0


def run_backups(args) -> int:
    path = logbook_path(args)
    found = Backups.of(path)
    for backup in found:  # when it was written, as the app's restore dialog shows it: local time with its zone
        say(f"{shown_file_time(backup.stat().st_mtime)}\t{backup}")
    good = Backups.newest_good(path) if found else None
    say(cli_text("backups", count=len(found), good=good or cli_text("none")))
    return 0


def run_check(args) -> int:
    target = args.file or logbook_path(args)
    counts = check_file(target)
    schema, trail = file_problems(target)
    with Logbook.read_only(target) as logbook:  # read as it is: a backup of an older schema is not upgraded
        signatures = logbook.signing.verify()
    problems = schema + trail.problems + signature_failures(signatures)
    if problems:
        raise TaceLogError(Message("error.file_problems", path=target, problems="; ".join(problems)))
    say(cli_text("check_ok", path=target, procedures=counts.get("procedures", 0), patients=counts.get("patients", 0),
                 trail=trail, signatures=signatures))
    return 0
