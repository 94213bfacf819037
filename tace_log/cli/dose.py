"""`tace-log dose-import PROCEDURE_ID FILE.dcm [--save]`: the dose an X-ray system's radiation dose report (RDSR)
gives, read into a procedure's dose fields; shown, and saved with `--save` (validated and audited like any save,
the file named as the reason). A signed procedure is never changed: its dose goes in an addendum. A file whose patient
ID or study date is not the procedure's patient's MRN or date is refused unless `--force`."""

from __future__ import annotations

import argparse
import sys

from ..dictionary import PROCEDURE
from ..findings import errors
from .output import EXIT_INVALID, cli_text, language, print_findings, print_protocol, say
from .records import open_logbook


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("dose-import", help=cli_text("help.dose_import"))
    p.add_argument("procedure_id", metavar="PROCEDURE_ID")
    p.add_argument("file", metavar="FILE.dcm", help=cli_text("help.dose_import.file"))
    p.add_argument("--save", action="store_true", help=cli_text("help.dose_import.save"))
    p.add_argument("--force", action="store_true", help=cli_text("help.dose_import.force"))
    p.set_defaults(run=run)


def run(args) -> int:
    from ..rdsr import read_dose_report  # loaded for this command only (pydicom)

    summary = read_dose_report(args.file)
    values = summary.form_values()
    with open_logbook(args) as logbook:
        print_protocol(logbook.protocol, sys.stderr)
        procedure = logbook.get_procedure(args.procedure_id)
        other = summary.other_procedure(args.file, logbook.get_patient(procedure.patient_id).mrn, procedure.date)
        if other is not None:
            if not args.force:
                say(cli_text("failed", problem=cli_text("dose_other_procedure", problem=other)), sys.stderr)
                return EXIT_INVALID
            say(other, sys.stderr)  # imported as asked, and said
        updated = procedure.replace(**values)
        findings = logbook.check_procedure(updated)
        say(cli_text("dose_file", file=args.file, device=summary.device or cli_text("xray_system"),
                     planes=summary.planes, events=summary.irradiation_events))
        for key, value in values.items():
            say(f"  {PROCEDURE[key].label(language()):<24} {PROCEDURE[key].display(value, language())}")
        print_findings([f for f in findings if f.path.split(".")[-1] in values], sys.stdout)
        if not args.save:
            say(cli_text("dose_not_saved"))
            return 0
        if errors(findings):
            print_findings(errors(findings), sys.stderr)
            return EXIT_INVALID
        with logbook.users.reason(f"dose imported from {args.file}" + (" (--force)" if other else "")):
            logbook.save_procedure(updated)
        say(cli_text("saved"))
    return 0
