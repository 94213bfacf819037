"""The walker of tests/ui/test_every_button.py: press every button and menu action a window offers, as a person
would (a mouse click, a menu action triggered), then every button of each dialog those open, each from a fresh
start, failing on any exception raised in a slot, and on any window that gives one Alt key to two things.

It finds what there is to press itself (QPushButton and QToolButton of the window, menu and window QActions), so
a button added later is pressed without a new test. A *plan* is the keys pressed from a fresh window: the first in
the window, each next one in the dialog the one before opened; a dialog the last press opens becomes one plan more
per button in it, and is then dismissed (rejected, as with Escape). A dialog a press leaves open (Browse…, Export)
is looked at and dismissed too, but what the press made pressable in it (Cancel export, while the export runs) is
no plan: the next key of a plan is pressed in a dialog that opens, so such a button is its own test's. Qt's own file
and print dialogs are answered (a file in the test folder; Print to File), not walked: their insides are Qt's. A
dialog is dismissed whatever goes wrong in it, so a failure fails the walk and never leaves it waiting.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

import shiboken6
from image_samples import angiogram
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QFileDialog, QMainWindow, QWidget
from pytestqt.exceptions import format_captured_exceptions
from ui_support import choose_file, mnemonic_clashes, print_to_file

BUTTON_CLASSES = {"QPushButton", "QToolButton"}  # Qt's private subclasses (a line edit's clear button) are Qt's
QT_DIALOGS = (QFileDialog, QPrintDialog)

Setup = Callable[[], tuple[QWidget, Callable[[], None]]]  # a fresh window to walk, and how to put it away


def window_key(window: QWidget) -> str:
    return f"{window.objectName() or type(window).__name__}: {window.windowTitle()}"


def button_key(button: QAbstractButton, window: QWidget) -> str:
    """The window, the named widgets the button sits in, and its name (or its text): the same in every fresh
    window, and different for each button."""
    names, widget = [], button.parentWidget()
    while widget is not None and widget is not window:
        if widget.objectName() and not widget.objectName().startswith("qt_"):
            names.append(widget.objectName())
        widget = widget.parentWidget()
    return "/".join([window_key(window), *reversed(names), button.objectName() or button.text().replace("&", "")])


def pressables(window: QWidget) -> dict[str, list]:
    """What a person can press in the window, by key: its buttons (not those of its dialogs: each is walked as a
    window of its own) and, in a main window, its menus' actions and its shortcut actions."""
    found: dict[str, list] = {}
    if isinstance(window, QMainWindow):
        menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
        for action in [a for menu in menus for a in menu.actions()] + window.actions():
            if not action.isSeparator() and action.menu() is None:
                key = f"{window_key(window)}/action:{action.objectName() or action.text().replace('&', '')}"
                found.setdefault(key, []).append(action)
    for button in window.findChildren(QAbstractButton):
        if (button.metaObject().className() in BUTTON_CLASSES and button.window() is window
                and not button.objectName().startswith("qt_")):
            found.setdefault(button_key(button, window), []).append(button)
    return found


def ready(thing) -> bool:
    return shiboken6.isValid(thing) and thing.isEnabled() and thing.isVisible()


def offer(window: QWidget) -> dict[str, bool]:
    """What the window offers now: each key, and whether one of its buttons or actions can be pressed."""
    return {key: any(ready(t) for t in things) for key, things in pressables(window).items()}


