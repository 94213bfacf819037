"""A procedure's key images (DSA frames, cone-beam slices) in the form: a thumbnail and a caption per image, Attach
images… to add PNG or JPEG files, ✕ to remove one (Ctrl+Z brings it back until Save).

An image's bytes go into the logbook when it is attached (`Logbook.key_images.store`), before the procedure is
saved: the record then names it by its SHA-256, and a draft restored after a crash finds it there. A thumbnail
opens the image at the screen's size (click, or Space/Enter on it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from tace_log.errors import TaceLogError
from tace_log.files import raw_access
from tace_log.settings import load_key_image_limit_mb
from ui.entry.field_editors import FieldEditor
from ui.entry.rows_editor import Row, RowsEditor
from ui.shell.file_dialog import file_dialog
from ui.shell.messages import error_text
from ui.shell.screen import available, resize_to_fit
from ui.shell.widgets import message_line

THUMBNAIL = QSize(160, 120)  # as big as a row of the form allows, a DSA frame still recognisable
CAPTION_WIDTH = 420  # a caption's words, beside its thumbnail


class KeyImagesEditor(RowsEditor):
    """The `key_images` rows: `KeyImagesEditor(logbook, entity, parent)`; a row edits the caption, and keeps
    the image's hash and type as attached."""

    def __init__(self, logbook, entity, parent: QWidget | None = None):
        super().__init__("key_images", entity, lambda row: {"caption": FieldEditor(entity["caption"], None,
                                                                                   row.widget)},
                         self.tr("Attach i&mages..."), parent)
        self.logbook = logbook
        self.add_button.setToolTip(self.tr("Attach PNG or JPEG images (a DSA frame, a cone-beam CT slice)"))
        self.message = message_line()
        self.message.setObjectName("key_images-message")
        self.layout().addWidget(self.message)

    headed = False  # a thumbnail says what the row is; the caption its placeholder and accessible name

    def columns(self):
        return tuple(f for f in self.entity.fields if f.key == "caption")

    def column_width(self, f) -> int:
        return CAPTION_WIDTH

    def add_clicked(self) -> None:
        dialog = file_dialog(self, self.tr("Attach key images"), str(Path.home()),
                             self.tr("Images (*.png *.jpg *.jpeg)"))
        dialog.setFileMode(dialog.FileMode.ExistingFiles)
        if dialog.exec():
            self.attach([Path(p) for p in dialog.selectedFiles()])

    def attach(self, paths: list[Path]) -> int:
        """Store each file in the logbook and add its row; a file that is not a key image is said (with its name)
        and the others are attached all the same. Returns how many were attached."""
        problems, attached = [], 0
        for path in paths:
            try:
                image = self.logbook.key_images.store(raw_access(path).read_bytes(), path.name,
                                                      load_key_image_limit_mb(self.logbook.path))
            except OSError as exc:
                problems.append(self.tr("Cannot read %1: %2").replace("%1", path.name)
                                .replace("%2", exc.strerror or str(exc)))
                continue
            except TaceLogError as exc:
                problems.append(error_text(exc))
                continue
            self.add_row({"caption": None, "media_type": image.media_type, "sha256": image.sha256})
            attached += 1
        self.message.setText("\n".join(problems))
        return attached

    def leading(self, row: Row) -> QWidget:
        number = len(self.rows) + 1
        button = QToolButton(row.widget)
        button.setObjectName(f"key_images[{number - 1}]-thumbnail")
        button.setAccessibleName(self.tr("Key image %1").replace("%1", str(number)))
        button.setToolTip(self.tr("Open the image"))
        button.setIconSize(THUMBNAIL)
        button.setFixedSize(THUMBNAIL + QSize(8, 8))
        pixmap = self._pixmap(row.kept.get("sha256"))
        if pixmap is None:
            button.setText(self.tr("Image not available"))
        else:
            button.setIcon(QIcon(pixmap.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation)))
            button.clicked.connect(lambda: ImageViewer(pixmap, button.accessibleName(), self).exec())
        return button

    def _pixmap(self, sha256: str | None) -> QPixmap | None:
        pixmap = QPixmap()
        try:
            data = self.logbook.key_images.data(sha256) if sha256 else b""
        except TaceLogError:
            return None
        return pixmap if pixmap.loadFromData(data) else None

    def set_enabled(self, enabled: bool) -> None:
        super().set_enabled(enabled)  # a signed record's thumbnails still open: only changing is off
        self.add_button.setVisible(enabled)


class ImageViewer(QDialog):
    """One key image, as large as the screen allows (scrolling when it is larger)."""

    def __init__(self, pixmap: QPixmap, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("key_image_viewer")
        self.setWindowTitle(title)
        room = available(self).size() * 0.85
        shown = pixmap if pixmap.width() <= room.width() and pixmap.height() <= room.height() else \
            pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        label = QLabel(self)
        label.setObjectName("key_image")
        label.setAccessibleName(title)
        label.setPixmap(shown)
        scroll = QScrollArea(self)
        scroll.setWidget(label)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        resize_to_fit(self, shown.width() + 40, shown.height() + 40)
