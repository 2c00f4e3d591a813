"""Shows the next request as ``curl`` and copies it; the key masked by default."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from foxchat.i18n import _


class CurlDialog(QDialog):
    """A read-only preview, an "include key" box, and Copy."""

    def __init__(self, render: Callable[[bool], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curlDialog")
        self.setWindowTitle(_("Copy request as curl"))
        self.resize(640, 480)
        self._render = render
        intro = QLabel(
            _(
                "This is exactly what FoxChat will send next, including the message"
                " you are typing. Paste it into a terminal to try it outside the app."
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName(_("About this preview"))
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("curlText")
        self.text.setAccessibleName(_("curl command"))
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.include_key = QCheckBox(_("Include my API key (keep the copy private)"), self)
        self.include_key.setObjectName("includeKeyCheck")
        self.include_key.setAccessibleName(_("Include my API key"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton(_("Copy"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button.setObjectName("copyCurlButton")
        self.copy_button.setAccessibleName(_("Copy the curl command"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.include_key)
        layout.addWidget(buttons)
        self.include_key.toggled.connect(self._refresh)
        self.copy_button.clicked.connect(self._copy)
        buttons.rejected.connect(self.reject)
        self._refresh()

    def _refresh(self) -> None:
        self.text.setPlainText(self._render(self.include_key.isChecked()))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.accept()
