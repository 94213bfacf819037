"""File > Export…, driven as a user would: the format, the destination, Export, and what was written read back."""

from __future__ import annotations

import csv
import zipfile

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from safety_samples import fill
from ui_support import answer_modal

from tace_log import interchange
from ui.exchange.export_dialog import ExportDialog


def export_from_the_menu(window, qtbot, fmt: str, target, deidentify: bool = False) -> ExportDialog:
    """File > Export…, the format chosen, the destination typed, Export clicked; the dialog once it has answered."""
    seen = []

    def answer(dialog) -> None:
        assert isinstance(dialog, ExportDialog)
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        dialog.deidentify.setChecked(deidentify)
        dialog.destination.setText(str(target))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(dialog.result.isVisible)
        seen.append((dialog.result.toPlainText(), dialog.message.text(), list(dialog.written)))
        dialog.reject()

    answer_modal(answer)
    window.findChild(QAction, "export").trigger()
    assert seen, "the export dialog never showed"
    return seen[0]


def test_csv_export_from_the_file_menu_writes_the_patients(window, logbook, qtbot, tmp_path):
    fill(logbook, seed=3, patients=3, procedures_each=1)
    shown, _message, written = export_from_the_menu(window, qtbot, "csv", tmp_path / "out")
    with open(tmp_path / "out" / "patients.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3
    assert "patients.csv" in shown and "bytes" in shown
    assert tmp_path / "out" / "patients.csv" in written


def test_a_deidentified_package_has_no_mrn_in_any_file(window, logbook, qtbot, tmp_path):
    fill(logbook, seed=5, patients=4, procedures_each=1)
    mrns = [p["mrn"] for p in interchange.export_document(logbook)["patients"]]
    shown, _message, _written = export_from_the_menu(window, qtbot, "package", tmp_path / "trial.zip",
                                                     deidentify=True)
    assert "SHA-256" in shown and "As of" in shown and "Rows" in shown and "csv/patients.csv" in shown
    with zipfile.ZipFile(tmp_path / "trial.zip") as package:
        for name in package.namelist():
            text = package.read(name).decode("utf-8", "replace")
            assert not any(mrn in text for mrn in mrns), name


def test_export_without_a_destination_says_what_is_missing(logbook, qtbot):
    dialog = ExportDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.destination.clear()
    assert not dialog.export()
    assert "destination" in dialog.message.text()


def exported(dialog, qtbot) -> bool:
    """Export clicked, and the dialog once the export has ended: whether it wrote anything."""
    with qtbot.waitSignal(dialog.finished_export, timeout=30000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return not dialog.result.isHidden()


def test_json_export_reads_back_and_an_unwritable_destination_is_said(logbook, qtbot, tmp_path):
    fill(logbook, seed=7, patients=2, procedures_each=1)
    dialog = ExportDialog(logbook)
    qtbot.addWidget(dialog)
    assert not dialog.deidentify.isEnabled()  # JSON is the whole record
    dialog.destination.setText(str(tmp_path / "all.json"))
    assert exported(dialog, qtbot)
    assert len(interchange.read_file(tmp_path / "all.json")["patients"]) == 2
    (tmp_path / "a_file").write_text("x")
    dialog.destination.setText(str(tmp_path / "a_file" / "inside.json"))
    assert not exported(dialog, qtbot)
    assert dialog.message.text().startswith("Nothing was exported")


def test_the_bar_counts_the_patients_read(logbook, qtbot, tmp_path):
    fill(logbook, seed=8, patients=7, procedures_each=1)
    dialog = ExportDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.destination.setText(str(tmp_path / "out"))
    seen = []
    dialog.progress.valueChanged.connect(lambda value: seen.append((value, dialog.progress.maximum())))
    assert exported(dialog, qtbot)
    assert seen[-1] == (7, 7)
    assert dialog.progress.isHidden() and dialog.export_button.isEnabled()


def test_a_packages_bar_goes_on_across_its_parts_never_back(logbook, qtbot, tmp_path):
    fill(logbook, seed=10, patients=4, procedures_each=1)
    dialog = ExportDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("package"))
    dialog.destination.setText(str(tmp_path / "trial.zip"))
    seen = []
    dialog.progress.valueChanged.connect(lambda value: seen.append((value, dialog.progress.maximum(),
                                                                     dialog.progress.format())))
    assert exported(dialog, qtbot)
    values = [value for value, _, _ in seen]
    assert values == sorted(values) and seen[-1][:2] == (24, 24)  # json, csv, redcap, odm, reports, key images
    assert seen[-1][2] == "Part 6 of 6: 4 of 4 patients"


def test_cancel_stops_the_export_and_leaves_no_file(logbook, qtbot, tmp_path):
    fill(logbook, seed=9, patients=3, procedures_each=1)
    dialog = ExportDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("odm"))
    (tmp_path / "out").mkdir()
    dialog.destination.setText(str(tmp_path / "out" / "trial.xml"))
    pressed = []

    def press_cancel(done, total, step, steps):
        """Cancel clicked while the export waits on its first count (a blocking connection holds it)."""
        if not pressed:
            pressed.append(done)
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    dialog.started_export.connect(
        lambda: dialog.work.read.connect(press_cancel, Qt.ConnectionType.BlockingQueuedConnection))
    assert not exported(dialog, qtbot)
    assert pressed == [0]
    assert dialog.message.text() == "Export cancelled: nothing was written."
    assert list((tmp_path / "out").iterdir()) == []  # no file, and no partial file left beside it


