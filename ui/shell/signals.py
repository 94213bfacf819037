"""`emit(signal, *args)`: every signal the app defines is emitted through it, never by `signal.emit(...)`.

PySide6 6.12.0's `SignalInstance.emit` returns True without the reference it hands back, so each emit takes one
from True's count. On Python 3.11 True is not immortal: after some thousands of emits (a day of typing in the
agent rows, a signal per keystroke) the count reaches nought and the interpreter aborts ("Fatal Python error:
bool_dealloc"), the app gone with whatever was typed since its last draft. `emit` gives the reference back, while
the PySide6 installed does this (measured once, when this module is loaded, on the main thread before any worker
thread emits: tests/ui/test_signal_emits.py).
"""

from __future__ import annotations

import ctypes
import gc
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    fired = Signal()


def _emit_takes_a_reference() -> bool:
    """Whether an emit takes a reference from True (False where True is immortal, Python 3.12 and later)."""
    probe = _Probe()
    emits = 16
    gc.disable()  # nothing else may drop a reference to True while it is counted
    try:
        before = sys.getrefcount(True)
        for _ in range(emits):
            probe.fired.emit()
        taken = before - sys.getrefcount(True)
    finally:
        gc.enable()
    if taken >= emits:
        for _ in range(taken):  # the probe's own emits
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return taken >= emits


TAKES_A_REFERENCE = _emit_takes_a_reference()


def emit(signal: SignalInstance, *args) -> None:
    signal.emit(*args)
    if TAKES_A_REFERENCE:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
