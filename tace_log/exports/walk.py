"""Every record of a logbook as the exports see it: a tree of nodes walked from the declarations, a batch of patients
at a time, each node with its own id, its parent's, its place in its list and (for REDCap and ODM) a stable
instance number.

A record without an id of its own (an agent, a pathology) is named by its parent's id and its place:
`<procedure id>/agents/2`, `<patient id>/pathology`. Instance numbers never depend on the order a list is shown in:
a record with an id is numbered by when it was first written (its insert row in the audit trail), so a lab entered
later never renumbers the ones before it, and a deleted one leaves its number unused; a record in a repeating
parent is numbered `parent instance * 1000 + its own` (agent 2 of procedure 3 is 3002).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..dictionary import Entity, children, declared, entities
from ..model import ENTERED_IN_ERROR, SIGNED, Patient, Procedure, Record
from ..storage import Logbook, SignedParts
from ..storage.audit import AuditEntry

NESTED = 1000  # a repeating record in a repeating parent: parent instance * NESTED + its own number
# Patients read at a time: small enough that a batch with its audit rows stays within twice a bare process's memory
# (bench/exports.py), large enough that the queries per batch cost nothing.
BATCH = 200


def root() -> Entity:
    return next(e for e in entities() if e.parent is None)


def repeating(entity: Entity) -> bool:
    """Its records repeat within a patient: it is a list, or it lies in a record that does (a procedure's agents)."""
    if entity.parent is None:
        return False
    return entity.many or repeating(declared(entity.parent))


@dataclass(eq=False)
class Node:
    """One record in a patient's tree."""

    entity: Entity
    record: Record
    id: str
    parent: Node | None = None
    position: int | None = None  # from 1, in its parent's list; None for a record that is one per parent
    instance: int | None = None  # REDCap's repeat instance, ODM's repeat key; None where it does not repeat
    children: list[Node] = field(default_factory=list)
    # A signed record's standing (a procedure: draft, signed, or signed and then marked entered in error), set
    # from its signed parts by `batches`; None for what is never signed.
    status: str | None = None

    def walk(self) -> Iterator[Node]:
        """This node and everything under it, parents first, in declaration order."""
        stack = [self]  # not nested generators, which pass every node up through each level above it
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    @property
    def patient(self) -> Node:
        node = self
        while node.parent is not None:
            node = node.parent
        return node


@dataclass
class Batch:
    """The patients of one batch, their signatures and (when asked for) the audit rows kept under their records."""

    trees: list[Node]
    signed: dict[str, SignedParts]
    audit: dict[str, list[AuditEntry]]  # by the record they are kept under (`AuditEntry.parent_id`)


def tree(patient: Patient, procedures: list[Procedure], patient_id: str | None = None) -> Node:
    """A patient's records as a tree: its parts from the record, its standalone children (procedures) from the list
    `iter_patients` gives. `patient_id` names the patient instead of its id (a de-identified export)."""
    top = Node(root(), patient, patient_id or patient.id)
    standalone = {c.key: procedures for c in children(top.entity) if c.standalone}
    _grow(top, standalone)
    return top


def _grow(node: Node, standalone: dict[str, list[Procedure]]) -> None:
    for child in children(node.entity):
        value: Any = standalone.get(child.key, []) if child.standalone else getattr(node.record, child.document_key)
        if child.many:
            for i, record in enumerate(value, 1):
                own = record.id if child.own_id else f"{node.id}/{child.document_key}/{i}"
                node.children.append(Node(child, record, own, node, i))
        elif value is not None:
            node.children.append(Node(child, value, f"{node.id}/{child.document_key}", node))
    for grown in node.children:
        _grow(grown, {})


def number(top: Node, audit: dict[str, list[AuditEntry]]) -> None:
    """Give every repeating node of a patient's tree its instance number (see the module's docstring)."""
    first_written: dict[tuple[str, str], int] = {}  # (table, record id) -> the seq of its insert row
    written_under: dict[tuple[str, str], list[str]] = defaultdict(list)  # (table, owner) -> record ids, first first
    for rows in audit.values():
        for row in rows:
            if row.action == "insert" and row.record_id is not None \
                    and (row.table_name, row.record_id) not in first_written:
                first_written[row.table_name, row.record_id] = row.seq
                written_under[row.table_name, row.parent_id or ""].append(row.record_id)
    for node in top.walk():
        groups: dict[str, list[Node]] = defaultdict(list)
        for child in node.children:
            groups[child.entity.key].append(child)
        for siblings in groups.values():
            _number_siblings(node, siblings, first_written, written_under)


def _number_siblings(parent: Node, siblings: list[Node], first_written, written_under) -> None:
    entity = siblings[0].entity
    if not repeating(entity):
        return
    if not entity.many:  # one per repeating parent: it repeats with it
        for node in siblings:
            node.instance = parent.instance
        return
    if entity.own_id and entity.table is not None:
        if entity.standalone:  # kept under its own id: numbered among its siblings by when each was first written
            order = sorted(siblings, key=lambda n: (first_written.get((entity.table, n.id), float("inf")), n.position))
            numbers = {n.id: i for i, n in enumerate(order, 1)}
        else:  # kept under its parent: numbered among every record ever written there, deleted ones included
            ever = written_under.get((entity.table, parent.record.id), [])
            numbers = {record_id: i for i, record_id in enumerate(ever, 1)}
            for node in siblings:  # written before the trail knew it (never, in a logbook's own file): after the rest
                numbers.setdefault(node.id, len(numbers) + 1)
    else:
        numbers = {n.id: n.position or 0 for n in siblings}
    for node in siblings:
        local = numbers[node.id]
        node.instance = local if parent.instance is None else parent.instance * NESTED + local


def owners(top: Node) -> list[str]:
    """The ids audit rows of a patient's records are kept under: the patient's, each standalone record's (a
    procedure's) and each record's with an id of its own (its parts' rows are kept under it)."""
    return [n.record.id for n in top.walk() if n.entity.own_id]


def batches(logbook: Logbook, size: int = BATCH, audit: str = "", pseudonym=None,
            only: Collection[str] | None = None) -> Iterator[Batch]:
    """The logbook's patients (or those with an id in `only`) as trees, `size` at a time: never the whole logbook
    in memory. `pseudonym(patient)`
    names a patient instead of its id; `audit` reads the audit rows of each batch's records ("rows") or only their
    inserts ("inserts", without values: enough to number them), and numbers them."""
    pending: list[tuple[Patient, list[Procedure]]] = []

    def flush() -> Batch:
        signed = logbook.signing.signed_parts([pr.id for _, procs in pending for pr in procs if pr.status == SIGNED])
        trees = [tree(p, procs, pseudonym(p) if pseudonym else None) for p, procs in pending]
        for node in (n for t in trees for n in t.children if n.entity.standalone):
            parts = signed.get(node.record.id)
            node.status = ENTERED_IN_ERROR if parts and parts.entered_in_error else node.record.status
        rows: dict[str, list[AuditEntry]] = defaultdict(list)
        if audit:
            for row in logbook.audit.under([owner for t in trees for owner in owners(t)],
                                           inserts_only=audit == "inserts"):
                rows[row.parent_id or ""].append(row)
            for t in trees:
                number(t, {owner: rows.get(owner, []) for owner in owners(t)})
        pending.clear()
        return Batch(trees, signed, rows)

    for patient, procedures in logbook.iter_patients(size, only):
        pending.append((patient, procedures))
        if len(pending) == size:
            yield flush()
    if pending:
        yield flush()
