"""Validation in one place: documents in, findings out. Import, the CLI, the Logbook and the app all call this.

The rules come from the dictionary, the formulary, the protocol and the lab and adverse-event catalogues; what they
say is a list of `Finding`s (`tace_log.findings`). Validation works on documents (the interchange shapes) so a wrong
type is reported, not crashed on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import replace
from typing import Any, TypeGuard

from .catalogues import MAX_GRADE, UNITLESS, AdverseEventCatalogue, LabCatalogue, LabTest, unit_spelling
from .choice_lists import ChoiceLists
from .course_checks import CourseChecks
from .dictionary import AGENT, COMPLICATION, PATIENT, PROCEDURE, Entity, Field, FieldType, children, on_change, parts
from .findings import ERROR, WARNING, Finding, join
from .formulary import ANTHRACYCLINE, Formulary, default_formulary
from .lenvatinib import LenvatinibChecks
from .messages import Listing, Message, Shown
from .model import age_on, days_after_resection
from .protocol import Protocol, default_protocol
from .times import parse_date

FORMAT_1, FORMAT = "tace-log/1", "tace-log/2"  # import reads both; export writes the second
FORMATS = (FORMAT_1, FORMAT)
# The keys a procedure of a tace-log/2 document carries its signature, addenda and entered-in-error mark in
# (`envelope` checks their form).
TRAVELLING_KEYS = ("signature", "addenda", "entered_in_error")
# Rules added after records were stored under earlier ones: a value recorded where it does not apply, a text over
# its maximum length. New input breaking them is refused; a signed record holding such a value was signed before
# the rule (signing refuses it now), so it imports with the finding as a warning, its signature intact. Unsigned
# records were cleared of values not applying by migration 0006 (ARCHITECTURE.md, "Rules added later").
LATER_RULES = frozenset({"not_applicable", "too_long"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
# The spellings of a UUID taken (canonical_id makes them one): ASCII hex, hyphens, braces, a urn:uuid: prefix.
_HEX = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
_UUID = re.compile(rf"(?:urn:uuid:)?(?:{_HEX}|\{{{_HEX}\}})")
SURROGATE = re.compile("[\ud800-\udfff]")
# SQLite stores whole numbers in 64 bits, and a whole-number float is stored as one (model._value_from_document).
_STORABLE = 2**63


def _number(value: Any) -> TypeGuard[float]:
    """A number that can be stored: within SQLite's 64-bit integers, so neither NaN nor infinite. Compared, never
    made a float, which a whole number of 400 digits would overflow."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and -_STORABLE < value < _STORABLE


def _fmt(x: float) -> str:
    return f"{x:g}"


def _unit(unit: str) -> str:
    """A unit as written after a number: " g/L"; nothing for a ratio (INR)."""
    return "" if unit == UNITLESS else f" {unit}"


def _amount(test: LabTest, value: float, unit: str) -> str:
    """A lab value in a unit, and in the canonical unit when that is another: "8.5 g/dL = 85 g/L"."""
    written = f"{_fmt(value)}{_unit(unit_spelling(unit))}"
    if unit_spelling(unit) == test.unit:
        return written
    return f"{written} = {_fmt(test.to_canonical(value, unit))}{_unit(test.unit)}"


def shown(value: Any, width: int = 40) -> str:
    """A value as written in a message, cut short: a wrong value may be a whole document."""
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


