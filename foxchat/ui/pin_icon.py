"""The pin mark before a pinned chat's title, drawn rather than typed.

The 📌 character needs an emoji font, which many Linux installs lack: there it
showed as an empty box. A small drawn pushpin looks the same everywhere and
takes the list's text colour, so it reads in light and dark themes alike.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap


def pin_icon(color: QColor, size: int) -> QIcon:
    """A pushpin ``size`` pixels square in ``color``."""
    return _pin_icon(color.rgba(), max(8, size))


@cache
def _pin_icon(rgba: int, size: int) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor.fromRgba(rgba)
    # A pushpin drawn upright on a unit square, then leaned 45 degrees: a cap,
    # a waist, a wide collar and the needle (unlike a magnifier, it has corners).
    painter.translate(size / 2, size / 2)
    painter.rotate(45)
    painter.scale(size, size)
    painter.translate(-0.5, -0.5)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(0.32, 0.02, 0.36, 0.14), 0.05, 0.05)  # cap
    painter.drawRect(QRectF(0.40, 0.16, 0.20, 0.26))  # waist
    painter.drawRoundedRect(QRectF(0.22, 0.42, 0.56, 0.10), 0.04, 0.04)  # collar
    needle = QPen(color, 0.07)
    needle.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(needle)
    painter.drawLine(QPointF(0.5, 0.52), QPointF(0.5, 0.96))
    painter.end()
    return QIcon(pixmap)
