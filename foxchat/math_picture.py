"""Typeset math as pictures Qt draws: theme colour, text size, sharp (QtGui, no widgets).

The renderer names each formula with a ``foxchat-math:`` URL carrying its
LaTeX (``foxchat.render``); the document asks for the picture when it lays
the text out, and this draws it: ziamath's SVG in the text colour of the
view's palette at the size of its font, rasterised by QSvgRenderer at the
screen's pixel ratio. Pictures are cached by everything that changes them.
What cannot be typeset after all is drawn as its LaTeX source in the
monospace font, so a reply never shows an error or a broken picture.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from foxchat.render import math_svg

#: Pictures kept (each a few KB); a chat with more formulas draws the rest again.
CACHE_SIZE = 512

_cache: OrderedDict[tuple[str, bool, str, int, float], QImage] = OrderedDict()


def math_image(latex: str, *, display: bool, colour: QColor, font: QFont, ratio: float) -> QImage:
    """The picture for ``latex`` (never raises: the source in monospace if need be)."""
    pixels = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 96 / 72)
    key = (latex, display, colour.name(), pixels, ratio)
    image = _cache.get(key)
    if image is not None:
        _cache.move_to_end(key)
        return image
    try:
        svg = math_svg(latex, display=display, color=colour.name(), size=pixels * 1.1)
        image = _rasterise(svg, ratio)
    except Exception:  # ziamath raises many kinds on LaTeX it cannot lay out
        image = _source_image(latex, colour, font, ratio)
    _cache[key] = image
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return image


def _rasterise(svg: str, ratio: float) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError("not an SVG picture")
    size = renderer.defaultSize()
    image = QImage(
        QSize(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio))),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


def _source_image(latex: str, colour: QColor, font: QFont, ratio: float) -> QImage:
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    mono.setPointSizeF(font.pointSizeF() if font.pointSizeF() > 0 else 10)
    metrics = QFontMetrics(mono)
    width, height = metrics.horizontalAdvance(latex) + 2, metrics.height()
    image = QImage(
        QSize(round(width * ratio), round(height * ratio)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(Qt.GlobalColor.transparent)
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    painter.setFont(mono)
    painter.setPen(colour)
    painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignVCenter, latex)
    painter.end()
    return image
