"""The study protocol (arms, TACE windows, imaging schedule, eligibility, endpoints, lenvatinib dosing), read from a
site-editable file and checked key by key.

The bundled `resources/protocol.json` is in force unless a `protocol.json` lies beside the logbook: that file then
replaces it whole (docs/protocol.md). Every key is checked (type, range, allowed values), an unknown key is refused
and a missing one named: a malformed file is a `ProtocolError` naming the file and the key path, never a silent
default. Keys the contract gives a default (docs/protocol.md) may be left out and take it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .dictionary import PATHOLOGY, PROCEDURE, Bilingual
from .errors import TaceLogError
from .messages import Listing, Message, worded
from .resources import resource

SITE_FILENAME = "protocol.json"  # beside the logbook, it replaces the bundled protocol
RFS_ORIGINS = ("resection", "enrolment")
RECURRENCE_DATE_RULES = ("first_seen", "confirmation", "earliest_including_dsa")
IMAGING_ANCHORS = ("resection", "enrolment")
LABEL_BASES = ("EU", "US")
LENVATINIB_DOSES_MG = (12, 8, 4)  # the doses a dose period may record (interchange-v2.md, DosePeriod)
CHILD_PUGH_CLASSES = ("A", "B", "C")
MAX_WINDOW_DAY = 365  # no TACE window opens or closes later than a year after its start
_ABSENT = object()


class ProtocolError(TaceLogError):
    """The protocol file cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Arm(Bilingual):
    """A treatment arm of the study; `tace` and `lenvatinib` say whether its patients have each."""

    key: str
    en: str
    zh: str
    tace: bool
    lenvatinib: bool


@dataclass(frozen=True)
class TaceWindow:
    """The days after resection within which a TACE cycle is expected."""

    cycle: int
    first_day: int
    last_day: int


@dataclass(frozen=True)
class TaceCycle2:
    """Whether a second adjuvant TACE is expected, and its window in days after cycle 1."""

    enabled: bool
    from_days_after_cycle1: int
    to_days_after_cycle1: int


@dataclass(frozen=True)
class ImagingSchedule:
    """Scheduled imaging: every `interval_days_y1_2` for two years, then every `interval_days_y3_5`, each visit
    satisfied within ± `window_days`, counted from `anchor`."""

    interval_days_y1_2: int
    interval_days_y3_5: int
    window_days: int
    anchor: str


@dataclass(frozen=True)
class LenvatinibDosing:
    """Lenvatinib's dose by body weight, as the protocol gives it."""

    threshold_kg: float
    dose_mg_at_or_above: float
    dose_mg_below: float
    frequency: str
    reduction_steps: dict[str, tuple[str, ...]]
    label_basis: str = "EU"  # whose label decides resuming at the same dose (LEN-RESUME-SAME)
    max_duration_months: float | None = None  # None: until recurrence or unacceptable toxicity

    def dose_mg(self, weight_kg: float) -> float:
        # Exactly at the threshold the label gives the higher dose (the registry record leaves it undefined).
        return self.dose_mg_at_or_above if weight_kg >= self.threshold_kg else self.dose_mg_below

    def describe(self, weight_kg: float | None, language: str = "en") -> str:
        """'8 mg once daily' ('8 mg 每日一次'): a frequency the catalogue knows in the language, another as written."""
        if weight_kg is None:
            return ""
        return f"{self.dose_mg(weight_kg):g} mg {worded(f'frequency.{self.frequency}', language, self.frequency)}"


@dataclass(frozen=True)
class AgeRange:
    """The ages in years at consent the study includes, both ends included."""

    min: int
    max: int


@dataclass(frozen=True)
class HighRisk:
    """Part A of the high-risk inclusion: MVI class and a tumour count or size; `*_inclusive` says whether the
    limit itself qualifies (">= 3" the registry's wording, "> 3" the ESMO abstract's)."""

    mvi: str
    tumor_count_min: int
    max_diameter_cm_min: float
    count_inclusive: bool = True
    size_inclusive: bool = True


@dataclass(frozen=True)
class Eligibility:
    """The registry record's inclusion limits, as the protocol file gives them."""

    age_years: AgeRange
    asa_max: int
    child_pugh: str
    bilirubin_mg_dl_max: float
    albumin_g_l_min: float
    aminotransferases_uln_max: float
    neutrophils_1e9_l_min: float
    hemoglobin_g_dl_min: float
    platelets_1e9_l_min: float
    inr_max: float
    ecog_max: int
    high_risk: HighRisk
    labs_max_age_days: int | None = None  # None: a lab result of any age since resection counts


