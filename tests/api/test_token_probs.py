"""Token probabilities: read from real streamed and whole replies, kept compactly, read back."""

from __future__ import annotations

import asyncio
import gc
import json
import math

import pytest

from foxchat.api import ChatClient, ChatRequest, Message, ReplyAccumulator, Timeouts
from foxchat.api.events import MAX_TOKEN_CHARS, LogprobsDelta, TokenChoice, events_from_chunk
from foxchat.api.token_probs import StoredTokens, decode, encode, probability
from tests.fakeserver import FakeOpenAIServer, Reply

FAST = Timeouts(connect=5, first_byte=5, between_chunks=5)


def ask(server: FakeOpenAIServer, *, stream: bool) -> ReplyAccumulator:
    request = ChatRequest(
        "gpt-4o", [Message("user", "Hi")], logprobs=True, top_logprobs=3, stream=stream
    )

    async def main() -> ReplyAccumulator:
        reply = ReplyAccumulator()
        async with ChatClient(server.base_url, "sk", timeouts=FAST) as chat:
            if stream:
                async for event in chat.stream_chat(request):
                    reply.feed(event)
            else:
                completion = await chat.complete(request)
                reply.choices.update(completion.choices)
        return reply

    return asyncio.run(main())


@pytest.mark.parametrize("stream", [True, False])
def test_each_token_comes_with_its_probability_and_alternatives(
    fake_server: FakeOpenAIServer, stream: bool
) -> None:
    fake_server.script(Reply(text="Echo of words", chunk_size=5))
    reply = ask(fake_server, stream=stream)
    tokens = reply.choices[0].logprobs
    assert "".join(t.token for t in tokens) == reply.text() == "Echo of words"
    assert all(len(t.top) == 3 and t.top[0][0] == t.token for t in tokens)
    body = fake_server.requests[-1].body
    assert body["logprobs"] is True and body["top_logprobs"] == 3


def test_a_server_that_sends_none_leaves_them_empty(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(text="Plain", send_logprobs=False))
    assert ask(fake_server, stream=True).choices[0].logprobs == []


def test_odd_entries_are_skipped_and_long_tokens_cut() -> None:
    chunk = {
        "choices": [
            {
                "index": 0,
                "delta": {"content": "ab"},
                "logprobs": {
                    "content": [
                        {"token": "a", "logprob": -0.1, "top_logprobs": [{"token": "b"}, 3]},
                        {"token": "x" * 1000, "logprob": -2},
                        {"token": "bad", "logprob": 0.5},  # a probability above 1
                        {"token": "nan", "logprob": float("nan")},
                        {"token": 7, "logprob": -1},
                        "junk",
                    ]
                },
            }
        ]
    }
    [delta] = [e for e in events_from_chunk(chunk) if isinstance(e, LogprobsDelta)]
    assert delta.tokens == (
        TokenChoice("a", -0.1, ()),
        TokenChoice("x" * MAX_TOKEN_CHARS, -2.0, ()),
    )


def test_kept_compactly_and_read_back() -> None:
    tokens = [
        TokenChoice("Pa", -0.123456, (("Pa", -0.123456), ("Lo", -3.5))),
        TokenChoice("\n", 0.0),
    ]
    text = encode(tokens)
    assert json.loads(text) == [["Pa", -0.1235, [["Pa", -0.1235], ["Lo", -3.5]]], ["\n", 0.0, []]]
    assert decode(text) == [
        TokenChoice("Pa", -0.1235, (("Pa", -0.1235), ("Lo", -3.5))),
        TokenChoice("\n", 0.0, ()),
    ]
    assert decode("not json") == [] and decode(None) == []
    assert decode('[["ok", -1, []], ["bad", 1, []], [1, 2], "x"]') == [TokenChoice("ok", -1.0)]
    assert math.isclose(probability(math.log(0.25)), 0.25)


def test_stored_tokens_give_text_and_probability_first_and_alternatives_on_demand() -> None:
    from foxchat.api.token_probs import StoredTokens

    stored = StoredTokens(encode([TokenChoice("a", math.log(0.5), (("b", math.log(0.25)),))]))
    assert len(stored) == 1
    [(text, p)] = stored.text_and_probability()
    assert text == "a" and math.isclose(p, 0.5, rel_tol=1e-3)
    assert stored.token(0).top[0][0] == "b"
    assert len(StoredTokens("{}")) == 0 and len(StoredTokens(None)) == 0


def test_reading_a_long_reply_back_collects_once_at_most() -> None:
    # Parsed JSON holds no cycles: collections while it is built free nothing
    # and walk every object the app has. (Once the collector is back on, the
    # objects made meanwhile may start one pass.)
    stored = encode(
        [
            TokenChoice(f" w{n}", -0.5, tuple((f" a{k}", -1.0) for k in range(5)))
            for n in range(3000)
        ]
    )
    passes: list[str] = []

    def count(phase: str, _info: dict[str, int]) -> None:
        passes.append(phase)

    gc.callbacks.append(count)
    try:
        assert len(StoredTokens(stored)) == 3000
        assert passes.count("start") <= 1 and gc.isenabled()
        gc.disable()
        StoredTokens(stored)
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)
