"""The UI language: the one chosen in View > Language (remembered per workstation), else the system's; Chinese
or English. TACE_LOG_LANG, when set, overrides both at start.

Every user-visible string of the app goes through Qt's `tr`; `make translations` extracts them into
`resources/translations/tace_log_zh_CN.ts` and builds the `.qm` loaded here, beside Qt's own. Clinical labels
come from the data dictionary's `zh` column, so the forms are Chinese before any translation is made.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from tace_log.messages import language_named
from tace_log.resources import resource

_language = "en"
APP_TRANSLATIONS = "tace_log_zh_CN"  # the app's own .qm in resources/translations/, for Chinese
ENGLISH_PLURALS = "tace_log_en"  # English's plural forms ("1 procedure", "2 procedures") of the same strings
LANGUAGE_KEY, SYSTEM = "ui/language", "system"  # the choice of View > Language in the workstation's settings
_installed: list[QTranslator] = []  # what the last install_translations put in, taken out by the next


def language() -> str:
    """'zh' or 'en': which of the dictionary's labels the forms show."""
    return _language


def resolved(choice: str | None) -> str:
    """'zh' or 'en' for a choice of View > Language: 'zh...', 'en', or the system's language ('system', none)."""
    chosen = (choice or SYSTEM).strip().lower()
    if chosen == SYSTEM:
        chosen = "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"
    return language_named(chosen)


def choose_language(settings: QSettings | None = None) -> str:
    """The language to start in: TACE_LOG_LANG if set (screenshots, a test), else the one chosen in View >
    Language on this workstation, else the system's."""
    chosen = os.environ.get("TACE_LOG_LANG", "").strip()
    if not chosen and settings is not None:
        chosen = str(settings.value(LANGUAGE_KEY, SYSTEM))
    return resolved(chosen)


def install_translations(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Use `lang` for the dictionary labels and load its translation files (those of the language before are
    removed); returns the translators."""
    global _language
    _language = lang
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    ours = str(resource("translations"))
    files = ([(ENGLISH_PLURALS, ours)] if lang == "en" else
             [("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), (APP_TRANSLATIONS, ours)])
    for name, folder in files:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
    return list(_installed)
