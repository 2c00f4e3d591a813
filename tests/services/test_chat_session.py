"""ChatService on a full disk: the stream goes on, and what is shown is what is kept.

The disk fills (the file-size limit, ``tests/full_disk.py``) while a reply
streams. Before, the first failed save ended the reply part way; then a
reply shown as complete could be stored shorter and become ``interrupted``
at the next start.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from foxchat.app import FoxChatApp
from foxchat.paths import database_path
from foxchat.store import MessageStatus
from tests.asyncqt import run, until
from tests.conftest import ErrorLog
from tests.fakeserver import FakeOpenAIServer, Reply
from tests.full_disk import file_size_limit
from tests.ui.harness import Harness, harness, reply_text, type_and_send, with_key

__all__ = ["harness"]  # the fixture, imported for pytest

TEXT = "word " * 40_000  # 200 KB: more than the database's files can take in


def test_a_reply_finished_on_a_full_disk_is_kept_and_saved_again_later(
    harness: Harness,
    fake_server: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    error_log: ErrorLog,
) -> None:
    with_key(monkeypatch)
    fake_server.script(Reply(text=TEXT, chunk_size=2_000, delay=0.02))
    files = [database_path().with_name(database_path().name + s) for s in ("", "-wal")]

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "Write a lot.")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: len(live_text(app, cid)) > 20_000)
        reply_id = app.store.active_path(cid)[-1].id
        limit = max(path.stat().st_size for path in files if path.exists())
        with file_size_limit(limit):
            await until(lambda: not app.chat.is_streaming(cid))
            stored = app.store.get_message(reply_id)
            widget = app.window.message_view.message_widget(reply_id)
            assert widget is not None
            # On screen: the whole reply, and that its end is not saved.
            assert reply_text(app, reply_id).split() == TEXT.split()
            assert widget.save_again_button.isVisible()
            assert "could not be saved" in widget.error_text.text()
            assert len(stored.content) < len(TEXT)
            QTest.mouseClick(widget.save_again_button, Qt.MouseButton.LeftButton)
            assert widget.save_again_button.isVisible(), "still full: still unsaved"
        QTest.mouseClick(widget.save_again_button, Qt.MouseButton.LeftButton)
        stored = app.store.get_message(reply_id)
        assert stored.content == TEXT and stored.status is MessageStatus.COMPLETE
        assert not widget.save_again_button.isVisible()
        assert not widget.error_box.isVisible()
        await harness.idle()

    run(harness.loop, scenario())


def live_text(app: FoxChatApp, cid: int) -> str:
    live = app.chat.live_reply(cid)
    return live.content if live is not None else ""
