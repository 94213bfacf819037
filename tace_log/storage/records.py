"""Mapping between record objects and table rows, driven by the dictionary.

A scalar field is a column of the same name (pathology fields carry a `pathology_` prefix in the patients
table); a multi-choice field is a child table with one row per choice; booleans are 0/1; dates are ISO text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..dictionary import AGENT, COMPLICATION, PATHOLOGY, PATIENT, PROCEDURE, Entity, Field, FieldType
from ..model import AgentDose, Complication, Pathology, Patient, Procedure

PATHOLOGY_PREFIX = "pathology_"

# Multi-choice fields: (table, key column, value column).
MULTI_TABLES = {
    (PATHOLOGY.key, "thrombus"): ("patient_thrombus", "patient_id", "site"),
    (PROCEDURE.key, "stained_segments"): ("procedure_segments", "procedure_id", "segment"),
}


def to_column(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.type is FieldType.DATE:
        return value.isoformat()
    if f.type is FieldType.BOOL:
        return int(value)
    return value


def from_column(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.type is FieldType.DATE:
        return dt.date.fromisoformat(value)
    if f.type is FieldType.BOOL:
        return bool(value)
    if f.type is FieldType.NUMBER and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def scalar_fields(entity: Entity) -> list[Field]:
    return [f for f in entity.fields if f.type is not FieldType.MULTI_CHOICE]


def columns(entity: Entity, prefix: str = "") -> list[str]:
    return [prefix + f.key for f in scalar_fields(entity)]


PATIENT_COLUMNS = ["id", *columns(PATIENT), *columns(PATHOLOGY, PATHOLOGY_PREFIX), "created_at", "updated_at"]
PROCEDURE_COLUMNS = ["id", "patient_id", *columns(PROCEDURE), "status", "created_at", "updated_at"]
AGENT_COLUMNS = ["id", "procedure_id", "position", *columns(AGENT)]
COMPLICATION_COLUMNS = ["id", "procedure_id", "position", *columns(COMPLICATION)]


def _values(entity: Entity, record, prefix: str = "") -> dict:
    return {prefix + f.key: to_column(f, getattr(record, f.key)) for f in scalar_fields(entity)}


def _fields_from(entity: Entity, row: dict, prefix: str = "") -> dict:
    return {f.key: from_column(f, row[prefix + f.key]) for f in scalar_fields(entity)}


def patient_row(patient: Patient) -> dict:
    return {"id": patient.id, **_values(PATIENT, patient), **_values(PATHOLOGY, patient.pathology, PATHOLOGY_PREFIX),
            "created_at": patient.created_at, "updated_at": patient.updated_at}


def patient_from_row(row: dict, thrombus: list[str]) -> Patient:
    pathology = Pathology(**_fields_from(PATHOLOGY, row, PATHOLOGY_PREFIX), thrombus=thrombus)
    return Patient(id=row["id"], **_fields_from(PATIENT, row), pathology=pathology,
                   created_at=row["created_at"], updated_at=row["updated_at"])


def procedure_row(procedure: Procedure) -> dict:
    return {"id": procedure.id, "patient_id": procedure.patient_id, **_values(PROCEDURE, procedure),
            "status": procedure.status, "created_at": procedure.created_at, "updated_at": procedure.updated_at}


def procedure_from_row(row: dict, segments: list[str], agents: list[AgentDose],
                       complications: list[Complication]) -> Procedure:
    return Procedure(id=row["id"], patient_id=row["patient_id"], **_fields_from(PROCEDURE, row),
                     stained_segments=segments, agents=agents, complications=complications,
                     status=row["status"], created_at=row["created_at"], updated_at=row["updated_at"])


def child_rows(entity: Entity, procedure_id: str, records: list, new_id) -> list[dict]:
    return [{"id": new_id(), "procedure_id": procedure_id, "position": i, **_values(entity, r)}
            for i, r in enumerate(records)]


def agent_from_row(row: dict) -> AgentDose:
    return AgentDose(**_fields_from(AGENT, row))


def complication_from_row(row: dict) -> Complication:
    return Complication(**_fields_from(COMPLICATION, row))


_AUDITED_ENTITIES = {"patients": PATIENT, "procedures": PROCEDURE, "agent_doses": AGENT, "complications": COMPLICATION}


def audited_field(table: str, column: str | None) -> Field | None:
    """The dictionary field an audit row's table and column hold (None for what is not a clinical field)."""
    for (entity_key, key), (multi_table, _owner, value_column) in MULTI_TABLES.items():
        if table == multi_table and column == value_column:
            return (PATHOLOGY if entity_key == PATHOLOGY.key else PROCEDURE)[key]
    entity = _AUDITED_ENTITIES.get(table)
    if entity is None or column is None:
        return None
    if entity is PATIENT and column.startswith(PATHOLOGY_PREFIX):
        entity, column = PATHOLOGY, column.removeprefix(PATHOLOGY_PREFIX)
    return entity[column] if column in entity.key_set else None
