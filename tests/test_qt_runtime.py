"""The Qt binding in use keeps Python's reference counts intact.

PySide6 6.12.0 drops one reference to ``None`` on every Qt call that returns
nothing; on Python 3.11 that aborts the interpreter after a few thousand
calls (``Fatal Python error: none_dealloc``), i.e. a few minutes of
streaming. pyproject.toml pins around it; this test catches a binding that
brings the bug back.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextCursor, QTextDocument


def test_void_qt_calls_keep_none_alive() -> None:
    document = QTextDocument()
    document.setPlainText("hello world")
    cursor = QTextCursor(document)
    before = sys.getrefcount(None)
    for _ in range(200):
        cursor.setPosition(3)
    # Other threads may take or drop a few references meanwhile.
    assert sys.getrefcount(None) > before - 50
