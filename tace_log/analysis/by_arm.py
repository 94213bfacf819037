"""Survival by arm of a logbook at a cutoff: its endpoints (`course.endpoints`) grouped by the protocol's arms, in
the protocol's order (the first arm present is the reference), patients whose arm is not recorded last. The
command line and the app's Survival view both ask here, so they show the same analysis."""

from __future__ import annotations

import datetime as dt

from ..course.endpoints import logbook_survival_data
from ..course.flow import UNASSIGNED  # the group of patients whose arm is not recorded, as the flow counts them
from ..messages import render
from .survival import Analysis, Observation, analyse


def survival_by_arm(logbook, endpoint: str, cutoff: dt.date, language: str = "en") -> tuple[Analysis, dict[str, str]]:
    """The analysis of an endpoint ("rfs", "os", "ttr") by arm, and each group's name in the language."""
    protocol = logbook.protocol
    rows = logbook_survival_data(logbook, cutoff)[endpoint]
    observations = [Observation(days, event, arm or UNASSIGNED) for _mrn, arm, days, event in rows]
    groups = [*protocol.arm_keys, *sorted({o.group for o in observations} - set(protocol.arm_keys))]
    names = {a.key: a.label(language) for a in protocol.arms}
    names[UNASSIGNED] = render("survival.unassigned", language)
    return analyse(observations, groups), names
