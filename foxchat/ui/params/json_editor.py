"""A monospace JSON editor that checks its text as the user types.

The editor does not know what the JSON means: it is given a parse function
that returns the value to send or raises
:class:`~foxchat.api.json_checks.JsonProblem`. It shows the problem in
plain words under the text and emits ``value_changed`` only for text that
passes, so a half-typed schema never reaches a request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QFontMetrics, QPalette
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from foxchat.api.json_checks import JsonProblem
from foxchat.i18n import _

T = TypeVar("T")


def error_color(palette: QPalette) -> QColor:
    """A red that reads well on the palette's background, light or dark."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#ff8a80") if dark else QColor("#b00020")


class JsonEditor(QWidget, Generic[T]):
    """Text box plus error line; ``value_changed`` carries the parsed value, a ``T``.

    One Signal cannot name a type that differs per editor, so connect through
    :meth:`on_value`, whose slot type mypy checks against the parse function.
    """

    value_changed = Signal(object)

    def __init__(
        self, parse: Callable[[str], T], *, object_name: str, accessible_name: str, lines: int = 8
    ) -> None:
        super().__init__()
        self._parse = parse
        self._quiet = False
        self._problem = ""
        self.setObjectName(f"{object_name}Editor")
        self.setAccessibleName(_("{name} editor").format(name=accessible_name))
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName(f"{object_name}Text")
        self.text_edit.setAccessibleName(accessible_name)
        # Tab must move on to the next control, not trap keyboard users here.
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.text_edit.setFont(mono)
        line_height = QFontMetrics(mono).lineSpacing()
        self.text_edit.setFixedHeight(line_height * lines + 12)
        self.error_label = QLabel()
        self.error_label.setObjectName(f"{object_name}Error")
        self.error_label.setAccessibleName(_("{name} problem").format(name=accessible_name))
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()
        self._colour_error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.text_edit)
        layout.addWidget(self.error_label)
        self.text_edit.textChanged.connect(self._on_text_changed)

    def on_value(self, slot: Callable[[T], None]) -> None:
        """Call ``slot`` with every value that passes the check, as typed by ``parse``."""
        self.value_changed.connect(slot)

    def text(self) -> str:
        """The text as typed."""
        return self.text_edit.toPlainText()

    def problem(self) -> str:
        """What is wrong with the text, or "" when it passes."""
        return self._problem

    def set_text(self, text: str) -> None:
        """Show ``text`` (and check it) without emitting ``value_changed``."""
        self._quiet = True
        try:
            self.text_edit.setPlainText(text)
            self._check()
        finally:
            self._quiet = False

    def replace_text(self, text: str) -> None:
        """Replace the text as the user would (undoable, emits when valid)."""
        cursor = self.text_edit.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(text)

    def value(self) -> object | None:
        """The parsed value, or None while the text has a problem."""
        try:
            return self._parse(self.text())
        except JsonProblem:
            return None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_error_label()
        super().changeEvent(event)

    def _colour_error_label(self) -> None:
        palette = self.error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_color(self.palette()))
        self.error_label.setPalette(palette)

    def _check(self) -> T | None:
        try:
            value = self._parse(self.text())
        except JsonProblem as problem:
            self._problem = str(problem)
            value = None
        else:
            self._problem = ""
        self.error_label.setText(self._problem)
        self.error_label.setVisible(bool(self._problem))
        return value

    def _on_text_changed(self) -> None:
        value = self._check()
        if not self._quiet and not self._problem:  # so value is a T, never the None above
            self.value_changed.emit(value)
