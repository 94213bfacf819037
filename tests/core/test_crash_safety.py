"""Crash safety, shown: a writer killed with SIGKILL at random moments loses nothing it acknowledged and leaves
nothing half-written.

Each round starts the writer on the same logbook with a new seed, kills it after a random number of
acknowledgements plus a random pause (so the kill lands anywhere: mid-transaction, mid-fsync, mid-backup, at
open), then checks the file with PRAGMA integrity_check (and every backup the writer made on the way) and compares
the whole logbook with what the acknowledged writes must have produced. One write past the last acknowledgement
may have committed (killed between commit and the print); it must then be there whole.
Every other round the writer opens the logbook as the app does (the damage check beside its open connection) and
`tace-log` commands run beside it while it writes, as a coordinator's terminal does beside the app: they must not
take the -wal from under it (tests/ui/test_app_beside_cli.py has the same with the app itself).
Rounds: TACE_LOG_CRASH_ROUNDS (default 6); every run makes 100+ acknowledged writes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from safety_samples import apply, empty_state, logbook_state, writes

from tace_log.storage import Backups, Logbook
from tace_log.storage.backup import check_file

WRITER = Path(__file__).resolve().parent.parent / "crash_writer.py"
ROUNDS = int(os.environ.get("TACE_LOG_CRASH_ROUNDS", "6"))
WRITES_PER_ROUND = 60
MIN_ACKNOWLEDGED = 100


def _cli_beside(path: Path, command: str) -> None:
    done = subprocess.run([sys.executable, "-m", "tace_log", "--db", str(path), command], capture_output=True,
                          text=True, cwd=WRITER.parent.parent, timeout=120)
    assert done.returncode == 0, f"tace-log {command} beside the writer: {done.stderr}"


def _run_round(path: Path, seed: int, rng: random.Random, as_app: bool) -> tuple[int, bool]:
    """Start the writer, kill it at a random moment; returns (acknowledged writes, whether it was killed). As the
    app, CLI commands run beside it after its first and third writes."""
    kill_after = rng.randint(0, WRITES_PER_ROUND - 1)
    writer = subprocess.Popen([sys.executable, str(WRITER), str(path), str(seed), str(WRITES_PER_ROUND),
                               *(["--as-app"] if as_app else [])], stdout=subprocess.PIPE, text=True,
                              cwd=WRITER.parent)
    beside = {1: "list", 3: "check"} if as_app else {}
    acknowledged = 0
    killed = False
    try:
        if rng.random() < 0.2:  # sometimes at start-up: while the logbook is created, checked, opened
            time.sleep(rng.uniform(0, 0.5))
            writer.send_signal(signal.SIGKILL)
            killed = True
        for line in writer.stdout if not killed else ():
            if line.startswith("ack "):
                acknowledged = int(line.split()[1])
                if acknowledged in beside and acknowledged < kill_after:
                    _cli_beside(path, beside.pop(acknowledged))
            if acknowledged >= kill_after:
                time.sleep(rng.uniform(0, 0.004))
                writer.send_signal(signal.SIGKILL)
                killed = True
                break
        for line in writer.stdout:  # acknowledgements printed before the kill landed count too
            if line.startswith("ack "):
                acknowledged = int(line.split()[1])
    finally:
        with writer.stdout:  # closed after the wait, also when the wait times out
            writer.wait(timeout=60)
    assert killed or writer.returncode == 0, f"the writer failed on its own (exit {writer.returncode})"
    return acknowledged, killed and writer.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_a_killed_writer_loses_nothing_acknowledged_and_leaves_nothing_half_written(tmp_path):
    path = tmp_path / "logbook.sqlite"
    rng = random.Random(int(os.environ.get("TACE_LOG_CRASH_SEED", "20261124")))
    state = empty_state()
    total_acknowledged = kills = one_past = rounds = backups_checked = 0
    while rounds < ROUNDS or total_acknowledged < MIN_ACKNOWLEDGED:
        seed = 1000 + rounds
        planned = writes(seed, WRITES_PER_ROUND)
        acknowledged, killed = _run_round(path, seed, rng, as_app=rounds % 2 == 1)
        rounds += 1
        kills += killed
        if not path.exists():  # killed while the first logbook was being made: no half-made one takes the name
            assert acknowledged == 0
            continue

        check_file(path)  # read-only: PRAGMA integrity_check = ok, no dangling rows, still a logbook
        for backup in Backups.of(path):  # a backup killed half-way never takes a backup's name
            check_file(backup)
            backups_checked += 1
        expected = state
        for write in planned[:acknowledged]:
            expected = apply(expected, write)
        with Logbook.open(path) as logbook:
            found = logbook_state(logbook)
        if found != expected and acknowledged < len(planned):
            expected = apply(expected, planned[acknowledged])  # committed, killed before it could say so
            one_past += 1
        assert found == expected, f"round {rounds}: the logbook does not hold exactly the acknowledged writes"
        state = found
        total_acknowledged += acknowledged
    print(f"crash harness: {rounds} rounds, {kills} kills, {total_acknowledged} acknowledged writes, "
          f"{one_past} committed-but-unacknowledged writes found whole, "
          f"{len(state['procedures'])} procedures in the logbook, {backups_checked} backup checks passed")
    assert kills >= 1
