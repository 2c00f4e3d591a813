"""Beyond one reply, end to end: branches, alternatives, thinking, tools, JSON, curl, titles.

Each test drives the real window against the fake server and checks both what
the user sees and the exact request body the server received.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from foxchat.api.params import GenerationParams
from foxchat.app import FoxChatApp
from foxchat.settings import load_settings, save_settings
from foxchat.store import MessageStatus
from foxchat.ui.curl_dialog import CurlDialog
from foxchat.ui.messages.markdown_view import MarkdownView
from foxchat.ui.messages.message_widget import MessageWidget
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer, FakeToolCall, Reply
from tests.ui.harness import KEY, Harness, harness, type_and_send

__all__ = ["harness"]  # the fixture, imported for pytest


@pytest.fixture(autouse=True)
def key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOXCHAT_API_KEY", KEY)


def chat_requests(server: FakeOpenAIServer) -> list[dict[str, Any]]:
    return [r.body for r in server.requests if r.path.endswith("/chat/completions")]


def widget(app: FoxChatApp, message_id: int) -> MessageWidget:
    found = app.window.message_view.message_widget(message_id)
    assert found is not None
    return found


def shown_text(w: MessageWidget) -> str:
    assert isinstance(w.body, MarkdownView)
    return w.body.toPlainText()


async def settle(app: FoxChatApp) -> None:
    await until(lambda: not app.chat.is_streaming(app.window.current_id or 0))


async def ready(harness: Harness) -> FoxChatApp:
    app = harness.start()
    await until(lambda: app.endpoint.client() is not None)
    await harness.idle()
    return app


def test_edit_makes_a_branch_and_the_viewed_branch_is_sent(
    harness: Harness, fake_server: FakeOpenAIServer
) -> None:
    fake_server.script(Reply(text="Paris."), Reply(text="Rome."), Reply(text="Still Rome."))

    async def scenario() -> None:
        app = await ready(harness)
        type_and_send(app, "Capital of France?")
        await settle(app)
        cid = app.window.current_id
        assert cid is not None
        first_user = app.store.active_path(cid)[0]
        bubble = widget(app, first_user.id)
        bubble.header.edit.click()
        assert bubble.editor is not None
        assert bubble.editor.text.toPlainText() == "Capital of France?"
        bubble.editor.text.setPlainText("Capital of Italy?")
        bubble.editor.save.click()
        await settle(app)
        path = app.store.active_path(cid)
        assert [m.content for m in path] == ["Capital of Italy?", "Rome."]
        header = widget(app, path[0].id).header
        assert header.position.text() == "2/2" and header.previous.isEnabled()
        # Back to the first version: its reply comes back with it.
        header.previous.click()
        assert [m.content for m in app.store.active_path(cid)] == ["Capital of France?", "Paris."]
        header = widget(app, app.store.active_path(cid)[0].id).header
        header.next.click()
        type_and_send(app, "Are you sure?")
        await settle(app)
        sent = chat_requests(fake_server)[-1]["messages"]
        assert [m["content"] for m in sent] == ["Capital of Italy?", "Rome.", "Are you sure?"]

    run(harness.loop, scenario())


def test_regenerate_and_n_choices_are_alternatives(
    harness: Harness, fake_server: FakeOpenAIServer
) -> None:
    fake_server.script(Reply(text="First answer."), Reply(choices=["Second A", "Second B"]))

    async def scenario() -> None:
        app = await ready(harness)
        type_and_send(app, "Tell me something")
        await settle(app)
        cid = app.window.current_id
        assert cid is not None
        reply = app.store.active_path(cid)[-1]
        widget(app, reply.id).header.regenerate.click()
        await settle(app)
        newest = app.store.active_path(cid)[-1]
        assert newest.content == "Second A"
        assert app.store.siblings(newest.id)[0] == reply.id
        texts = [app.store.get_message(m).content for m in app.store.siblings(newest.id)]
        assert texts == ["First answer.", "Second A", "Second B"]
        assert widget(app, newest.id).header.position.text() == "2/3"
        widget(app, newest.id).header.next.click()
        assert app.store.active_path(cid)[-1].content == "Second B"

    run(harness.loop, scenario())


def test_thinking_streams_open_then_folds_with_its_duration(
    harness: Harness, fake_server: FakeOpenAIServer
) -> None:
    fake_server.script(
        Reply(reasoning="Let me think about it carefully. " * 5, text="42.", delay=0.01)
    )

    async def scenario() -> None:
        app = await ready(harness)
        type_and_send(app, "The answer?")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: app.chat.live_reply(cid) is not None)
        live = app.chat.live_reply(cid)
        assert live is not None
        w = widget(app, live.message_id)
        await until(lambda: w.thinking_toggle.isVisible() and w.thinking_toggle.isChecked())
        await settle(app)
        assert not w.thinking_toggle.isChecked()
        assert w.thinking_toggle.text().startswith("▸ Thought for ")
        assert not w.thinking.isVisibleTo(w)
        stored = app.store.get_message(live.message_id)
        assert stored.reasoning.startswith("Let me think") and stored.content == "42."
        # Thinking is kept but not sent back.
        type_and_send(app, "Why?")
        await settle(app)
        sent = chat_requests(fake_server)[-1]["messages"]
        assert all("reasoning_content" not in m for m in sent)

    run(harness.loop, scenario())


def test_tool_calls_show_as_cards_and_results_go_back_with_their_ids(
    harness: Harness, fake_server: FakeOpenAIServer
) -> None:
    call = FakeToolCall("call_7", "get_weather", '{"city": "Oslo", "unit": "c"}')
    fake_server.script(Reply(tool_calls=[call]), Reply(text="It is 3 °C in Oslo."))

    async def scenario() -> None:
        app = await ready(harness)
        type_and_send(app, "Weather in Oslo?")
        await settle(app)
        cid = app.window.current_id
        assert cid is not None
        reply = app.store.active_path(cid)[-1]
        assert reply.finish_reason == "tool_calls"
        panel = widget(app, reply.id).tools
        assert panel is not None and len(panel.cards) == 1
        card = panel.cards[0]
        assert '"city": "Oslo"' in card.arguments.text()
        assert not card.problem.isVisibleTo(panel)
        panel.send_button.click()  # empty result: refused with a hint
        assert "needs a result" in panel.hint.text()
        card.result.setPlainText('{"temp": 3}')
        panel.send_button.click()
        await until(lambda: len(chat_requests(fake_server)) == 2)
        await settle(app)
        sent = chat_requests(fake_server)[-1]["messages"]
        assert sent[-2]["tool_calls"][0]["id"] == "call_7"
        assert sent[-1] == {"role": "tool", "content": '{"temp": 3}', "tool_call_id": "call_7"}
        assert app.store.active_path(cid)[-1].content == "It is 3 °C in Oslo."

    run(harness.loop, scenario())


def test_json_replies_are_pretty_printed_and_checked_against_the_schema(
    harness: Harness, fake_server: FakeOpenAIServer
) -> None:
    fake_server.script(Reply(text='{"name":"Ada","age":"old"}'), Reply(text="not json at all"))
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
    }
    params = (
        GenerationParams()
        .with_values(
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "person", "schema": schema},
            }
        )
        .with_enabled("response_format", True)
    )

    async def scenario() -> None:
        app = await ready(harness)
        cid = app.window.current_id
        assert cid is not None
        app.window.parameters.params_changed.emit(params)
        type_and_send(app, "A person please")
        await settle(app)
        reply = app.store.active_path(cid)[-1]
        w = widget(app, reply.id)
        assert '"name": "Ada"' in shown_text(w)
        assert w.json_note.isVisibleTo(w) and "$.age should be a whole number" in w.json_note.text()
        assert chat_requests(fake_server)[-1]["response_format"]["type"] == "json_schema"
        type_and_send(app, "Again")
        await settle(app)
        bad = widget(app, app.store.active_path(cid)[-1].id)
        assert "not valid JSON" in bad.json_note.text()
        assert shown_text(bad).strip() == "not json at all"

    run(harness.loop, scenario())


def test_copy_as_curl_masks_the_key_unless_asked(
    harness: Harness, fake_server: FakeOpenAIServer, qapp: QApplication
) -> None:
    async def scenario() -> None:
        app = await ready(harness)
        params = GenerationParams().with_values(temperature=0.4).with_enabled("temperature", True)
        app.window.parameters.params_changed.emit(params)
        app.window.composer.set_draft('It\'s "quoted" text')
        app.window.curl_action.trigger()
        await until(lambda: app.window.findChild(CurlDialog) is not None)
        dialog = app.window.findChild(CurlDialog)
        assert isinstance(dialog, CurlDialog)
        masked = dialog.text.toPlainText()
        assert KEY not in masked and "$FOXCHAT_API_KEY" in masked
        body = json.loads(shlex.split(masked.replace("\\\n", " "))[-1])
        assert body["temperature"] == 0.4
        assert body["messages"][-1] == {"role": "user", "content": 'It\'s "quoted" text'}
        assert shlex.split(masked.replace("\\\n", " "))[1].startswith(fake_server.base_url)
        dialog.include_key.setChecked(True)
        assert KEY in dialog.text.toPlainText()
        dialog.include_key.setChecked(False)
        dialog.copy_button.click()
        assert QGuiApplication.clipboard().text() == masked

    run(harness.loop, scenario())


def test_auto_title_names_the_chat_without_the_users_sampling_parameters(
    harness: Harness, fake_server: FakeOpenAIServer
) -> None:
    fake_server.script(Reply(text="Use a sourdough starter."), Reply(text='"Baking Bread Basics."'))

    async def scenario() -> None:
        app = harness.start(auto_title=True)
        await until(lambda: app.endpoint.client() is not None)
        await harness.idle()
        params = GenerationParams().with_values(temperature=1.9).with_enabled("temperature", True)
        app.window.parameters.params_changed.emit(params)
        type_and_send(app, "How do I bake bread?")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: app.store.get_conversation(cid).title == "Baking Bread Basics")
        naming = chat_requests(fake_server)[-1]
        assert naming["stream"] is False and "temperature" not in naming
        assert naming["max_tokens"] == 24
        assert app.window.windowTitle().startswith("Baking Bread Basics")

    run(harness.loop, scenario())


def test_context_limit_sends_the_last_messages_and_marks_the_cut(
    harness: Harness, fake_server: FakeOpenAIServer
) -> None:
    save_settings(replace(load_settings(), context_limit=3))

    async def scenario() -> None:
        app = await ready(harness)
        cid = app.window.current_id
        assert cid is not None
        app.window.parameters.system_prompt_changed.emit("Be terse.")
        for text in ("one", "two", "three"):
            type_and_send(app, text)
            await settle(app)
        sent = chat_requests(fake_server)[-1]["messages"]
        assert sent[0] == {"role": "system", "content": "Be terse."}
        assert len(sent) == 4  # the system prompt and the last three
        assert sent[-1]["content"] == "three"
        app.window.open_conversation(cid)
        view = app.window.message_view
        note = view.cut_note
        assert note.isVisibleTo(view) and "last 3" in note.text()

    run(harness.loop, scenario())


def test_branches_survive_restart_and_export_import(
    harness: Harness, fake_server: FakeOpenAIServer
) -> None:
    fake_server.script(Reply(text="A"), Reply(text="B"))

    async def first_run() -> int:
        app = await ready(harness)
        type_and_send(app, "Pick a letter")
        await settle(app)
        cid = app.window.current_id
        assert cid is not None
        widget(app, app.store.active_path(cid)[-1].id).header.regenerate.click()
        await settle(app)
        return cid

    cid = run(harness.loop, first_run())
    harness.quit()

    async def second_run() -> None:
        app = await ready(harness)
        assert app.window.current_id == cid
        reply = app.store.active_path(cid)[-1]
        assert reply.content == "B"
        assert widget(app, reply.id).header.position.text() == "2/2"
        exported = app.store.export_json([cid])
        app.store.import_data(exported, skip_existing=False)  # a copy, on purpose
        copy_id = max(s.id for s in app.store.list_conversations())
        copied = app.store.active_path(copy_id)[-1]
        assert copied.content == "B"
        siblings = [app.store.get_message(m).content for m in app.store.siblings(copied.id)]
        assert siblings == ["A", "B"]
        assert app.store.get_message(copied.id).status is MessageStatus.COMPLETE

    run(harness.loop, second_run())
