"""`make screenshots`: the app at 1366x768 (a common hospital monitor) in the language of TACE_LOG_LANG, on a
temporary logbook holding the typical procedure of the tests, written as PNGs into the folder given:

    python docs/screenshots.py docs/screenshots/zh

The main window, the form at its top, at its treatment, at its key images and at its narrative, the sign dialog, Tools > Users, Tools >
Settings and the report preview. Run on Qt's offscreen platform configured to the screen
(docs/screenshots/screen-1366x768.json), so every run draws the same pixels from the bundled font.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPICAL = ROOT / "tests" / "data" / "typical-procedure.json"
PASSWORD = "correct horse battery"


def main(out: Path) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QScrollArea, QWidget

    from tace_log.storage import Logbook
    from ui.app import create_application

    app = create_application()
    from ui.shell.main_window import MainWindow

    def settle(seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:  # the PDF view renders its pages in the event loop
            app.processEvents()
            time.sleep(0.02)

    def shot(widget: QWidget, name: str) -> None:
        settle()
        widget.grab().save(str(out / f"{name}.png"))

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tace-log-screenshots-") as folder:
        with Logbook.open(Path(folder) / "logbook.sqlite") as logbook:
            logbook.import_document(json.loads(TYPICAL.read_text(encoding="utf-8")))
            attach_key_images(logbook)
            logbook.users.add("wangjg", "王建国 Wang Jianguo", "radiologist", PASSWORD)
            logbook.users.sign_in("wangjg", PASSWORD)
            window = MainWindow(logbook, QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat))
            window.show()
            window.allow_writes()
            window.show_protocol()
            window.worklist.table.selectRow(0)
            shot(window, "main-window")
            form = window.open_procedure(window.worklist.model.procedure_id(0))
            shot(window, "form")
            scroll = form.findChild(QScrollArea, "form-scroll")
            for section in ("treatment", "key_images", "narrative"):
                box = form.findChild(QWidget, f"section-{section}")
                scroll.verticalScrollBar().setValue(box.y())
                shot(window, f"form-{section}")
            scroll.verticalScrollBar().setValue(0)
            for name, dialog in (("sign-dialog", form.record_buttons.open_sign_dialog()),
                                 ("users-dialog", window.show_users()), ("settings-dialog", window.show_settings()),
                                 ("report-preview", form.record_buttons.show_preview())):
                settle(1.0 if name == "report-preview" else 0.3)
                shot(dialog, name)
                dialog.close()
            window.close()
    return 0


def attach_key_images(logbook) -> None:
    """Two key images on the typical procedure: a DSA frame and a cone-beam slice, made as the tests make them."""
    sys.path.insert(0, str(ROOT))
    from tace_log.dictionary import KEY_IMAGE
    from tace_log.model import record_class
    from tests.image_samples import angiogram, jpeg

    (patient, (procedure, *_)), *_ = logbook.iter_patients()
    images = [(logbook.key_images.store(angiogram((1024, 1024), 80, grain=30), "dsa.png"),
               "Tumour stain, segment VI, arterial phase / VI段肿瘤染色，动脉期"),
              (logbook.key_images.store(jpeg((512, 512), 120, grain=30), "cbct.jpg"),
               "Cone-beam CT: lipiodol in VI / 锥形束CT：VI段碘油沉积")]
    logbook.save_procedure(procedure.replace(key_images=[
        record_class(KEY_IMAGE)(caption=caption, media_type=image.media_type, sha256=image.sha256)
        for image, caption in images]))


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