@dataclass(frozen=True)
class Protocol:
    """The study protocol in force: a protocol file's content and where it was read from."""

    key: str
    version: str
    title: str
    arms: tuple[Arm, ...]
    tace_window: TaceWindow
    lenvatinib: LenvatinibDosing
    eligibility: Eligibility
    embolization_for_staining: dict[str, str]  # what the protocol does for each DSA finding
    tace_cycle2: TaceCycle2
    imaging_schedule: ImagingSchedule
    ltfu_days: int
    rfs_origin: str
    recurrence_date_rule: str
    source: Path

    def proposed_embolization(self, staining: str | None) -> str | None:
        return self.embolization_for_staining.get(staining) if staining else None

    @property
    def arm_keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.arms)

    def arm(self, key: str) -> Arm:
        for a in self.arms:
            if a.key == key:
                return a
        raise KeyError(key)

    def describe(self) -> str:
        """Which protocol is in force, as every command and the app say it: its file, key and version."""
        return f"{self.source} ({' '.join(filter(None, (self.key, self.version)))})"

    @classmethod
    def from_file(cls, path: Path) -> Protocol:
        try:
            data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_Reader(path).no_duplicates)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProtocolError(Message("error.protocol_json", path=path, reason=exc)) from exc
        return _Reader(path).protocol(data)


def site_protocol_file(logbook_path: str | Path) -> Path:
    return Path(logbook_path).expanduser().resolve().with_name(SITE_FILENAME)


def protocol_for(logbook_path: str | Path) -> Protocol:
    """The protocol in force for a logbook: the `protocol.json` beside it, else the bundled one. A site file that
    is there but cannot be used raises `ProtocolError`; the bundled one never stands in for it."""
    site = site_protocol_file(logbook_path)
    if site.exists() or site.is_symlink():  # a dangling link is a site file that cannot be read, not no file
        return Protocol.from_file(site)
    return default_protocol()


@lru_cache(maxsize=1)
def default_protocol() -> Protocol:
    return Protocol.from_file(resource("protocol.json"))


