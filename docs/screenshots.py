"""`make screenshots`: the app at 1366x768 (a common hospital monitor) in the language of TACE_LOG_LANG, on a
fresh logbook holding the typical procedure of the tests, written as PNGs into the folder given:

    python docs/screenshots.py docs/screenshots/zh

The main window, the form at each of its sections (form-<section>.png; form.png is its top), the sign dialog,
Tools > Users, Tools > Settings and the report preview. Run on Qt's offscreen platform configured to the screen
(docs/screenshots/screen-1366x768.json), so every run draws the same pixels from the bundled font.

The paths the app shows (the status bar, Settings) are a workstation's, not this machine's: the logbook is where
the app keeps it by default for a user "radiology", /home/radiology/.local/share/tace-log/, with the site's
protocol file beside it. That home is an empty folder of the script's own, mounted over /home in a private mount
namespace (`unshare`, no root needed; every folder of the real /home stays where it is); without one, the
logbook is in a temporary folder, and the script says so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPICAL = ROOT / "tests" / "data" / "typical-procedure.json"
PASSWORD = "correct horse battery"
WORKSTATION_HOME = Path("/home/radiology")
INSIDE = "TACE_LOG_SCREENSHOTS_HOME"  # set once the script runs again with the workstation's home mounted
# In a new user and mount namespace: the real /home kept reachable, a tmpfs over /home, each real home bound back
# into it, and an empty home for the workstation's user beside them; then this script again.
MOUNT_HOME = """set -e
real=$(mktemp -d)
mount --rbind /home "$real"
mount -t tmpfs tmpfs /home
for home in "$real"/* "$real"/.[!.]*; do
    [ -e "$home" ] || continue
    mkdir "/home/${home##*/}" && mount --rbind "$home" "/home/${home##*/}"
done
mkdir "$0"
status=0
"$@" || status=$?
umount --recursive --lazy "$real" && rmdir "$real"
exit $status
"""


def run_at_the_workstations_home(out: Path) -> int | None:
    """This script again with /home/radiology as its home; None when this machine cannot make it one."""
    if os.environ.get(INSIDE) or not shutil.which("unshare") or WORKSTATION_HOME.exists():
        return None
    namespace = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c"]
    if subprocess.run([*namespace, "mount -t tmpfs tmpfs /home"], capture_output=True).returncode:
        return None  # no unprivileged namespaces here (a kernel or AppArmor setting)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}  # the app's folders follow HOME
    env.update(HOME=str(WORKSTATION_HOME), **{INSIDE: "1"})
    return subprocess.run([*namespace, MOUNT_HOME, str(WORKSTATION_HOME), sys.executable, __file__,
                           str(out.resolve())], env=env).returncode


def logbook_folder(stack) -> Path:
    """Where the app keeps its logbook by default: in the workstation's home when this runs there, else in a
    temporary folder."""
    from tace_log.paths import default_logbook_path

    if os.environ.get(INSIDE):
        folder = default_logbook_path().parent
        folder.mkdir(parents=True)
        return folder
    print("screenshots: no private /home to be made (unshare): the paths shown are a temporary folder's",
          file=sys.stderr)
    return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tace-log-screenshots-")))


def main(out: Path) -> int:
    elsewhere = run_at_the_workstations_home(out)
    if elsewhere is not None:
        return elsewhere
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QScrollArea, QWidget

    from tace_log.dictionary import PROCEDURE_PAGE
    from tace_log.paths import LOGBOOK_FILENAME
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
    with ExitStack() as stack:
        folder = logbook_folder(stack)
        shutil.copy(ROOT / "resources" / "protocol.json", folder / "protocol.json")  # the site's, as installed
        with Logbook.open(folder / LOGBOOK_FILENAME) as logbook:
            logbook.import_document(json.loads(TYPICAL.read_text(encoding="utf-8")))
            attach_key_images(logbook)
            logbook.users.add("wangjg", "王建国 Wang Jianguo", "radiologist", PASSWORD)
            logbook.users.sign_in("wangjg", PASSWORD)
            window = MainWindow(logbook, QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
            window.show()
            window.allow_writes()
            window.show_protocol()
            window.worklist.table.selectRow(0)
            shot(window, "main-window")
            form = window.open_procedure(window.worklist.model.procedure_id(0))
            shot(window, "form")
            scroll = form.findChild(QScrollArea, "form-scroll")
            for section in PROCEDURE_PAGE[1:]:  # the first is the form's top
                box = form.findChild(QWidget, f"section-{section.key}")
                scroll.verticalScrollBar().setValue(box.y())
                shot(window, f"form-{section.key}")
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
