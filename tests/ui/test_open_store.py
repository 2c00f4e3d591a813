"""Opening the database at start: a damaged file is moved aside and the window goes on."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from foxchat.app import open_store_or_explain
from foxchat.paths import database_path
from foxchat.store import Store
from tests.full_disk import file_size_limit


def test_a_damaged_database_is_explained_and_a_fresh_one_opened(qtbot: QtBot) -> None:
    path = database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not an SQLite database" * 700)
    shown: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        shown.append(box.text())
        box.accept()

    QTimer.singleShot(20, answer)
    store = open_store_or_explain()
    assert store is not None
    try:
        assert store.list_conversations() == []
    finally:
        store.close()
    assert len(shown) == 1
    # It says what happened and what happens now, not to restart.
    assert "damaged" in shown[0] and "fresh conversation list now" in shown[0]
    assert "Restart" not in shown[0]
    assert list(path.parent.glob("foxchat.sqlite3.damaged-*"))


def test_a_full_disk_opens_the_chats_read_only_and_says_so(qtbot: QtBot) -> None:
    path = database_path()
    with Store.open(path) as store:
        store.create_conversation(title="still here")
    shown: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        shown.append(box.text())
        box.accept()

    QTimer.singleShot(20, answer)
    with file_size_limit(0):  # not one byte more fits on the disk
        opened = open_store_or_explain()
    assert opened is not None
    try:
        assert [c.title for c in opened.list_conversations()] == ["still here"]
        assert opened.read_only_reason is not None
    finally:
        opened.close()
    assert len(shown) == 1
    assert shown[0].startswith("There is no space left to save your conversations.")
    assert "read-only" in shown[0] and "export" in shown[0]
