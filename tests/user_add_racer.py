"""`python user_add_racer.py TACE-LOG-ARGS...`: the real `tace-log` command (a `user add`) in its own process,
which reads the new password from stdin as usual, then prints `ready` and waits for a line on stdin just before
its write transaction. Two of them, both `ready`, have both read the logbook as it was (empty) before either
writes: the race `tests/core/test_accounts.py` starts them for, made certain rather than left to chance."""

import sys

from tace_log.cli import main
from tace_log.storage.session import Session

_transaction = Session.transaction


def _ready_then_transaction(self):
    print("ready", flush=True)
    sys.stdin.readline()
    return _transaction(self)


Session.transaction = _ready_then_transaction

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
