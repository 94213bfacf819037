"""The formulary: the agents a TACE session may use, their units and dose limits, from a site-editable file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
    # Per session, by unit: 2 vials and 2 mL of particles are not the same amount.
    warn_above: dict[str, float] = field(default_factory=dict, hash=False)
    reject_above: dict[str, float] = field(default_factory=dict, hash=False)
    particle_min_um: float | None = None  # the smallest plausible particle
    particle_max_um: float | None = None  # the largest plausible particle

    @property
    def is_particles(self) -> bool:
        return self.kind == PARTICLES

    @classmethod
    def from_row(cls, row: dict) -> Agent:
        """One agent of the file; a dose limit is one number for an agent with one unit, else one per unit."""
        units = tuple(row["units"])
        values = {**row, "units": units}
        for name in ("warn_above", "reject_above"):
            limit = row.get(name)
            if limit is None:
                values[name] = {}
            elif isinstance(limit, dict) and set(limit) <= set(units) and all(map(_is_number, limit.values())):
                values[name] = dict(limit)
            elif _is_number(limit) and len(units) == 1:
                values[name] = {units[0]: limit}
            else:
                raise ValueError(f"formulary: {row['key']}.{name} must be one number for an agent with one unit, "
                                 f"else an object by unit ({', '.join(units)})")
        return cls(**values)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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
        return cls(tuple(Agent.from_row(row) for row in data["agents"]))


@lru_cache(maxsize=1)
def default_formulary() -> Formulary:
    return Formulary.from_file(resource("formulary.json"))
