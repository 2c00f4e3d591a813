"""A strip above the composer for problems that are not tied to one reply.

The status bar shows one line and cut long messages mid-sentence ("...without
spaces, and"); a problem the user must act on has to be readable whole. This
bar wraps the text over as many lines as it needs, keeps it selectable (to
copy into a support request), and stays long enough to read it: the longer
the message, the longer it stays, never while the pointer rests on it, and
until Close when the user wants it gone sooner.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from foxchat.i18n import _

#: Shortest time a message stays, and the extra time per character to read it.
MIN_SHOWN_MS = 15_000
MS_PER_CHARACTER = 80


class NoticeBar(QFrame):
    """Shows one message in full, wrapped; ``show_message`` replaces the last one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAccessibleName(_("Problem"))
        self.label = QLabel(self)
        self.label.setObjectName("noticeText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.close_button = QPushButton(_("Close"), self)
        self.close_button.setObjectName("noticeCloseButton")
        self.close_button.setAccessibleName(_("Close this message"))
        self.close_button.setToolTip(_("Hide this message"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.close_button.clicked.connect(self.dismiss)
        self.hide()

    def show_message(self, text: str) -> None:
        """Show ``text`` whole, for long enough to read it."""
        self.label.setText(text)
        self.label.setAccessibleDescription(text)
        self._timer.setInterval(max(MIN_SHOWN_MS, MS_PER_CHARACTER * len(text)))
        self.show()
        if not self.underMouse():
            self._timer.start()

    def dismiss(self) -> None:
        """Hide the message now."""
        self._timer.stop()
        self.hide()

    def enterEvent(self, event: QEnterEvent) -> None:
        # Someone reading (or selecting) the text: do not take it away.
        self._timer.stop()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.isVisible():
            self._timer.start()
        super().leaveEvent(event)
