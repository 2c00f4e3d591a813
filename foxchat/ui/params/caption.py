"""The quiet line under a parameter that says in plain words what it does.

Always shown, a little smaller than the parameter's name and in the theme's
hint colour (``QLabel[caption="true"]``, measured for WCAG AA contrast in
``tests/ui/test_theme.py`` as the quiet text on the window). Shown on hover
or focus only, it would either push the rows below it down each time the
pointer crossed a row, or keep an empty line for it, as tall as itself.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtWidgets import QLabel, QWidget

#: How much smaller than the surrounding text a caption is drawn.
CAPTION_SCALE: Final = 0.88


def make_caption(text: str, object_name: str, parent: QWidget | None = None) -> QLabel:
    """A word-wrapped, smaller, muted label holding ``text``."""
    label = QLabel(text, parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setProperty("caption", True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * CAPTION_SCALE)
    label.setFont(font)
    return label
