"""`tace-log eligibility [MRN] [--json]`: who is eligible and why, each rule computed from the recorded course
(course/eligibility.py). `--json` prints the contract's list alone on stdout; without it, a table in the
catalogue's words (one patient: each rule with what it asks)."""

from __future__ import annotations

import argparse
import json
import sys

from ..course.eligibility import HIGH_RISK_PARTS, RULES, EligibilityResult, Verdict, rule_texts
from ..errors import LogbookError
from ..messages import EN, Message, render
from ..protocol import Protocol
from ..settings import LANGUAGES
from .output import cli_text, language, print_protocol
from .records import open_logbook


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("eligibility", help=cli_text("help.eligibility"))
    p.add_argument("mrn", nargs="?", help=cli_text("help.eligibility.mrn"))
    p.add_argument("--json", action="store_true", help=cli_text("help.eligibility.json"))
    # the global --lang, also taken after the command; not given, it leaves the global one (and its default) alone
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                   help=cli_text("help.eligibility.lang"))
    p.set_defaults(run=run_eligibility)


def run_eligibility(args) -> int:
    with open_logbook(args) as logbook:
        protocol = logbook.protocol  # a site file that cannot be used is an error naming its key, exit 1
        print_protocol(protocol, sys.stderr)
        if args.json:
            rows = logbook.eligibility.as_json(args.mrn)
            found, lines = len(rows), [json.dumps(rows, ensure_ascii=False, indent=2)]
        else:
            results = logbook.eligibility.evaluate(args.mrn)
            found, lines = len(results), table(results, protocol, language(), rules=args.mrn is not None)
        path = logbook.path
    if args.mrn is not None and not found:
        raise LogbookError(Message("error.no_mrn", mrn=repr(args.mrn), path=path))
    for line in lines:
        print(line)
    return 0


def _verdict(passed: bool | None, language: str) -> str:
    return render("eligibility.unknown" if passed is None else "eligibility.passes" if passed
                  else "eligibility.fails", language)


def _eligible(result: EligibilityResult, language: str) -> str:
    return render("eligibility.undecided" if result.eligible is None else "eligibility.eligible" if result.eligible
                  else "eligibility.not_eligible", language)


def _scores(result: EligibilityResult) -> tuple[str, str]:
    cp, albi = result.child_pugh, result.albi
    child_pugh = " ".join(filter(None, ("" if cp.score is None else str(cp.score), cp.cls or "")))
    albi_text = "" if albi.score is None else f"{albi.score:.2f}"
    if albi.grade is not None:
        albi_text = f"{albi_text} ({albi.grade})".strip()
    return child_pugh, albi_text


def table(results: list[EligibilityResult], protocol: Protocol, language: str = EN, rules: bool = False) -> list[str]:
    """The patients one a line (MRN, verdict, age, scores, failed rules, missing inputs) and a count; with `rules`,
    each patient's rules under it."""
    header = [render(f"eligibility.column.{key}", language) for key in ("mrn", "verdict", "age", "child_pugh", "albi",
                                                                       "failed", "missing")]
    rows = [[r.mrn, _eligible(r, language), "" if r.age_at_consent is None else str(r.age_at_consent), *_scores(r),
             ", ".join(r.failed_rules), ", ".join(r.missing)] for r in results]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True)).rstrip()]
    texts = rule_texts(protocol) if rules else {}
    for result, row in zip(results, rows, strict=True):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if rules:
            lines += _rule_lines(result, texts, language)
    counts = [sum(r.eligible is v for r in results) for v in (True, False, None)]
    lines.append(render("eligibility.summary", language, total=len(results), eligible=counts[0],
                        not_eligible=counts[1], unknown=counts[2]))
    return lines


def _rule_lines(result: EligibilityResult, texts: dict[str, Message], language: str) -> list[str]:
    width = max(len(rule) for rule in RULES)

    def line(name: str, verdict: Verdict, text: Message, indent: str = "  ") -> str:
        passed, missing = verdict
        said = text.text(language)
        if passed is None and missing:
            said += "; " + render("eligibility.missing", language, paths=", ".join(missing))
        return f"{indent}{name:<{width - len(indent) + 2}}  {_verdict(passed, language):<8}  {said}"

    out = []
    for rule in RULES:
        out.append(line(rule, result.rules[rule], texts[rule]))
        if rule == "INC-HIGH-RISK":
            out += [line(part, result.high_risk_parts[part], texts[part], "    ") for part in HIGH_RISK_PARTS]
    return out
