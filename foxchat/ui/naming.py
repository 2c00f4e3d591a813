"""Every control gets an object name (tests, style sheets) and an accessible name."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str) -> W:
    """Set both names on ``widget`` and return it."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget
