"""Key images in the procedure form: Attach images… through Qt's file dialog, a thumbnail and a caption per image,
✕ and Ctrl+Z, Save; a file that is not an image said by name; a signed record's images open but never change."""

from __future__ import annotations

import pytest
from core.signing_support import PASSWORD, signable_logbook
from image_samples import angiogram, jpeg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QToolButton
from ui_support import answer_modal, choose_file, shown_window


@pytest.fixture
def drafted(tmp_path):
    logbook, patient, procedure = signable_logbook(tmp_path / "images.sqlite")
    yield logbook, procedure
    logbook.close()


@pytest.fixture
def form_window(qtbot, drafted, settings):
    return shown_window(qtbot, drafted[0], settings)


def _attach_by_clicking(qtbot, form, path) -> None:
    editor = form.row_editors["key_images"]
    answered = answer_modal(choose_file(path))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(answered))
    window = form.window()  # the file dialog gone, its window takes the keyboard again
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_an_image_attached_by_clicking_shows_as_a_thumbnail_and_saves_with_its_caption(
        qtbot, form_window, drafted, tmp_path, type_text):
    logbook, procedure = drafted
    (tmp_path / "dsa.png").write_bytes(angiogram((1024, 768)))
    form = form_window.open_procedure(procedure.id)
    _attach_by_clicking(qtbot, form, tmp_path / "dsa.png")
    editor = form.row_editors["key_images"]
    assert len(editor.rows) == 1 and form.dirty
    thumbnail = form.findChild(QToolButton, "key_images[0]-thumbnail")
    assert thumbnail is not None and not thumbnail.icon().isNull()
    assert thumbnail.accessibleName() == "Key image 1"
    caption = editor.rows[0].editors["caption"].input
    assert caption.objectName() == "caption" and caption.accessibleName() == "Caption"
    type_text(caption, "肿瘤染色 segment VI")
    qtbot.keyClick(caption, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not form.dirty)
    (stored,) = logbook.get_procedure(procedure.id).key_images
    assert (stored.caption, stored.media_type) == ("肿瘤染色 segment VI", "png")
    assert logbook.key_images.data(stored.sha256) == (tmp_path / "dsa.png").read_bytes()


def test_a_file_that_is_not_an_image_is_said_by_name_and_nothing_is_attached(qtbot, form_window, drafted, tmp_path):
    _, procedure = drafted
    (tmp_path / "notes.txt").write_text("not an image", encoding="utf-8")
    form = form_window.open_procedure(procedure.id)
    _attach_by_clicking(qtbot, form, tmp_path / "notes.txt")
    editor = form.row_editors["key_images"]
    assert editor.rows == [] and editor.message.text() == "notes.txt is not a PNG or JPEG image"
    assert editor.message.isVisible()


def test_a_removed_image_comes_back_with_ctrl_z(qtbot, form_window, drafted, tmp_path):
    _, procedure = drafted
    (tmp_path / "one.png").write_bytes(angiogram())
    (tmp_path / "two.jpg").write_bytes(jpeg())
    form = form_window.open_procedure(procedure.id)
    _attach_by_clicking(qtbot, form, tmp_path / "one.png")
    _attach_by_clicking(qtbot, form, tmp_path / "two.jpg")
    editor = form.row_editors["key_images"]
    before = editor.documents()
    assert [d["media_type"] for d in before] == ["png", "jpeg"]
    qtbot.mouseClick(editor.rows[0].remove, Qt.MouseButton.LeftButton)
    assert [d["media_type"] for d in editor.documents()] == ["jpeg"]
    qtbot.keyClick(editor.add_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # focus went there
    assert editor.documents() == before


def test_a_signed_records_images_open_but_cannot_be_changed(qtbot, form_window, drafted, tmp_path):
    logbook, procedure = drafted
    (tmp_path / "dsa.png").write_bytes(angiogram((640, 480)))
    image = logbook.key_images.store((tmp_path / "dsa.png").read_bytes(), "dsa.png")
    stored = logbook.get_procedure(procedure.id)
    logbook.save_procedure(stored.replace(key_images=[_key_image(image)]))
    logbook.signing.sign(procedure.id, "chen", PASSWORD)
    form = form_window.open_procedure(procedure.id)
    editor = form.row_editors["key_images"]
    assert form.read_only and not editor.add_button.isVisible() and not editor.rows[0].remove.isEnabled()
    assert not editor.rows[0].editors["caption"].input.isEnabled()
    seen = []

    def look(dialog) -> None:
        assert isinstance(dialog, QDialog) and dialog.objectName() == "key_image_viewer"
        label = dialog.findChild(QLabel, "key_image")
        seen.append((label.pixmap().width(), label.pixmap().height()))
        dialog.reject()

    answered = answer_modal(look)
    thumbnail = form.findChild(QToolButton, "key_images[0]-thumbnail")
    thumbnail.setFocus()
    qtbot.keyClick(thumbnail, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(answered))
    assert seen == [(640, 480)]  # smaller than the screen: shown at its own size


def _key_image(image):
    from tace_log.dictionary import KEY_IMAGE
    from tace_log.model import record_class

    return record_class(KEY_IMAGE)(caption="stain", media_type=image.media_type, sha256=image.sha256)
