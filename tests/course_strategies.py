"""Hypothesis strategies for a patient's valid course (tace-log/2, ../shared/interchange-v2.md): a screening, labs,
lenvatinib periods, adverse events, follow-ups, a recurrence, a death, a loss to follow-up and a withdrawal, each
as export writes it (every key present, `null` or `[]` when not recorded), for a patient given its resection date,
arm and procedure dates. Every record keeps the contract's rules, so a document of them imports without an error
and exports back unchanged (tests/core/test_interchange.py)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import strategies as st

from tace_log.catalogues import default_adverse_event_catalogue, default_lab_catalogue
from tace_log.dictionary import (
    ADVERSE_EVENT,
    DEATH,
    DOSE_PERIOD,
    FOLLOW_UP,
    RECURRENCE,
    SCREENING,
    WITHDRAWAL,
)
from tace_log.validation import drawn_as_nothing

from .core.conftest import TODAY

LABS = default_lab_catalogue()
TERMS = default_adverse_event_catalogue()


def optional(strategy):
    return st.one_of(st.none(), strategy)


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
line = text.map(str.strip)  # single-line text is stored without stray spaces around it
identifier = line.map(lambda s: unicodedata.normalize("NFKC", s).strip()).filter(
    lambda s: s.isprintable() and not any(map(drawn_as_nothing, s)))


def choice(entity, key: str):
    return st.sampled_from(entity[key].choice_keys)


def iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


def on_or_after(date: dt.date, until: dt.date = TODAY):
    """A date from `date` to `until` (today): the later dates of the course."""
    return st.dates(min_value=date, max_value=max(date, until))


# -- the records ------------------------------------------------------------------------------------------------
@st.composite
def screenings(draw, resection: dt.date) -> dict:
    """Dates in order (resection <= screen <= consent <= enrolment); the enrolment's fields only when enrolled, the
    reason not enrolled only when not."""
    screen = draw(optional(on_or_after(resection)))
    consent = draw(optional(on_or_after(screen or resection)))
    enrolled = draw(optional(st.booleans()))
    doc = {f.key: None for f in SCREENING.fields}
    doc.update(
        screen_no=draw(optional(identifier)), screen_date=iso(screen), consent_date=iso(consent), enrolled=enrolled,
        resection_intent=draw(optional(choice(SCREENING, "resection_intent"))),
        asa=draw(optional(st.integers(1, 6))), ecog=draw(optional(st.integers(0, 5))),
        ascites=draw(optional(choice(SCREENING, "ascites"))),
        encephalopathy=draw(optional(choice(SCREENING, "encephalopathy"))),
        hbsag=draw(optional(choice(SCREENING, "hbsag"))), antiviral=draw(optional(line)),
        **{key: draw(optional(st.booleans())) for key in (
            "prior_lenvatinib", "sorafenib_allergy", "pregnant_or_lactating", "other_malignancy", "mental_illness",
            "other_trial_within_3_months", "prohibited_postop_therapy")})
    if enrolled:
        doc.update(enrol_date=iso(draw(on_or_after(consent or screen or resection))),
                   arm_basis=draw(optional(choice(SCREENING, "arm_basis"))))
    elif enrolled is False:
        doc.update(not_enrolled_reason=draw(optional(choice(SCREENING, "not_enrolled_reason"))),
                   not_enrolled_note=draw(optional(line)))
    return doc


def _spellings(unit: str):
    """A unit as it may be written: micro as µ, μ (Greek mu) or u (interchange-v2.md, Lab)."""
    if "µ" not in unit:
        return st.just(unit)
    return st.sampled_from([unit, unit.replace("µ", "\u03bc"), unit.replace("µ", "u")])


@st.composite
def lab_values(draw, key: str) -> tuple[float, str]:
    """A value plausible for the test in one of its units, and that unit as written."""
    test = LABS[key]
    unit = draw(st.sampled_from(test.units))
    factor = test.factors[unit]
    value = draw(st.floats(test.low / factor, test.high / factor).map(lambda x: round(x, 3))
                 .filter(lambda x: test.plausible(x, unit)))
    return value, draw(_spellings(unit))


@st.composite
def labs(draw, resection: dt.date) -> dict:
    key = draw(st.sampled_from(LABS.keys))
    value, unit = draw(lab_values(key))
    return {"id": str(draw(st.uuids())), "date": iso(draw(on_or_after(resection))), "test": key, "value": value,
            "unit": unit, "qualifier": draw(optional(st.sampled_from(["<", ">"]))),
            "uln": draw(optional(st.sampled_from([40, 35, 50, 120, 125.5]))) if LABS[key].takes_uln else None}


@st.composite
def adverse_events(draw, resection: dt.date) -> dict:
    """A catalogue term (in any case) graded within its range, or now and then a term the catalogue does not know;
    the resolution and the action not before the onset."""
    if draw(st.integers(0, 9)) == 0:
        term = draw(line.filter(lambda s: s and s not in TERMS))
        grade = draw(st.integers(1, 5))
    else:
        found = draw(st.sampled_from(TERMS.terms))
        term = draw(st.sampled_from([found.term, found.term.lower(), found.term.upper()]))
        grade = draw(st.integers(found.min_grade, found.max_grade))
    onset = draw(on_or_after(resection))
    return {"id": str(draw(st.uuids())), "term": term, "ctcae_grade": grade, "onset": iso(onset),
            "resolved": iso(draw(optional(on_or_after(onset)))), "serious": draw(optional(st.booleans())),
            "attribution_lenvatinib": draw(optional(choice(ADVERSE_EVENT, "attribution_lenvatinib"))),
            "attribution_tace": draw(optional(choice(ADVERSE_EVENT, "attribution_tace"))),
            "action_lenvatinib": draw(optional(choice(ADVERSE_EVENT, "action_lenvatinib"))),
            "action_date": iso(draw(optional(on_or_after(onset)))),
            "outcome": draw(optional(choice(ADVERSE_EVENT, "outcome"))), "management": draw(optional(line))}


@st.composite
def dose_periods(draw, resection: dt.date, events: list[dict], most: int = 4) -> list[dict]:
    """Periods one after another from the resection on, never overlapping, only the last one ongoing; some end for
    one of the patient's adverse events."""
    periods, cursor = [], resection + dt.timedelta(days=draw(st.integers(0, 60)))
    for _ in range(draw(st.integers(0, most))):
        if cursor > TODAY:
            break
        end = cursor + dt.timedelta(days=draw(st.integers(0, 200)))
        ongoing = end > TODAY or draw(st.integers(0, 4)) == 0
        reason = draw(optional(choice(DOSE_PERIOD, "end_reason")))
        periods.append({
            "id": str(draw(st.uuids())), "start": iso(cursor), "end": None if ongoing else iso(end),
            "dose_mg": draw(st.sampled_from([12, 8, 4])), "frequency": draw(choice(DOSE_PERIOD, "frequency")),
            "intent": draw(optional(choice(DOSE_PERIOD, "intent"))),
            "weight_kg": draw(optional(st.floats(30, 200).map(lambda x: round(x, 1)))),
            "end_reason": reason,
            "adverse_event_id": draw(optional(st.sampled_from([e["id"] for e in events]))) if events else None})
        if ongoing:
            break
        cursor = end + dt.timedelta(days=draw(st.integers(1, 30)))
    return periods


