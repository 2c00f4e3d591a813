"""Bottom: the message composer. Enter sends, Shift+Enter starts a new line.

The field sits in a rounded box with its icon buttons (Attach on the left;
Compare and Send, which becomes Stop while a reply streams, on the right).
It is one line tall when empty and grows with its text up to eight lines,
then scrolls. A quiet line under the box says how Enter works until the
person sends their first message.

With an ``AttachmentService`` it also takes attachments: pasted images
(Ctrl+V), files pasted or dropped on it, and files picked with the Attach
button; each shows as a chip above the text (``ui.attachment_chips``). A send
asked for while a chip is still being prepared goes as soon as all are ready.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.attachments import IMAGE_SUFFIXES, Attachment
from foxchat.i18n import _
from foxchat.services.attachments import AttachmentService
from foxchat.ui.attachment_chips import AttachmentTray
from foxchat.ui.file_picker import AskPaths, ask_open_paths
from foxchat.ui.icons import icon, icon_button

ATTACH_FILTER: Final = _("Images and documents ({patterns});;All files (*)").format(
    patterns=" ".join(f"*{suffix}" for suffix in IMAGE_SUFFIXES)
    + " *.pdf *.docx *.txt *.md *.csv *.json *.xml *.html *.py *.js *.ts *.log"
)
#: The field is one line tall when empty and grows with its text up to this, then scrolls.
MIN_LINES: Final = 1
MAX_LINES: Final = 8
#: The side of the icon buttons in the box, in device-independent pixels.
BUTTON_SIDE: Final = 32
#: The shortcut line under the box is a little smaller than the text.
CAPTION_SCALE: Final = 0.9


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
    """The input in a rounded box, with icon buttons; Send becomes Stop while a reply streams."""

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
        # The rounded box around the text and its buttons (drawn by the theme's
        # style sheet); it shows the focus ring while the text has the focus.
        self.frame = QFrame(self)
        self.frame.setObjectName("composerFrame")
        self.edit = ComposerEdit(self.frame)
        self.edit.setObjectName("composerEdit")
        self.edit.setAccessibleName(_("Message"))
        self.edit.setFrameShape(QFrame.Shape.NoFrame)
        # Short enough for one line at 800 px; the line under the box says the rest.
        self.edit.setPlaceholderText(_("Write a message"))
        self.edit.setTabChangesFocus(True)
        self.edit.installEventFilter(self)
        # Made before Send, so Tab goes message, Compare, Send, then on to the sidebar.
        self.compare_button = icon_button(
            "compare",
            _(
                "Answer this message 2 to 4 times at once, "
                "each with other settings (Ctrl+Shift+Enter)."
            ),
            _("Compare"),
            self.frame,
        )
        self.compare_button.setObjectName("compareButton")
        self.compare_button.setText(_("Compare"))
        self.send_button = icon_button("send", _("Send (Enter)."), _("Send message"), self.frame)
        self.send_button.setObjectName("sendButton")
        self._streaming = False
        self._loading = False
        self._send_when_ready = False
        self.ask_paths = ask_paths
        self._start_folder = Path.home()
        self.tray: AttachmentTray | None = None
        self.attach_button: QToolButton | None = None
        self.hint = QLabel(self)
        self.hint.setObjectName("composerHint")
        self.hint.setProperty("hint", True)
        self.hint.setWordWrap(True)
        small = self.hint.font()
        small.setPointSizeF(small.pointSizeF() * CAPTION_SCALE)
        self.hint.setFont(small)

        if attachments is not None:
            self.edit.takes_attachments = True
            self.hint.setText(
                _("Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.")
            )
            self.tray = AttachmentTray(attachments, self.frame)
            self.attach_button = icon_button(
                "attach",
                _("Attach images or documents. You can also paste them or drop them here."),
                _("Attach images or documents"),
                self.frame,
            )
            self.attach_button.setObjectName("attachButton")
            # Tab goes from the text to Attach, then on as before (Attach is made last).
            QWidget.setTabOrder(self.edit, self.attach_button)
        else:
            self.hint.setText(_("Enter sends, Shift+Enter starts a new line."))
        self.hint.setAccessibleName(self.hint.text())
        for button in self._buttons():
            button.setFixedSize(BUTTON_SIDE, BUTTON_SIDE)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._lay_out()
        self.set_streaming(False)
        self._fit_height()

        self.edit.submitted.connect(self._on_submit)
        self.edit.compare_submitted.connect(self._on_compare)
        self.compare_button.clicked.connect(self._on_compare)
        self.send_button.clicked.connect(self._on_button)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        if self.tray is not None and self.attach_button is not None:
            self.edit.image_pasted.connect(self.tray.add_image)
            self.edit.files_pasted.connect(self.add_files)
            self.attach_button.clicked.connect(self.pick_files)
            self.tray.changed.connect(self._on_attachments_changed)
            self.tray.problem.connect(self._on_attachment_problem)
            self.tray.open_requested.connect(self.image_open_requested)

    def _buttons(self) -> list[QToolButton]:
        extra = [self.attach_button] if self.attach_button is not None else []
        return [*extra, self.compare_button, self.send_button]

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        bottom = Qt.AlignmentFlag.AlignBottom
        if self.attach_button is not None:
            # Left of the text, where chat programs keep their paper clip.
            row.addWidget(self.attach_button, 0, bottom)
        row.addWidget(self.edit, 1, bottom)
        row.addWidget(self.compare_button, 0, bottom)
        row.addWidget(self.send_button, 0, bottom)
        inside = QVBoxLayout(self.frame)
        inside.setContentsMargins(8, 4, 6, 4)
        inside.setSpacing(4)
        if self.tray is not None:
            inside.addWidget(self.tray)
        inside.addLayout(row)
        # As tall as the text needs, never stretched: the box grows with the
        # text and any room left over stays with the replies above.
        self.frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 8)
        layout.setSpacing(4)
        layout.addStretch(1)
        layout.addWidget(self.frame)
        layout.addWidget(self.hint)

    def set_streaming(self, streaming: bool) -> None:
        """Switch the button between Send and Stop."""
        self._streaming = streaming
        # The text is not drawn (the icon is); it names the button's state for tests
        # and for styles that show text beside icons.
        self.send_button.setText(_("Stop") if streaming else _("Send"))
        self.send_button.setIcon(icon("stop" if streaming else "send"))
        self.send_button.setAccessibleName(_("Stop reply") if streaming else _("Send message"))
        self.send_button.setToolTip(_("Stop the reply (Esc).") if streaming else _("Send (Enter)."))
        self.compare_button.setEnabled(not streaming)

    def hide_shortcut_hint(self) -> None:
        """The person has sent a message before: the shortcut line is no longer needed."""
        self.hint.hide()

    def shortcut_hint_shown(self) -> bool:
        """Whether the line under the box that says how Enter works is shown."""
        return not self.hint.isHidden()

    # -- height ------------------------------------------------------------

    def _fit_height(self) -> None:
        """One line empty, growing with the text up to ``MAX_LINES``, then scrolling."""
        lines = round(self.edit.document().documentLayout().documentSize().height())
        shown = min(max(lines, MIN_LINES), MAX_LINES)
        margin = round(self.edit.document().documentMargin())
        spacing = self.edit.fontMetrics().lineSpacing()
        height = shown * spacing + 2 * margin + self.edit.frameWidth() * 2
        if self.edit.height() != height or self.edit.minimumHeight() != height:
            self.edit.setFixedHeight(height)
        # Below the cap every line is in view: a scroll bar would only flicker
        # in and out while the height catches up with the text.
        self.edit.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if lines > MAX_LINES
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    def visible_lines(self) -> int:
        """How many lines of text the field is tall right now."""
        margin = round(self.edit.document().documentMargin())
        inner = self.edit.height() - 2 * margin - self.edit.frameWidth() * 2
        return round(inner / self.edit.fontMetrics().lineSpacing())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The box, not the borderless field inside it, shows where the focus is.
        if watched is self.edit and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.frame.setProperty("focused", event.type() == QEvent.Type.FocusIn)
            self.frame.style().unpolish(self.frame)
            self.frame.style().polish(self.frame)
        elif watched is self.edit and event.type() == QEvent.Type.FontChange:
            self._fit_height()
        return super().eventFilter(watched, event)

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
            self, _("Attach images or documents"), self._start_folder, ATTACH_FILTER
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
            self.hide_shortcut_hint()  # the person knows now how Enter works
            self.send_requested.emit(text)

    def _on_compare(self) -> None:
        text = self.edit.toPlainText()
        if not self._streaming and text.strip():
            self.hide_shortcut_hint()
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
