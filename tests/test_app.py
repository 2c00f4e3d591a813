"""The composition root's own decisions: which model a chat starts on."""

from __future__ import annotations

import pytest

from foxchat.services.connection import MODEL_MISSING
from foxchat.settings import load_settings
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer
from tests.ui.harness import Harness, harness, models_fetched, with_key

__all__ = ["harness"]  # the fixture, imported for pytest


def current_model(h: Harness) -> str:
    app = h.app
    assert app is not None and app.window.current_id is not None
    conversation = app.conversations.get(app.window.current_id)
    assert conversation is not None
    return conversation.model


def test_a_new_chat_never_starts_on_a_model_the_server_lacks(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    fake_server.models = ["deepseek-reasoner", "deepseek-chat"]
    said = MODEL_MISSING.format(missing="gpt-4o-mini", model="deepseek-chat")

    async def scenario() -> None:
        app = harness.start()
        assert current_model(harness) == "gpt-4o-mini"  # before the list is known
        await until(lambda: models_fetched(fake_server) and bool(app.connection.listed_models))
        assert current_model(harness) == "deepseek-chat"
        notice = app.window.notice_bar
        assert notice.label.text() == said and notice.isVisible()
        notice.dismiss()
        app.window.new_conversation()  # what Ctrl+N does
        assert current_model(harness) == "deepseek-chat"
        app.endpoint.refresh_models()  # said once: a second list says nothing
        await until(lambda: sum(r.path.endswith("/models") for r in fake_server.requests) == 2)
        await harness.idle()
        assert not notice.isVisible()

    run(harness.loop, scenario())


def test_the_persons_pick_is_remembered_for_the_endpoint(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    fake_server.models = ["deepseek-chat", "deepseek-reasoner"]

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: bool(app.connection.listed_models))
        combo = app.window.parameters.model_combo
        index = combo.findText("deepseek-reasoner")
        combo.setCurrentIndex(index)
        combo.activated.emit(index)  # what picking it from the list does
        await until(lambda: current_model(harness) == "deepseek-reasoner")
        app.window.new_conversation()
        assert current_model(harness) == "deepseek-reasoner"
        # A half-typed name is not a choice to keep.
        app.window.model_chosen.emit("deepseek-rea")
        await harness.idle()

    run(harness.loop, scenario())
    assert load_settings().default_profile().model == "deepseek-reasoner"
    harness.quit()

    async def after_restart() -> None:
        app = harness.start()
        await until(lambda: bool(app.connection.listed_models))
        app.window.new_conversation()
        assert current_model(harness) == "deepseek-reasoner"
        await harness.idle()

    run(harness.loop, after_restart())


def test_a_chat_with_history_keeps_its_model(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def first_run() -> None:
        app = harness.start()
        await until(lambda: bool(app.connection.listed_models))
        app.window.send("hello")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        await harness.idle()

    run(harness.loop, first_run())
    harness.quit()
    fake_server.models = ["other-model"]

    async def second_run() -> None:
        app = harness.start()
        await until(lambda: bool(app.connection.listed_models))
        assert current_model(harness) == "gpt-4o-mini"
        await harness.idle()

    run(harness.loop, second_run())
