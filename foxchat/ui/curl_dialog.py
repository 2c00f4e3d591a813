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


class CurlDialog(QDialog):
    """A read-only preview, an "include key" box, and Copy."""

    def __init__(self, render: Callable[[bool], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curlDialog")
        self.setWindowTitle("Copy request as curl")
        self.resize(640, 480)
        self._render = render
        intro = QLabel(
            "This is exactly what FoxChat will send next, including the message "
            "you are typing. Paste it into a terminal to try it outside the app.",
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("curlText")
        self.text.setAccessibleName("curl command")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.include_key = QCheckBox("Include my API key (keep the copy private)", self)
        self.include_key.setObjectName("includeKeyCheck")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button.setObjectName("copyCurlButton")
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
