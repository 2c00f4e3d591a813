"""Bottom: the message composer. Enter sends, Shift+Enter starts a new line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget


class ComposerEdit(QPlainTextEdit):
    """A multi-line input where Enter submits and Shift+Enter breaks the line.

    Ctrl+Shift+Enter asks to compare answers instead of sending.
    """

    submitted = Signal()
    compare_submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if enter and shifted and control:
            event.accept()
            self.compare_submitted.emit()
            return
        if enter and not shifted:
            event.accept()
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    """The input and the Send button, which becomes Stop while a reply streams."""

    send_requested = Signal(str)
    #: Answer this text several times at once, with different settings.
    compare_requested = Signal(str)
    stop_requested = Signal()
    draft_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.edit = ComposerEdit(self)
        self.edit.setObjectName("composerEdit")
        self.edit.setAccessibleName("Message")
        self.edit.setPlaceholderText("Type a message. Enter sends, Shift+Enter adds a line.")
        self.edit.setTabChangesFocus(True)
        # About three lines: room to write without crowding out the replies.
        self.edit.setFixedHeight(78)
        # Made before Send, so Tab goes message, Compare, Send, then on to the sidebar.
        self.compare_button = QPushButton("Compare", self)
        self.compare_button.setObjectName("compareButton")
        self.compare_button.setAccessibleName("Compare")
        self.compare_button.setToolTip(
            "Answer this message 2 to 4 times at once, each with other settings (Ctrl+Shift+Enter)"
        )
        self.compare_button.setMinimumWidth(76)
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName("Send message")
        self.send_button.setDefault(False)
        self.send_button.setMinimumWidth(76)
        self._streaming = False
        self._loading = False

        buttons = QVBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.send_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(self.edit, 1)
        layout.addLayout(buttons)

        self.edit.submitted.connect(self._on_submit)
        self.edit.compare_submitted.connect(self._on_compare)
        self.compare_button.clicked.connect(self._on_compare)
        self.send_button.clicked.connect(self._on_button)
        self.edit.textChanged.connect(self._on_text_changed)

    def set_streaming(self, streaming: bool) -> None:
        """Switch the button between Send and Stop."""
        self._streaming = streaming
        self.send_button.setText("Stop" if streaming else "Send")
        self.send_button.setAccessibleName("Stop reply" if streaming else "Send message")
        self.send_button.setToolTip("Stop the reply (Esc)" if streaming else "Send (Enter)")
        self.compare_button.setEnabled(not streaming)

    def set_draft(self, text: str) -> None:
        """Show a conversation's saved draft without reporting it as a change."""
        self._loading = True
        self.edit.setPlainText(text)
        self._loading = False
        cursor = self.edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.edit.setTextCursor(cursor)

    def text(self) -> str:
        """The text as typed."""
        return self.edit.toPlainText()

    def _on_submit(self) -> None:
        if self._streaming:
            return  # Enter while streaming must not queue or lose the text.
        text = self.edit.toPlainText()
        if text.strip():
            self.send_requested.emit(text)

    def _on_compare(self) -> None:
        text = self.edit.toPlainText()
        if not self._streaming and text.strip():
            self.compare_requested.emit(text)
        self.edit.setFocus()

    def _on_button(self) -> None:
        if self._streaming:
            self.stop_requested.emit()
        else:
            self._on_submit()
        # A click leaves the focus on the button, where the next words typed
        # would be lost (and Space would press it again).
        self.edit.setFocus()

    def _on_text_changed(self) -> None:
        if not self._loading:
            self.draft_changed.emit(self.edit.toPlainText())