class Validator:
    """Checks documents against the dictionary, the formulary, the protocol and the catalogues."""

    def __init__(self, formulary: Formulary | None = None, protocol: Protocol | None = None,
                 today: dt.date | None = None, labs: LabCatalogue | None = None,
                 adverse_events: AdverseEventCatalogue | None = None):
        self.formulary = formulary or default_formulary()
        self.protocol = protocol or default_protocol()
        # every choice field's choices, and the catalogues (read on first use)
        self.choices = ChoiceLists(self.formulary, self.protocol, labs, adverse_events)
        self._today = today
        # The rules of an entity's records beyond their fields, by entity key: each of a list's records, then the
        # list as a whole.
        # Each is called with the record's (or list's) document, its path, the findings so far and the document
        # of the record it is part of (a procedure, a patient).
        self.course = CourseChecks(self)
        self.lenvatinib = LenvatinibChecks(lambda: self.protocol.lenvatinib, lambda: self.choices.adverse_events)
        self._record_rules = {AGENT.key: self._agent, COMPLICATION.key: self._complication,
                              **self.course.record_rules}
        self._list_rules = {AGENT.key: self._agents_together, **self.course.list_rules}

    @property
    def today(self) -> dt.date:
        """The given date (tests), else the date now: the app runs overnight, and today moves."""
        return self._today or dt.date.today()

    # -- patients --------------------------------------------------------------------------------------------
    def patient(self, doc: Any, path: str = "", with_procedures: bool = True,
                stored_procedures: bool = True) -> list[Finding]:
        """A patient as it would be saved. Its procedures are checked against it; they are the logbook's stored
        ones (the Logbook's checks) unless `stored_procedures` is False (a document to import): a stored record
        is not refused, for its patient's sake, by a rule added after it was stored."""
        out = self._fields(PATIENT, doc, path)
        if not isinstance(doc, dict):
            return out
        birth = parse_date(doc.get("birth_date"))
        resection = parse_date(doc.get("resection_date"))
        self.not_future(doc, "birth_date", path, out)
        self.not_future(doc, "resection_date", path, out)
        if birth and resection:
            if resection < birth:
                out.append(Finding(join(path, "resection_date"), ERROR, Message("date_order.birth")))
            else:
                age = age_on(birth, resection)
                limits = self.protocol.eligibility.age_years
                if age is not None and not limits.min <= age <= limits.max:
                    out.append(Finding(join(path, "birth_date"), WARNING, Message(
                        "eligibility_age", age=age, low=limits.min, high=limits.max)))
        self._parts(PATIENT, doc, path, out)
        judged = (join(path, "lenvatinib"), join(path, "adverse_events"), join(path, "weight_kg"))
        if not any(f.severity == ERROR and f.path.startswith(judged) for f in out):  # judged once it can be stored
            self.lenvatinib.check(doc, path, out)
        procedures = doc.get("procedures")
        if with_procedures and procedures is not None:
            if not isinstance(procedures, list):
                out.append(Finding(join(path, "procedures"), ERROR, Message("type.procedures")))
            else:
                for j, proc in enumerate(procedures):
                    out += self.procedure(proc, doc, join(join(path, "procedures"), j), stored=stored_procedures)
        return out

    # -- procedures ------------------------------------------------------------------------------------------
    def procedure(self, doc: Any, patient: dict | None = None, path: str = "", stored: bool = False) -> list[Finding]:
        """A procedure as input (saved, imported, signed); `stored`: one of the logbook's, checked as the context
        of another save, where a value that does not apply (`applies_when`, a rule added later) is not reported."""
        out = self._fields(PROCEDURE, doc, path, stored)
        if not isinstance(doc, dict):
            return out
        patient = patient if isinstance(patient, dict) else {}
        date = parse_date(doc.get("date"))
        self.not_future(doc, "date", path, out)
        resection = parse_date(patient.get("resection_date"))
        birth = parse_date(patient.get("birth_date"))
        if date and resection and date < resection:
            out.append(Finding(join(path, "date"), ERROR, Message("date_order.resection",
                                                                  resection=resection.isoformat())))
        elif date and birth and date < birth:
            out.append(Finding(join(path, "date"), ERROR, Message("date_order.birth")))
        death = patient.get("death")
        died = parse_date(death.get("date")) if isinstance(death, dict) else None
        if date and died and date > died:
            out.append(Finding(join(path, "date"), ERROR, Message("after_death", date=died.isoformat())))
        start, end = doc.get("start_time"), doc.get("end_time")
        if isinstance(start, str) and isinstance(end, str) and _TIME.fullmatch(start) and _TIME.fullmatch(end) \
                and end < start:
            out.append(Finding(join(path, "end_time"), WARNING, Message("time_order", start=start, end=end)))
        self._tace_window(doc, date, resection, path, out)
        self._likely_duplicate(doc, date, patient, path, out)
        self._arm(patient, path, out)
        self._staining(doc, path, out)
        self._parts(PROCEDURE, doc, path, out)
        success, findings = doc.get("technical_success"), doc.get("findings")
        if success in ("partial", "failed") and not (isinstance(findings, str) and findings.strip()):
            out.append(Finding(join(path, "findings"), WARNING, Message(
                "reason_missing", success=Shown(PROCEDURE["technical_success"], success))))
        if doc.get("signature") is not None:  # signed under the rules of its day: what a later rule refuses is history
            out = [replace(f, severity=WARNING) if f.code in LATER_RULES and f.severity == ERROR else f for f in out]
        return out

    def _tace_window(self, doc, date, resection, path, out):
        window = self.protocol.tace_window
        cycle = doc.get("cycle") if doc.get("cycle") is not None else 1
        if date is None or resection is None or cycle != window.cycle:
            return
        days = days_after_resection(date, resection)
        if not window.first_day <= days <= window.last_day:
            out.append(Finding(join(path, "date"), WARNING, Message(
                "tace_window", cycle=cycle, days=days, first=window.first_day, last=window.last_day)))

    def _likely_duplicate(self, doc, date, patient, path, out):
        """Another procedure of the patient on the same date with the same cycle is most likely this one entered
        twice: a warning (a second TACE on one day is possible, so it is confirmed, never refused)."""
        cycle = doc.get("cycle")
        others = patient.get("procedures")
        if date is None or not isinstance(others, list):
            return
        for other in others:  # one marked entered in error did not take place: it duplicates nothing
            if isinstance(other, dict) and other is not doc and other.get("cycle") == cycle \
                    and parse_date(other.get("date")) == date and not other.get("entered_in_error"):
                out.append(Finding(join(path, "date"), WARNING, Message(
                    "likely_duplicate", date=date.isoformat(), cycle=cycle) if cycle is not None else Message(
                    "likely_duplicate.no_cycle", date=date.isoformat())))
                return

    def _arm(self, patient, path, out):
        arm = patient.get("arm")
        if arm in self.protocol.arm_keys and not self.protocol.arm(arm).tace:
            out.append(Finding(join(path, "date"), WARNING, Message("arm_without_tace", arm=self.protocol.arm(arm))))

    def _staining(self, doc, path, out):
        staining = doc.get("tumor_staining")
        if not isinstance(staining, str):  # reported by _fields; a list is no key of the protocol's table
            staining = None
        embolization = doc.get("embolization")
        segments = doc.get("stained_segments") or []
        if staining == "present" and not segments:
            out.append(Finding(join(path, "stained_segments"), ERROR, Message("segments_missing")))
        proposed = self.protocol.proposed_embolization(staining)
        if proposed and embolization in self.protocol.embolization_for_staining.values() and embolization != proposed:
            chosen = PROCEDURE["embolization"]
            out.append(Finding(join(path, "embolization"), WARNING, Message(
                "staining_mismatch", staining=Shown(PROCEDURE["tumor_staining"], staining),
                chosen=Shown(chosen, embolization), proposed=Shown(chosen, proposed))))
        if staining == "present" and doc.get("selectivity") == "whole_liver":
            out.append(Finding(join(path, "selectivity"), WARNING, Message("selectivity_mismatch")))

    def _parts(self, entity: Entity, doc: dict, path: str, out: list[Finding]) -> None:
        """The parts of a record as its declaration says (a patient's pathology and course, a procedure's agents):
        each by its fields, then by its entity's own rules."""
        for part in parts(entity):
            value, ppath = doc.get(part.document_key), join(path, part.document_key)
            if value is None:
                continue
            rule = self._record_rules.get(part.key)
            if not part.many:
                out += self._fields(part, value, ppath)
                if rule is not None and isinstance(value, dict):
                    rule(value, ppath, out, doc)
                continue
            if not isinstance(value, list):
                out.append(Finding(ppath, ERROR, Message("type.list")))
                continue
            for i, row in enumerate(value):
                out += self._fields(part, row, join(ppath, i))
                if rule is not None and isinstance(row, dict):
                    rule(row, join(ppath, i), out, doc)
            if part.key in self._list_rules:
                self._list_rules[part.key](value, ppath, out, doc)

    def _complication(self, comp: dict, cpath: str, out: list[Finding], procedure: dict) -> None:
        if comp.get("sir_class") == "death" and comp.get("ctcae_grade") not in (None, 5):
            out.append(Finding(join(cpath, "ctcae_grade"), WARNING, Message("grade_mismatch")))

    def _formulary_agent(self, row: dict):
        key = row.get("agent")
        return self.formulary[key] if isinstance(key, str) and key in self.formulary else None

    def _agents_together(self, agents: list, path: str, out: list[Finding], procedure: dict) -> None:
        anthracyclines = {agent.en: agent for agent in map(self._formulary_agent,
                                                            (r for r in agents if isinstance(r, dict)))
                          if agent is not None and agent.kind == ANTHRACYCLINE}  # by English name: a stable order
        if len(anthracyclines) > 1:
            out.append(Finding(path, WARNING, Message(
                "two_anthracyclines", agents=Listing(anthracyclines[name] for name in sorted(anthracyclines)))))

    def _agent(self, row: dict, apath: str, out: list[Finding], procedure: dict) -> None:
        agent = self._formulary_agent(row)
        if agent is None:
            return  # reported by _fields
        unit, dose = row.get("unit"), row.get("dose")
        if not isinstance(unit, str):  # reported by _fields
            unit = None
        elif unit not in agent.units:
            out.append(Finding(join(apath, "unit"), ERROR, Message(
                "unit", agent=agent, units=Listing(agent.units, either=True), unit=shown(unit))))
            unit = None  # the limits are by unit
        if _number(dose):
            reject, warn = agent.reject_above.get(unit), agent.warn_above.get(unit)
            if dose <= 0:
                out.append(Finding(join(apath, "dose"), ERROR, Message("dose_not_positive")))
            elif reject is not None and dose > reject:
                out.append(Finding(join(apath, "dose"), ERROR, Message(
                    "dose_limit", dose=_fmt(dose), unit=unit, agent=agent, limit=_fmt(reject))))
            elif warn is not None and dose > warn:
                out.append(Finding(join(apath, "dose"), WARNING, Message(
                    "dose_high", dose=_fmt(dose), unit=unit, agent=agent, usual=_fmt(warn))))
        self._particles(agent, row, apath, out)

    def _particles(self, agent, row, path, out):
        low, high = row.get("particle_min_um"), row.get("particle_max_um")
        if low is None and high is None:
            return
        if not agent.is_particles:
            out.append(Finding(join(path, "particle_min_um" if low is not None else "particle_max_um"), ERROR,
                               Message("particle_size_not_applicable", agent=agent)))
            return
        for key, value in (("particle_min_um", low), ("particle_max_um", high)):
            if _number(value) and not agent.particle_min_um <= value <= agent.particle_max_um:
                out.append(Finding(join(path, key), ERROR, Message(
                    "particle_size_limit", value=_fmt(value), low=_fmt(agent.particle_min_um),
                    high=_fmt(agent.particle_max_um), agent=agent)))
        if _number(low) and _number(high) and low >= high:
            out.append(Finding(join(path, "particle_max_um"), ERROR, Message("particle_range", low=_fmt(low),
                                                                             high=_fmt(high))))
        if (low is None) != (high is None):
            out.append(Finding(join(path, "particle_max_um" if high is None else "particle_min_um"), WARNING,
                               Message("particle_range_incomplete")))

    # -- the patient's course against the catalogues (called by `course_checks`) --------------------------------
    # A value of the wrong type is left to the field checks.
    def lab_result(self, row: dict, path: str, out: list[Finding]) -> None:
        """A result against the lab catalogue: a test it has, a unit the test is accepted in, an upper limit of
        normal only for a test that takes one, and a value plausible in its unit, else the likely unit slip."""
        labs, key = self.choices.labs, row.get("test")
        if not isinstance(key, str) or key not in labs:  # not one of the field's choices: reported with them
            return
        test = labs[key]
        if row.get("uln") is not None and not test.takes_uln:
            out.append(Finding(join(path, "uln"), ERROR, Message(
                "uln_not_applicable", test=test, tests=Listing(t for t in labs.tests if t.takes_uln))))
        unit, value = row.get("unit"), row.get("value")
        if not isinstance(unit, str):
            return
        if not test.accepts(unit):
            out.append(Finding(join(path, "unit"), ERROR, Message(
                "lab_unit", test=test, units=Listing(test.units, either=True), unit=shown(unit))))
            return
        if not _number(value) or test.plausible(value, unit):
            return
        slip = test.unit_slip(value, unit)
        if slip is not None:
            out.append(Finding(join(path, "value"), ERROR, Message(
                "unit_slip", amount=_amount(test, value, unit), test=test, meant=_amount(test, value, slip[0]))))
        else:
            out.append(Finding(join(path, "value"), ERROR, Message(
                "implausible", amount=_amount(test, value, unit), test=test, low=_fmt(test.low),
                high=_fmt(test.high), unit=_unit(test.unit))))

    def adverse_event(self, row: dict, path: str, out: list[Finding]) -> None:
        """An event against the adverse-event catalogue: a term not in it is kept (kind other) with a warning; a
        grade CTCAE v5 does not give the term (palmar-plantar erythrodysesthesia 4) is an error."""
        term = row.get("term")
        if not isinstance(term, str) or not term.strip():
            return
        found = self.choices.adverse_events.find(term)
        if found is None:
            out.append(Finding(join(path, "term"), WARNING, Message("ae_term_unknown", term=shown(term))))
            return
        grade = row.get("ctcae_grade")
        if isinstance(grade, int) and not isinstance(grade, bool) and 1 <= grade <= MAX_GRADE \
                and not found.min_grade <= grade <= found.max_grade:  # outside 1-5: the field's own limits
            out.append(Finding(join(path, "ctcae_grade"), ERROR, Message(
                "ae_grade", term=found, low=found.min_grade, high=found.max_grade, grade=grade)))

    # -- fields from the dictionary ---------------------------------------------------------------------------
    def _fields(self, entity: Entity, doc: Any, path: str, stored: bool = False) -> list[Finding]:
        if not isinstance(doc, dict):
            return [Finding(path, ERROR, Message("type.entity", entity=entity))]
        out: list[Finding] = []
        known = _known_keys(entity)
        for key in doc:
            if key not in known:
                out.append(Finding(join(path, key), ERROR, Message("unknown_key", key=shown(key))))
        record_id = doc.get("id")
        if "id" in known and record_id is not None and not is_uuid(record_id):
            out.append(Finding(join(path, "id"), ERROR, Message("type.uuid")))
        for f in entity.fields:
            problem = self._check(f, doc.get(f.key))
            if problem:  # the path is built only for a finding: this loop runs for every field of every record
                out.append(Finding(join(path, f.key), *problem))
            elif f.applies_when is not None and not stored:
                self._applies(entity, f, doc, path, out)
        return out

    def _applies(self, entity: Entity, f: Field, doc: dict, path: str, out: list[Finding]) -> None:
        """A value recorded where it does not apply (lesions with no stain) is an error: one of the two is wrong,
        and only the person who recorded them knows which."""
        value = doc.get(f.key)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            return
        assert f.applies_when is not None  # the caller's test
        key, values = f.applies_when
        controlling = entity[key]
        given = doc.get(key)
        if given in values:
            return
        if given is not None and self._check(controlling, given):
            return  # the controlling value is itself wrong (reported): what it was meant to be is unknown
        allowed = Listing((Shown(controlling, v) for v in values), either=True)
        now = Message("not_applicable.given", value=Shown(controlling, given)) if given is not None \
            else Message("not_applicable.not_recorded")
        out.append(Finding(join(path, f.key), ERROR, Message("not_applicable", field=f, controlling=controlling,
                                                             allowed=allowed, now=now)))

    def field(self, f: Field, value: Any, path: str) -> list[Finding]:
        """One value against its dictionary definition: presence, type, choices, limits."""
        problem = self._check(f, value)
        return [Finding(path, *problem)] if problem else []

    def _check(self, f: Field, value: Any) -> tuple[str, Message] | None:
        """(severity, what is said) for one value, or None when it is fine."""
        if value is None:
            return (ERROR, Message("required")) if f.required else None
        if f.required and isinstance(value, str) and not value.strip():
            return ERROR, Message("required")
        problem = self._type_problem(f, value)
        if problem:
            return ERROR, problem
        if f.type not in (FieldType.INT, FieldType.NUMBER):
            return None
        unit = f" {f.unit}" if f.unit else ""
        hint = Message("hint", help=f.hint) if f.help else ""
        if (f.reject_min is not None and value < f.reject_min) or (f.reject_max is not None and value > f.reject_max):
            if f.reject_min is not None and f.reject_max is not None:
                return ERROR, Message("limit.between", low=_fmt(f.reject_min), high=_fmt(f.reject_max), unit=unit,
                                      value=_fmt(value), hint=hint)
            if f.reject_max is not None:
                return ERROR, Message("limit.max", high=_fmt(f.reject_max), unit=unit, value=_fmt(value), hint=hint)
            assert f.reject_min is not None  # neither the range nor a maximum: a minimum
            return ERROR, Message("limit.min", low=_fmt(f.reject_min), unit=unit, value=_fmt(value), hint=hint)
        if f.follow_up_above is not None and f.needs_follow_up(value):
            return WARNING, Message("dose_follow_up", value=_fmt(value), unit=unit,
                                    threshold=_fmt(f.follow_up_above), hint=hint)
        if f.warn_max is not None and value > f.warn_max:
            return WARNING, Message("high", value=_fmt(value), unit=unit, usual=_fmt(f.warn_max), hint=hint)
        if f.warn_min is not None and value < f.warn_min:
            return WARNING, Message("low", value=_fmt(value), unit=unit, usual=_fmt(f.warn_min), hint=hint)
        return None

    def _type_problem(self, f: Field, value: Any) -> Message | None:
        """What is said when the value has the wrong type or is not one of the choices."""
        t = f.type
        if t is FieldType.TEXT or t is FieldType.LONG_TEXT:
            if not isinstance(value, str):
                return Message("type.text")
            if f.max_length is not None and len(value) > f.max_length:
                return Message("too_long", field=f, limit=f"{f.max_length:,}", length=f"{len(value):,}")
            return None if value.isascii() and not f.identifier else _text_problem(f, value)
        if t is FieldType.TIME:
            return None if isinstance(value, str) and _TIME.fullmatch(value) else Message("type.time")
        if t is FieldType.DATE:
            if not isinstance(value, str) or not _DATE.match(value):
                return Message("type.date")
            return None if parse_date(value) else Message("type.real_date", value=repr(value))
        if t is FieldType.INT or t is FieldType.NUMBER:
            if not isinstance(value, int if t is FieldType.INT else (int, float)) or isinstance(value, bool) \
                    or value != value:  # NaN
                return Message("type.int") if t is FieldType.INT else Message("type.number")
            if not -_STORABLE < value < _STORABLE:
                return Message("too_large")
            return Message("values", values=Listing(map(str, f.values), either=True), value=_fmt(value)) \
                if f.values and value not in f.values else None
        if t is FieldType.BOOL:
            return None if isinstance(value, bool) else Message("type.bool")
        if t is FieldType.DATES:
            if not isinstance(value, list):
                return Message("type.list")
            for v in value:
                if not isinstance(v, str) or not _DATE.match(v):
                    return Message("type.dates")
                if not parse_date(v):
                    return Message("type.real_date", value=repr(v))
            return Message("duplicate") if len(set(value)) != len(value) else None
        choices = self.choice_keys(f)
        if t is FieldType.CHOICE:
            if not isinstance(value, str):
                return Message("type.text")
            if choices and value not in choices:
                reason = dict(f.refused).get(value)
                return Message(reason) if reason else Message("choice", value=shown(value), choices=", ".join(choices))
            return None
        if not isinstance(value, list):  # MULTI_CHOICE
            return Message("type.list")
        bad = [v for v in value if v not in choices]
        if bad:
            return Message("choice", value=shown(bad[0]), choices=", ".join(choices))
        if len(set(value)) != len(value):
            return Message("duplicate")
        return None

    def choice_keys(self, f: Field) -> tuple[str, ...]:
        """The allowed keys of a choice field: the dictionary's, or the list it names (`choice_lists`)."""
        return self.choices.keys(f)

    def not_future(self, doc, key, path, out):
        date = parse_date(doc.get(key))
        if date and date > self.today:
            out.append(Finding(join(path, key), ERROR, Message("future_date", date=date.isoformat(),
                                                               today=self.today.isoformat())))


