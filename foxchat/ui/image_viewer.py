"""An attached image full size, in a window of its own: fit to the window, zoom, Esc closes.

The image is decoded only here, when it is opened: the chat shows stored
thumbnails. Ctrl++ and Ctrl+- (or the wheel with Ctrl) zoom, Ctrl+0 fits the
image to the window again, 1 shows it at its own size.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QPixmap, QResizeEvent, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from foxchat.i18n import _

ZOOM_STEP: Final = 1.25
MIN_ZOOM: Final = 0.05
MAX_ZOOM: Final = 8.0


class ImageViewer(QDialog):
    """One image; opens fitted to the window."""

    def __init__(self, name: str, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageViewer")
        self.setWindowTitle(name)
        self.setAccessibleName(_("Image {name}, full size.").format(name=name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pixmap = QPixmap()
        self.pixmap.loadFromData(data)
        self.zoom = 1.0
        self.fitted = True
        self.image = QLabel(self)
        self.image.setObjectName("viewerImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setAccessibleName(_("Image {name}").format(name=name))
        if self.pixmap.isNull():
            self.image.setText(_("This image could not be shown; its data may be damaged."))
        self.scroller = QScrollArea(self)
        self.scroller.setObjectName("viewerScroll")
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller.setWidget(self.image)
        self.scroller.setWidgetResizable(False)
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("viewerZoom")
        self.fit_button = self._button(
            _("Fit"), _("Fit the image to the window (Ctrl+0)"), self.fit
        )
        self.actual_button = self._button(
            "100%", _("Show the image at its own size (1)"), self.actual
        )
        self.out_button = self._button("-", _("Zoom out (Ctrl+-)"), self.zoom_out)
        self.in_button = self._button("+", _("Zoom in (Ctrl++)"), self.zoom_in)
        bar = QHBoxLayout()
        for widget in (self.fit_button, self.actual_button, self.out_button, self.in_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.zoom_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.scroller, 1)
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.ZoomIn), self.zoom_in),
            (QKeySequence(QKeySequence.StandardKey.ZoomOut), self.zoom_out),
            (QKeySequence("Ctrl+0"), self.fit),
            (QKeySequence("1"), self.actual),
        ):
            QShortcut(keys, self, slot)
        screen = self.screen().availableGeometry()
        width = min(max(self.pixmap.width() + 40, 480), int(screen.width() * 0.85))
        height = min(max(self.pixmap.height() + 80, 360), int(screen.height() * 0.85))
        self.resize(width, height)
        self.fit()

    def _button(self, text: str, label: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(label)
        button.setToolTip(label)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def fit(self) -> None:
        """Zoom so the whole image fits the window (never above its own size)."""
        self.fitted = True
        if self.pixmap.isNull():
            return
        room = self.scroller.viewport().size()
        scale = min(
            room.width() / max(1, self.pixmap.width()),
            room.height() / max(1, self.pixmap.height()),
            1.0,
        )
        self._show(scale)

    def actual(self) -> None:
        """Show the image at 100%."""
        self.fitted = False
        self._show(1.0)

    def zoom_in(self) -> None:
        """One step closer."""
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        """One step further away."""
        self.zoom_by(1 / ZOOM_STEP)

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor above 1) or out."""
        self.fitted = False
        self._show(self.zoom * factor)

    def _show(self, scale: float) -> None:
        if self.pixmap.isNull():
            return
        self.zoom = min(MAX_ZOOM, max(MIN_ZOOM, scale))
        shown = self.pixmap.scaled(
            max(1, round(self.pixmap.width() * self.zoom)),
            max(1, round(self.pixmap.height() * self.zoom)),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.image.setPixmap(shown)
        self.image.resize(shown.size())
        self.zoom_label.setText(f"{round(self.zoom * 100)}%")
        self.zoom_label.setAccessibleName(
            _("Zoom {percent} percent").format(percent=round(self.zoom * 100))
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitted:
            self.fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            event.accept()
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
            return
        super().wheelEvent(event)
