"""Tools > Settings: the report header (institution, department, a logo with its preview), the report's
language and the largest key image, kept in the settings file beside the logbook (the CLI reads the same); the
chart folder exports start in, kept for this workstation; and which protocol file is in force, to read."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tace_log.errors import TaceLogError
from tace_log.files import raw_access
from tace_log.key_images import DEFAULT_LIMIT_MB
from tace_log.settings import (
    ReportSettings,
    load_key_image_limit_mb,
    load_report_settings,
    save_key_image_limit_mb,
    save_report_settings,
    settings_file,
)
from ui.record.report_actions import CHART_FOLDER_KEY
from ui.shell.file_dialog import file_dialog
from ui.shell.messages import error_text
from ui.shell.widgets import command_button, message_line, named

LOGO_PREVIEW = (240, 80)  # the most the preview shows, as the report draws it: scaled to fit, never stretched


class SettingsDialog(QDialog):
    """`SettingsDialog(logbook, settings)`: Save writes the settings file and the chart folder; a setting that
    cannot be used (a logo that is not an image, an unreadable settings file) is said in the dialog."""

    def __init__(self, logbook, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.logbook, self.settings = logbook, settings
        self.logo: Path | None = None
        self.setWindowTitle(self.tr("Settings"))
        layout = QVBoxLayout(self)
        self.message = message_line()
        try:
            current = load_report_settings(logbook.path)
        except TaceLogError as exc:
            current = ReportSettings()
            self.message.setText(error_text(exc))  # saved afresh, the file is usable again
        form = QFormLayout()
        self.institution = named(QLineEdit(current.institution), "institution", self.tr("Institution"))
        self.department = named(QLineEdit(current.department), "department", self.tr("Department"))
        form.addRow(self.tr("&Institution"), self.institution)
        form.addRow(self.tr("&Department"), self.department)
        self.logo_preview = QLabel(self)
        self.logo_preview.setObjectName("logo_preview")
        self.logo_preview.setMinimumSize(*LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview, 1)
        logo_row.addWidget(command_button(QPushButton(self.tr("&Choose logo...")), "choose_logo", self.choose_logo))
        logo_row.addWidget(command_button(QPushButton(self.tr("&No logo")), "no_logo", lambda: self.set_logo(None)))
        form.addRow(self.tr("Logo"), logo_row)
        self.language = named(QComboBox(), "report_language", self.tr("Report language"))
        for text, key in ((self.tr("The app's language"), None), ("English", "en"), ("中文", "zh")):
            self.language.addItem(text, key)
        self.language.setCurrentIndex(max(self.language.findData(current.language), 0))
        form.addRow(self.tr("Report &language"), self.language)
        self.key_image_limit = named(QDoubleSpinBox(), "key_image_max_mb", self.tr("Largest key image"))
        self.key_image_limit.setRange(0.1, 200)
        self.key_image_limit.setDecimals(1)
        self.key_image_limit.setSuffix(" MB")
        try:
            self.key_image_limit.setValue(load_key_image_limit_mb(logbook.path))
        except TaceLogError as exc:
            self.key_image_limit.setValue(DEFAULT_LIMIT_MB)
            self.message.setText(error_text(exc))
        self.key_image_limit.setToolTip(self.tr("A PNG or JPEG attached to a procedure may be at most this large "
                                                "(default %1 MB)").replace("%1", f"{DEFAULT_LIMIT_MB:g}"))
        form.addRow(self.tr("Largest &key image"), self.key_image_limit)
        self.chart_folder = named(QLineEdit(str(settings.value(CHART_FOLDER_KEY, "") or "")), "chart_folder",
                                  self.tr("Chart folder"))
        self.chart_folder.setPlaceholderText(self.tr("Your home folder"))
        form.addRow(self.tr("C&hart folder"), self.chart_folder)
        try:
            protocol = logbook.protocol.describe()
        except TaceLogError as exc:
            protocol = error_text(exc)
        protocol_label = QLabel(protocol, self)
        protocol_label.setObjectName("protocol_in_force")
        protocol_label.setWordWrap(True)
        protocol_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Protocol in force"), protocol_label)
        where = QLabel(self.tr("The report header and language and the key image size are kept in %1, beside the "
                               "logbook; the chart folder on this workstation.")
                       .replace("%1", str(settings_file(logbook.path))), self)
        where.setWordWrap(True)
        layout.addLayout(form)
        layout.addWidget(where)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("save_settings")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.set_logo(current.logo)

    def set_logo(self, path: Path | None) -> bool:
        """Show the logo's preview (read through `raw_access`: never a file this process has open in SQLite);
        False, said in the dialog, when it is not an image."""
        if path is None:
            self.logo = None
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(self.tr("No logo"))
            return True
        pixmap = QPixmap()
        try:
            data = raw_access(path).read_bytes()
        except (TaceLogError, OSError) as exc:
            self.message.setText(error_text(exc))
            return False
        if not pixmap.loadFromData(data) or Path(path).suffix.lower() not in (".png", ".jpg", ".jpeg"):
            self.message.setText(self.tr("%1 is not a PNG or JPEG image.").replace("%1", str(path)))
            return False
        self.logo = Path(path)
        self.logo_preview.setPixmap(pixmap.scaled(*LOGO_PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation))
        self.message.clear()
        return True

    def choose_logo(self) -> bool:
        dialog = file_dialog(self, self.tr("Choose the report's logo"), str(settings_file(self.logbook.path).parent),
                             self.tr("Images (*.png *.jpg *.jpeg)"))
        if not dialog.exec() or not dialog.selectedFiles():
            return False
        return self.set_logo(Path(dialog.selectedFiles()[0]))

    def accept(self) -> None:
        report = ReportSettings(self.institution.text(), self.department.text(), self.logo,
                                self.language.currentData())
        folder = self.chart_folder.text().strip()
        if folder and not Path(folder).expanduser().is_dir():
            self.message.setText(self.tr("The chart folder %1 is not a folder.").replace("%1", folder))
            return
        try:
            save_report_settings(self.logbook.path, report)
            save_key_image_limit_mb(self.logbook.path, round(self.key_image_limit.value(), 1))
            load_report_settings(self.logbook.path)  # as the report will read it
        except TaceLogError as exc:
            self.message.setText(error_text(exc))
            return
        self.settings.setValue(CHART_FOLDER_KEY, str(Path(folder).expanduser()) if folder else "")
        super().accept()
