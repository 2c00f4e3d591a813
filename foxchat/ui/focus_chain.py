"""Where Tab goes inside a widget: for controls built after their window.

Widgets made late (a panel built on first show, a folded section's editors)
join the end of the window's focus chain; putting them back in their place
needs the Tab stops they brought.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def tab_stops_within(widget: QWidget) -> list[QWidget]:
    """The widgets inside ``widget`` that Tab can land on, in focus-chain order."""
    stops: list[QWidget] = []
    candidate = widget.nextInFocusChain()
    while candidate is not None and widget.isAncestorOf(candidate):
        if candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
            stops.append(candidate)
        candidate = candidate.nextInFocusChain()
    return stops
