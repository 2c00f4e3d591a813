"""Token probabilities in the real window: asked for from the sidebar, shown on the reply."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QSpinBox

from foxchat.app import FoxChatApp
from foxchat.ui.messages.message_widget import MessageWidget
from foxchat.ui.messages.token_view import TokenView
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer, Reply
from tests.ui.harness import Harness, harness, last_message, type_and_send, with_key

__all__ = ["harness"]  # the fixture, imported for pytest


async def ask_with_probabilities(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> FoxChatApp:
    with_key(monkeypatch)
    app = harness.start()
    await harness.idle()
    row = app.window.parameters.number_rows["top_logprobs"]
    row.switch.click()
    spin = row.spin
    assert isinstance(spin, QSpinBox)
    spin.setValue(3)
    cid = app.window.current_id
    assert cid is not None
    type_and_send(app, "Say hello")
    await until(lambda: not app.chat.is_streaming(cid))
    QApplication.processEvents()
    return app


def reply_widget(app: FoxChatApp) -> MessageWidget:
    widget = app.window.message_view.message_widget(last_message(app)[0])
    assert widget is not None
    return widget


def test_a_reply_can_be_shown_token_by_token_with_alternatives(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.script(Reply(text="Hello there, friend.", chunk_size=4))

    async def scenario() -> None:
        app = await ask_with_probabilities(harness, monkeypatch)
        body = fake_server.requests[-1].body
        assert body["logprobs"] is True and body["top_logprobs"] == 3
        widget = reply_widget(app)
        assert app.store.logprobs(widget.message_id), "kept with the reply"
        button = widget.tokens_button
        assert button.isVisibleTo(widget)
        button.click()
        view = widget.token_view
        assert isinstance(view, TokenView) and view.isVisibleTo(widget)
        assert not widget.body.isVisibleTo(widget)
        assert view.browser.toPlainText() == "Hello there, friend."
        # Pointing at (or tabbing to) a token says how likely it and its alternatives were.
        view.browser.highlighted.emit(QUrl("#t1"))
        first = view.token_at(1)
        assert view.detail.text().startswith(f"“{first.token}” ")
        assert view.detail.text().count("“") == 3, "the token and two alternatives"
        button.click()
        assert widget.token_view is None and widget.body.isVisibleTo(widget)

    run(harness.loop, scenario())


def test_a_server_without_probabilities_says_so_once_and_nothing_else_changes(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.script(Reply(text="Hello.", send_logprobs=False))

    async def scenario() -> None:
        app = await ask_with_probabilities(harness, monkeypatch)
        widget = reply_widget(app)
        assert last_message(app)[1] == "Hello."
        assert not widget.tokens_button.isVisibleTo(widget)
        assert widget.note.isVisibleTo(widget)
        assert widget.note.text() == (
            "Word probabilities were asked for, but this server or model did not send any."
        )

    run(harness.loop, scenario())
