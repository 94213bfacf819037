"""`tace-log report`: the PDF report of one procedure, or of every procedure into a folder.

`--all` renders on every core: a process pool whose workers each open their own connection to the logbook
(SQLite connections never cross a process or thread). Progress goes to stderr only when it is a terminal. A
procedure that cannot be printed is named with the reason, the others are still written, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from ..errors import LogbookError, TaceLogError
from ..messages import Message
from ..reports import procedure_report, report_file_name, write_pdf
from ..settings import ReportSettings, load_report_settings
from ..storage import Logbook
from .output import EXIT_INVALID, cli_text, say
from .records import logbook_path

PAGE = 500  # worklist rows fetched at a time when listing every procedure
log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("report", help=cli_text("help.report"))
    p.add_argument("procedure_id", nargs="?", metavar="PROCEDURE_ID", help=cli_text("help.report.procedure_id"))
    p.add_argument("-o", "--output", metavar="FILE.pdf", help=cli_text("help.report.output"))
    p.add_argument("--all", action="store_true", help=cli_text("help.report.all"))
    p.add_argument("-d", "--dir", metavar="DIR", help=cli_text("help.report.dir"))
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help=cli_text("help.report.jobs"))
    p.set_defaults(run=run_report)


def _open_existing(path: Path) -> Logbook:
    return Logbook.open(path, create=False, quick_check=False)


def _usage_problem(args) -> str | None:
    if args.all:
        if args.procedure_id or args.output:
            return "--all writes into a folder: give -d DIR, not a procedure id or -o"
        if not args.dir:
            return "--all needs -d DIR, the folder to write the reports into"
        if args.jobs < 1:
            return "--jobs must be 1 or more"
    elif not args.procedure_id or not args.output:
        return "give a PROCEDURE_ID and -o FILE.pdf, or --all -d DIR"
    return None


def run_report(args) -> int:
    problem = _usage_problem(args)
    if problem:
        say(cli_text("report_problem", problem=problem), sys.stderr)
        return EXIT_INVALID
    if args.all:
        return _report_all(logbook_path(args), Path(args.dir), args.jobs)
    path = logbook_path(args)
    with _open_existing(path) as logbook:
        data = procedure_report(logbook, args.procedure_id)
    write_pdf(args.output, data)
    say(cli_text("wrote", path=args.output), sys.stderr)
    return 0


def _every_procedure(logbook: Logbook) -> list[tuple[str, str]]:
    """(procedure id, file name) of every procedure, oldest first."""
    out: list[tuple[str, str]] = []
    offset = 0
    while True:
        rows = logbook.worklist.rows(sort="date", descending=False, limit=PAGE, offset=offset)
        out.extend((r.procedure_id, report_file_name(r.date, r.mrn, r.procedure_id)) for r in rows)
        if len(rows) < PAGE:
            return out
        offset += PAGE


# -- the worker processes ------------------------------------------------------------------------------------
_worker_logbook: Logbook | None = None
_worker_settings: ReportSettings | None = None


def _start_worker(path: str, settings: ReportSettings) -> None:
    global _worker_logbook, _worker_settings
    _worker_logbook, _worker_settings = _open_existing(Path(path)), settings


def _render_one(procedure_id: str, target: str) -> str:
    write_pdf(target, procedure_report(_worker_logbook, procedure_id, settings=_worker_settings))
    return target


def _failure(procedure_id: str, exc: Exception) -> str:
    """Why a report was not written, in one line; an unexpected error's traceback goes to the log."""
    if isinstance(exc, TaceLogError):
        return str(exc)
    log.error("report of procedure %s not written", procedure_id, exc_info=exc)
    first_line = next(iter(str(exc).splitlines()), "")
    return f"unexpected error: {type(exc).__name__}: {first_line} (details in the log)"


def _report_all(path: Path, folder: Path, jobs_wanted: int) -> int:
    with _open_existing(path) as logbook:
        jobs = _every_procedure(logbook)
    settings = load_report_settings(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LogbookError(Message("error.cannot_create_folder", path=folder, reason=exc.strerror or exc)) from exc
    progress = sys.stderr.isatty()
    failures: list[str] = []
    workers = max(1, min(jobs_wanted, len(jobs)))
    # spawn, not fork: each worker starts clean and opens its own connection, the same on every platform.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_start_worker,
                             initargs=(str(path), settings)) as pool:
        pending = {pool.submit(_render_one, pid, str(folder / name)): pid for pid, name in jobs}
        for done, future in enumerate(as_completed(pending), start=1):
            try:
                future.result()
            except Exception as exc:  # one procedure that cannot be printed: say which, and go on with the others
                failures.append(f"{pending[future]}: {_failure(pending[future], exc)}")
            if progress:
                say("\r" + cli_text("reports_progress", done=done, total=len(jobs)), sys.stderr, end="", flush=True)
    if progress and jobs:
        print(file=sys.stderr)
    for line in failures:
        say(cli_text("report_not_written", problem=line), sys.stderr)
    say(cli_text("reports_written", written=len(jobs) - len(failures), total=len(jobs), folder=folder), sys.stderr)
    return 1 if failures else 0
