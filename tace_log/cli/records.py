"""Commands on records: import, export, validate, list, show, delete, schema."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from contextlib import AbstractContextManager
from pathlib import Path

from .. import exports, interchange, package
from ..dictionary import PATIENT, PROCEDURE
from ..errors import LogbookError, RecordNotFoundError, TaceLogError
from ..files import atomic_file
from ..findings import errors
from ..messages import Message, worded
from ..paths import default_logbook_path
from ..protocol import protocol_for
from ..signing import V1_COVERS, SignatureCheck
from ..storage import Logbook
from ..times import readable, typed_moment
from ..validation import FORMAT, FORMATS, Validator
from .output import (
    EXIT_INVALID,
    EXIT_OK,
    cli_text,
    language,
    print_fields,
    print_findings,
    print_parts,
    print_protocol,
    say,
    word,
)


def logbook_path(args) -> Path:
    return Path(args.db).expanduser() if args.db else default_logbook_path()


def open_logbook(args, create: bool = False) -> AbstractContextManager[Logbook]:
    """The logbook, to use in a `with`. Only commands that add records create it (a mistyped path must not look
    like an empty one), and a new one appears only if the command succeeds: a refused import leaves nothing."""
    path = logbook_path(args)
    logbook = Logbook.created(path) if create and not path.exists() else Logbook.open(path, create=False)
    if isinstance(logbook, Logbook):
        for warning in logbook.warnings:
            say(cli_text("logbook_warning", warning=warning.text(language()) if isinstance(warning, Message)
                         else warning), sys.stderr)
    return logbook


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("import", help=cli_text("help.import"))
    p.add_argument("file", help=cli_text("help.json_file"))
    p.set_defaults(run=run_import)

    p = commands.add_parser("export", help=cli_text("help.export"))
    p.add_argument("--format", choices=package.FORMATS, action="append",
                   help=cli_text("help.export.format"))
    p.add_argument("-o", "--output", metavar="PATH", help=cli_text("help.export.output"))
    p.add_argument("--package", action="store_true",
                   help=cli_text("help.export.package"))
    p.add_argument("--deidentify", action="store_true",
                   help=cli_text("help.export.deidentify"))
    p.add_argument("--secret-file", metavar="FILE", help=cli_text("help.export.secret_file"))
    p.add_argument("--shift-dates", action="store_true", help=cli_text("help.export.shift_dates"))
    p.add_argument("--free-text", action="store_true", help=cli_text("help.free_text"))
    p.add_argument("--changed-since", metavar="TIMESTAMP",
                   help=cli_text("help.export.changed_since"))
    p.set_defaults(run=run_export)

    p = commands.add_parser("validate", help=cli_text("help.validate"))
    p.add_argument("file", help=cli_text("help.json_file"))
    p.set_defaults(run=run_validate)

    p = commands.add_parser("list", help=cli_text("help.list"))
    p.add_argument("--search", metavar="TEXT", default="", help=cli_text("help.list.search"))
    p.add_argument("--limit", type=int, default=100, help=cli_text("help.list.limit"))
    p.set_defaults(run=run_list)

    p = commands.add_parser("show", help=cli_text("help.show"))
    p.add_argument("id", help=cli_text("help.show.id"))
    p.set_defaults(run=run_show)

    p = commands.add_parser("delete", help=cli_text("help.delete"))
    p.add_argument("procedure_id", metavar="PROCEDURE_ID")
    p.add_argument("--reason", required=True, metavar="TEXT", help=cli_text("help.delete.reason"))
    p.set_defaults(run=run_delete)

    p = commands.add_parser("schema", help=cli_text("help.schema"))
    p.add_argument("-o", "--output", metavar="FILE", help=cli_text("help.schema.output"))
    p.add_argument("--format", choices=FORMATS, default=FORMAT, help=cli_text("help.schema.format", format=FORMAT))
    p.set_defaults(run=run_schema)


def run_import(args) -> int:
    doc = interchange.read_file(args.file)
    with open_logbook(args, create=True) as logbook:
        print_protocol(logbook.protocol, sys.stderr)
        summary = logbook.import_document(doc)
    print_findings(summary.findings, sys.stderr)
    say(cli_text("imported", file=args.file, **{k: getattr(summary, k) for k in (
        "patients_added", "patients_updated", "patients_unchanged", "procedures_added", "procedures_updated",
        "procedures_unchanged")}))
    return 0


def _write_output(args, write) -> None:
    if not args.output:
        write(sys.stdout)
        return
    with atomic_file(args.output) as handle:  # a half-written export never takes the real name
        write(handle)


def run_export(args) -> int:
    if args.package:
        return _run_package(args)
    if len(args.format or ()) > 1:
        raise TaceLogError(Message("cli.one_format"))
    args.format = (args.format or ["json"])[0]
    if args.format != "json":
        return _run_trial_export(args)
    if args.deidentify:
        raise TaceLogError(Message("error.json_not_deidentified"))
    since = _changed_since(args)
    with open_logbook(args) as logbook:
        doc = interchange.export_document(logbook, only=logbook.patients_changed_since(since) if since else None)
    _write_output(args, lambda handle: interchange.write_json(doc, handle))
    if args.output:
        say(Message("export.done", patients=len(doc["patients"]), format="tace-log/2", path=args.output),
              file=sys.stderr)
    return 0


def _changed_since(args) -> dt.datetime | None:
    if args.changed_since is None:
        return None
    try:
        return typed_moment(args.changed_since)
    except ValueError:
        raise TaceLogError(Message("cli.changed_since", value=repr(args.changed_since))) from None


def _plan(args) -> exports.Deidentification | None:
    if not args.deidentify:
        if args.secret_file or args.shift_dates or args.free_text:
            raise TaceLogError(Message("cli.deidentify_options"))
        return None
    return exports.Deidentification.with_secret_file(args.secret_file, shift_dates=args.shift_dates,
                                                     free_text=args.free_text)


def _run_trial_export(args) -> int:
    if not args.output:
        raise TaceLogError(Message("cli.export_needs_output", format=args.format))
    plan = _plan(args)
    since = _changed_since(args)
    with open_logbook(args) as logbook:
        only = logbook.patients_changed_since(since) if since else None
        patients = logbook.counts()["patients"] if only is None else len(only)
        exports.write(logbook, args.format, args.output, plan, only=only)
    say(Message("export.done", patients=patients, format=args.format, path=args.output), file=sys.stderr)
    return 0


def _run_package(args) -> int:
    if not args.output:
        raise TaceLogError(Message("cli.package_needs_output"))
    plan = _plan(args)
    formats = tuple(args.format or (f for f in package.FORMATS if plan is None or f != "json"))
    with open_logbook(args) as logbook:
        manifest = package.write_package(logbook, args.output, formats, plan, _changed_since(args))
    say(Message("export.packaged", files=len(manifest["files"]) + 1, formats=", ".join(manifest["formats"]),
                  path=args.output, as_of=manifest["as_of"] or "-"), file=sys.stderr)
    return 0


def run_validate(args) -> int:
    doc = interchange.read_file(args.file)
    path = logbook_path(args)
    protocol = protocol_for(path)  # the logbook's, even before it exists: the file beside where it will be
    print_protocol(protocol, sys.stderr)
    if path.exists():  # also report what would clash with the logbook; never create one just to validate
        with Logbook.open(path, create=False) as logbook:
            findings = interchange.check(logbook, doc)
    else:
        findings = interchange.check(None, doc, Validator(protocol=protocol))
    print_findings(findings, sys.stdout)
    bad = errors(findings)
    say(cli_text("validated" if bad else "ready_to_import", file=args.file, errors=len(bad),
                 warnings=len(findings) - len(bad)))
    return EXIT_INVALID if bad else EXIT_OK


def run_list(args) -> int:
    with open_logbook(args) as logbook:
        rows = logbook.worklist.rows(search=args.search, limit=args.limit)
        total = logbook.worklist.count(args.search)
    staining, embolization = PROCEDURE["tumor_staining"], PROCEDURE["embolization"]
    for r in rows:
        print("\t".join([r.date, r.name, r.mrn, r.study_id or "-", staining.display(r.tumor_staining, language()),
                         embolization.display(r.embolization, language()),
                         worded(f"cli.status.{r.status}", language(), r.status), r.procedure_id]))
    say(cli_text("listed", shown=len(rows), total=total), sys.stderr)
    return 0


def run_show(args) -> int:
    with open_logbook(args) as logbook:
        try:
            procedure = logbook.get_procedure(args.id)
        except RecordNotFoundError:
            procedure = None
        if procedure:
            patient, procedures = logbook.get_patient(procedure.patient_id), [procedure]
        else:
            try:
                patient = logbook.get_patient(args.id)
            except RecordNotFoundError:
                found = logbook.find_patient_by_mrn(args.id)
                if found is None:
                    raise LogbookError(Message("error.nothing_named", id=repr(args.id), path=logbook.path)) from None
                patient = found
            procedures = logbook.procedures_of(patient.id)
        checks = {p.id: (logbook.signing.check(p.id), logbook.signing.addenda_of(p.id),
                         logbook.signing.entered_in_error_of(p.id)) for p in procedures}
        choices = logbook.validator.choices  # the lists this logbook validates with (its formulary and protocol)
    out = sys.stdout
    say(cli_text("patient", name=patient.name, mrn=patient.mrn, id=patient.id), out)
    print_fields(PATIENT, patient, out, choices)
    print_parts(PATIENT, patient, out, choices)
    broken = []
    for proc in procedures:
        check, addenda, mark = checks[proc.id]
        status = "entered_in_error" if mark else proc.status
        say("\n" + cli_text("procedure", date=proc.date.isoformat(), status=cli_text(f"status.{status}"),
                            id=proc.id), out)
        print_fields(PROCEDURE, proc, out, choices)
        print_parts(PROCEDURE, proc, out, choices)
        if check:
            _print_signature(check, out)
            if not check.ok:
                broken.append(proc.id)
        if mark:
            where = cli_text("signed_elsewhere") if mark.signature.signed_elsewhere else ""
            say("  " + cli_text("entered_in_error", at=readable(mark.signature.signed_at),
                                signer=mark.signature.signer, elsewhere=where, reason=mark.reason), out)
        for a in addenda:
            where = cli_text("signed_elsewhere") if a.signature and a.signature.signed_elsewhere else ""
            say("  " + cli_text("addendum", at=readable(a.created_at), author=a.author, elsewhere=where,
                                reason=a.reason), out)
            for line in a.text.splitlines() or [""]:
                say(f"    {line}", out)
    if broken:
        raise TaceLogError(Message("error.signatures_broken", count=len(broken), ids=", ".join(broken)))
    return 0


def run_delete(args) -> int:
    with open_logbook(args) as logbook:
        procedure = logbook.delete_procedure(args.procedure_id, args.reason)
        patient = logbook.get_patient(procedure.patient_id)
    say(cli_text("deleted", id=procedure.id, date=procedure.date.isoformat(), name=patient.name))
    return 0


def _print_signature(check: SignatureCheck, out) -> None:
    """Who signed and whether it holds: recomputed now, what it covers, what changed since."""
    s = check.signature
    who = cli_text("signer_role", username=s.username, role=word("role", s.role)) if s.role else s.username
    where = cli_text("signer_elsewhere") if s.signed_elsewhere else ""
    say("  " + cli_text("signed", elsewhere=where, meaning=word("meaning", s.meaning), signer=s.signer, who=who,
                        at=readable(s.signed_at), sha256=s.content_sha256), out)
    if not check.ok:
        say("  " + cli_text("signature_broken", problem=check.describe(language())), out)
    elif check.covers_fewer_fields:
        say("  " + cli_text("signature_v1", covers=V1_COVERS), out)
    else:
        say("  " + cli_text("signature_ok"), out)
    if check.changes:
        say("  " + cli_text("changed_since_signing", changes="; ".join(c.describe(language()) for c in check.changes)),
            out)


def run_schema(args) -> int:
    protocol = protocol_for(logbook_path(args))  # its arms are the schema's choices of `arm`
    schema = interchange.json_schema(Validator(protocol=protocol), version=args.format)
    _write_output(args, lambda handle: interchange.write_json(schema, handle))
    print_protocol(protocol, sys.stderr)  # once written: a failure is one line
    return 0
