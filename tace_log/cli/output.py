"""How the CLI prints: findings one per line, records with the dictionary's labels."""

from __future__ import annotations

from ..dictionary import Entity

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2  # done; any other failure; invalid input, nothing written


def print_findings(findings, stream) -> None:
    for f in findings:
        print(f"{f.severity:<7} {f}", file=stream)


def print_fields(entity: Entity, record, stream, indent: str = "  ") -> None:
    """Each recorded field as 'Label: value unit'; fields not recorded are left out."""
    width = max(len(f.en) for f in entity.fields)
    for f in entity.fields:
        text = f.display(getattr(record, f.key))
        if text:
            lines = text.splitlines() or [""]
            print(f"{indent}{f.en:<{width}}  {lines[0]}", file=stream)
            for line in lines[1:]:
                print(f"{indent}{'':<{width}}  {line}", file=stream)
