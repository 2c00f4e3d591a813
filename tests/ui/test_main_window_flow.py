"""The window between actions, end to end: where the cursor goes, what the status bar
shows, what Ctrl+N leaves behind. Real window, real store file, fake server on loopback.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from foxchat.app import FoxChatApp
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer, Reply, StatusReply
from tests.ui.harness import Harness, harness, last_message, models_fetched, type_and_send, with_key

__all__ = ["harness"]  # the fixture, imported for pytest


async def ready(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> FoxChatApp:
    with_key(monkeypatch)
    app = harness.start()
    await until(lambda: app.endpoint.client() is not None)
    await harness.idle()
    app.window.activateWindow()
    return app


async def settle(app: FoxChatApp) -> None:
    await until(lambda: not app.chat.is_streaming(app.window.current_id or 0))
    QApplication.processEvents()


def composer_has_focus(app: FoxChatApp) -> bool:
    return app.window.focusWidget() is app.window.composer.edit


def test_send_edited_puts_the_cursor_back_in_the_composer(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.script(Reply(text="Paris."), Reply(text="Rome."))

    async def scenario() -> None:
        app = await ready(harness, monkeypatch)
        type_and_send(app, "Capital of France?")
        await settle(app)
        cid = app.window.current_id
        assert cid is not None
        bubble = app.window.message_view.message_widget(app.store.active_path(cid)[0].id)
        assert bubble is not None
        bubble.header.edit.click()
        assert bubble.editor is not None
        bubble.editor.text.setFocus()
        bubble.editor.text.setPlainText("Capital of Italy?")
        bubble.editor.save.setFocus()
        bubble.editor.save.click()
        await settle(app)
        assert last_message(app)[1] == "Rome."
        assert composer_has_focus(app), app.window.focusWidget()

    run(harness.loop, scenario())


def test_retry_puts_the_cursor_back_in_the_composer(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        app = await ready(harness, monkeypatch)
        await until(lambda: models_fetched(fake_server))
        fake_server.script(StatusReply(500, {"error": {"message": "Server fell over"}}))
        fake_server.script(Reply(text="Back again."))
        type_and_send(app, "Are you there?")
        await settle(app)
        widget = app.window.message_view.message_widget(last_message(app)[0])
        assert widget is not None
        widget.retry_button.setFocus()
        widget.retry_button.click()
        await settle(app)
        assert last_message(app)[1] == "Back again."
        assert composer_has_focus(app), app.window.focusWidget()

    run(harness.loop, scenario())


def test_regenerate_puts_the_cursor_back_in_the_composer(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.script(Reply(text="First answer."), Reply(text="Second answer."))

    async def scenario() -> None:
        app = await ready(harness, monkeypatch)
        type_and_send(app, "Tell me something")
        await settle(app)
        widget = app.window.message_view.message_widget(last_message(app)[0])
        assert widget is not None
        widget.header.regenerate.setFocus()
        widget.header.regenerate.click()
        await settle(app)
        assert last_message(app)[1] == "Second answer."
        assert composer_has_focus(app), app.window.focusWidget()

    run(harness.loop, scenario())


LONG_PROBLEM = (
    "The key you entered does not look like an API key: it should be one line of letters, "
    "digits and dashes without spaces, and it usually starts with sk-. Copy it again from "
    "your provider's dashboard, paste it in Settings, and press Test connection to check it "
    "before you send a message."
)


def fully_shown(window: QWidget, text: str) -> bool:
    """Whether some visible label in ``window`` shows all of ``text`` without clipping."""
    for label in window.findChildren(QLabel):
        if label.text() != text or not label.isVisibleTo(window):
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.contentsRect().width())
            return label.contentsRect().height() >= needed
        return label.fontMetrics().horizontalAdvance(text) <= label.contentsRect().width()
    return False


def test_a_long_problem_is_readable_whole(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        app = await ready(harness, monkeypatch)
        app.window.resize(700, 520)
        app.window.show_error(LONG_PROBLEM)
        await until(lambda: fully_shown(app.window, LONG_PROBLEM))

    run(harness.loop, scenario())


def test_ctrl_n_again_reuses_the_empty_chat(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.script(Reply(text="Hello."))

    async def scenario() -> None:
        app = await ready(harness, monkeypatch)
        window = app.window
        type_and_send(app, "Hi")
        await settle(app)
        used = window.current_id
        for _ in range(3):
            QTest.keySequence(window, QKeySequence("Ctrl+N"))
        empty = window.current_id
        assert used is not None and empty is not None and empty != used
        # Back to the old chat, then Ctrl+N: the empty one is opened again.
        window.open_conversation(used)
        QTest.keySequence(window, QKeySequence("Ctrl+N"))
        assert window.current_id == empty
        assert composer_has_focus(app)
        listed = [c.id for c in app.store.list_conversations()]
        assert sorted(listed) == sorted([used, empty])

    run(harness.loop, scenario())


def test_clicking_send_puts_the_cursor_back_in_the_composer(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.script(Reply(text="Hello."))

    async def scenario() -> None:
        app = await ready(harness, monkeypatch)
        composer = app.window.composer
        composer.edit.setFocus()
        QTest.keyClicks(composer.edit, "Hi there")
        QTest.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
        await settle(app)
        assert last_message(app)[1] == "Hello."
        assert composer_has_focus(app), app.window.focusWidget()

    run(harness.loop, scenario())
