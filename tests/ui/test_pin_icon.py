"""The drawn pin mark: it has the colour asked for, and it is cached."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from foxchat.ui.pin_icon import pin_icon


def test_the_pin_is_drawn_in_the_colour_asked_for(qtbot: QtBot) -> None:
    image = pin_icon(QColor("#d03030"), 16).pixmap(16, 16).toImage()
    pixels = [image.pixelColor(x, y) for x in range(16) for y in range(16)]
    painted = [colour for colour in pixels if colour.alpha()]
    assert len(painted) > 20  # a visible mark, not an empty square
    opaque = [colour for colour in painted if colour.alpha() == 255]
    assert opaque and all(colour.name() == "#d03030" for colour in opaque)


def test_the_same_pin_is_not_drawn_twice(qtbot: QtBot) -> None:
    first = pin_icon(QColor("white"), 14)
    assert pin_icon(QColor("white"), 14).cacheKey() == first.cacheKey()
    assert pin_icon(QColor("black"), 14).cacheKey() != first.cacheKey()