_KNOWN: dict[str, frozenset[str]] = {}  # by entity: the keys its documents may hold, worked out once
on_change(_KNOWN.clear)


def _known_keys(entity: Entity) -> frozenset[str]:
    """The keys a record of the entity may hold: its fields, its children's, its id, a procedure's signature,
    addenda and entered-in-error mark (whose form `envelope` checks)."""
    found = _KNOWN.get(entity.key)
    if found is None:
        found = _KNOWN[entity.key] = entity.key_set.union(
            (c.document_key for c in children(entity)), ("id",) if entity.own_id else (),
            TRAVELLING_KEYS if entity is PROCEDURE else ())
    return found


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt: drawn as nothing, such as the combining
# grapheme joiner U+034F and variation selectors) and the fillers that draw as a blank (Hangul fillers, the blank
# Braille pattern U+2800), which `str.isprintable` lets through.
DRAWN_AS_NOTHING = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
                     (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x2800, 0x2800),
                     (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8),
                     (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))


def drawn_as_nothing(char: str) -> bool:
    """Whether a character draws as nothing or as a blank, so two identifiers differing by it look the same."""
    return any(low <= ord(char) <= high for low, high in DRAWN_AS_NOTHING)


def _text_problem(f: Field, value: str) -> Message | None:
    """What is said about text that cannot be stored, or an identifier with a character nobody can see."""
    if not value.isascii():
        surrogate = SURROGATE.search(value)
        if surrogate:  # an escaped half of a UTF-16 pair ("\ud800"): not a character, and not UTF-8
            return Message("not_text", char=ascii(surrogate.group())[1:-1])
    if f.identifier:
        text = value.strip()  # spaces around it are dropped (model.stored_text)
        # Unicode's "other" (Cc, Cf, Co, Cn), separators (Zl, Zp, Zs) but " ", and what draws as nothing
        unseen = [c for c in text if not c.isprintable() or drawn_as_nothing(c)]
        if unseen:
            char = unseen[0]
            name = " ".join((f"U+{ord(char):04X}", unicodedata.name(char, ""))).strip()
            return Message("invisible_character", name=name)
    return None
