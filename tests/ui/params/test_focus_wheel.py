"""Scrolling the sidebar over a slider scrolls; it changes the value only once focused."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from foxchat.ui.params.focus_wheel import FocusWheelSlider, FocusWheelSpinBox


def wheel_up(widget: FocusWheelSlider | FocusWheelSpinBox) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_moves_a_control_only_after_it_has_focus(qtbot: QtBot) -> None:
    slider = FocusWheelSlider()
    spin = FocusWheelSpinBox()
    for control in (slider, spin):
        qtbot.addWidget(control)
        control.setRange(0, 100)
        control.setValue(50)
        control.show()
        qtbot.waitExposed(control)
        wheel_up(control)
        assert control.value() == 50
        control.setFocus()
        qtbot.waitUntil(control.hasFocus)
        wheel_up(control)
        assert control.value() != 50