class Walker:
    """`walk(setup)` for each window (and state of it) a test sets up; then `assert_all_pressed(skip)`."""

    def __init__(self, qtbot, folder: Path):
        self.qtbot = qtbot
        self.folder = folder  # where answered file and print dialogs write
        self.folder.mkdir(parents=True, exist_ok=True)
        self.found: dict[str, tuple[str, ...]] = {}  # every key seen, and the plan that showed it
        self.pressed: set[str] = set()
        self.answered = 0
        # Called with every window and dialog the walk shows, as it shows (before its buttons are pressed): a test
        # of what they all must be (in Chinese, on the screen) sets it.
        self.inspect: Callable[[QWidget], None] | None = None
        self.clashes: dict[str, dict[str, list[str]]] = {}  # by window: an Alt key and what it is given to

    def look_at(self, window: QWidget) -> None:
        clashes = mnemonic_clashes(window)  # every walk, so in each language a walk is made in
        if clashes:
            self.clashes[window_key(window)] = clashes
        if self.inspect is not None:
            self.inspect(window)

    def walk(self, setup: Setup, only: Iterable[str] | None = None) -> None:
        """Press what `setup()`'s window offers that no walk pressed yet (or, given `only`, those keys of it, again),
        and then everything in the dialogs they open: every plan from a fresh `setup()`."""
        only = set(only) if only is not None else None
        queue: deque[tuple[str, ...]] = deque([()])
        while queue:
            plan = queue.popleft()
            if plan and plan[-1] in self.pressed and not (only and plan[-1] in only):
                continue  # pressed meanwhile, by another plan
            offered = self._run(setup, plan)
            if plan:
                self.pressed.add(plan[-1])
            for key, can_press in offered.items():
                self.found.setdefault(key, plan)
                wanted = key in only if (only is not None and not plan) else key not in self.pressed
                if wanted and can_press:
                    queue.append((*plan, key))

    def assert_all_pressed(self, skip: dict[str, str]) -> None:
        """Every key found was pressed in some walk, but those in `skip` (key: why its effect is tested elsewhere)."""
        missed = sorted(set(self.found) - self.pressed - set(skip))
        assert not missed, "never pressable (disabled or hidden in every walk):\n" + "\n".join(
            f"{key}  (found by {' > '.join(self.found[key]) or 'the window'})" for key in missed)

    def press(self, thing) -> None:
        if isinstance(thing, QAction):
            thing.trigger()  # as choosing it from the menu, or its shortcut, does
        else:
            self.qtbot.mouseClick(thing, Qt.MouseButton.LeftButton)

    def answer(self, dialog: QDialog) -> None:
        """Qt's own dialogs, as a person would answer them: print to a file, choose a new folder or save a new file in
        the test folder, attach an image made for it, open the newest file in the folder the dialog opened in (for a
        restore, the newest backup)."""
        self.answered += 1
        if isinstance(dialog, QPrintDialog):
            print_to_file(self.folder / f"printed-{self.answered}.pdf")(dialog)
        elif dialog.fileMode() == QFileDialog.FileMode.Directory:
            folder = self.folder / f"folder-{self.answered}"
            folder.mkdir()
            choose_file(folder)(dialog)
        elif dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave:
            choose_file(self.folder / f"exported-{self.answered}.pdf")(dialog)
        elif any("*.png" in f for f in dialog.nameFilters()):  # images to attach: a frame made for it
            image = self.folder / f"image-{self.answered}.png"
            image.write_bytes(angiogram())
            choose_file(image)(dialog)
        else:
            files = [p for p in Path(dialog.directory().absolutePath()).iterdir() if p.is_file()]
            choose_file(max(files, key=lambda p: p.stat().st_mtime))(dialog)

    def _run(self, setup: Setup, plan: tuple[str, ...]) -> dict[str, bool]:
        """Press the plan's keys from a fresh window; what the dialog the last press opened (for no keys, the
        window) offers: key and whether it could be pressed then."""
        with self.qtbot.captureExceptions() as exceptions:
            window, put_away = setup()
            run = _Run(self, window, plan)
            try:
                offered = run.go()
            finally:
                run.dismiss_all()
                put_away()
                run.stop()
        where = " > ".join(plan) or f"opening {window_key(window)}"
        assert not exceptions, f"{where}:\n{format_captured_exceptions(exceptions)}"
        assert not run.unexpected, f"{where}: the unexpected-error dialog showed: {run.unexpected}"
        assert not self.clashes, f"{where}: one Alt key for several things: {self.clashes}"
        return offered


class _Run:
    """One plan from a fresh window. `settle()` deals with each dialog that shows: it is called after a press
    returns and, by a timer, inside the event loop of a dialog a slot exec()s (which blocks that press)."""

    def __init__(self, walker: Walker, window: QWidget, plan: tuple[str, ...]):
        self.walker, self.window = walker, window
        self.todo = list(plan)
        self.seen = [w for w in QApplication.topLevelWidgets() if w.isVisible()]  # the setup's, not dialogs to answer
        self.offered: dict[str, bool] = {}
        self.unexpected: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.settle)
        self.timer.start()

    def go(self) -> dict[str, bool]:
        if not self.todo:
            self.walker.look_at(self.window)
            return offer(self.window)
        self._press_in(self.window, self.todo.pop(0))
        self.settle()
        assert not self.todo, f"no dialog showed to press {self.todo[0]} in"
        return self.offered

    def _new_dialog(self) -> QDialog | None:
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
                     and not any(w is s for s in self.seen)), None)

    def settle(self) -> None:
        while (dialog := self._new_dialog()) is not None:
            self.seen.append(dialog)
            if dialog.objectName() == "unexpected_error_dialog":
                self.unexpected.append(dialog.text())
            if isinstance(dialog, QT_DIALOGS):
                try:
                    self.walker.answer(dialog)
                except BaseException:
                    dialog.reject()  # an answer that failed must not leave the walk waiting on the dialog
                    raise
            elif self.todo:
                # The press may exec() a dialog, and Qt never fires a timer again while its slot (this one) runs:
                # a timer of its own answers that dialog meanwhile.
                inner = QTimer()
                inner.setInterval(10)
                inner.timeout.connect(self.settle)
                inner.start()
                try:
                    self._press_in(dialog, self.todo.pop(0))
                except BaseException:
                    dialog.reject()  # the dialog exec()s in the press that opened it: it must not wait for ever
                    raise
                finally:
                    inner.stop()
                if not self.todo and dialog.isVisible():  # the press left its dialog open (Browse…, Export)
                    self._look_and_close(dialog, planned=False)
            else:
                self._look_and_close(dialog)

    def _look_and_close(self, dialog: QDialog, planned: bool = True) -> None:
        try:
            self.walker.look_at(dialog)
            if planned:
                self.offered.update(offer(dialog))
        finally:
            dialog.reject()

    def _press_in(self, window: QWidget, key: str) -> None:
        things = [t for t in pressables(window).get(key, []) if ready(t)]
        assert things, f"{key} is not there to press in {window_key(window)}"
        self.walker.press(things[0])

    def dismiss_all(self) -> None:
        """Whatever the plan left open (a dialog that refused an empty password stays) goes before the window."""
        self.todo.clear()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and widget is not self.window:
                widget.reject()

    def stop(self) -> None:
        self.timer.stop()  # it ran on while the window was put away: closing may ask too (the backup on exit)