@st.composite
def follow_ups(draw, resection: dt.date) -> dict:
    """Imaging with its result (and perhaps its modality); a clinic visit or a phone call without either."""
    kind = draw(choice(FOLLOW_UP, "type"))
    imaging = kind == "imaging"
    return {"id": str(draw(st.uuids())), "date": iso(draw(on_or_after(resection))), "type": kind,
            "modality": draw(optional(choice(FOLLOW_UP, "modality"))) if imaging else None,
            "result": draw(choice(FOLLOW_UP, "result")) if imaging else None,
            "alive": draw(optional(st.just(True))), "note": draw(optional(line))}


@st.composite
def recurrences(draw, resection: dt.date) -> dict:
    """The keys its pattern has: the intrahepatic type and relation for an intrahepatic part, the sites for an
    extrahepatic one."""
    pattern = draw(choice(RECURRENCE, "pattern"))
    first = draw(on_or_after(resection))
    intra, extra = pattern in ("intrahepatic", "both"), pattern in ("extrahepatic", "both")
    return {
        "first_seen_date": iso(first), "confirmation_date": iso(draw(optional(on_or_after(first)))),
        "dsa_first_seen_date": iso(draw(optional(on_or_after(resection)))), "pattern": pattern,
        "intrahepatic_type": draw(optional(choice(RECURRENCE, "intrahepatic_type"))) if intra else None,
        "relation_to_resection": draw(optional(choice(RECURRENCE, "relation_to_resection"))) if intra else None,
        "extrahepatic_sites": draw(st.lists(choice(RECURRENCE, "extrahepatic_sites"), unique=True, max_size=3))
        if extra else [],
        "confirmation_method": draw(choice(RECURRENCE, "confirmation_method")),
        "treatments": draw(st.lists(choice(RECURRENCE, "treatments"), unique=True, max_size=3)),
        "note": draw(optional(line))}


