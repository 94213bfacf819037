"""Where a choice field's choices come from, resolved in one place: the dictionary's own list, or a site file's
(`Field.choices_from`: "formulary.agents", "protocol.arms"). Validation, the JSON Schema, the form's choice
editors, the report and the CLI all ask a `ChoiceLists`, so a choice is offered, accepted and shown alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol as Structure

from .dictionary import Field
from .formulary import Formulary, default_formulary
from .protocol import Protocol, default_protocol


class Option(Structure):
    """One choice as offered: a stored key and its labels (a dictionary `Choice`, a formulary `Agent`, an `Arm`)."""

    @property
    def key(self) -> str: ...

    def label(self, language: str = "en") -> str: ...


# Each list a field may name in `choices_from`: where it is in the site's files. A new catalogue (labs, adverse
# events) is one more entry here.
SOURCES: dict[str, Callable[[Formulary, Protocol], tuple[Option, ...]]] = {
    "formulary.agents": lambda formulary, _protocol: formulary.agents,
    "protocol.arms": lambda _formulary, protocol: protocol.arms,
}


class ChoiceLists:
    """The choices of every choice field, given the site's formulary and protocol."""

    def __init__(self, formulary: Formulary | None = None, protocol: Protocol | None = None):
        self.formulary = formulary or default_formulary()
        self.protocol = protocol or default_protocol()
        self._keys: dict[str, tuple[str, ...]] = {}

    def options(self, f: Field) -> tuple[Option, ...]:
        """The choices of a field, in the order offered."""
        if f.choices_from is None:
            return f.choices
        return SOURCES[f.choices_from](self.formulary, self.protocol)

    def keys(self, f: Field) -> tuple[str, ...]:
        """The keys a value of the field may take (read for every value validated: worked out once per list)."""
        if f.choices_from is None:
            return f.choice_keys
        found = self._keys.get(f.choices_from)
        if found is None:
            found = self._keys[f.choices_from] = tuple(o.key for o in self.options(f))
        return found

    def display(self, f: Field, value, language: str = "en") -> str:
        """A stored value as a person reads it: a listed choice by its label, one no longer listed as stored."""
        if f.choices_from is None or value is None:
            return f.display(value, language)
        for option in self.options(f):
            if option.key == value:
                return option.label(language)
        return str(value)
