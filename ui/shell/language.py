"""The UI language: Chinese when the system (or TACE_LOG_LANG) says so, else English.

Every user-visible string of the app goes through Qt's `tr`; `make translations` extracts them into
`resources/translations/tace_log_zh_CN.ts` and builds the `.qm` loaded here, beside Qt's own. Clinical labels
come from the data dictionary's `zh` column, so the forms are Chinese before any translation is made.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tace_log.resources import resource

_language = "en"
APP_TRANSLATIONS = "tace_log_zh_CN"  # the app's own .qm in resources/translations/, for Chinese


def language() -> str:
    """'zh' or 'en': which of the dictionary's labels the forms show."""
    return _language


def choose_language() -> str:
    chosen = os.environ.get("TACE_LOG_LANG", "").strip().lower()
    if not chosen:
        chosen = "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"
    return "zh" if chosen.startswith("zh") else "en"


def install_translations(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Use `lang` for the dictionary labels and load the translation files there are; returns the translators."""
    global _language
    _language = lang
    installed = []
    if lang == "en":
        return installed
    for name, folder in (("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                         (APP_TRANSLATIONS, str(resource("translations")))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
