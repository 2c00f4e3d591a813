"""Starts the real app and presses Enter a set time after its first paint.

Usage: ``python tests/ui/early_send_driver.py DELAY_MS`` with
``FOXCHAT_DATA_DIR`` and ``FOXCHAT_BASE_URL`` (the test's fake server) set and
the key in a keyring (``tests.slow_keyring``). It types a message into the
composer ``DELAY_MS`` after the window is first painted (0: in the first event
after the window is shown, while its first frame is drawn and before asyncio
has started), waits for the reply to
be stored complete, then quits through Ctrl+Q's action. It prints
``enter_ms=…``, ``reply_ms=…`` (both from the first paint) and
``loop_ready_at_enter=…``; the process exits with ``run_gui``'s code.
"""

from __future__ import annotations

import sqlite3
import sys
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from foxchat.app import run_gui
from foxchat.paths import database_path
from foxchat.ui.main_window import MainWindow

MESSAGE = "hello from the first frame"
GIVE_UP_S = 20.0


def say(line: str) -> None:
    print(line, flush=True)


class EarlyUser(QObject):
    """Watches for the main window's first paint, then acts like an impatient person."""

    def __init__(self, delay_ms: int) -> None:
        super().__init__()
        self.delay_ms = delay_ms
        self.window: MainWindow | None = None
        self.painted_at = 0.0
        self.poll = QTimer(self)
        self.poll.setInterval(20)
        self.poll.timeout.connect(self.check_reply)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.window is None and isinstance(watched, MainWindow):
            wanted = QEvent.Type.Show if self.delay_ms == 0 else QEvent.Type.Paint
            if event.type() == wanted:
                self.window = watched
                self.painted_at = time.monotonic()
                QTimer.singleShot(self.delay_ms, self.press_enter)
        return False

    def ms(self) -> float:
        return (time.monotonic() - self.painted_at) * 1000

    def press_enter(self) -> None:
        assert self.window is not None
        loop_ready = "asyncio" in sys.modules and _loop_running()
        edit = self.window.composer.edit
        QTest.keyClicks(edit, MESSAGE)
        QTest.keyClick(edit, Qt.Key.Key_Return)
        say(f"enter_ms={self.ms():.0f}")
        say(f"loop_ready_at_enter={loop_ready}")
        self.poll.start()

    def check_reply(self) -> None:
        if self.ms() > GIVE_UP_S * 1000:
            say("gave-up")
            self.quit()
            return
        with sqlite3.connect(f"file:{database_path()}?mode=ro", uri=True) as db:
            row = db.execute(
                "SELECT status, content, error FROM messages WHERE role = 'assistant' "
                "ORDER BY id DESC LIMIT 1"
            ).fetchone()
        if row is None or row[0] == "streaming":
            return
        say(f"reply_ms={self.ms():.0f}")
        say(f"reply_status={row[0]}")
        say(f"reply_text={row[1]}")
        say(f"reply_error={row[2]}")
        self.quit()

    def quit(self) -> None:
        self.poll.stop()
        assert self.window is not None
        self.window.quit_action.trigger()  # what Ctrl+Q does


def _loop_running() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def main() -> int:
    qt_app = QApplication(sys.argv[:1])
    user = EarlyUser(int(sys.argv[1]))
    qt_app.installEventFilter(user)
    return run_gui()


if __name__ == "__main__":
    sys.exit(main())
