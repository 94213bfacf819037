"""Where a choice field's choices come from, resolved in one place: the dictionary's own list, or a site file's
(`Field.choices_from`: "formulary.agents", "protocol.arms", "lab_catalogue.tests", "ae_catalogue.terms").
Validation, the JSON Schema, the form's choice editors, the report and the CLI all ask a `ChoiceLists`, so a choice
is offered, accepted and shown alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol as Structure

from .catalogues import AdverseEventCatalogue, LabCatalogue, default_adverse_event_catalogue, default_lab_catalogue
from .dictionary import Field
from .formulary import Formulary, default_formulary
from .protocol import Protocol, default_protocol


class Option(Structure):
    """One choice as offered: a stored key and its labels (a dictionary `Choice`, a formulary `Agent`, an `Arm`, a
    `LabTest`, an `AdverseEventTerm`)."""

    @property
    def key(self) -> str: ...

    def label(self, language: str = "en") -> str: ...


# Each list a field may name in `choices_from`: where it is in the site's files. A new list is one more entry here.
SOURCES: dict[str, Callable[[ChoiceLists], tuple[Option, ...]]] = {
    "formulary.agents": lambda lists: lists.formulary.agents,
    "protocol.arms": lambda lists: lists.protocol.arms,
    "lab_catalogue.tests": lambda lists: lists.labs.tests,
    "ae_catalogue.terms": lambda lists: lists.adverse_events.terms,
}


class ChoiceLists:
    """The choices of every choice field, given the site's formulary, protocol and catalogues."""

    def __init__(self, formulary: Formulary | None = None, protocol: Protocol | None = None,
                 labs: LabCatalogue | None = None, adverse_events: AdverseEventCatalogue | None = None):
        self.formulary: Formulary = formulary or default_formulary()
        self.protocol: Protocol = protocol or default_protocol()
        self._labs, self._adverse_events = labs, adverse_events
        self._keys: dict[str, tuple[str, ...]] = {}

    # The catalogues are read when first asked for: only the patient's course needs them.
    @property
    def labs(self) -> LabCatalogue:
        if self._labs is None:
            self._labs = default_lab_catalogue()
        return self._labs

    @property
    def adverse_events(self) -> AdverseEventCatalogue:
        if self._adverse_events is None:
            self._adverse_events = default_adverse_event_catalogue()
        return self._adverse_events

    def options(self, f: Field) -> tuple[Option, ...]:
        """The choices of a field, in the order offered."""
        if f.choices_from is None:
            return f.choices
        return SOURCES[f.choices_from](self)

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
