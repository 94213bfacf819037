"""`tace-log key-image PROCEDURE_ID FILE [--caption TEXT]`: attach a key image (PNG or JPEG) to an unsigned
procedure, saved like any save (validated, audited, the file named as the reason). A signed procedure is never
changed: its images were signed with it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..dictionary import KEY_IMAGE
from ..errors import TaceLogError
from ..files import raw_access
from ..messages import Message
from ..model import record_class
from ..settings import load_key_image_limit_mb
from .output import cli_text, print_protocol, say
from .records import open_logbook


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("key-image", help=cli_text("help.key_image"))
    p.add_argument("procedure_id", metavar="PROCEDURE_ID")
    p.add_argument("file", metavar="FILE", help=cli_text("help.key_image.file"))
    p.add_argument("--caption", default=None, help=cli_text("help.key_image.caption"))
    p.set_defaults(run=run)


def run(args) -> int:
    path = Path(args.file)
    try:
        data = raw_access(path).read_bytes()  # a mistyped path may name the logbook
    except OSError as exc:
        raise TaceLogError(Message("error.cannot_read", path=path, reason=exc.strerror or exc)) from exc
    with open_logbook(args) as logbook:
        print_protocol(logbook.protocol, sys.stderr)
        procedure = logbook.get_procedure(args.procedure_id)
        logbook.signing.refuse_if_signed(procedure.id)
        image = logbook.key_images.store(data, path.name, load_key_image_limit_mb(logbook.path))
        attached = record_class(KEY_IMAGE)(caption=args.caption, media_type=image.media_type, sha256=image.sha256)
        with logbook.users.reason(f"key image attached from {path.name}"):
            logbook.save_procedure(procedure.replace(key_images=[*procedure.key_images, attached]))
        say(cli_text("key_image_attached", number=len(procedure.key_images) + 1, file=path.name,
                     kind=image.media_type.upper(), width=image.width, height=image.height,
                     sha256=image.sha256[:12]))
    return 0
