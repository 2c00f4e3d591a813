"""Qt's own words in the person's language: standard buttons, context menus, file dialogs.

FoxChat's words come from its gettext catalogues (``foxchat.i18n``); the
strings Qt draws itself come from the ``qt_<lang>.qm`` catalogue that ships
with PySide6. English needs none.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from foxchat import i18n


def install_qt_translations(app: QApplication, language: str) -> QTranslator | None:
    """Load Qt's catalogue for ``language`` into ``app``; the translator (kept by the caller)."""
    if language == i18n.ENGLISH:
        return None
    QLocale.setDefault(QLocale(language))  # numbers and dates in Qt's widgets too
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # qtbase, not the qt_ meta catalogue: that one also names modules Essentials lacks.
    if not translator.load(f"qtbase_{language}", folder):
        return None
    app.installTranslator(translator)
    return translator
