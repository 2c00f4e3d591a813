"""Parameters a server refuses: said plainly, sent without in one step, remembered.

A real ChatService and SettingsService over a real store, talking to the fake
server, which refuses ``top_p`` the way OpenAI refuses a parameter a model
does not take (400 with ``error.param``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from foxchat.api import ChatClient
from foxchat.api.params import GenerationParams
from foxchat.paths import database_path
from foxchat.services.chat_session import ChatService
from foxchat.services.reply_details import refusal_of
from foxchat.services.settings_service import SettingsService
from foxchat.services.tasks import LoopGate
from foxchat.settings import EndpointProfile, Settings, load_settings
from foxchat.store import MessageStatus, Store, StoredMessage
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer, Reply


class Lab:
    """A chat service whose overrides live in real, saved settings."""

    def __init__(self, store: Store, client: ChatClient, server: FakeOpenAIServer) -> None:
        self.store = store
        self.client = client
        profile = EndpointProfile("p", "Fake", server.base_url)
        self.prefs = SettingsService(Settings(profiles=[profile], default_profile_id="p"))
        self.chat = ChatService(store, self.provide, gate=LoopGate(), overrides=self.prefs)
        self.errors: list[str] = []
        self.chat.error.connect(lambda _c, message: self.errors.append(message))

    async def provide(self) -> ChatClient | None:
        return self.client

    def chat_with(self, model: str, params: GenerationParams) -> int:
        return self.store.create_conversation(
            title="Lab", model=model, params_json=params.to_json()
        )

    async def reply_to(self, cid: int, text: str) -> StoredMessage:
        assert self.chat.send(cid, text) is not None
        await until(lambda: not self.chat.is_streaming(cid))
        return self.store.active_path(cid)[-1]

    async def send_without(self, cid: int, reply_id: int) -> StoredMessage:
        assert self.chat.send_without(cid, reply_id)
        await until(lambda: not self.chat.is_streaming(cid))
        return self.store.active_path(cid)[-1]


@pytest.fixture
def lab(qloop: asyncio.AbstractEventLoop, fake_server: FakeOpenAIServer) -> Iterator[Lab]:
    client = ChatClient(fake_server.base_url, "sk-test", max_retries=0)
    with Store.open(database_path()) as store:
        made = Lab(store, client, fake_server)
        yield made
        run(qloop, made.chat.shutdown())
        run(qloop, client.aclose())


def on(**values: Any) -> GenerationParams:
    params = replace(GenerationParams(), **values)
    for name in values:
        params = params.with_enabled(name, True)
    return params


def body(server: FakeOpenAIServer) -> dict[str, Any]:
    sent = server.requests[-1].body
    assert isinstance(sent, dict)
    return sent


def test_a_refused_parameter_is_named_sent_without_and_remembered_for_that_model(
    lab: Lab, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.refused_parameters = {"top_p"}
    cid = lab.chat_with("gateway-model", on(temperature=0.4, top_p=0.8))

    failed = run(qloop, lab.reply_to(cid, "Hello"))
    assert failed.status is MessageStatus.ERROR
    assert failed.error is not None
    assert "'top_p' is not supported" in failed.error, "the server's own words"
    assert "The server refused top_p for gateway-model." in failed.error
    assert "Send without top_p" in failed.error
    assert refusal_of(failed.details_json) == (
        "gateway-model",
        "top_p",
        "Unsupported parameter: 'top_p' is not supported with this model.",
    )
    assert lab.prefs.overrides_for("gateway-model").refused == {}, "not before the person agrees"

    answered = run(qloop, lab.send_without(cid, failed.id))
    assert (answered.status, answered.content) == (MessageStatus.COMPLETE, "Echo: Hello")
    sent = body(fake_server)
    assert "top_p" not in sent and sent["temperature"] == 0.4
    assert json.loads(answered.details_json or "{}")["not_sent"] == {
        "top_p": "The server refused top_p for this model, so it is not sent"
    }

    # Remembered on disk for that model on that server; the next send does not fail.
    saved = load_settings().model_overrides
    assert list(saved[fake_server.base_url]["gateway-model"].refused) == ["top_p"]
    again = run(qloop, lab.reply_to(cid, "Once more"))
    assert again.status is MessageStatus.COMPLETE
    assert "top_p" not in body(fake_server)

    # Another model on the same server still gets top_p.
    other = lab.chat_with("other-model", on(top_p=0.8))
    fake_server.refused_parameters = set()
    run(qloop, lab.reply_to(other, "Hi"))
    assert body(fake_server)["top_p"] == 0.8

    # Cleared in Settings: sent again.
    lab.prefs.clear_overrides()
    run(qloop, lab.reply_to(cid, "And again"))
    assert body(fake_server)["top_p"] == 0.8


def test_a_refusal_that_names_no_parameter_offers_nothing_to_leave_out(
    lab: Lab, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    from tests.fakeserver import StatusReply

    fake_server.script(StatusReply(400, {"error": {"message": "Your prompt was flagged."}}))
    cid = lab.chat_with("gpt-4o", on(temperature=0.4))
    failed = run(qloop, lab.reply_to(cid, "Hello"))
    assert failed.status is MessageStatus.ERROR
    assert failed.error is not None and "Send without" not in failed.error
    assert refusal_of(failed.details_json) is None
    assert not lab.chat.send_without(cid, failed.id)


def test_each_reply_keeps_what_was_sent_and_the_system_fingerprint(
    lab: Lab, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.script(Reply(system_fingerprint="fp_44709d6fcb"))
    cid = lab.chat_with("o3-mini", on(temperature=0.4, seed=7, max_tokens=300))
    reply = run(qloop, lab.reply_to(cid, "Hello"))
    details = json.loads(reply.details_json or "{}")
    assert details["model"] == "o3-mini"
    assert details["system_fingerprint"] == "fp_44709d6fcb"
    assert details["sent"] == {"stream": True, "seed": 7, "max_completion_tokens": 300}
    assert details["not_sent"] == {"temperature": "o-series models choose their own temperature"}


def test_send_anyway_sends_what_a_rule_leaves_out_until_taken_back(
    lab: Lab, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    cid = lab.chat_with("o3-mini", on(temperature=0.4))
    run(qloop, lab.reply_to(cid, "Hello"))
    assert "temperature" not in body(fake_server)
    lab.prefs.send_anyway("o3-mini", "temperature")
    run(qloop, lab.reply_to(cid, "Hello"))
    assert body(fake_server)["temperature"] == 0.4
    lab.prefs.send_anyway("o3-mini", "temperature", on=False)
    assert lab.prefs.current.model_overrides == {}
    run(qloop, lab.reply_to(cid, "Hello"))
    assert "temperature" not in body(fake_server)
