"""The main window's size on a first start: its default, within the screen.

1180x760 suits a laptop; on a smaller screen (800x600, a small VM or an old
netbook) a window of that size ran off the screen's edges, the message box
below the bottom. The title bar and borders come on top of the size, so a
margin is left for them.
"""

from __future__ import annotations

from PySide6.QtCore import QSize

DEFAULT = QSize(1180, 760)
#: The share of the screen's free area a first window may take at most.
SCREEN_SHARE = 0.95


def first_size(available: QSize) -> QSize:
    """The default size, shrunk to fit ``available`` (the screen's free area)."""
    if available.isEmpty():
        return QSize(DEFAULT)
    return QSize(
        min(DEFAULT.width(), int(available.width() * SCREEN_SHARE)),
        min(DEFAULT.height(), int(available.height() * SCREEN_SHARE)),
    )
