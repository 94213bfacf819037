"""`tace-log push --redcap URL --token-file FILE [--site PREFIX] [--dry-run]`: pool the logbook's records into the
trial's REDCap project through its API (exports/redcap_push.py), in batches with progress, in REDCap's normal mode
(a blank never erases a stored value); `--dry-run` reads the project and says what a push would add and change.
The same de-identification and `--changed-since` options as `export`."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..errors import TaceLogError
from ..files import raw_access
from ..messages import Message
from .output import EXIT_INVALID, cli_text, say
from .records import _changed_since, _plan, open_logbook

_TOKEN = re.compile(r"[0-9A-Fa-f]{32}")
SHOWN_CHANGES = 20  # a dry run lists this many changed rows, then counts the rest


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("push", help=cli_text("help.push"))
    p.add_argument("--redcap", required=True, metavar="URL", help=cli_text("help.push.redcap"))
    p.add_argument("--token-file", required=True, metavar="FILE", help=cli_text("help.push.token_file"))
    p.add_argument("--site", default="", metavar="PREFIX", help=cli_text("help.push.site"))
    p.add_argument("--dry-run", action="store_true", help=cli_text("help.push.dry_run"))
    p.add_argument("--batch", type=int, default=50, metavar="N", help=cli_text("help.push.batch"))
    p.add_argument("--deidentify", action="store_true", help=cli_text("help.push.deidentify"))
    p.add_argument("--secret-file", metavar="FILE", help=cli_text("help.push.secret_file"))
    p.add_argument("--shift-dates", action="store_true", help=cli_text("help.push.shift_dates"))
    p.add_argument("--free-text", action="store_true", help=cli_text("help.free_text"))
    p.add_argument("--changed-since", metavar="TIMESTAMP", help=cli_text("help.push.changed_since"))
    p.set_defaults(run=run)


def read_token(path: str) -> str:
    try:
        token = raw_access(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise TaceLogError(Message("error.cannot_read", path=path, reason=getattr(exc, "strerror", None) or exc)) \
            from exc
    if not _TOKEN.fullmatch(token):
        raise TaceLogError(Message("redcap.token_file", path=Path(path)))
    return token


def run(args) -> int:
    from ..exports.redcap_push import RedcapApi, push  # loaded for this command only

    api = RedcapApi(args.redcap, read_token(args.token_file))
    plan, since = _plan(args), _changed_since(args)
    with open_logbook(args) as logbook:
        only = logbook.patients_changed_since(since) if since else None
        summary = push(logbook, api, site=args.site, plan=plan, only=only, dry_run=args.dry_run,
                       batch=max(args.batch, 1),
                       progress=lambda done, total: say(cli_text("push_progress", done=done, total=total),
                                                        file=sys.stderr))
    say(cli_text("push_dry_run" if args.dry_run else "push_done", url=args.redcap, patients=summary.patients,
                 new=summary.new, changed=summary.changed, unchanged=summary.unchanged, sent=summary.sent))
    if args.dry_run:
        for record_id, row, fields in summary.changes[:SHOWN_CHANGES]:
            say(f"  {record_id} {row}: {', '.join(fields)}")
        if len(summary.changes) > SHOWN_CHANGES:
            say(cli_text("push_more_changes", count=len(summary.changes) - SHOWN_CHANGES))
    for record_id, said in summary.refused.items():
        say(cli_text("push_refused", record=record_id, reason=said), file=sys.stderr)
    return EXIT_INVALID if summary.refused else 0
