"""Deterministic clinical records for the safety tests: a seed gives the same patients, procedures and writes.

The crash writer (a subprocess) and the test that checks it both derive the same sequence of writes from a seed,
so the test knows exactly what the logbook must hold after any number of acknowledged writes.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import random
import uuid
from pathlib import Path

from tace_log.model import Patient, Procedure

SURNAMES = ["林", "王", "张", "陈", "Li", "O'Brien"]
GIVEN = ["晓明", "伟", "秀英", "Wei", "Anna"]


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def patient_document(rng: random.Random) -> dict:
    return {
        "id": _id(rng), "mrn": f"HS-{rng.getrandbits(48):012x}",
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN), "sex": rng.choice(["M", "F"]),
        "birth_date": f"{rng.randint(1940, 1985)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "weight_kg": rng.choice([52, 58.5, 64.5, 71, 80]), "height_cm": rng.choice([158, 165, 170, 176]),
        "arm": "lenvatinib_tace", "study_id": f"LT-{rng.randint(1, 999):03d}",
        "resection_date": "2024-09-02", "resection_margin": "R0",
        "pathology": {"mvi": "M2", "tumor_count": rng.randint(1, 4), "max_diameter_cm": 6.2,
                      "capsule": "incomplete", "margin_clear": False, "thrombus": [], "rupture": False,
                      "adjacent_invasion": False},
    }


def procedure_document(rng: random.Random, procedure_id: str | None = None) -> dict:
    agents = [{"agent": "epirubicin", "dose": rng.choice([20, 30, 40]), "unit": "mg"},
              {"agent": "lipiodol", "dose": rng.choice([3, 5, 8]), "unit": "mL"},
              {"agent": "gelatin_sponge", "dose": 0.5, "unit": "vial", "particle_min_um": 350,
               "particle_max_um": 560}][:rng.randint(1, 3)]
    return {
        "id": procedure_id or _id(rng),
        "date": (dt.date(2024, 10, 3) + dt.timedelta(days=rng.randint(0, 20))).isoformat(),
        "cycle": rng.randint(1, 2), "operator": rng.choice(["Qin", "秦医生"]), "access_site": "right_femoral",
        "tumor_staining": "present", "stained_segments": rng.sample(["V", "VI", "VII", "VIII"], rng.randint(1, 3)),
        "lesion_count": 1, "largest_lesion_mm": rng.randint(5, 30),
        "embolization": "superselective_chemoembolization", "selectivity": "superselective",
        "target_vessels": "A6", "agents": agents, "endpoint": "near_stasis", "technical_success": "complete",
        "contrast_ml": rng.randint(60, 150), "fluoroscopy_min": rng.randint(80, 300) / 10,
        "complications": [], "findings": f"Nodular stain {rng.randint(5, 30)} mm in segment VI fed by A6.",
        "impression": "Treated by superselective chemoembolization.",
    }


def import_document(rng: random.Random, patients: int, procedures_each: int) -> dict:
    out = []
    for _ in range(patients):
        patient = patient_document(rng)
        patient["procedures"] = [procedure_document(rng) for _ in range(procedures_each)]
        out.append(patient)
    return {"format": "tace-log/1", "patients": out}


def writes(seed: int, count: int) -> list[tuple[str, dict]]:
    """`count` writes, each one transaction: ('patient', doc), ('procedure', doc with patient_id), ('import', doc).

    A 'procedure' write is either a new procedure or a whole new version of one written earlier in the sequence
    (different agents and fields), so a half-applied update would show.
    """
    rng = random.Random(seed)
    out: list[tuple[str, dict]] = []
    patients: list[str] = []
    procedures: list[tuple[str, str]] = []  # (procedure id, patient id)
    for _ in range(count):
        roll = rng.random()
        if not patients or roll < 0.2:
            doc = patient_document(rng)
            patients.append(doc["id"])
            out.append(("patient", doc))
        elif roll < 0.3:
            doc = import_document(rng, 2, 2)
            for p in doc["patients"]:
                patients.append(p["id"])
                procedures += [(proc["id"], p["id"]) for proc in p["procedures"]]
            out.append(("import", doc))
        elif roll < 0.6 and procedures:
            procedure_id, patient_id = rng.choice(procedures)
            out.append(("procedure", {**procedure_document(rng, procedure_id), "patient_id": patient_id}))
        else:
            patient_id = rng.choice(patients)
            doc = {**procedure_document(rng), "patient_id": patient_id}
            procedures.append((doc["id"], patient_id))
            out.append(("procedure", doc))
    return out


def perform(logbook, write: tuple[str, dict]) -> None:
    """Carry out one write through the Logbook, as the app or the CLI would."""
    kind, doc = write
    if kind == "patient":
        logbook.save_patient(Patient.from_document(doc))
    elif kind == "procedure":
        logbook.save_procedure(Procedure.from_document(doc, patient_id=doc["patient_id"]))
    else:
        logbook.import_document(copy.deepcopy(doc))


def apply(state: dict, write: tuple[str, dict]) -> dict:
    """The state a logbook must hold after `write`: {'patients': {id: doc}, 'procedures': {id: doc}}."""
    state = copy.deepcopy(state)
    kind, doc = write
    if kind == "patient":
        state["patients"][doc["id"]] = _canonical_patient(Patient.from_document(doc))
    elif kind == "procedure":
        state["procedures"][doc["id"]] = _canonical_procedure(
            Procedure.from_document(doc, patient_id=doc["patient_id"]))
    else:
        for p in doc["patients"]:
            state["patients"][p["id"]] = _canonical_patient(Patient.from_document(p))
            for proc in p["procedures"]:
                state["procedures"][proc["id"]] = _canonical_procedure(
                    Procedure.from_document(proc, patient_id=p["id"]))
    return state


def empty_state() -> dict:
    return {"patients": {}, "procedures": {}}


def _canonical_patient(patient: Patient) -> dict:
    return patient.to_document()


def _canonical_procedure(procedure: Procedure) -> dict:
    return {**procedure.to_document(), "patient_id": procedure.patient_id}


def logbook_state(logbook) -> dict:
    """What a logbook holds, in the shape `apply` builds, read back whole through the Logbook."""
    state = empty_state()
    for patient, procedures in logbook.iter_patients():
        state["patients"][patient.id] = _canonical_patient(patient)
        for procedure in procedures:
            state["procedures"][procedure.id] = _canonical_procedure(procedure)
    return state


def fill(logbook, seed: int, patients: int, procedures_each: int) -> None:
    """Import `patients` patients with `procedures_each` procedures each, in batches of 100 patients."""
    rng = random.Random(seed)
    for start in range(0, patients, 100):
        logbook.import_document(import_document(rng, min(100, patients - start), procedures_each))


# -- hostile files --------------------------------------------------------------------------------------------
def file_digest(path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def damage(path, offset: int = 4096 * 2, length: int = 4096 * 3) -> None:
    """Overwrite whole b-tree pages in the middle of a logbook with garbage, as a failing disk would."""
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(bytes((i * 37 + 11) % 256 for i in range(length)))


def damage_agent_doses_root_page(path, page_size: int = 4096) -> None:
    """Garbage over the agent doses' root page: opening (without the check) and the worklist never read it,
    the quick check does."""
    import sqlite3

    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'agent_doses'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)


def fill_disk(folder: Path) -> Path:
    """Fill the (small) filesystem holding `folder`; returns the file to remove to free it again."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:
        with contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * 4096)
    return filler
