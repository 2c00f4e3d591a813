"""Importing chats in the window: a progress dialog while it runs, a report after."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from foxchat.services.conversations import ConversationService
from foxchat.store import ImportResult, Store
from foxchat.ui.import_chats import ImportProgressDialog, import_chats
from tests.chinese import chinese

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "chatgpt_conversations.json"


class WatchedService(ConversationService):
    """The real service; notes what the progress dialog shows at each step."""

    def __init__(self, store: Store, window: QWidget) -> None:
        super().__init__(store)
        self.window = window
        self.seen: list[tuple[bool, str, int, int]] = []

    def import_file(
        self, path: Path, progress: Callable[[int, int], None] | None = None
    ) -> ImportResult | None:
        assert progress is not None

        def watched(done: int, total: int) -> None:
            progress(done, total)
            dialog = self.window.findChild(ImportProgressDialog)
            assert dialog is not None
            self.seen.append((dialog.isVisible(), dialog.labelText(), dialog.value(), total))

        return super().import_file(path, watched)


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close()


def test_import_shows_progress_then_reports(window: QWidget, tmp_path: Path, qtbot: QtBot) -> None:
    with Store.open(tmp_path / "s.sqlite3") as store:
        service = WatchedService(store, window)
        with qtbot.wait_signal(service.list_changed):
            report = import_chats(window, service, FIXTURE)
        assert report == "Imported 4 conversations with 15 messages."
        assert len(store.list_conversations()) == 4
        assert service.seen[0] == (True, "Importing… 0% (0 of 4 conversations)", 0, 4)
        assert service.seen[-1] == (True, "Importing… 100% (4 of 4 conversations)", 4, 4)
        shown = [done for _, _, done, _ in service.seen]
        assert shown == sorted(shown)
        qtbot.wait_until(lambda: window.findChild(ImportProgressDialog) is None)

        again = import_chats(window, service, FIXTURE)
        assert again == (
            "Imported 0 conversations with 0 messages."
            " 4 conversations were already here and were skipped."
        )


def test_a_bad_file_is_an_error_message_and_no_report(
    window: QWidget, tmp_path: Path, qtbot: QtBot
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    with Store.open(tmp_path / "s.sqlite3") as store:
        service = ConversationService(store)
        with qtbot.wait_signal(service.error) as caught:
            assert import_chats(window, service, bad) is None
        assert "neither a FoxChat export nor ChatGPT" in str(caught.args[0])
        qtbot.wait_until(lambda: window.findChild(ImportProgressDialog) is None)


def test_the_dialog_shows_the_count_and_percentage(qtbot: QtBot) -> None:
    dialog = ImportProgressDialog("chats.json")
    qtbot.addWidget(dialog)
    assert dialog.labelText() == "Reading chats.json…"
    assert dialog.accessibleName() == "Import progress"
    dialog.show()
    dialog.show_progress(400, 1000)
    assert dialog.labelText() == "Importing… 40% (400 of 1,000 conversations)"
    assert (dialog.value(), dialog.maximum()) == (400, 1000)


def test_nothing_to_write_shows_no_percentage(qtbot: QtBot) -> None:
    dialog = ImportProgressDialog("chats.json")
    qtbot.addWidget(dialog)
    dialog.show_progress(0, 0)
    assert dialog.labelText() == "Reading chats.json…"


def test_one_conversation_is_counted_as_one(qtbot: QtBot) -> None:
    dialog = ImportProgressDialog("chats.json")
    qtbot.addWidget(dialog)
    dialog.show_progress(1, 1)
    assert dialog.labelText() == "Importing… 100% (1 of 1 conversation)"


def test_the_progress_speaks_chinese(qtbot: QtBot) -> None:
    with chinese():
        dialog = ImportProgressDialog("chats.json")
        qtbot.addWidget(dialog)
        reading = dialog.labelText()
        dialog.show_progress(400, 1000)
    assert reading == "正在读取 chats.json…"
    assert dialog.labelText() == "正在导入… 40%（400 / 1,000 个对话）"
    assert dialog.windowTitle() == "正在导入对话"
