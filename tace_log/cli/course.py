"""Commands on what the course decides, derived and never typed: `endpoints`, `due`, `flow`.

Each reads the logbook's courses once (`Logbook.courses`), says which protocol is in force on stderr, and prints
a table, or with `--json` the contract's JSON alone on stdout (../shared/interchange-v2.md, "Derived values").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ..course.due import due
from ..course.endpoints import ENDPOINTS, endpoints
from ..course.flow import flow
from .output import EXIT_INVALID, cli_text, language, print_protocol, say
from .records import open_logbook


def _date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("endpoints", help=cli_text("help.endpoints"))
    p.add_argument("--cutoff", type=_date, default=None, metavar="DATE", help=cli_text("help.analysis_cutoff"))
    p.add_argument("--json", action="store_true", help=cli_text("help.interchange_json"))
    p.set_defaults(run=run_endpoints)

    p = commands.add_parser("due", help=cli_text("help.due"))
    p.add_argument("mrns", nargs="*", metavar="MRN", help=cli_text("help.due.mrns"))
    p.add_argument("--as-of", type=_date, default=None, metavar="DATE", help=cli_text("help.due.as_of"))
    p.add_argument("--json", action="store_true", help=cli_text("help.interchange_json"))
    p.set_defaults(run=run_due)

    p = commands.add_parser("survival", help=cli_text("help.survival"))
    p.add_argument("--endpoint", choices=ENDPOINTS, default="rfs", help=cli_text("help.survival.endpoint"))
    p.add_argument("--by", choices=("arm",), default="arm", help=cli_text("help.survival.by"))
    p.add_argument("--cutoff", type=_date, default=None, metavar="DATE", help=cli_text("help.analysis_cutoff"))
    p.add_argument("--json", action="store_true", help=cli_text("help.interchange_json"))
    p.add_argument("-o", "--output", metavar="FILE.pdf", help=cli_text("help.survival.output"))
    p.set_defaults(run=run_survival)

    p = commands.add_parser("study-report", help=cli_text("help.study_report"))
    p.add_argument("--cutoff", type=_date, default=None, metavar="DATE", help=cli_text("help.study_report.cutoff"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help=cli_text("help.study_report.output"))
    p.add_argument("--language", choices=("en", "zh"), default=None,
                   help=cli_text("help.study_report.language"))
    p.set_defaults(run=run_study_report)

    p = commands.add_parser("flow", help=cli_text("help.flow"))
    p.add_argument("--cutoff", type=_date, default=None, metavar="DATE", help=cli_text("help.flow.cutoff"))
    p.add_argument("--json", action="store_true", help=cli_text("help.interchange_json"))
    p.set_defaults(run=run_flow)


def _emit(data, as_json: bool, lines) -> None:
    if as_json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for line in lines():
        print(line)


def run_endpoints(args) -> int:
    cutoff = args.cutoff or dt.date.today()
    with open_logbook(args) as logbook:
        print_protocol(logbook.protocol, sys.stderr)
        courses = logbook.courses.read(treatment=False)
        rows = endpoints(courses, logbook.protocol, cutoff)
    unscreened = sum(c.screening is None for c in courses)
    say(cli_text("enrolled", cutoff=cutoff.isoformat(), count=len(rows))
        + (cli_text("unscreened_left_out", count=unscreened) if unscreened else ""), sys.stderr)
    data = [r.as_dict() for r in rows]

    def table():
        yield "\t".join(("mrn", "arm", "rfs_days", "rfs_event", "os_days", "os_event", "ttr_days", "ttr_event"))
        for row in data:
            yield "\t".join("-" if v is None else str(v) for v in row.values())

    _emit(data, args.json, table)
    return 0


def run_survival(args) -> int:
    from ..analysis.by_arm import survival_by_arm  # loaded for this command only

    cutoff = args.cutoff or dt.date.today()
    with open_logbook(args) as logbook:
        print_protocol(logbook.protocol, sys.stderr)
        analysis, names = survival_by_arm(logbook, args.endpoint, cutoff)
    analysed = sum(curve.n for curve in analysis.curves.values())
    say(cli_text("analysed", cutoff=cutoff.isoformat(), count=analysed, endpoint=args.endpoint.upper()), sys.stderr)
    if args.output:
        from ..reports import write_pdf
        from ..reports.survival_figure import figure_pdf, survival_figure

        write_pdf(args.output, figure_pdf(survival_figure(analysis, args.endpoint, names)))
        say(cli_text("wrote", path=args.output), sys.stderr)
    data = analysis.as_json()

    def table():
        yield "\t".join(("group", "n", "events", "median_days", "median_ci"))
        for group in data["groups"]:
            low, high = group["median_ci"]
            yield "\t".join((names.get(group["group"], group["group"]), str(group["n"]), str(group["events"]),
                             _shown(group["median"]), f"{_shown(low)}-{_shown(high)}"))
        rank = data["logrank"]
        yield f"log-rank chi2 {_shown(rank['chi2'])} on {rank['df']} df, p {_shown(rank['p'])}"
        for hr in data["hazard_ratios"]:
            low, high = hr["ci"]
            yield (f"HR {names.get(hr['group'], hr['group'])} vs {names.get(hr['reference'], hr['reference'])}: "
                   f"{_shown(hr['hr'])} ({_shown(low)}-{_shown(high)}), p {_shown(hr['p'])}")

    _emit(data, args.json, table)
    return 0


def run_study_report(args) -> int:
    from ..reports import write_pdf
    from ..reports.study import study_report  # loaded for this command only

    cutoff = args.cutoff or dt.date.today()
    with open_logbook(args) as logbook:
        print_protocol(logbook.protocol, sys.stderr)
        data = study_report(logbook, cutoff, args.language or language())
    write_pdf(args.output, data)
    say(cli_text("wrote_cutoff", path=args.output, cutoff=cutoff.isoformat()), sys.stderr)
    return 0


def _shown(value) -> str:
    """A figure as the table prints it: NR where not reached, three significant decimals otherwise."""
    return "NR" if value is None else f"{value:.4g}"


def run_due(args) -> int:
    day = args.as_of or dt.date.today()
    with open_logbook(args) as logbook:
        print_protocol(logbook.protocol, sys.stderr)
        rows = due(logbook.courses.read(args.mrns or None), logbook.protocol, day)
    unknown = sorted(set(args.mrns) - {r.mrn for r in rows})
    if unknown:
        say(cli_text("due_unknown", mrns=", ".join(unknown)), sys.stderr)
        return EXIT_INVALID
    say(cli_text("due_flagged", day=day.isoformat(), flagged=sum(bool(r.flags) for r in rows), total=len(rows)),
        sys.stderr)
    _emit([r.as_dict() for r in rows], args.json,
          lambda: (f"{r.mrn}\t{' '.join(r.flags)}" for r in rows if r.flags))
    return 0


def run_flow(args) -> int:
    cutoff = args.cutoff or dt.date.today()
    with open_logbook(args) as logbook:
        print_protocol(logbook.protocol, sys.stderr)
        counts = flow(logbook.courses.read(), logbook.protocol, cutoff)

    def lines():
        yield f"assessed for eligibility: {counts['assessed']}"
        for reason, n in counts["excluded"].items():
            yield f"  excluded, {reason}: {n}"
        for arm, n in counts["enrolled"].items():
            yield f"enrolled, {arm}: {n}"
        for reason, n in counts["lenvatinib_discontinued"].items():
            yield f"  lenvatinib discontinued, {reason}: {n}"
        yield f"  lost to follow-up: {counts['lost_to_follow_up']}"
        yield f"  withdrawn: {counts['withdrawn']}"
        yield f"analysed: {counts['analysed']}"

    _emit(counts, args.json, lines)
    return 0
