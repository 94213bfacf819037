"""`tace-log protocol`: which protocol file is in force for the logbook, and what it says."""

from __future__ import annotations

import argparse

from ..protocol import Protocol, protocol_for, site_protocol_file
from .output import cli_text, say
from .records import logbook_path


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("protocol", help=cli_text("help.protocol"))
    p.set_defaults(run=run_protocol)


def run_protocol(args) -> int:
    path = logbook_path(args)
    protocol = protocol_for(path)  # a site file that cannot be used is an error naming the key, exit 1
    say(cli_text("protocol", protocol=protocol.describe()))
    site = site_protocol_file(path)
    say("  " + (cli_text("protocol_site") if protocol.source == site else cli_text("protocol_bundled", site=site)))
    for line in summary(protocol):
        say(f"  {line}")
    return 0


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def summary(protocol: Protocol) -> list[str]:
    """The rules the file sets, one line each, in the file's terms (its keys are in docs/protocol.md)."""
    window, cycle2, imaging = protocol.tace_window, protocol.tace_cycle2, protocol.imaging_schedule
    e, risk, len_ = protocol.eligibility, protocol.eligibility.high_risk, protocol.lenvatinib
    arms = "; ".join(f"{a.key} ({a.en} / {a.zh}: TACE {_yes(a.tace)}, lenvatinib {_yes(a.lenvatinib)})"
                     for a in protocol.arms)
    return [
        f"title: {protocol.title}",
        f"arms: {arms}",
        f"TACE cycle {window.cycle}: days {window.first_day}-{window.last_day} after resection",
        f"TACE cycle 2: days {cycle2.from_days_after_cycle1}-{cycle2.to_days_after_cycle1} after cycle 1"
        + ("" if cycle2.enabled else " (not part of this protocol)"),
        f"imaging: every {imaging.interval_days_y1_2} days for 2 years, then every {imaging.interval_days_y3_5}, "
        f"each +/- {imaging.window_days} days, from {imaging.anchor}",
        f"lost to follow-up: no contact for {protocol.ltfu_days} days",
        f"RFS origin: {protocol.rfs_origin}; recurrence dated by: {protocol.recurrence_date_rule}",
        f"eligibility: age {e.age_years.min}-{e.age_years.max}, ASA <= {e.asa_max}, Child-Pugh {e.child_pugh}, "
        f"ECOG <= {e.ecog_max}; labs "
        + ("of any age since resection" if e.labs_max_age_days is None else f"at most {e.labs_max_age_days} days old"),
        f"high risk: MVI {risk.mvi} with tumours {'>=' if risk.count_inclusive else '>'} {risk.tumor_count_min} "
        f"or a diameter {'>=' if risk.size_inclusive else '>'} {risk.max_diameter_cm_min:g} cm",
        f"lenvatinib: {len_.dose_mg_at_or_above:g} mg at or above {len_.threshold_kg:g} kg, {len_.dose_mg_below:g} mg "
        f"below, {len_.frequency}; label basis {len_.label_basis}; planned duration "
        + ("until recurrence or unacceptable toxicity" if len_.max_duration_months is None
           else f"{len_.max_duration_months:g} months"),
    ]
