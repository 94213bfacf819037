"""The writer the crash test kills: `python crash_writer.py LOGBOOK SEED COUNT [--wait] [--as-app]`.

It performs the seeded writes through the Logbook and prints `ack N` (flushed) after the N-th write has
committed: a write is acknowledged only once `save`/`import` has returned, as the app tells the user "saved".
After every 10th write it also makes a backup (as File > Back up now would), so kills land inside backups too.
With --wait it opens the logbook, prints `open`, and waits for a line on stdin before writing (so two writers
can be started at the same moment). With --as-app it opens the logbook as the app does: without the damage check,
which then runs beside the open connection (in the app, on a worker thread) before the first write.
"""

import sys

from safety_samples import perform, writes

from tace_log.storage import Logbook


def main() -> None:
    path, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    as_app = "--as-app" in sys.argv[4:]
    with Logbook.open(path, quick_check=not as_app) as logbook:
        if as_app:
            Logbook.check_file(path)
        print("open", flush=True)
        if "--wait" in sys.argv[4:]:
            sys.stdin.readline()
        for n, write in enumerate(writes(seed, count), start=1):
            perform(logbook, write)
            print(f"ack {n}", flush=True)
            if n % 10 == 0:
                logbook.backups.back_up()


if __name__ == "__main__":
    main()
