"""Model rules end to end in the real window: a refused parameter, sent without, greyed after."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QApplication, QDoubleSpinBox

from foxchat.settings import load_settings
from foxchat.store import MessageStatus
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer
from tests.ui.harness import Harness, harness, last_message, type_and_send, with_key

__all__ = ["harness"]  # the fixture, imported for pytest


def test_a_refused_top_p_is_sent_without_in_one_click_and_then_shown_greyed(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.refused_parameters = {"top_p"}
    fake_server.models = ["gateway-model"]

    async def scenario() -> None:
        with_key(monkeypatch)
        app = harness.start()
        await harness.idle()
        window = app.window
        panel = window.parameters
        # As a person does: type the model, switch on temperature and top P.
        panel.model_edit.setText("gateway-model")
        panel.model_edit.editingFinished.emit()
        for name, value in (("temperature", 0.5), ("top_p", 0.7)):
            row = panel.number_rows[name]
            row.switch.click()
            spin = row.spin
            assert isinstance(spin, QDoubleSpinBox)
            spin.setValue(value)
        cid = window.current_id
        assert cid is not None
        type_and_send(app, "Hello")
        await until(lambda: not app.chat.is_streaming(cid))
        QApplication.processEvents()
        reply_id, _text, status = last_message(app)
        assert status is MessageStatus.ERROR
        bubble = window.message_view.message_widget(reply_id)
        assert bubble is not None
        button = bubble.send_without_button
        assert button.isVisibleTo(window) and button.text() == "Send without top_p"

        button.click()
        await until(lambda: not app.chat.is_streaming(cid))
        QApplication.processEvents()
        assert last_message(app)[1:] == ("Echo: Hello", MessageStatus.COMPLETE)
        body = fake_server.requests[-1].body
        assert "top_p" not in body and body["temperature"] == 0.5
        learnt = load_settings().model_overrides[fake_server.base_url]["gateway-model"]
        assert list(learnt.refused) == ["top_p"]
        row = panel.number_rows["top_p"]
        assert row.blocked_reason() == (
            "The server refused top_p for this model, so it is not sent"
        )
        assert row.spin.value() == 0.7, "the value is kept for a model that takes it"

        # Send anyway forgets the refusal; the row is the person's again.
        row.blocked_note.button.click()
        assert row.blocked_reason() is None and row.switch.isChecked()
        assert load_settings().model_overrides == {}

    run(harness.loop, scenario())


def test_each_reply_says_what_it_was_made_with_and_its_settings_can_be_reused(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        with_key(monkeypatch)
        app = harness.start()
        await harness.idle()
        window = app.window
        panel = window.parameters
        temperature = panel.number_rows["temperature"]
        spin = temperature.spin
        assert isinstance(spin, QDoubleSpinBox)
        temperature.switch.click()
        spin.setValue(1.3)
        cid = window.current_id
        assert cid is not None
        type_and_send(app, "Hello")
        await until(lambda: not app.chat.is_streaming(cid))
        QApplication.processEvents()
        first_id = last_message(app)[0]
        first = window.message_view.message_widget(first_id)
        assert first is not None
        model = app.store.get_message(first_id).model
        assert first.made_with.text() == f"{model} · temperature 1.3"
        assert first.made_with.isVisibleTo(window)
        stored = json.loads(app.store.get_message(first_id).details_json or "{}")
        assert stored["first_token_s"] >= 0 and stored["tokens_per_s"] > 0

        # Another version with another temperature says what changed.
        spin.setValue(0.2)
        first.header.regenerate.click()
        await until(lambda: not app.chat.is_streaming(cid))
        QApplication.processEvents()
        second = window.message_view.message_widget(last_message(app)[0])
        assert second is not None and second is not first
        assert second.made_with.text() == "temperature 1.3 → 0.2"

        # Use these settings (from the menu of the first version) puts 1.3 back.
        window.use_settings_of(first_id)
        assert spin.value() == 1.3 and temperature.switch.isChecked()
        app.conversations.flush_drafts()
        conversation = app.store.get_conversation(cid)
        assert json.loads(conversation.params_json)["values"]["temperature"] == 1.3

    run(harness.loop, scenario())
