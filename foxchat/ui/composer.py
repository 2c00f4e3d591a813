"""Bottom: the message composer. Enter sends, Shift+Enter starts a new line.

With an ``AttachmentService`` it also takes attachments: pasted images
(Ctrl+V), files pasted or dropped on it, and files picked with the Attach
button; each shows as a chip above the text (``ui.attachment_chips``). A send
asked for while a chip is still being prepared goes as soon as all are ready.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from foxchat.attachments import IMAGE_SUFFIXES, Attachment
from foxchat.services.attachments import AttachmentService
from foxchat.ui.attachment_chips import AttachmentTray
from foxchat.ui.file_picker import AskPaths, ask_open_paths

ATTACH_FILTER: Final = (
    "Images and documents ("
    + " ".join(f"*{suffix}" for suffix in IMAGE_SUFFIXES)
    + " *.pdf *.docx *.txt *.md *.csv *.json *.xml *.html *.py *.js *.ts *.log);;All files (*)"
)


def local_files(source: QMimeData) -> list[Path]:
    """The local files a paste or a drop carries (none for web links)."""
    if not source.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()]


class ComposerEdit(QPlainTextEdit):
    """A multi-line input where Enter submits and Shift+Enter breaks the line.

    When ``takes_attachments`` is set, a pasted or dropped image or file is
    reported (``image_pasted``, ``files_pasted``) instead of inserted as text.
    Ctrl+Shift+Enter asks to compare answers instead of sending.
    """

    submitted = Signal()
    compare_submitted = Signal()
    image_pasted = Signal(QImage)
    files_pasted = Signal(list)

    takes_attachments = False

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

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if self.takes_attachments and (source.hasImage() or local_files(source)):
            return True
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if self.takes_attachments:
            files = local_files(source)
            if files:
                self.files_pasted.emit(files)
                return
            # Text wins when both come (office programs add a picture of the
            # copied text); a browser's "Copy image" brings no plain text.
            if source.hasImage() and not source.hasText():
                image = source.imageData()
                if isinstance(image, QImage) and not image.isNull():
                    self.image_pasted.emit(image)
                    return
        super().insertFromMimeData(source)


class Composer(QWidget):
    """The input and the Send button, which becomes Stop while a reply streams."""

    send_requested = Signal(str)
    #: Answer this text several times at once, with different settings.
    compare_requested = Signal(str)
    stop_requested = Signal()
    draft_changed = Signal(str)
    #: A file could not be attached: the message to show.
    attachment_problem = Signal(str)
    #: Show a ready image full size: (name, bytes).
    image_open_requested = Signal(str, bytes)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        attachments: AttachmentService | None = None,
        ask_paths: AskPaths = ask_open_paths,
    ) -> None:
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
        self._send_when_ready = False
        self.ask_paths = ask_paths
        self._start_folder = Path.home()
        self.tray: AttachmentTray | None = None
        self.attach_button: QPushButton | None = None

        buttons = QVBoxLayout()
        buttons.addStretch(1)
        if attachments is not None:
            self.edit.takes_attachments = True
            self.edit.setPlaceholderText(
                "Type a message. Enter sends, Shift+Enter adds a line. "
                "Paste or drop images and files to attach them."
            )
            self.tray = AttachmentTray(attachments, self)
            self.attach_button = QPushButton("Attach…", self)
            self.attach_button.setObjectName("attachButton")
            self.attach_button.setAccessibleName("Attach images or documents")
            self.attach_button.setToolTip(
                "Attach images or documents. You can also paste them or drop them here."
            )
            # Tab goes from the text to Attach, then on as before (Attach is made last).
            QWidget.setTabOrder(self.edit, self.attach_button)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.send_button)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        if self.attach_button is not None:
            # Left of the text, where chat programs keep their paper clip.
            row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.edit, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.setSpacing(4)
        if self.tray is not None:
            layout.addWidget(self.tray)
        layout.addLayout(row)

        self.edit.submitted.connect(self._on_submit)
        self.edit.compare_submitted.connect(self._on_compare)
        self.compare_button.clicked.connect(self._on_compare)
        self.send_button.clicked.connect(self._on_button)
        self.edit.textChanged.connect(self._on_text_changed)
        if self.tray is not None and self.attach_button is not None:
            self.edit.image_pasted.connect(self.tray.add_image)
            self.edit.files_pasted.connect(self.add_files)
            self.attach_button.clicked.connect(self.pick_files)
            self.tray.changed.connect(self._on_attachments_changed)
            self.tray.problem.connect(self._on_attachment_problem)
            self.tray.open_requested.connect(self.image_open_requested)

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

    # -- attachments -------------------------------------------------------

    def attachments(self) -> list[Attachment]:
        """The attachments ready to go with the message, in order."""
        return self.tray.attachments() if self.tray is not None else []

    def clear_attachments(self) -> None:
        """Take every attachment off (after the message was sent)."""
        if self.tray is not None:
            self.tray.clear()

    def restore_attachments(self, attachments: list[Attachment]) -> None:
        """Put attachments back (a message that could not be sent)."""
        if self.tray is not None:
            self.tray.add_ready(attachments)

    def add_files(self, paths: list[Path]) -> None:
        """Attach files (dropped on the window, pasted or picked)."""
        if self.tray is not None and paths:
            self._start_folder = paths[-1].parent
            self.tray.add_files(paths)

    def pick_files(self) -> None:
        """The Attach button: choose files in the system's picker."""
        paths = self.ask_paths(
            self, "Attach images or documents", self._start_folder, ATTACH_FILTER
        )
        self.add_files(paths)
        self.edit.setFocus()

    def _on_attachment_problem(self, message: str) -> None:
        self._send_when_ready = False  # the person decides again, without that file
        self.attachment_problem.emit(message)

    def _on_attachments_changed(self) -> None:
        if self._send_when_ready and self.tray is not None and not self.tray.busy():
            self._send_when_ready = False
            self._on_submit()

    # -- sending -----------------------------------------------------------

    def _on_submit(self) -> None:
        if self._streaming:
            return  # Enter while streaming must not queue or lose the text.
        if self.tray is not None and self.tray.busy():
            # Sent as soon as the last attachment is ready.
            self._send_when_ready = True
            return
        text = self.edit.toPlainText()
        if text.strip() or self.attachments():
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
