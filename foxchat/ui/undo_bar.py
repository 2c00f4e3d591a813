"""A strip that offers Undo for a few seconds after something was deleted."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from foxchat.i18n import _

UNDO_SECONDS = 10


class UndoBar(QWidget):
    """Shows "<what> deleted. [Undo]" and emits ``undo_requested(item_id)``."""

    undo_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.label = QLabel(self)
        self.button = QPushButton(_("Undo"), self)
        self.button.setObjectName("undoButton")
        self.button.setAccessibleName(_("Undo delete"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self._item: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UNDO_SECONDS * 1000)
        self._timer.timeout.connect(self._expire)
        self.button.clicked.connect(self._undo)
        self.hide()

    def offer(self, item_id: int, text: str) -> None:
        """Offer to undo the deletion of ``item_id`` (replaces an older offer)."""
        self._item = item_id
        self.label.setText(text)
        self.show()
        self._timer.start()

    def _undo(self) -> None:
        item, self._item = self._item, None
        self._expire()
        if item is not None:
            self.undo_requested.emit(item)

    def _expire(self) -> None:
        self._timer.stop()
        self._item = None
        self.hide()
