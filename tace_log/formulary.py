"""The formulary: the agents a TACE session may use, their units and dose limits, from a site-editable file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .dictionary import Bilingual
from .resources import resource

PARTICLES = "particles"
ANTHRACYCLINE = "anthracycline"


@dataclass(frozen=True)
class Agent(Bilingual):
    """A chemotherapy or embolic agent: its units and plausible dose and particle limits."""

    key: str
    en: str
    zh: str
    kind: str
    units: tuple[str, ...]
    typical: str = ""
    warn_above: float | None = None
    reject_above: float | None = None
    particle_min_um: float | None = None  # the smallest plausible particle
    particle_max_um: float | None = None  # the largest plausible particle

    @property
    def is_particles(self) -> bool:
        return self.kind == PARTICLES


@dataclass(frozen=True)
class Formulary:
    """The agents of `resources/formulary.json`, by key."""

    agents: tuple[Agent, ...]

    def __contains__(self, key: str) -> bool:
        return any(a.key == key for a in self.agents)

    def __getitem__(self, key: str) -> Agent:
        for a in self.agents:
            if a.key == key:
                return a
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.agents)

    @classmethod
    def from_file(cls, path: Path) -> Formulary:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(Agent(**{k: tuple(v) if k == "units" else v for k, v in row.items()})
                         for row in data["agents"]))


@lru_cache(maxsize=1)
def default_formulary() -> Formulary:
    return Formulary.from_file(resource("formulary.json"))
