"""Compare: one question answered several times at once, each with its own settings.

A real ChatService over a real store and the fake server on loopback.
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
from foxchat.services.tasks import LoopGate
from foxchat.store import MessageStatus, Store
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer, Reply


class Bench:
    def __init__(self, store: Store, client: ChatClient) -> None:
        self.store = store
        self.client = client
        self.chat = ChatService(store, self.provide, gate=LoopGate())
        self.finished: list[tuple[int, str]] = []
        self.added: list[int] = []
        self.streaming: list[bool] = []
        self.chat.reply_finished.connect(lambda _c, mid, s: self.finished.append((mid, s)))
        self.chat.message_added.connect(lambda _c, mid: self.added.append(mid))
        self.chat.streaming_changed.connect(lambda _c, on: self.streaming.append(on))
        self.cid = store.create_conversation(title="Lab", model="gpt-4o")

    async def provide(self) -> ChatClient | None:
        return self.client

    async def settled(self) -> None:
        await until(lambda: not self.chat.is_streaming(self.cid))


@pytest.fixture
def bench(qloop: asyncio.AbstractEventLoop, fake_server: FakeOpenAIServer) -> Iterator[Bench]:
    client = ChatClient(fake_server.base_url, "sk-test", max_retries=0)
    with Store.open(database_path()) as store:
        made = Bench(store, client)
        yield made
        run(qloop, made.chat.shutdown())
        run(qloop, client.aclose())


def temperature(value: float, **more: Any) -> GenerationParams:
    params = replace(GenerationParams(), temperature=value, **more).with_enabled(
        "temperature", True
    )
    for name in more:
        params = params.with_enabled(name, True)
    return params


def chat_bodies(server: FakeOpenAIServer) -> list[dict[str, Any]]:
    return [r.body for r in server.requests if r.path.endswith("/chat/completions")]


def test_each_column_is_asked_with_its_own_settings_and_becomes_an_alternative(
    bench: Bench, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.default_reply = Reply(text="An answer.", chunk_size=3, delay=0.01)
    columns = [("gpt-4o", temperature(t)) for t in (0.2, 0.7, 1.2)] + [
        ("o3-mini", temperature(0.7))
    ]

    async def scenario() -> tuple[int, list[int]]:
        sent = bench.chat.send_to_compare(bench.cid, "Name a colour.", columns)
        assert sent is not None
        assert bench.chat.is_comparing(bench.cid) and bench.chat.is_streaming(bench.cid)
        await bench.settled()
        return sent

    question, replies = run(qloop, scenario())
    assert len(replies) == 4
    assert bench.added == [question], "columns are not the chat's reply until one is kept"
    assert bench.streaming == [True, False], "one Send/Stop change for the whole comparison"
    bodies = sorted(chat_bodies(fake_server), key=lambda b: (b["model"], b.get("temperature", 0)))
    assert [(b["model"], b.get("temperature")) for b in bodies] == [
        ("gpt-4o", 0.2),
        ("gpt-4o", 0.7),
        ("gpt-4o", 1.2),
        ("o3-mini", None),  # its rules leave temperature out
    ]
    for body in bodies:
        assert body["messages"] == [{"role": "user", "content": "Name a colour."}]
    assert bench.store.siblings(replies[0]) == replies
    for reply_id, column in zip(replies, columns, strict=True):
        stored = bench.store.get_message(reply_id)
        assert (stored.status, stored.content, stored.model) == (
            MessageStatus.COMPLETE,
            "An answer.",
            column[0],
        )
        details = json.loads(stored.details_json or "{}")
        assert details["model"] == column[0]
    # The chat's own settings did not change.
    assert bench.store.get_conversation(bench.cid).model == "gpt-4o"


def test_one_column_stopped_or_failing_leaves_the_others_running(
    bench: Bench, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.default_reply = Reply(text=" ".join(["word"] * 60), chunk_size=4, delay=0.02)
    fake_server.refused_parameters = {"seed"}
    columns = [
        ("gpt-4o", temperature(0.2)),
        ("gpt-4o", temperature(0.7, seed=3)),  # refused by the server
        ("gpt-4o", temperature(1.2)),
    ]

    async def scenario() -> list[int]:
        question = bench.store.add_message(bench.cid, parent_id=None, role="user", content="Hi")
        replies = bench.chat.compare(bench.cid, question, columns)
        await until(lambda: bench.store.get_message(replies[0]).content)
        bench.chat.stop_reply(replies[0])
        await bench.settled()
        return replies

    stopped, refused, whole = run(qloop, scenario())
    assert bench.store.get_message(stopped).status is MessageStatus.STOPPED
    assert bench.store.get_message(refused).status is MessageStatus.ERROR
    kept = bench.store.get_message(whole)
    assert kept.status is MessageStatus.COMPLETE and kept.content.count("word") == 60


def test_nothing_starts_while_a_reply_is_in_flight(
    bench: Bench, fake_server: FakeOpenAIServer, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_server.default_reply = Reply(text="slow " * 30, chunk_size=2, delay=0.02)

    async def scenario() -> None:
        assert bench.chat.send(bench.cid, "First") is not None
        assert bench.chat.send_to_compare(bench.cid, "Second", [("m", temperature(1))]) is None
        await bench.settled()

    run(qloop, scenario())
    contents = [m.content for m in bench.store.active_path(bench.cid)]
    assert contents[0] == "First" and "Second" not in contents
