"""The study protocol (arms, TACE window, eligibility, lenvatinib dosing), read from a site-editable file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .dictionary import Bilingual
from .resources import resource


@dataclass(frozen=True)
class Arm(Bilingual):
    """A treatment arm of the study; `tace` says whether its patients have TACE."""

    key: str
    en: str
    zh: str
    tace: bool


@dataclass(frozen=True)
class TaceWindow:
    """The days after resection within which a TACE cycle is expected."""

    cycle: int
    first_day: int
    last_day: int


@dataclass(frozen=True)
class LenvatinibDosing:
    """Lenvatinib's dose by body weight, as the protocol gives it."""

    threshold_kg: float
    dose_mg_at_or_above: float
    dose_mg_below: float
    frequency: str

    def dose_mg(self, weight_kg: float) -> float:
        # Exactly at the threshold the label gives the higher dose (the registry record leaves it undefined).
        return self.dose_mg_at_or_above if weight_kg >= self.threshold_kg else self.dose_mg_below

    def describe(self, weight_kg: float | None) -> str:
        if weight_kg is None:
            return ""
        return f"{self.dose_mg(weight_kg):g} mg {self.frequency}"


@dataclass(frozen=True)
class Protocol:
    """The study protocol (`resources/protocol.json`): arms, TACE window, eligibility, dosing."""

    key: str
    title: str
    arms: tuple[Arm, ...]
    tace_window: TaceWindow
    lenvatinib: LenvatinibDosing
    eligibility: dict
    embolization_for_staining: dict[str, str]  # what the protocol does for each DSA finding

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

    @classmethod
    def from_file(cls, path: Path) -> Protocol:
        data = json.loads(path.read_text(encoding="utf-8"))
        window = data["tace_window_days"]
        dosing = data["lenvatinib"]
        return cls(
            key=data["key"],
            title=data["title"],
            arms=tuple(Arm(a["key"], a["en"], a["zh"], a["tace"]) for a in data["arms"]),
            tace_window=TaceWindow(window["cycle"], window["from"], window["to"]),
            lenvatinib=LenvatinibDosing(dosing["threshold_kg"], dosing["dose_mg_at_or_above"],
                                        dosing["dose_mg_below"], dosing["frequency"]),
            eligibility=data["eligibility"],
            embolization_for_staining={k: v for k, v in data["embolization_for_staining"].items() if k != "comment"},
        )


@lru_cache(maxsize=1)
def default_protocol() -> Protocol:
    return Protocol.from_file(resource("protocol.json"))