def _join(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def _shown(value: Any) -> str:
    """A wrong value as the file spells it (JSON: `true`, `null`), cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Reader:
    """Reads one protocol file's parsed JSON into a `Protocol`, refusing the first key that is wrong."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, requirement: Message, value: Any) -> ProtocolError:
        return ProtocolError(Message("error.protocol_value", path=self.path, key=key, requirement=requirement,
                                     value=_shown(value)))

    def no_duplicates(self, pairs: list[tuple[str, Any]]) -> dict:
        """json's object hook: a key written twice would silently take its last value."""
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise ProtocolError(Message("error.protocol_duplicate", path=self.path, key=key))
            seen[key] = value
        return seen

    def object(self, value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        """An object with these keys (and a `comment` anywhere); an unknown key first, a misspelling being likelier
        than a key left out."""
        if not isinstance(value, dict):
            raise self.fail(where or "the file", Message("protocol.object"), value)
        for key in value:
            if key not in required and key not in optional and key != "comment":
                raise ProtocolError(Message("error.protocol_unknown_key", path=self.path, key=_join(where, key)))
        for key in required:
            if key not in value:
                raise ProtocolError(Message("error.protocol_missing_key", path=self.path, key=_join(where, key)))
        if "comment" in value:
            self.text(value, "comment", where)
        return value

    def text(self, data: dict, key: str, where: str) -> str:
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(_join(where, key), Message("protocol.text"), value)
        return value

    def flag(self, data: dict, key: str, where: str, default: Any = _ABSENT) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(_join(where, key), Message("protocol.bool"), value)
        return value

    def whole(self, data: dict, key: str, where: str, low: int, high: int, days: bool = False,
              default: Any = _ABSENT) -> int:
        value = data.get(key, default)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            requirement = (Message("protocol.days", low=low, high=high) if days
                           else Message("protocol.whole", low=low, high=high))
            raise self.fail(_join(where, key), requirement, value)
        return value

    def positive(self, data: dict, key: str, where: str) -> float:
        value = data[key]
        if not _is_number(value) or not 0 < value < float("inf"):
            raise self.fail(_join(where, key), Message("protocol.positive"), value)
        return float(value)

    def choice(self, data: dict, key: str, where: str, choices: tuple, default: Any = _ABSENT) -> Any:
        value = data.get(key, default)
        if isinstance(value, bool) or value not in choices:
            raise self.fail(_join(where, key), Message("protocol.choice", choices=Listing(
                (_shown(c) for c in choices), either=True)), value)
        return value

    # -- the file, section by section ------------------------------------------------------------------------
    def protocol(self, data: Any) -> Protocol:
        # `version` is ours, not the contract's: a site file written to the contract alone is read without it
        data = self.object(data, "", ("key", "title", "arms", "embolization_for_staining", "tace_window_days",
                                      "lenvatinib", "eligibility"),
                           ("version", "tace_cycle2", "imaging_schedule", "ltfu_days", "rfs_origin",
                            "recurrence_date_rule"))
        return Protocol(
            key=self.text(data, "key", ""), version=self.text(data, "version", "") if "version" in data else "",
            title=self.text(data, "title", ""), arms=self.arms(data["arms"]),
            tace_window=self.tace_window(data["tace_window_days"]), lenvatinib=self.lenvatinib(data["lenvatinib"]),
            eligibility=self.eligibility(data["eligibility"]),
            embolization_for_staining=self.embolization(data["embolization_for_staining"]),
            tace_cycle2=self.tace_cycle2(data.get("tace_cycle2", _DEFAULT_CYCLE2)),
            imaging_schedule=self.imaging(data.get("imaging_schedule", _DEFAULT_IMAGING)),
            ltfu_days=self.whole(data, "ltfu_days", "", 1, 3650, days=True, default=183),
            rfs_origin=self.choice(data, "rfs_origin", "", RFS_ORIGINS, default="resection"),
            recurrence_date_rule=self.choice(data, "recurrence_date_rule", "", RECURRENCE_DATE_RULES,
                                             default="first_seen"),
            source=self.path,
        )

    def arms(self, value: Any) -> tuple[Arm, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail("arms", Message("protocol.list"), value)
        arms: list[Arm] = []
        for i, row in enumerate(value):
            where = _join("arms", i)
            row = self.object(row, where, ("key", "en", "zh", "tace", "lenvatinib"))
            key = self.text(row, "key", where)
            for j, other in enumerate(arms):
                if other.key == key:
                    raise self.fail(_join(where, "key"), Message("protocol.unique", other=_join(_join("arms", j),
                                                                                             "key")), key)
            arms.append(Arm(key, self.text(row, "en", where), self.text(row, "zh", where),
                            self.flag(row, "tace", where), self.flag(row, "lenvatinib", where)))
        return tuple(arms)

    def embolization(self, value: Any) -> dict[str, str]:
        where = "embolization_for_staining"
        stainings, embolizations = PROCEDURE["tumor_staining"].choice_keys, PROCEDURE["embolization"].choice_keys
        data = self.object(value, where, (), stainings)
        return {k: self.choice(data, k, where, embolizations) for k in data if k != "comment"}

    def tace_window(self, value: Any) -> TaceWindow:
        where = "tace_window_days"
        data = self.object(value, where, ("cycle", "from", "to"))
        cycle = self.whole(data, "cycle", where, 1, 1)  # the window from resection is cycle 1's (tace_cycle2)
        first = self.whole(data, "from", where, 0, MAX_WINDOW_DAY, days=True)
        return TaceWindow(cycle, first, self.whole(data, "to", where, first, MAX_WINDOW_DAY, days=True))

    def tace_cycle2(self, value: Any) -> TaceCycle2:
        where = "tace_cycle2"
        data = self.object(value, where, ("enabled", "from_days_after_cycle1", "to_days_after_cycle1"))
        first = self.whole(data, "from_days_after_cycle1", where, 0, MAX_WINDOW_DAY, days=True)
        return TaceCycle2(self.flag(data, "enabled", where), first,
                          self.whole(data, "to_days_after_cycle1", where, first, MAX_WINDOW_DAY, days=True))

    def imaging(self, value: Any) -> ImagingSchedule:
        where = "imaging_schedule"
        data = self.object(value, where, ("interval_days_y1_2", "interval_days_y3_5", "window_days", "anchor"))
        early = self.whole(data, "interval_days_y1_2", where, 1, 365, days=True)
        late = self.whole(data, "interval_days_y3_5", where, 1, 730, days=True)
        # a visit's window narrower than half the shorter interval, so no imaging satisfies two visits
        window = self.whole(data, "window_days", where, 0, (min(early, late) - 1) // 2, days=True)
        return ImagingSchedule(early, late, window, self.choice(data, "anchor", where, IMAGING_ANCHORS))

    def lenvatinib(self, value: Any) -> LenvatinibDosing:
        where = "lenvatinib"
        data = self.object(value, where, ("threshold_kg", "dose_mg_at_or_above", "dose_mg_below", "frequency",
                                          "reduction_steps"), ("label_basis", "max_duration_months"))
        steps = self.object(data["reduction_steps"], _join(where, "reduction_steps"), (),
                            tuple(str(d) for d in LENVATINIB_DOSES_MG))
        ladder: dict[str, tuple[str, ...]] = {}
        for dose in (k for k in steps if k != "comment"):
            rungs, path = steps[dose], _join(_join(where, "reduction_steps"), dose)
            if not isinstance(rungs, list) or not rungs:
                raise self.fail(path, Message("protocol.list"), rungs)
            for i, rung in enumerate(rungs):
                if not isinstance(rung, str) or not rung.strip():
                    raise self.fail(_join(path, i), Message("protocol.text"), rung)
            ladder[dose] = tuple(rungs)
        months = data.get("max_duration_months")
        if months is not None and (not _is_number(months) or not 0 < months <= 120):
            raise self.fail(_join(where, "max_duration_months"), Message("protocol.months"), months)
        return LenvatinibDosing(
            self.positive(data, "threshold_kg", where),
            self.choice(data, "dose_mg_at_or_above", where, LENVATINIB_DOSES_MG),
            self.choice(data, "dose_mg_below", where, LENVATINIB_DOSES_MG),
            self.text(data, "frequency", where), ladder,
            self.choice(data, "label_basis", where, LABEL_BASES, default="EU"),
            None if months is None else float(months))

    def eligibility(self, value: Any) -> Eligibility:
        where = "eligibility"
        data = self.object(value, where, (
            "age_years", "asa_max", "child_pugh", "bilirubin_mg_dl_max", "albumin_g_l_min",
            "aminotransferases_uln_max", "neutrophils_1e9_l_min", "hemoglobin_g_dl_min", "platelets_1e9_l_min",
            "inr_max", "ecog_max", "high_risk"), ("labs_max_age_days",))
        ages = self.object(data["age_years"], _join(where, "age_years"), ("min", "max"))
        youngest = self.whole(ages, "min", _join(where, "age_years"), 0, 120)
        age = AgeRange(youngest, self.whole(ages, "max", _join(where, "age_years"), youngest, 120))
        risk_where = _join(where, "high_risk")
        risk = self.object(data["high_risk"], risk_where, ("mvi", "tumor_count_min", "max_diameter_cm_min"),
                           ("count_inclusive", "size_inclusive"))
        high_risk = HighRisk(self.choice(risk, "mvi", risk_where, PATHOLOGY["mvi"].choice_keys),
                             self.whole(risk, "tumor_count_min", risk_where, 1, 50),
                             self.positive(risk, "max_diameter_cm_min", risk_where),
                             self.flag(risk, "count_inclusive", risk_where, default=True),
                             self.flag(risk, "size_inclusive", risk_where, default=True))
        labs_age = data.get("labs_max_age_days")
        return Eligibility(
            age_years=age, asa_max=self.whole(data, "asa_max", where, 1, 6),
            child_pugh=self.choice(data, "child_pugh", where, CHILD_PUGH_CLASSES),
            bilirubin_mg_dl_max=self.positive(data, "bilirubin_mg_dl_max", where),
            albumin_g_l_min=self.positive(data, "albumin_g_l_min", where),
            aminotransferases_uln_max=self.positive(data, "aminotransferases_uln_max", where),
            neutrophils_1e9_l_min=self.positive(data, "neutrophils_1e9_l_min", where),
            hemoglobin_g_dl_min=self.positive(data, "hemoglobin_g_dl_min", where),
            platelets_1e9_l_min=self.positive(data, "platelets_1e9_l_min", where),
            inr_max=self.positive(data, "inr_max", where), ecog_max=self.whole(data, "ecog_max", where, 0, 5),
            high_risk=high_risk,
            labs_max_age_days=None if labs_age is None else self.whole(data, "labs_max_age_days", where, 0, 365,
                                                                        days=True))


# The contract's defaults for a section a file leaves out (interchange-v2.md, "Precise rules").
_DEFAULT_CYCLE2 = {"enabled": True, "from_days_after_cycle1": 28, "to_days_after_cycle1": 91}
_DEFAULT_IMAGING = {"interval_days_y1_2": 91, "interval_days_y3_5": 182, "window_days": 14, "anchor": "resection"}
