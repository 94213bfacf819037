"""How the CLI prints: findings one per line, records with the dictionary's labels."""

from __future__ import annotations

from ..choice_lists import ChoiceLists
from ..dictionary import Entity, parts

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2  # done; any other failure; invalid input, nothing written


def print_protocol(protocol, stream) -> None:
    """Which protocol is in force, one line: on stderr where a command validates, so a JSON on stdout stays alone."""
    print(f"protocol: {protocol.describe()}", file=stream)


def print_findings(findings, stream) -> None:
    for f in findings:
        print(f"{f.severity:<7} {f}", file=stream)


def print_fields(entity: Entity, record, stream, choices: ChoiceLists, indent: str = "  ") -> None:
    """Each recorded field as 'Label: value unit'; fields not recorded are left out."""
    width = max(len(f.en) for f in entity.fields)
    for f in entity.fields:
        text = choices.display(f, getattr(record, f.key))
        if text:
            lines = text.splitlines() or [""]
            print(f"{indent}{f.en:<{width}}  {lines[0]}", file=stream)
            for line in lines[1:]:
                print(f"{indent}{'':<{width}}  {line}", file=stream)


def print_parts(entity: Entity, record, stream, choices: ChoiceLists, indent: str = "  ") -> None:
    """The parts of a record its declaration names: one (a pathology) field by field, each of a list (agents) on
    one line."""
    for part in parts(entity):
        value = getattr(record, part.document_key)
        if value is None:  # an optional part not recorded (no recurrence)
            continue
        if not part.many:
            print_fields(part, value, stream, choices, indent=f"{indent}{part.document_key}: ")
            continue
        for row in value:
            # the field that names the row (an agent's "Agent") without its label: "Agent: epirubicin; Dose 30"
            shown = ((f"{f.en} " if f.en != part.en else "", choices.display(f, getattr(row, f.key)))
                     for f in part.fields)
            print(f"{indent}{part.en}: " + "; ".join(f"{label}{text}" for label, text in shown if text), file=stream)