@st.composite
def losses_to_follow_up(draw, resection: dt.date) -> dict:
    declared = draw(on_or_after(resection))
    attempts = draw(st.lists(st.dates(resection, declared), unique=True, max_size=3))
    return {"declared_date": iso(declared), "attempt_dates": [iso(d) for d in attempts]}


@st.composite
def withdrawals(draw, resection: dt.date) -> dict:
    return {"date": iso(draw(on_or_after(resection))), "reason": draw(choice(WITHDRAWAL, "reason")),
            "note": draw(optional(line))}


# -- a whole course -----------------------------------------------------------------------------------------------
def alive_dates(course: dict, procedure_dates: list[dt.date]) -> list[dt.date]:
    """The dates a patient is known alive on (interchange-v2.md, Death): procedures, labs, the starts of lenvatinib
    periods, follow-ups not saying otherwise."""
    found = list(procedure_dates)
    found += [dt.date.fromisoformat(lab["date"]) for lab in course["labs"]]
    found += [dt.date.fromisoformat(p["start"]) for p in course["lenvatinib"]]
    found += [dt.date.fromisoformat(f["date"]) for f in course["follow_ups"] if f["alive"] is not False]
    return found


@st.composite
def courses(draw, resection: dt.date, arm: str | None, procedure_dates: list[dt.date], most: int = 4) -> dict:
    """Every course key of a patient's document, valid together: a death (if any) on or after every record that
    shows the patient alive, and a phone call saying they died now and then after it. `arm` is the patient's: the
    rules only warn about lenvatinib in an arm without it, so any arm has a course."""
    del arm  # every arm of the bundled protocol has lenvatinib: the course does not depend on it
    events = draw(st.lists(adverse_events(resection), max_size=most))
    course = {
        "screening": draw(optional(screenings(resection))),
        "labs": draw(st.lists(labs(resection), max_size=most + 2)),
        "lenvatinib": draw(dose_periods(resection, events, most)),
        "adverse_events": events,
        "follow_ups": draw(st.lists(follow_ups(resection), max_size=most + 1)),
        "recurrence": draw(optional(recurrences(resection))),
        "death": None,
        "lost_to_follow_up": draw(optional(losses_to_follow_up(resection))),
        "withdrawal": draw(optional(withdrawals(resection))),
    }
    if draw(st.booleans()):
        last_alive = max(alive_dates(course, procedure_dates), default=resection)
        died = draw(on_or_after(last_alive))
        course["death"] = {"date": iso(died), "cause": draw(choice(DEATH, "cause")),
                           "source": draw(optional(choice(DEATH, "source")))}
        if draw(st.booleans()):  # the family says so on the phone: not a record of the patient alive
            course["follow_ups"].append({"id": str(draw(st.uuids())), "date": iso(draw(on_or_after(died))),
                                         "type": "phone", "modality": None, "result": None, "alive": False,
                                         "note": draw(optional(line))})
    return course
