"""ChatClient end to end against the fake server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest

from foxchat.api import (
    APIError,
    AuthenticationError,
    ChatClient,
    ChatRequest,
    ConnectionFailedError,
    ContentDelta,
    FirstByteTimeoutError,
    IdleTimeoutError,
    Message,
    NotFoundError,
    ProtocolError,
    ReplyAccumulator,
    ServerError,
    StreamCutOffError,
    Timeouts,
    ToolCall,
    UnexpectedResponseError,
)
from tests.fakeserver import (
    FakeOpenAIServer,
    FakeToolCall,
    RawReply,
    Reply,
    StatusReply,
    closed_port_url,
    html_page,
    portal_page,
    reject_stream_options,
)

FAST = Timeouts(connect=5, first_byte=5, between_chunks=5)
SHORT = Timeouts(connect=0.5, first_byte=0.5, between_chunks=0.5)
REQUEST = ChatRequest("gpt-4o-mini", [Message("user", "Hello fox")])


def client(server: FakeOpenAIServer, **options: Any) -> ChatClient:
    options.setdefault("timeouts", FAST)
    options.setdefault("retry_delay", 0.0)
    return ChatClient(server.base_url, "sk-test", **options)


def stream(
    server: FakeOpenAIServer, request: ChatRequest = REQUEST, **options: Any
) -> tuple[ReplyAccumulator, APIError | None]:
    async def main() -> tuple[ReplyAccumulator, APIError | None]:
        reply = ReplyAccumulator()
        try:
            async with client(server, **options) as chat:
                async for event in chat.stream_chat(request):
                    reply.feed(event)
        except APIError as error:
            return reply, error
        return reply, None

    return asyncio.run(main())


def test_default_reply_echoes_and_reports_usage(fake_server: FakeOpenAIServer) -> None:
    reply, error = stream(fake_server)
    assert error is None
    assert reply.text() == "Echo: Hello fox"
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None and reply.usage.total_tokens > 0
    sent = fake_server.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert sent.headers["user-agent"].startswith("FoxChat/")
    assert sent.body["messages"] == [{"role": "user", "content": "Hello fox"}]


def test_reasoning_tool_calls_and_slow_chunks(fake_server: FakeOpenAIServer) -> None:
    calls = [FakeToolCall("call_1", "get_time", '{"zone": "UTC"}'), FakeToolCall("c2", "g", "{}")]
    fake_server.script(Reply(reasoning="Thinking hard", tool_calls=calls, chunk_size=3, delay=0.01))
    reply, error = stream(fake_server)
    assert error is None
    state = reply.choices[0]
    assert state.reasoning == "Thinking hard"
    assert state.tool_calls == [
        ToolCall("call_1", "get_time", '{"zone": "UTC"}'),
        ToolCall("c2", "g", "{}"),
    ]
    assert state.finish_reason == "tool_calls"


def test_several_choices_interleaved(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(choices=["first answer", "second one", "third"], chunk_size=2))
    reply, error = stream(fake_server, ChatRequest("m", REQUEST.messages, n=3))
    assert error is None
    assert [reply.text(i) for i in range(3)] == ["first answer", "second one", "third"]
    assert fake_server.requests[0].body["n"] == 3


@pytest.mark.parametrize(
    "reply",
    [
        Reply(text="x" * 200_000, chunk_size=200_000, write_mode="whole"),
        Reply(text="tiny pieces " * 20, chunk_size=1, write_mode="bytes"),
        Reply(text="with crlf and pings " * 5, crlf=True, keepalive_comments=True),
        Reply(text="sse sent as text/plain", content_type="text/plain"),
    ],
    ids=["one-huge-chunk", "many-tiny-chunks", "crlf-keepalive", "wrong-content-type"],
)
def test_odd_but_valid_streams(fake_server: FakeOpenAIServer, reply: Reply) -> None:
    fake_server.script(reply)
    result, error = stream(fake_server)
    assert error is None
    assert result.text() == reply.text


def test_complete_and_list_models(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(text="Whole answer", reasoning="hmm"))

    async def main() -> None:
        async with client(fake_server) as chat:
            completion = await chat.complete(REQUEST)
            assert completion.text() == "Whole answer"
            assert completion.choices[0].reasoning == "hmm"
            assert completion.model == "fake-model"
            assert completion.usage is not None
            assert await chat.list_models() == ["fake-model", "gpt-4o-mini"]

    asyncio.run(main())
    assert fake_server.requests[0].body["stream"] is False
    assert "stream_options" not in fake_server.requests[0].body
    assert fake_server.requests[1].path == "/v1/models"


def test_wrong_key_on_models(fake_server: FakeOpenAIServer) -> None:
    fake_server.api_key = "the-right-key"

    async def main() -> None:
        async with client(fake_server) as chat:
            await chat.list_models()

    with pytest.raises(AuthenticationError, match="did not accept your API key"):
        asyncio.run(main())


def test_base_url_without_v1_path_is_fixed_and_a_wrong_path_is_404(
    fake_server: FakeOpenAIServer,
) -> None:
    root = fake_server.base_url.removesuffix("/v1")

    async def main(url: str) -> str:
        async with ChatClient(url, "k", timeouts=FAST) as chat:
            return (await chat.complete(REQUEST)).text()

    assert asyncio.run(main(root)) == "Echo: Hello fox"
    assert asyncio.run(main(root + "/v1/chat/completions")) == "Echo: Hello fox"
    with pytest.raises(NotFoundError, match="ends in /v1"):
        asyncio.run(main(root + "/api"))


@pytest.mark.parametrize(
    ("scripted", "kind", "kept"),
    [
        (Reply(text="abcdefgh", chunk_size=2, reset_after=3), StreamCutOffError, "abcd"),
        (Reply(text="abcdefgh", chunk_size=2, truncate_after=3), StreamCutOffError, "abcd"),
        (Reply(text="abcdefgh", chunk_size=2, stall_after=3), IdleTimeoutError, "abcd"),
        (Reply(text="abcdefgh", chunk_size=2, invalid_json_after=3), ProtocolError, "abcd"),
        (Reply(text="abcdefgh", chunk_size=2, error_after=3), ServerError, "abcd"),
        (Reply(stall_after_headers=30), IdleTimeoutError, ""),
        (Reply(stall_before_headers=30), FirstByteTimeoutError, ""),
        (RawReply(b"\x89PNG\r\n\x1a\n binary junk"), ProtocolError, ""),
        (portal_page(), UnexpectedResponseError, ""),
    ],
    ids=[
        "reset",
        "truncated",
        "stall-mid-stream",
        "invalid-json",
        "error-mid-stream",
        "stall-after-headers",
        "stall-before-headers",
        "arbitrary-bytes",
        "portal-page",
    ],
)
def test_failures_mid_stream(
    fake_server: FakeOpenAIServer, scripted: Any, kind: type[APIError], kept: str
) -> None:
    fake_server.script(scripted)
    reply, error = stream(fake_server, timeouts=SHORT)
    assert isinstance(error, kind), error
    assert reply.text() == kept
    assert len(fake_server.requests) == 1


def test_html_502_is_retried_then_succeeds(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(html_page(502), StatusReply(503, "busy", {"Retry-After": "0"}))
    reply, error = stream(fake_server)
    assert error is None
    assert reply.text() == "Echo: Hello fox"
    assert len(fake_server.requests) == 3


def test_html_502_every_time_is_a_server_error(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(html_page(502), html_page(502), html_page(502))
    _, error = stream(fake_server)
    assert isinstance(error, ServerError)
    assert "(error 502)" in error.user_message


def test_stream_options_rejection_is_resent_without(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(reject_stream_options())
    reply, error = stream(fake_server)
    assert error is None
    assert reply.text() == "Echo: Hello fox"
    assert ["stream_options" in r.body for r in fake_server.requests] == [True, False]


def test_connection_refused_when_the_server_is_gone() -> None:
    _, error = stream_at(closed_port_url())
    assert isinstance(error, ConnectionFailedError)
    assert "nothing answered" in error.user_message


def test_stopped_server_refuses(fake_server: FakeOpenAIServer) -> None:
    fake_server.stop()
    _, error = stream(fake_server, max_retries=1)
    assert isinstance(error, ConnectionFailedError)


def stream_at(url: str) -> tuple[ReplyAccumulator, APIError | None]:
    async def main() -> tuple[ReplyAccumulator, APIError | None]:
        reply = ReplyAccumulator()
        try:
            async with ChatClient(url, "k", timeouts=FAST, retry_delay=0) as chat:
                async for event in chat.stream_chat(REQUEST):
                    reply.feed(event)
        except APIError as error:
            return reply, error
        return reply, None

    return asyncio.run(main())


def test_cancel_mid_stream_then_send_again(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(text="abcdef", chunk_size=2, stall_after=2))
    received: list[str] = []

    async def main() -> str:
        async with client(fake_server) as chat:

            async def consume() -> None:
                async for event in chat.stream_chat(REQUEST):
                    if isinstance(event, ContentDelta):
                        received.append(event.text)

            task = asyncio.create_task(consume())
            while not received:
                await asyncio.sleep(0.01)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            return (await chat.complete(REQUEST)).text()

    assert asyncio.run(main()) == "Echo: Hello fox"
    assert received == ["ab"]
