"""Action icons: Lucide SVGs shipped in the package, drawn in the palette's colours.

``icon("copy")`` is the one call a widget needs. The icon is drawn when Qt
paints it, at the size and device pixel ratio asked for (so it stays crisp on
a HiDPI screen), in the application palette's button text colour, the
disabled colour when its button is disabled and the selection's text colour
on a selected row. A theme change therefore recolours every icon on the next
paint without anyone setting icons again. ``icon("copy", colour)`` pins one
colour instead.

Nothing is read or drawn until an icon is first painted: the SVG text is read
once per name, each drawn size is kept in Qt's own pixmap cache, and the
``QIcon`` objects are cached per name and colour. ``QtSvg`` is imported on the
first draw, not when this module is imported.

The names are FoxChat's own (what the action does); ``ICON_FILES`` maps them
to Lucide's file names, so a different drawing can be swapped in here alone.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
    QPixmapCache,
)
from PySide6.QtWidgets import QToolButton, QWidget

from foxchat.resources import ICON_DIR

#: Where the Lucide SVGs and their licence live inside the package.
LUCIDE_DIR: Final = ICON_DIR / "lucide"

#: FoxChat's name for an action -> the Lucide file that draws it.
ICON_FILES: Final[dict[str, str]] = {
    "attach": "paperclip",
    "chat": "message-circle",
    "close": "x",
    "collapse": "chevron-down",
    "compare": "columns-2",
    "copy": "copy",
    "delete": "trash-2",
    "done": "check",
    "edit": "pencil",
    "expand": "chevron-right",
    "more": "ellipsis",
    "new_chat": "square-pen",
    "next": "chevron-right",
    "parameters": "sliders-horizontal",
    "pin": "pin",
    "previous": "chevron-left",
    "probabilities": "percent",
    "regenerate": "refresh-cw",
    "rename": "pencil-line",
    "search": "search",
    "send": "send",
    "settings": "settings",
    "sidebar": "panel-left",
    "stop": "circle-stop",
    "unpin": "pin-off",
    "use_settings": "sliders-vertical",
}

#: The side of an icon button's icon, in device-independent pixels.
BUTTON_ICON_SIZE: Final = 18


def icon(name: str, color: QColor | None = None) -> QIcon:
    """The icon called ``name`` (a key of ``ICON_FILES``), in ``color`` or the palette's.

    Raises ``KeyError`` for a name FoxChat does not ship.
    """
    if name not in ICON_FILES:
        raise KeyError(f"no icon called {name!r}; known: {', '.join(sorted(ICON_FILES))}")
    return _icon(name, color.rgba() if color is not None else None)


def icon_button(name: str, tooltip: str, accessible_name: str, parent: QWidget) -> QToolButton:
    """A flat button showing only ``icon(name)``, with its tooltip and accessible name.

    An icon alone says nothing to a screen reader and little to someone new,
    so both texts are required here rather than remembered at each call.
    """
    button = QToolButton(parent)
    button.setIcon(icon(name))
    button.setIconSize(QSize(BUTTON_ICON_SIZE, BUTTON_ICON_SIZE))
    button.setAutoRaise(True)
    button.setToolTip(tooltip)
    button.setAccessibleName(accessible_name)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


@cache
def _icon(name: str, rgba: int | None) -> QIcon:
    return QIcon(_SvgIconEngine(name, rgba))


@cache
def _svg_text(name: str) -> str:
    return (LUCIDE_DIR / f"{ICON_FILES[name]}.svg").read_text(encoding="utf-8")


class _SvgIconEngine(QIconEngine):
    """Draws one SVG, its ``currentColor`` replaced by the colour for the mode."""

    def __init__(self, name: str, rgba: int | None) -> None:
        super().__init__()
        self._name = name
        self._rgba = rgba

    def colour(self, mode: QIcon.Mode) -> QColor:
        """The fixed colour, or the application palette's for ``mode`` right now."""
        if self._rgba is not None:
            return QColor.fromRgba(self._rgba)
        palette = QGuiApplication.palette()
        if mode == QIcon.Mode.Disabled:
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
        if mode == QIcon.Mode.Selected:
            return palette.color(QPalette.ColorRole.HighlightedText)
        return palette.color(QPalette.ColorRole.ButtonText)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, 1.0))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        colour = self.colour(mode)
        width = max(1, round(size.width() * scale))
        height = max(1, round(size.height() * scale))
        key = f"foxchat-icon:{self._name}:{colour.rgba():08x}:{width}x{height}"
        pixmap = QPixmap()
        if not QPixmapCache.find(key, pixmap):
            pixmap = QPixmap.fromImage(_draw(self._name, colour, width, height))
            QPixmapCache.insert(key, pixmap)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        # Square drawings: never wider or taller than asked.
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._name, self._rgba)

    def key(self) -> str:
        return "foxchat-svg"


def _draw(name: str, colour: QColor, width: int, height: int) -> QImage:
    """The SVG rendered straight at ``width`` x ``height`` device pixels (no scaling after)."""
    from PySide6.QtSvg import QSvgRenderer  # first draw only: keeps it off the start-up path

    svg = _svg_text(name).replace("currentColor", colour.name(QColor.NameFormat.HexRgb))
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    side = min(width, height)
    target = QRect((width - side) // 2, (height - side) // 2, side, side)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setOpacity(colour.alphaF())
    QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter, target)
    painter.end()
    return image
