"""Work deferred to after the first paint runs once, after it, or on a fallback;
waiting for the first paint ends with it, or on a timeout."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from foxchat.startup_probe import CALLGRIND, CALLGRIND_SLOWDOWN, ENV_VAR
from foxchat.ui import first_paint
from foxchat.ui.first_paint import call_after_first_paint, wait_for_first_paint


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


class _PaintCounter(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paints += 1
        super().paintEvent(event)


def test_waiting_for_the_first_paint_returns_once_it_is_drawn(qtbot: QtBot) -> None:
    window = _PaintCounter()
    qtbot.addWidget(window)
    window.show()
    began = time.monotonic()
    wait_for_first_paint(window, timeout_ms=10_000)
    assert window.paints >= 1
    assert time.monotonic() - began < 5  # the paint ended it, not the timeout


def test_waiting_for_a_paint_that_never_comes_gives_up(qtbot: QtBot) -> None:
    hidden = _PaintCounter()
    qtbot.addWidget(hidden)
    began = time.monotonic()
    wait_for_first_paint(hidden, timeout_ms=50)
    assert hidden.paints == 0
    assert time.monotonic() - began >= 0.04


def test_under_callgrind_the_fallback_waits_as_much_longer_as_the_run_is_slower(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under callgrind a start is ~50 times slower: a 500 ms fallback would run the
    work meant for after the first paint before it, and count it as the start's."""
    monkeypatch.setenv(ENV_VAR, "1")
    assert first_paint.fallback_ms() == first_paint.FALLBACK_MS
    monkeypatch.setenv(ENV_VAR, CALLGRIND)
    assert first_paint.fallback_ms() == first_paint.FALLBACK_MS * CALLGRIND_SLOWDOWN
    hidden = QWidget()
    qtbot.addWidget(hidden)
    calls: list[int] = []
    call_after_first_paint(hidden, lambda: calls.append(1))
    qtbot.wait(first_paint.FALLBACK_MS + 300)
    assert calls == []  # a normal run would have given up waiting by now
