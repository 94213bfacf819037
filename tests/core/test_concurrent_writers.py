"""The CLI can write beside the app: two processes writing the same logbook at once both succeed (each write
waits for the other's lock, up to the busy timeout) and the logbook holds every write of both, whole."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from safety_samples import apply, empty_state, logbook_state, writes

from tace_log.storage import Logbook
from tace_log.storage.backup import check_file

WRITER = Path(__file__).resolve().parent.parent / "crash_writer.py"


def test_two_processes_writing_at_once_both_succeed_and_nothing_is_lost(tmp_path):
    path = tmp_path / "logbook.sqlite"
    Logbook.open(path).close()
    seeds, count = (21, 22), 150
    writers = [subprocess.Popen([sys.executable, str(WRITER), str(path), str(seed), str(count), "--wait"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=WRITER.parent)
               for seed in seeds]
    for writer in writers:  # both have the logbook open before either writes: the writes overlap
        assert writer.stdout.readline() == "open\n"
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    results = [w.communicate(timeout=120) for w in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err  # never a silent failure: a refused write would exit non-zero, loudly
        assert out.splitlines()[-1] == f"ack {count}"
    check_file(path)
    expected = empty_state()
    for seed in seeds:
        for write in writes(seed, count):
            expected = apply(expected, write)
    with Logbook.open(path) as book:
        assert logbook_state(book) == expected
