"""Files shipped inside the package (icons), found the same way installed or bundled.

They live next to this module, so ``pip install``, an editable checkout and a
PyInstaller bundle (which copies ``foxchat/resources`` as data) all find them
without a working directory or ``resources/`` at the repository root.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).resolve().parent / "icons"
#: The PNG sizes drawn from ``foxchat.svg`` by ``packaging/make_icons.py``.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_png(size: int) -> Path:
    """The path of the app icon's PNG at ``size`` pixels (one of ``ICON_SIZES``)."""
    return ICON_DIR / f"foxchat-{size}.png"


def icon_svg() -> Path:
    """The path of the app icon's SVG source."""
    return ICON_DIR / "foxchat.svg"


def app_icon() -> QIcon:
    """The window and taskbar icon, with a pixel-exact PNG for every size.

    PNGs rather than the SVG so the icon shows even where Qt's SVG icon engine
    plugin is missing (trimmed bundles); the SVG is only a fallback.
    """
    icon = QIcon()
    for size in ICON_SIZES:
        path = icon_png(size)
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    if icon.isNull() and icon_svg().is_file():
        icon.addFile(str(icon_svg()))
    return icon
