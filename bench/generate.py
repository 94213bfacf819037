"""Realistic synthetic logbooks: 1-3 procedures per patient, 2-5 agents each, Chinese and Latin names, both
staining outcomes; with `courses`, each patient's course too (screening, labs, a lenvatinib period, an adverse
event for half, imaging every 91 days, a recurrence for one in five). Deterministic for a seed, so runs compare like
with like.

    python -m bench.generate 100000 -o bench/out/logbook-100k.sqlite
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from tace_log.dictionary import PROCEDURE
from tace_log.formulary import ANTHRACYCLINE, default_formulary
from tace_log.storage import Logbook
from tace_log.validation import Validator

SURNAMES = ["张", "王", "李", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "林", "欧阳", "司马"]
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "晓明", "秀英"]
LATIN_FIRST = ["Wei", "Fang", "Min", "Jing", "Lei", "Jun", "Yang", "Tao", "Anna", "David", "Maria", "John"]
LATIN_LAST = ["Wang", "Li", "Zhang", "Liu", "Chen", "Smith", "Garcia", "Nguyen", "Kim", "Tanaka"]
SEGMENTS = list(PROCEDURE["stained_segments"].choice_keys)
DRUGS = [
    ("epirubicin", 10, 60),
    ("pirarubicin", 10, 40),
    ("oxaliplatin", 50, 150),
    ("raltitrexed", 2, 4),
    ("mitomycin", 4, 20),
    ("lobaplatin", 30, 50),
]
FINDINGS = [
    "Nodular stain {mm} mm in segment {seg} fed by A{n}.",
    "肝{seg}段见结节状肿瘤染色，大小约{mm}mm。",
    "No tumour stain on common hepatic and SMA runs.",
    "未见明确肿瘤染色。",
]
TODAY = dt.date(2026, 11, 24)
FORMULARY = default_formulary()


def _name(rng: random.Random) -> str:
    if rng.random() < 0.8:
        return rng.choice(SURNAMES) + rng.choice(GIVEN)
    return f"{rng.choice(LATIN_FIRST)} {rng.choice(LATIN_LAST)}"


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _agents(rng: random.Random, staining: str) -> list[dict]:
    count = rng.randint(2, 5)
    rows = [
        {
            "agent": "lipiodol",
            "dose": rng.choice([2, 3, 5, 8, 10]),
            "unit": "mL",
            "particle_min_um": None,
            "particle_max_um": None,
            "lot": f"LP{rng.randint(1000, 9999)}",
        }
    ]
    low = rng.choice([150, 350, 560, 710])
    rows.append(
        {
            "agent": "gelatin_sponge",
            "dose": rng.choice([0.5, 1]),
            "unit": "vial",
            "particle_min_um": low,
            "particle_max_um": low + 200,
            "lot": None,
        }
    )
    drugs = rng.sample(DRUGS, k=min(count - 2, len(DRUGS)))
    if staining == "present":  # at most one anthracycline, as most sites give
        seen = False
        for key, lo, hi in drugs:
            if FORMULARY[key].kind == ANTHRACYCLINE:
                if seen:
                    continue
                seen = True
            rows.append(
                {
                    "agent": key,
                    "dose": rng.randint(lo, hi),
                    "unit": "mg",
                    "particle_min_um": None,
                    "particle_max_um": None,
                    "lot": None,
                }
            )
    while len(rows) < count:
        rows.append(
            {
                "agent": "lipiodol",
                "dose": 1,
                "unit": "mL",
                "particle_min_um": None,
                "particle_max_um": None,
                "lot": None,
            }
        )
    return rows


def _procedure(rng: random.Random, resection: dt.date, cycle: int) -> dict:
    staining = "present" if rng.random() < 0.35 else "absent"
    segs = sorted(rng.sample(SEGMENTS, rng.randint(1, 2)), key=SEGMENTS.index) if staining == "present" else []
    day = rng.randint(25, 45) if cycle == 1 else rng.randint(60, 400)
    date = resection + dt.timedelta(days=day)
    if date > TODAY:  # a later cycle not yet due: spread it over the time since resection, never in the future
        date = resection + dt.timedelta(days=rng.randint(21, max(21, (TODAY - resection).days)))
    mm = rng.randint(5, 30)
    text = rng.choice(FINDINGS[:2] if segs else FINDINGS[2:])
    return {
        "id": _uuid(rng),
        "date": date.isoformat(),
        "cycle": cycle,
        "operator": rng.choice(["Qin", "秦", "Lu"]),
        "access_site": "right_femoral",
        "microcatheter": "Progreat 2.7F",
        "tumor_staining": staining,
        "stained_segments": segs,
        "lesion_count": len(segs) if segs else None,
        "largest_lesion_mm": mm if segs else None,
        "embolization": "superselective_chemoembolization" if segs else "prophylactic_embolization",
        "selectivity": "superselective" if segs else "lobar",
        "target_vessels": f"A{rng.randint(2, 8)}" if segs else None,
        "agents": _agents(rng, staining),
        "endpoint": "near_stasis",
        "technical_success": "complete",
        "contrast_ml": rng.randint(50, 150),
        "fluoroscopy_min": round(rng.uniform(8, 35), 1),
        "dap_gycm2": rng.randint(60, 320),
        "air_kerma_mgy": rng.randint(200, 2000),
        "complications": [{"term": "Abdominal pain", "ctcae_grade": 1, "sir_class": "mild", "management": "analgesia"}]
        if rng.random() < 0.1
        else [],
        "findings": text.format(mm=mm, seg=segs[0] if segs else "", n=rng.randint(2, 8)),
        "impression": "Treated." if segs else "Prophylactic embolization.",
    }


def patient(rng: random.Random, index: int, procedures: int, resection: dt.date) -> dict:
    """The `index`-th generated patient, resected on `resection`, with `procedures` TACE cycles."""
    birth = resection - dt.timedelta(days=rng.randint(30 * 365, 74 * 365))
    return {
        "id": _uuid(rng),
        "mrn": f"HS{index:07d}",
        "name": _name(rng),
        "sex": rng.choice("MF"),
        "birth_date": birth.isoformat(),
        "weight_kg": round(rng.uniform(45, 90), 1),
        "height_cm": rng.randint(150, 185),
        "arm": "lenvatinib_tace",  # every generated patient has a TACE
        "study_id": f"LT-{index:06d}",
        "resection_date": resection.isoformat(),
        "resection_margin": "R0",
        "pathology": {
            "mvi": "M2",
            "tumor_count": rng.randint(1, 5),
            "max_diameter_cm": round(rng.uniform(2, 12), 1),
            "capsule": rng.choice(["complete", "incomplete", "absent"]),
            "margin_clear": rng.random() < 0.5,
            "thrombus": rng.sample(["portal_vein", "hepatic_vein", "bile_duct"], rng.randint(0, 1)),
            "rupture": False,
            "adjacent_invasion": False,
        },
        "procedures": [_procedure(rng, resection, cycle) for cycle in range(1, procedures + 1)],
    }


def _day(resection: dt.date, days: int) -> str:
    return (resection + dt.timedelta(days=days)).isoformat()


LABS = [("tbil", "µmol/L", 5, 20), ("alb", "g/L", 36, 48), ("alt", "U/L", 10, 60), ("ast", "U/L", 10, 60),
        ("plt", "10^9/L", 110, 300), ("inr", "1", 0.9, 1.2), ("afp", "ng/mL", 2, 400), ("hb", "g/L", 110, 160)]


def _course(rng: random.Random, resection: dt.date, weight: float) -> dict:
    """A patient's course, all of it dated between the resection and TODAY."""
    days = (TODAY - resection).days
    labs = [{"id": _uuid(rng), "date": _day(resection, 6), "test": test, "value": round(rng.uniform(low, high), 1),
             "unit": unit, **({"uln": 40} if test in ("alt", "ast") else {})} for test, unit, low, high in LABS]
    period = {"id": _uuid(rng), "start": _day(resection, 21), "dose_mg": 12 if weight >= 60 else 8, "frequency": "qd",
              "intent": "adjuvant", "weight_kg": weight}
    if days > 200:
        period.update(end=_day(resection, 200), end_reason="completed_planned_duration")
    events = [{"id": _uuid(rng), "term": "Hypertension", "ctcae_grade": rng.randint(1, 2), "onset": _day(resection, 40),
               "attribution_lenvatinib": "probable", "action_lenvatinib": "none", "outcome": "recovered"}] \
        if rng.random() < 0.5 and days > 40 else []
    follow_ups = [{"id": _uuid(rng), "date": _day(resection, 91 * k), "type": "imaging", "modality": "ce_ct",
                   "result": "no_evidence_of_disease", "alive": True} for k in range(1, min(days // 91, 4) + 1)]
    recurrence = {"first_seen_date": _day(resection, days - 10), "pattern": "intrahepatic",
                  "intrahepatic_type": "solitary", "confirmation_method": "imaging_noninvasive"} \
        if rng.random() < 0.2 and days - 10 > 91 * len(follow_ups) else None
    return {"screening": {"screen_no": f"S{rng.getrandbits(32):08x}", "screen_date": _day(resection, 5),
                          "consent_date": _day(resection, 6), "enrolled": True, "enrol_date": _day(resection, 7),
                          "arm_basis": "patient_choice", "resection_intent": "curative", "asa": rng.randint(1, 3),
                          "ecog": rng.randint(0, 1), "ascites": "none", "encephalopathy": "none",
                          "hbsag": rng.choice(["positive", "negative"])},
            "labs": labs, "lenvatinib": [period], "adverse_events": events, "follow_ups": follow_ups,
            "recurrence": recurrence}


def document(procedures: int, seed: int = 7, courses: bool = False) -> dict:
    """A tace-log/1 document with exactly `procedures` procedures (tace-log/2, with `courses`)."""
    rng = random.Random(seed)
    patients, made = [], 0
    while made < procedures:
        n = min(rng.randint(1, 3), procedures - made)
        resection = TODAY - dt.timedelta(days=rng.randint(60, 3650))
        patients.append(patient(rng, len(patients), n, resection))
        if courses:
            patients[-1].update(_course(rng, resection, patients[-1]["weight_kg"]))
        made += n
    return {"format": "tace-log/2" if courses else "tace-log/1", "patients": patients}


def import_into(path: Path, documents: Iterable[dict]) -> float:
    """Create a logbook at `path` (anew) holding these documents, through the real import; returns the seconds the
    imports took (a generator of documents is made as it is imported, a chunk at a time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    with Logbook.open(path, validator=Validator(today=TODAY)) as book:
        for doc in documents:
            book.import_document(doc)
    return time.perf_counter() - start


def build_logbook(path: Path, procedures: int, seed: int = 7, courses: bool = False) -> float:
    """Create a logbook holding `procedures` generated procedures, through the real import; returns seconds."""
    doc = document(procedures, seed, courses)
    return import_into(path, [doc])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("procedures", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    seconds = build_logbook(args.output, args.procedures, args.seed)
    print(f"{args.procedures} procedures in {seconds:.1f} s -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
