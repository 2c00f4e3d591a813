"""One message in the centre column: who, the text, and its quiet footer.

User text is shown as typed (plain, selectable); assistant text through the
Markdown view, which renders incrementally while the reply streams. The
footer carries the status in plain words (stopped, cut off, interrupted),
the token usage, and Copy/Delete. An error shows inline with Retry.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.store import MessageStatus, StoredMessage
from foxchat.ui.markdown_view import MarkdownView
from foxchat.ui.text import format_tokens

_STATUS_NOTES = {
    MessageStatus.STOPPED: "Stopped. The reply above is what arrived before you stopped it.",
    MessageStatus.INTERRUPTED: "Interrupted: FoxChat closed while this reply was arriving.",
}
_LENGTH_NOTE = (
    "Cut off: the reply reached the Max tokens limit. Raise Max tokens in the "
    "sidebar, or ask the model to continue."
)
_FILTER_NOTE = "The provider's content filter stopped this reply."


class MessageWidget(QFrame):
    """A message bubble; ``update_from`` refreshes it from the stored row."""

    retry_requested = Signal()
    delete_requested = Signal(int)

    def __init__(self, message: StoredMessage, *, dark: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.message_id = message.id
        self.role = message.role
        self._content = message.content
        self._reasoning = message.reasoning
        self._streaming = False
        self.setObjectName("userMessage" if message.role == "user" else "assistantMessage")
        self.setProperty("role", message.role)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.who = QLabel(self._who_text(message), self)
        self.who.setObjectName("messageRole")

        self.thinking_toggle = QToolButton(self)
        self.thinking_toggle.setObjectName("thinkingToggle")
        self.thinking_toggle.setCheckable(True)
        self.thinking_toggle.setAutoRaise(True)
        self.thinking_toggle.setAccessibleName("Show the model's thinking")
        self.thinking = QLabel(self)
        self.thinking.setObjectName("thinkingText")
        self.thinking.setWordWrap(True)
        self.thinking.setTextFormat(Qt.TextFormat.PlainText)
        self.thinking.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.body: MarkdownView | QLabel
        if message.role == "assistant":
            view = MarkdownView(self)
            view.set_dark(dark)
            # The bubble is the frame; the text sits on it without a box.
            view.setFrameShape(QFrame.Shape.NoFrame)
            view.viewport().setAutoFillBackground(False)
            view.setStyleSheet("background: transparent;")
            view.setAccessibleName("Reply")
            self.body = view
        else:
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            label.setAccessibleName("Your message")
            self.body = label
        self.body.setObjectName("messageBody")

        self.note = QLabel(self)
        self.note.setObjectName("messageNote")
        self.note.setWordWrap(True)
        self.error_box = QFrame(self)
        self.error_box.setObjectName("errorBox")
        self.error_text = QLabel(self.error_box)
        self.error_text.setObjectName("errorText")
        self.error_text.setWordWrap(True)
        self.error_text.setTextFormat(Qt.TextFormat.PlainText)
        self.retry_button = QPushButton("Retry", self.error_box)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.setAccessibleName("Retry this reply")
        error_layout = QHBoxLayout(self.error_box)
        error_layout.addWidget(self.error_text, 1)
        error_layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)

        self.usage = QLabel(self)
        self.usage.setObjectName("usageLabel")
        self.copy_button = QToolButton(self)
        self.copy_button.setText("Copy")
        self.copy_button.setObjectName("copyMessageButton")
        self.copy_button.setAccessibleName("Copy message")
        self.copy_button.setAutoRaise(True)
        self.delete_button = QToolButton(self)
        self.delete_button.setText("Delete")
        self.delete_button.setObjectName("deleteMessageButton")
        self.delete_button.setAccessibleName("Delete message")
        self.delete_button.setAutoRaise(True)
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.usage)
        footer.addStretch(1)
        footer.addWidget(self.copy_button)
        footer.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(4)
        layout.addWidget(self.who)
        layout.addWidget(self.thinking_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.thinking)
        layout.addWidget(self.body)
        layout.addWidget(self.note)
        layout.addWidget(self.error_box)
        layout.addLayout(footer)

        self.copy_button.clicked.connect(self._copy)
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.message_id))
        self.retry_button.clicked.connect(self.retry_requested)
        self.thinking_toggle.toggled.connect(self._show_thinking)
        self.update_from(message)

    # -- what the view calls -----------------------------------------------

    def update_from(self, message: StoredMessage) -> None:
        """Show the stored row as it is now (final text, status, usage)."""
        self._content = message.content
        self._reasoning = message.reasoning
        if isinstance(self.body, MarkdownView):
            if self._streaming and message.status is not MessageStatus.STREAMING:
                self.body.end_stream()
            if self.body.markdown() != message.content:
                self.body.set_markdown(message.content)
        else:
            self.body.setText(message.content)
        self._streaming = message.status is MessageStatus.STREAMING
        self._set_thinking(message.reasoning, open_=self._streaming)
        self.note.setText(self._note_text(message))
        self.note.setVisible(bool(self.note.text()))
        show_error = message.status is MessageStatus.ERROR
        self.error_text.setText(message.error or "The reply failed.")
        self.error_box.setVisible(show_error)
        self.usage.setText(_usage_text(message.usage_json))
        self.usage.setVisible(bool(self.usage.text()))

    def begin_stream(self) -> None:
        """The reply is arriving: show text as it comes."""
        self._streaming = True
        if isinstance(self.body, MarkdownView):
            self.body.begin_stream()
        self.error_box.hide()
        self.note.hide()

    def append(self, content: str, reasoning: str) -> None:
        """New text from the stream (coalesced into frames by the view)."""
        if reasoning:
            self._reasoning += reasoning
            self._set_thinking(self._reasoning, open_=True)
        if content:
            self._content += content
            if isinstance(self.body, MarkdownView):
                self.body.append_text(content)
            else:
                self.body.setText(self._content)

    def set_dark(self, dark: bool) -> None:
        """Follow the theme (code colours differ between light and dark)."""
        if isinstance(self.body, MarkdownView):
            self.body.set_dark(dark)

    def text(self) -> str:
        """The message's text as written (Markdown source for replies)."""
        return self._content

    # -- internals ---------------------------------------------------------

    def _who_text(self, message: StoredMessage) -> str:
        if message.role == "user":
            return "You"
        if message.role == "tool":
            return "Tool result"
        return message.model or "Assistant"

    def _note_text(self, message: StoredMessage) -> str:
        if message.finish_reason == "length":
            return _LENGTH_NOTE
        if message.finish_reason == "content_filter":
            return _FILTER_NOTE
        return _STATUS_NOTES.get(message.status, "")

    def _set_thinking(self, reasoning: str, *, open_: bool) -> None:
        has = bool(reasoning.strip())
        self.thinking_toggle.setVisible(has)
        self.thinking.setText(reasoning)
        if has:
            if open_ != self.thinking_toggle.isChecked():
                self.thinking_toggle.setChecked(open_)
            self._show_thinking(self.thinking_toggle.isChecked())
        else:
            self.thinking.hide()

    def _show_thinking(self, shown: bool) -> None:
        self.thinking_toggle.setText(("▾ " if shown else "▸ ") + "Thinking")
        self.thinking.setVisible(shown and bool(self._reasoning.strip()))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self._content)


def _usage_text(usage_json: str | None) -> str:
    if not usage_json:
        return ""
    try:
        usage = json.loads(usage_json)
        return format_tokens(int(usage["prompt_tokens"]), int(usage["completion_tokens"]))
    except (ValueError, KeyError, TypeError):
        return ""
