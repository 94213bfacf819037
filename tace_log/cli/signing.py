"""Commands for users, signatures, addenda and the audit trail: user, sign, addendum, entered-in-error, history,
audit."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from ..dictionary import entities
from ..errors import AuthenticationError, TaceLogError, WarningsNotAcknowledgedError
from ..messages import ZH, Message, worded
from ..storage import Logbook
from ..times import readable, stamp_column
from ..users import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, ROLES
from .output import cli_text, language, print_findings, say, word
from .records import open_logbook

PASSWORD_ENV = "TACE_LOG_PASSWORD"


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("user", help=cli_text("help.user"))
    sub = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    q = sub.add_parser("add", help=cli_text("help.user.add", shortest=MIN_PASSWORD_LENGTH, longest=MAX_PASSWORD_LENGTH))
    q.add_argument("name", metavar="NAME", help=cli_text("help.user.add.name"))
    q.add_argument("--role", choices=ROLES, required=True, help=cli_text("help.user.add.role"))
    q.add_argument("--full-name", metavar="TEXT", help=cli_text("help.user.add.full_name"))
    q.add_argument("--by", metavar="ADMIN", help=cli_text("help.user.add.by", env=PASSWORD_ENV))
    q.set_defaults(run=run_user_add)
    q = sub.add_parser("list", help=cli_text("help.user.list"))
    q.set_defaults(run=run_user_list)
    for action, text in (("deactivate", cli_text("help.user.deactivate")),
                         ("activate", cli_text("help.user.activate"))):
        q = sub.add_parser(action, help=text)
        q.add_argument("name", metavar="NAME")
        q.add_argument("--by", metavar="ADMIN", required=True, help=cli_text("help.user.by_admin", env=PASSWORD_ENV))
        q.set_defaults(run=run_user_active, active=action == "activate")
    q = sub.add_parser("passwd", help=cli_text("help.user.passwd"))
    q.add_argument("name", metavar="NAME", help=cli_text("help.user.passwd.name"))
    q.add_argument("--by", metavar="ADMIN", help=cli_text("help.user.passwd.by", env=PASSWORD_ENV))
    q.set_defaults(run=run_user_passwd)

    p = commands.add_parser("sign", help=cli_text("help.sign"))
    p.add_argument("procedure_id", metavar="PROCEDURE_ID")
    p.add_argument("--user", required=True, metavar="NAME", help=cli_text("help.signing_radiologist"))
    p.add_argument("--acknowledge-warnings", action="store_true",
                   help=cli_text("help.sign.acknowledge_warnings"))
    p.set_defaults(run=run_sign)

    p = commands.add_parser("addendum", help=cli_text("help.addendum"))
    p.add_argument("procedure_id", metavar="PROCEDURE_ID")
    p.add_argument("--user", required=True, metavar="NAME", help=cli_text("help.signing_radiologist"))
    p.add_argument("--reason", required=True, metavar="TEXT", help=cli_text("help.addendum.reason"))
    p.add_argument("--text", required=True, metavar="TEXT", help=cli_text("help.addendum.text"))
    p.set_defaults(run=run_addendum)

    p = commands.add_parser("entered-in-error", help=cli_text("help.entered_in_error"))
    p.add_argument("procedure_id", metavar="PROCEDURE_ID")
    p.add_argument("--user", required=True, metavar="NAME", help=cli_text("help.signing_radiologist"))
    p.add_argument("--reason", required=True, metavar="TEXT", help=cli_text("help.entered_in_error.reason"))
    p.set_defaults(run=run_entered_in_error)

    p = commands.add_parser("history", help=cli_text("help.history"))
    p.add_argument("id", metavar="ID", help=cli_text("help.history.id"))
    p.set_defaults(run=run_history)

    p = commands.add_parser("audit", help=cli_text("help.audit"))
    sub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    q = sub.add_parser("verify", help=cli_text("help.audit.verify"))
    q.set_defaults(run=run_audit_verify)
    q = sub.add_parser("export", help=cli_text("help.audit.export"))
    q.add_argument("-o", "--output", required=True, metavar="FILE.csv")
    q.set_defaults(run=run_audit_export)


def read_password(prompt: str, env: str | None = PASSWORD_ENV, confirm: Message | None = None) -> str:
    """From the environment variable, a prompt on a terminal, or one line of standard input. A new password is
    typed twice at a terminal; `confirm` says what is not done when the two differ."""
    if env and os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(prompt)
    if confirm and getpass.getpass(cli_text("password_again")) != password:
        raise AuthenticationError(Message("error.passwords_differ", what=confirm))
    return password


def run_user_add(args) -> int:
    with open_logbook(args, create=True) as logbook:
        by = (args.by, read_password(cli_text("password_for", username=args.by))) if args.by else None
        password = read_password(cli_text("password_for", username=args.name), env=None,
                                 confirm=Message("summary.user_not_added"))
        user = logbook.users.add(args.name, args.full_name or args.name, args.role, password, by=by)
    say(cli_text("user_added", role=word("role", user.role), username=user.username, name=user.full_name))
    return 0


def run_user_passwd(args) -> int:
    with open_logbook(args) as logbook:
        if args.by:
            by, current = (args.by, read_password(cli_text("password_for", username=args.by))), None
        else:
            by, current = None, read_password(cli_text("current_password_for", username=args.name), env=None)
        new = read_password(cli_text("new_password_for", username=args.name), env=None,
                            confirm=Message("summary.password_not_changed"))
        logbook.users.change_password(args.name, new, old_password=current, by=by)
    say(cli_text("password_changed", username=args.name))
    return 0


def run_user_list(args) -> int:
    with open_logbook(args) as logbook:
        users = logbook.users.everyone()
    for user in users:
        states = [cli_text(state) for state, on in (("state.inactive", not user.active),
                                                    ("state.must_change_password", user.must_change_password)) if on]
        say("\t".join([user.username, word("role", user.role), user.full_name, *states]))
    say(cli_text("users", count=len(users)), sys.stderr)
    return 0


def run_user_active(args) -> int:
    with open_logbook(args) as logbook:
        if logbook.users.get(args.name).active == args.active:
            say(cli_text("user_already", username=args.name,
                         state=cli_text("state.active" if args.active else "state.inactive")))
            return 0
        logbook.users.set_active(args.name, args.active,
                                 by=(args.by, read_password(cli_text("password_for", username=args.by))))
    say(cli_text("user_activated" if args.active else "user_deactivated", username=args.name))
    return 0


def run_sign(args) -> int:
    with open_logbook(args) as logbook:
        findings = logbook.signing.findings_to_sign(args.procedure_id)
        password = read_password(cli_text("password_for", username=args.user))
        try:
            signature = logbook.signing.sign(args.procedure_id, args.user, password,
                                               acknowledge_warnings=args.acknowledge_warnings)
        except WarningsNotAcknowledgedError as exc:
            raise WarningsNotAcknowledgedError(Message("cli.acknowledge_hint", error=exc.said),
                                               exc.findings) from exc
    print_findings(findings, sys.stderr)
    say(cli_text("signed_procedure", id=args.procedure_id, meaning=word("meaning", signature.meaning),
                 signer=signature.signer, at=readable(signature.signed_at), sha256=signature.content_sha256))
    return 0


def run_addendum(args) -> int:
    with open_logbook(args) as logbook:
        password = read_password(cli_text("password_for", username=args.user))
        addendum = logbook.signing.add_addendum(args.procedure_id, args.user, password, args.reason, args.text)
    say(cli_text("added_addendum", id=addendum.id, procedure=args.procedure_id, author=addendum.author,
                 at=readable(addendum.created_at)))
    return 0


def run_entered_in_error(args) -> int:
    with open_logbook(args) as logbook:
        password = read_password(cli_text("password_for", username=args.user))
        mark = logbook.signing.mark_entered_in_error(args.procedure_id, args.user, password, args.reason)
    say(cli_text("marked_entered_in_error", id=args.procedure_id, signer=mark.signature.signer,
                 at=readable(mark.signature.signed_at)))
    return 0


def run_history(args) -> int:
    with open_logbook(args) as logbook:
        entries = logbook.audit.history(args.id)
    for entry in entries:
        reason = cli_text("history_reason", reason=entry.reason) if entry.reason else ""
        for field, old, new in entry.changes():
            if field == "content":  # the signed content, JSON for a program: its SHA-256 is the line after
                continue
            say(cli_text("history_line", at=readable(entry.at), who=entry.username,
                         action=worded(f"cli.history.{entry.action}", language(), entry.action),
                         what=_audited(entry.table_name, field), old=_value(entry.table_name, field, old),
                         new=_value(entry.table_name, field, new), reason=reason))
    say(cli_text("audit_rows", count=len(entries), id=args.id), sys.stderr)
    return 0


def _audited(table: str, column: str) -> str:
    """An audit row's table and column: in English as the trail stores them, in Chinese the record's and the
    field's labels."""
    if language() != ZH:
        return f"{table}.{column}"
    field = Logbook.audited_field(table, column)
    record = next((e.label(ZH) for e in entities() if e.table == table), None)
    column_label = field.label(ZH) if field else worded(f"cli.history.column.{column}", ZH, column)
    return f"{record or worded(f'cli.history.table.{table}', ZH, table)} · {column_label}"


