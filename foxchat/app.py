"""Composition root: builds every service and widget and wires them together."""

from __future__ import annotations

import asyncio
import sys

from PySide6.QtWidgets import QApplication

from foxchat import APP_NAME, __version__
from foxchat.ui.main_window import MainWindow


async def _run_window(app: QApplication) -> int:
    window = MainWindow()
    window.show()
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    await closed.wait()
    window.deleteLater()
    return 0


def run_gui(*, debug: bool = False) -> int:
    """Start the Qt application under a qasync event loop; returns the exit code."""
    import qasync

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)
    result: int = qasync.run(_run_window(app))
    return result
