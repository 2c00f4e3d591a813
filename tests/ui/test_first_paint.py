"""Work deferred to after the first paint runs once, after it, or on a fallback."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from foxchat.ui import first_paint
from foxchat.ui.first_paint import call_after_first_paint


def test_runs_once_after_the_window_is_painted(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    calls: list[bool] = []
    call_after_first_paint(window, lambda: calls.append(window.isVisible()))
    assert calls == []
    window.show()
    qtbot.waitUntil(lambda: calls == [True])
    window.repaint()
    qtbot.wait(first_paint.FALLBACK_MS + 100)
    assert calls == [True]


def test_runs_anyway_when_no_paint_comes(qtbot: QtBot) -> None:
    hidden = QWidget()
    qtbot.addWidget(hidden)
    calls: list[int] = []
    call_after_first_paint(hidden, lambda: calls.append(1))
    qtbot.waitUntil(lambda: calls == [1], timeout=first_paint.FALLBACK_MS + 2000)