def _tick(qtbot, box) -> None:
    """A check box ticked (or unticked) from the keyboard, as a user tabbing through the dialog does."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def test_the_deidentification_options_and_changed_since_are_the_commands(logbook, qtbot, tmp_path):
    """A site secret keys the pseudonyms and lets dates be shifted; free text is kept only when asked; only the
    patients changed after the chosen moment are exported."""
    fill(logbook, seed=11, patients=3, procedures_each=1)
    dialog = ExportDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert not dialog.secret_file.isEnabled() and not dialog.shift_dates.isEnabled()
    _tick(qtbot, dialog.deidentify)
    assert dialog.secret_file.isEnabled() and dialog.free_text.isEnabled() and not dialog.shift_dates.isEnabled()
    (tmp_path / "site.secret").write_text("a site secret of more than 16 characters", encoding="utf-8")
    qtbot.keyClicks(dialog.secret_file, str(tmp_path / "site.secret"))
    assert dialog.shift_dates.isEnabled()
    _tick(qtbot, dialog.shift_dates)
    dialog.destination.setText(str(tmp_path / "shifted"))
    assert exported(dialog, qtbot), dialog.message.text()
    with open(tmp_path / "shifted" / "patients.csv", newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3 and all(r["id"].startswith("P-") for r in rows)  # keyed by the secret
    assert all(r["resection_date"] for r in rows)  # kept, shifted, not turned into day offsets
    stored = {p.resection_date.isoformat() for p, _ in logbook.iter_patients() if p.resection_date}
    assert not stored & {r["resection_date"] for r in rows}

    (tmp_path / "short.secret").write_text("too short", encoding="utf-8")
    dialog.secret_file.setText(str(tmp_path / "short.secret"))
    dialog.destination.setText(str(tmp_path / "refused"))
    assert not exported(dialog, qtbot)
    assert "short.secret" in dialog.message.text() and not (tmp_path / "refused").exists()

    _tick(qtbot, dialog.deidentify)  # the full record again
    assert not dialog.secret_file.isEnabled()
    _tick(qtbot, dialog.changed_only)
    assert dialog.changed_since.isEnabled()
    dialog.changed_since.setDateTime(dialog.changed_since.dateTime().addDays(60))  # after every change
    dialog.destination.setText(str(tmp_path / "nothing-new"))
    assert exported(dialog, qtbot)
    with open(tmp_path / "nothing-new" / "patients.csv", newline="", encoding="utf-8-sig") as handle:
        assert list(csv.DictReader(handle)) == []
