"""Run work once a window has been painted, so starting never waits for it.

Reading the key, making the HTTP client (its TLS context loads the CA
bundle) and asking for the model list take over 100 ms and change nothing
the user sees at first. They run right after the window's first paint, or
after a short fallback delay if no paint comes (a minimised start). Under
callgrind (``FOXCHAT_STARTUP_PROBE=callgrind``) that delay is stretched as
the run is slowed down, so what waits for the first paint still waits for it
and the instructions counted to the first paint are the ones a normal run makes.

``wait_for_first_paint`` runs Qt's own event loop until then: the app draws
its first frame before asyncio and qasync are even imported.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QWidget

from foxchat.startup_probe import time_scale

FALLBACK_MS = 500


def fallback_ms() -> int:
    """How long to wait for a first paint before going on without one."""
    return FALLBACK_MS * time_scale()


class _AfterFirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms(), self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            # After this paint has been drawn, not inside it.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        parent = self.parent()
        if isinstance(parent, QWidget):
            parent.removeEventFilter(self)
        callback()
        self.deleteLater()


def call_after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once, just after ``widget`` is first painted."""
    _AfterFirstPaint(widget, callback)


class _UntilFirstPaint(QObject):
    def __init__(self, widget: QWidget, loop: QEventLoop) -> None:
        super().__init__(widget)
        self._loop = loop
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            # exec() returns once this paint has been drawn.
            self._loop.exit()
        return False


def wait_for_first_paint(widget: QWidget, timeout_ms: int | None = None) -> None:
    """Run Qt's event loop until ``widget`` is first painted (or ``timeout_ms`` pass,
    by default ``fallback_ms()``)."""
    if timeout_ms is None:
        timeout_ms = fallback_ms()
    loop = QEventLoop()
    watcher = _UntilFirstPaint(widget, loop)
    QTimer.singleShot(timeout_ms, loop, loop.quit)
    loop.exec()
    widget.removeEventFilter(watcher)
    watcher.deleteLater()
