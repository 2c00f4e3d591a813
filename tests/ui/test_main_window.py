"""The whole app end to end: real window, real store file, fake server on loopback.

Each test builds the app the way ``foxchat`` does (``FoxChatApp`` on a qasync
loop) and drives it as a user would: type, press Enter, Stop, Retry, switch
chats, search, quit and start again.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from foxchat import i18n
from foxchat.api.params import GenerationParams
from foxchat.settings import load_settings
from foxchat.store import MessageStatus
from foxchat.ui.settings_dialog import SettingsDialog
from foxchat.ui.welcome_dialog import WelcomeDialog
from tests.asyncqt import run, until
from tests.conftest import MemoryKeyring
from tests.fakeserver import FakeOpenAIServer, Reply, StatusReply
from tests.ui.harness import (
    KEY,
    Harness,
    harness,
    last_message,
    models_fetched,
    reply_text,
    type_and_send,
    with_key,
)

__all__ = ["harness"]  # the fixture, imported for pytest


def test_first_run_asks_for_the_key_then_chats(
    harness: Harness, memory_keyring: MemoryKeyring, fake_server: FakeOpenAIServer
) -> None:
    fake_server.script(Reply(text="Hello! **How** can I help?", chunk_size=3, delay=0.005))

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.welcome is not None and app.welcome.isVisible())
        dialog = app.welcome
        assert isinstance(dialog, WelcomeDialog)
        dialog.accepted_key.emit(fake_server.base_url, KEY, False)
        await until(lambda: memory_keyring.secrets.get(("FoxChat", "foxapi")) == KEY)
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "Hi there")
        await until(lambda: not app.chat.is_streaming(app.window.current_id or 0))
        mid, content, status = last_message(app)
        assert (content, status) == ("Hello! **How** can I help?", MessageStatus.COMPLETE)
        assert reply_text(app, mid) == "Hello! How can I help?"
        assert app.window.composer.text() == ""
        body = fake_server.requests[-1].body
        assert body["messages"][-1] == {"role": "user", "content": "Hi there"}
        assert fake_server.requests[-1].headers["authorization"] == f"Bearer {KEY}"

    run(harness.loop, scenario())


def test_stop_keeps_the_partial_reply_marked_stopped(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    fake_server.script(Reply(text="word " * 400, chunk_size=5, delay=0.01))

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "Write a lot")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: len(app.chat.live_reply(cid).content) > 20)  # type: ignore[union-attr]
        assert app.window.composer.send_button.text() == "Stop"
        QTest.keyClick(app.window, Qt.Key.Key_Escape)
        await until(lambda: not app.chat.is_streaming(cid))
        mid, content, status = last_message(app)
        assert status is MessageStatus.STOPPED
        assert 20 < len(content) < len("word " * 400)
        widget = app.window.message_view.message_widget(mid)
        assert widget is not None and "Stopped" in widget.note.text()
        assert app.window.composer.send_button.text() == "Send"

    run(harness.loop, scenario())


def test_error_shows_inline_and_retry_succeeds(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: models_fetched(fake_server))
        fake_server.script(StatusReply(401, {"error": {"message": "Incorrect API key provided"}}))
        fake_server.script(Reply(text="Back again."))
        type_and_send(app, "Are you there?")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        mid, _content, status = last_message(app)
        assert status is MessageStatus.ERROR
        widget = app.window.message_view.message_widget(mid)
        assert widget is not None and widget.error_box.isVisibleTo(app.window)
        assert "key" in widget.error_text.text().lower()
        user_messages = [m for m in app.store.active_path(cid) if m.role == "user"]
        assert [m.content for m in user_messages] == ["Are you there?"]
        widget.retry_button.click()
        await until(lambda: last_message(app)[2] is MessageStatus.COMPLETE)
        mid, content, _status = last_message(app)
        assert content == "Back again."
        assert reply_text(app, mid) == "Back again."
        assert len(app.store.active_path(cid)) == 2

    run(harness.loop, scenario())


def test_switched_off_parameters_are_not_sent(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        panel = app.window.parameters
        params = (
            GenerationParams()
            .with_values(temperature=0.3, max_tokens=77, top_p=0.5)
            .with_enabled("temperature", True)
            .with_enabled("max_tokens", True)
        )
        panel.set_state("fake-model", "Be brief.", params)
        panel.params_changed.emit(params)
        panel.model_changed.emit("fake-model")
        panel.system_prompt_changed.emit("Be brief.")
        type_and_send(app, "Hello")

        def chats() -> list[Any]:
            # The model list may be asked for after the message: look at the chat only.
            return [r.body for r in fake_server.requests if r.path.endswith("/chat/completions")]

        await until(chats)
        await until(lambda: not app.chat.is_streaming(app.window.current_id or 0))
        body = chats()[-1]
        assert body["model"] == "fake-model"
        assert body["temperature"] == 0.3
        assert body["max_tokens"] == 77
        for absent in ("top_p", "frequency_penalty", "presence_penalty", "n", "stop", "tools"):
            assert absent not in body
        assert body["messages"][0] == {"role": "system", "content": "Be brief."}

    run(harness.loop, scenario())


def test_two_chats_stream_at_once_without_mixing(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    fake_server.script(Reply(text="alpha " * 60, chunk_size=4, delay=0.005))
    fake_server.script(Reply(text="beta " * 60, chunk_size=4, delay=0.005))

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "first")
        first = app.window.current_id
        # The server answers in arrival order: let the first request land.
        await until(lambda: any(r.path.endswith("/completions") for r in fake_server.requests))
        app.window.new_conversation()
        second = app.window.current_id
        assert first is not None and second is not None and first != second
        type_and_send(app, "second")
        assert app.chat.is_streaming(first) and app.chat.is_streaming(second)
        app.window.open_conversation(first)
        await until(lambda: not app.chat.is_streaming(first) and not app.chat.is_streaming(second))
        a = app.store.active_path(first)[-1]
        b = app.store.active_path(second)[-1]
        assert a.content == "alpha " * 60 and b.content == "beta " * 60
        assert reply_text(app, a.id).strip() == ("alpha " * 60).strip()

    run(harness.loop, scenario())


def test_everything_is_there_after_a_restart(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    fake_server.script(Reply(text="Remember me."))

    async def scenario_one() -> int:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "A message to keep")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        QTest.keyClicks(app.window.composer.edit, "half-typed draft")
        return cid

    cid = run(harness.loop, scenario_one())
    harness.quit()

    async def scenario_two() -> None:
        app = harness.start()
        assert app.window.current_id == cid
        assert app.window.composer.text() == "half-typed draft"
        contents = [m.content for m in app.store.active_path(cid)]
        assert contents == ["A message to keep", "Remember me."]
        assert app.window.message_view.message_widget(app.store.active_path(cid)[-1].id)
        await harness.idle()

    run(harness.loop, scenario_two())


def test_search_jumps_to_the_message(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        store = app.store
        target = store.create_conversation(title="Old notes")
        parent = None
        ids = []
        for i in range(80):
            text = "the zebra crossing answer" if i == 5 else f"filler message {i}"
            parent = store.add_message(
                target, parent_id=parent, role="user" if i % 2 == 0 else "assistant", content=text
            )
            ids.append(parent)
        app.list_model.refresh()
        pane = app.window.conversation_pane
        pane.search_box.setText("zebra")
        await until(lambda: app.results_model.rowCount() > 0)
        index = app.results_model.index(0, 0)
        pane.results_view.clicked.emit(index)
        await until(lambda: app.window.current_id == target)
        widget = app.window.message_view.message_widget(ids[5])
        assert widget is not None
        assert widget.property("highlight") is True

    run(harness.loop, scenario())


def test_parameters_are_saved_with_the_conversation(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        cid = app.window.current_id
        assert cid is not None
        params = GenerationParams().with_values(temperature=1.7).with_enabled("temperature", True)
        app.window.parameters.params_changed.emit(params)
        app.window.new_conversation()
        app.window.open_conversation(cid)
        assert app.window.parameters.params().temperature == 1.7
        stored = json.loads(app.store.get_conversation(cid).params_json)
        assert stored["values"]["temperature"] == 1.7
        await harness.idle()

    run(harness.loop, scenario())


def test_data_dir_holds_no_key(
    harness: Harness, fake_server: FakeOpenAIServer, isolated_env: Path
) -> None:
    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.welcome is not None and app.welcome.isVisible())
        assert app.welcome is not None
        app.welcome.accepted_key.emit(fake_server.base_url, KEY, False)
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "hello")
        await until(lambda: not app.chat.is_streaming(app.window.current_id or 0))

    run(harness.loop, scenario())
    harness.quit()
    for path in isolated_env.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_settings_change_theme_and_key(
    harness: Harness,
    fake_server: FakeOpenAIServer,
    memory_keyring: MemoryKeyring,
    qapp: QApplication,
) -> None:
    memory_keyring.set_password("FoxChat", "foxapi", "sk-old-key-000000")

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        await harness.idle()
        app.window.settings_action.trigger()
        await until(lambda: app.window.findChild(SettingsDialog) is not None)
        dialog = app.window.findChild(SettingsDialog)
        assert isinstance(dialog, SettingsDialog)
        dialog.key_change_requested.emit("foxapi", "sk-new-key-111111")
        await until(lambda: memory_keyring.secrets[("FoxChat", "foxapi")] == "sk-new-key-111111")
        # The keyring write finishes on its thread before the app hears of it.
        await until(lambda: app.endpoint.api_key == "sk-new-key-111111")
        changed = replace(app.settings, theme="dark", font_size=13)
        dialog.settings_changed.emit(changed)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 128
        assert load_settings().theme == "dark"
        dialog.accept()
        type_and_send(app, "with the new key")
        await until(lambda: not app.chat.is_streaming(app.window.current_id or 0))
        sent = [r for r in fake_server.requests if r.path.endswith("/chat/completions")]
        assert sent[-1].headers["authorization"] == "Bearer sk-new-key-111111"
        await harness.idle()

    run(harness.loop, scenario())


def test_quitting_mid_reply_keeps_the_text_and_is_quick(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    fake_server.script(Reply(text="slow words " * 300, chunk_size=4, delay=0.02))

    async def scenario() -> float:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "Take your time")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: len(app.chat.live_reply(cid).content) > 40)  # type: ignore[union-attr]
        began = time.monotonic()
        await app.shutdown()
        return time.monotonic() - began

    took = run(harness.loop, scenario())
    assert harness.store is not None
    path = harness.store.active_path(harness.store.list_conversations()[0].id)
    harness.app = None  # already shut down
    harness.store.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert took < 1.0
    assert path[0].content == "Take your time"
    assert path[-1].status is MessageStatus.STOPPED and len(path[-1].content) > 40


def test_deleting_a_chat_can_be_undone(harness: Harness) -> None:
    async def scenario() -> None:
        app = harness.start()
        await harness.idle()
        keep = app.window.current_id
        assert keep is not None
        # Ctrl+N reopens an empty chat; a chat with a message is left for a new one.
        app.store.add_message(keep, parent_id=None, role="user", content="Keep me")
        app.window.new_conversation()
        doomed = app.window.current_id
        assert doomed is not None and doomed != keep
        app.window.delete_conversation(doomed)
        listed = [app.list_model.conversation_at(r) for r in range(app.list_model.rowCount())]
        assert doomed not in [c.id for c in listed if c is not None]
        assert app.window.current_id == keep
        assert app.window.undo_bar.isVisibleTo(app.window)
        app.window.undo_bar.button.click()
        assert app.window.current_id == doomed
        assert app.list_model.row_of(doomed) is not None
        assert not app.window.undo_bar.isVisibleTo(app.window)

    run(harness.loop, scenario())


def test_a_new_chat_is_named_in_the_language_in_use_after_the_list_refreshes(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    i18n.install("zh_CN")

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: models_fetched(fake_server))
        assert app.window.header.title_label.accessibleName() == "新对话"
        fake_server.script(Reply(text="在。"))
        type_and_send(app, "hello")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: last_message(app)[2] is MessageStatus.COMPLETE)
        app.conversations.set_pinned(cid, True)  # the list is read again
        assert app.store.get_conversation(cid).title == "New chat", "the store has no language"
        assert app.window.header.title_label.accessibleName() == "新对话"
        assert app.window.windowTitle() == "新对话 — FoxChat"

    try:
        run(harness.loop, scenario())
    finally:
        i18n.install(i18n.ENGLISH)