def _value(table: str, column: str, value) -> str:
    """A value of the trail: a time in local time with its zone; in Chinese a choice, a status, a role or a
    meaning in its words; else as stored."""
    if value is None:
        return ""
    if stamp_column(column) and isinstance(value, str):
        return readable(value)
    if language() != ZH:
        return str(value)
    field = Logbook.audited_field(table, column)
    if field is not None and field.choices and value in field.choice_keys:
        return field.choice(value).label(ZH)
    if column == "status":
        return worded(f"cli.status.{value}", ZH, str(value))
    if column == "signed_elsewhere":
        return cli_text("yes" if value else "no")
    if column in ("meaning", "signer_role"):
        return word("meaning" if column == "meaning" else "role", str(value))
    return str(value)


def run_audit_verify(args) -> int:
    with open_logbook(args) as logbook:
        check = logbook.audit.verify()
        schema = logbook.audit.schema_problems()
        signatures = logbook.signing.verify()
    problems = check.problems + schema + signature_failures(signatures)
    if problems:
        raise TaceLogError(Message("error.problems", problems="; ".join(problems)))
    say(cli_text("audit_ok", trail=check, signatures=signatures))
    return 0


def signature_failures(check) -> list[str]:
    """Name on stderr each signed record that does not verify; its one-line summary, or nothing when all hold."""
    for line in check.failures:
        say(cli_text("failed", problem=line), sys.stderr)
    return [] if check.ok else [check.summary]


def run_audit_export(args) -> int:
    with open_logbook(args) as logbook:
        count = logbook.audit.export(args.output)
    say(cli_text("audit_exported", count=count, path=args.output), sys.stderr)
    return 0
