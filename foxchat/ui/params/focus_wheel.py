"""Sliders, spin boxes and combos that ignore the mouse wheel unless focused.

The sidebar scrolls. With stock widgets, scrolling over a slider changes the
temperature instead of scrolling the panel; these pass the wheel on to the
scroll area until the user has clicked or tabbed into the control.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSlider, QSpinBox, QWidget


def _wheel_when_focused(widget: QWidget, base: type[QWidget], event: QWheelEvent) -> None:
    if widget.hasFocus():
        base.wheelEvent(widget, event)
    else:
        event.ignore()  # the scroll area behind gets it


class FocusWheelSlider(QSlider):
    """A horizontal slider that takes the wheel only when it has focus."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel_when_focused(self, QSlider, event)


class FocusWheelDoubleSpinBox(QDoubleSpinBox):
    """A decimal spin box that takes the wheel only when it has focus."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel_when_focused(self, QDoubleSpinBox, event)


class FocusWheelSpinBox(QSpinBox):
    """A whole-number spin box that takes the wheel only when it has focus."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel_when_focused(self, QSpinBox, event)


class FocusWheelComboBox(QComboBox):
    """A combo box that takes the wheel only when it has focus."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Long model names must not widen the narrow sidebar.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel_when_focused(self, QComboBox, event)
