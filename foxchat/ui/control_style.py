"""Fusion with control edges and focus rings that can be seen in both themes.

Fusion draws the edge of a check box, text field, spin box, combo box and
button in the window colour made 40 % darker. On the dark theme that is
almost the window colour itself (an unchecked switch measured 1.08:1), and on
the light one about 2:1; WCAG 2.2 AA asks 3:1 for the boundary of a control
and for its focus indicator. This style lets Fusion draw each control as
usual and then draws the edge again, in colours the theme picked and
``tests/ui/test_theme.py`` measures.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionComplex, QWidget

_PE = QStyle.PrimitiveElement
_CC = QStyle.ComplexControl
_STATE = QStyle.StateFlag

#: Primitives whose edge is drawn again, with the corner radius Fusion uses.
_EDGED_PRIMITIVES = {
    _PE.PE_IndicatorCheckBox: 0.0,
    _PE.PE_FrameLineEdit: 2.0,
    _PE.PE_PanelButtonCommand: 2.0,
    _PE.PE_Frame: 0.0,
}
_EDGED_CONTROLS = {_CC.CC_SpinBox: 2.0, _CC.CC_ComboBox: 2.0}


class ControlStyle(QProxyStyle):
    """Fusion, with each control's edge in ``boundary`` and its focus in ``focus``."""

    def __init__(self, boundary: QColor, focus: QColor) -> None:
        super().__init__("Fusion")
        self.boundary = QColor(boundary)
        self.focus = QColor(focus)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        radius = _EDGED_PRIMITIVES.get(element)
        if radius is not None:
            self._edge(option, painter, radius)
        elif element == _PE.PE_FrameFocusRect:
            # The dotted-looking ring around a check box's label, made solid.
            self._ring(option, painter)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        radius = _EDGED_CONTROLS.get(control)
        if radius is not None:
            self._edge(option, painter, radius)
        elif control == _CC.CC_Slider and widget is not None:
            # The handle shows the value: its edge must stand out like a field's.
            handle = self.subControlRect(control, option, QStyle.SubControl.SC_SliderHandle, widget)
            self._edge(option, painter, 2.0, handle)

    def _edge(
        self, option: QStyleOption, painter: QPainter, radius: float, area: QRect | None = None
    ) -> None:
        if not option.state & _STATE.State_Enabled:
            return  # a control that is off keeps Fusion's quieter edge
        focused = bool(option.state & _STATE.State_HasFocus)
        rect = QRectF(area if area is not None else option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(QColor(0, 0, 0, 0))
        painter.setPen(QPen(self.focus if focused else self.boundary, 1.0))
        painter.drawRoundedRect(rect, radius, radius)
        if focused:
            # Two pixels: a one-pixel change of colour is easy to miss.
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), radius, radius)
        painter.restore()

    def _ring(self, option: QStyleOption, painter: QPainter) -> None:
        painter.save()
        painter.setBrush(QColor(0, 0, 0, 0))
        painter.setPen(QPen(self.focus, 1.0))
        painter.drawRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.restore()
