"""Replies larger than any real one: reading stops at the cap with plain words.

Real HTTP on 127.0.0.1 (tests/fakeserver.py streams the huge bodies without
holding them); the client gets small caps so each test moves a few MB.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from foxchat.api import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ChatClient,
    ChatRequest,
    ContentDelta,
    Message,
    ReplyAccumulator,
    ReplyTooLargeError,
    Timeouts,
)
from foxchat.api.limits import MIB, BodyLimits, describe_size, too_large
from tests.fakeserver import (
    FakeOpenAIServer,
    Reply,
    StatusReply,
    StreamedBody,
    endless_line,
    gzip_bomb,
)

FAST = Timeouts(connect=5, first_byte=5, between_chunks=5)
SMALL = BodyLimits(event=1 * MIB, stream=4 * MIB, reply=2 * MIB, error_body=256 * 1024)
REQUEST = ChatRequest("gpt-4o-mini", [Message("user", "Hello fox")])
#: What a server may have written when the client stops reading: the cap plus
#: what the loopback socket buffers hold. Far below the bodies sent (1 GiB).
WRITTEN_AT_MOST = 64 * MIB


def client(server: FakeOpenAIServer, limits: BodyLimits = SMALL) -> ChatClient:
    return ChatClient(server.base_url, "sk-test", timeouts=FAST, retry_delay=0.0, limits=limits)


def stream(server: FakeOpenAIServer) -> tuple[ReplyAccumulator, APIError | None]:
    async def main() -> tuple[ReplyAccumulator, APIError | None]:
        reply = ReplyAccumulator()
        try:
            async with client(server) as chat:
                async for event in chat.stream_chat(REQUEST):
                    reply.feed(event)
        except APIError as error:
            return reply, error
        return reply, None

    return asyncio.run(main())


def complete(server: FakeOpenAIServer) -> APIError | None:
    async def main() -> APIError | None:
        try:
            async with client(server) as chat:
                await chat.complete(REQUEST)
        except APIError as error:
            return error
        return None

    return asyncio.run(main())


def test_a_line_without_end_stops_at_the_cap(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(endless_line(2**30))
    _, error = stream(fake_server)
    assert isinstance(error, ReplyTooLargeError)
    assert "1 MB" in error.user_message and "stopped reading" in error.user_message
    assert fake_server.wait_streamed()[0] < WRITTEN_AT_MOST


def test_events_before_an_oversized_one_are_kept(fake_server: FakeOpenAIServer) -> None:
    def body() -> list[bytes]:
        event = {"choices": [{"index": 0, "delta": {"content": "Hello"}}]}
        return [f"data: {json.dumps(event)}\n\n".encode(), b"data: " + b"x" * (2 * MIB)]

    fake_server.script(StreamedBody(body))
    reply, error = stream(fake_server)
    assert isinstance(error, ReplyTooLargeError)
    assert reply.text() == "Hello"


def test_bytes_after_done_are_skipped_not_held(fake_server: FakeOpenAIServer) -> None:
    def body() -> Iterator[bytes]:
        event = {"choices": [{"index": 0, "delta": {"content": "Done"}, "finish_reason": "stop"}]}
        yield f"data: {json.dumps(event)}\n\ndata: [DONE]\n\n".encode()
        yield from endless_line(2**30, start=b"junk").make()

    fake_server.script(StreamedBody(body))
    reply, error = stream(fake_server)
    assert error is None
    assert reply.text() == "Done"
    assert fake_server.wait_streamed()[0] < WRITTEN_AT_MOST


def test_a_stream_of_small_events_stops_at_the_stream_cap(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(text="fox " * 200_000, chunk_size=4))  # about 35 MB of events
    reply, error = stream(fake_server)
    assert isinstance(error, ReplyTooLargeError)
    assert "4 MB" in error.user_message
    assert 0 < len(reply.text()) < 4 * MIB


def test_a_huge_body_that_is_not_a_stream_stops_at_the_reply_cap(
    fake_server: FakeOpenAIServer,
) -> None:
    fake_server.script(endless_line(2**30, start=b'{"choices": "', content_type="application/json"))
    _, error = stream(fake_server)
    assert isinstance(error, ReplyTooLargeError)
    assert "2 MB" in error.user_message
    assert fake_server.wait_streamed()[0] < WRITTEN_AT_MOST


def test_a_huge_whole_reply_stops_at_the_reply_cap(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(endless_line(2**30, start=b'{"choices": "', content_type="application/json"))
    assert isinstance(complete(fake_server), ReplyTooLargeError)
    assert fake_server.wait_streamed()[0] < WRITTEN_AT_MOST


def test_a_gzip_bomb_stops_at_the_cap_while_it_expands(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(gzip_bomb(200 * MIB))
    error = complete(fake_server)
    assert isinstance(error, ReplyTooLargeError)
    # ~200 KB would be the whole bomb; reading stopped well before its end.
    assert fake_server.wait_streamed()[0] < 150_000


def test_a_gzip_bomb_in_a_stream_stops_at_the_event_cap(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(gzip_bomb(200 * MIB, content_type="text/event-stream"))
    _, error = stream(fake_server)
    assert isinstance(error, ReplyTooLargeError)


def test_a_huge_model_list_stops_at_the_reply_cap(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(endless_line(2**30, start=b'{"data": "', content_type="application/json"))

    async def main() -> None:
        async with client(fake_server) as chat:
            await chat.list_models()

    with pytest.raises(ReplyTooLargeError):
        asyncio.run(main())


def test_a_long_error_body_is_still_quoted(fake_server: FakeOpenAIServer) -> None:
    # FastAPI-style 422 bodies echo the whole request after the message.
    detail = [{"msg": "messages: too many images", "input": "y" * 200_000}]
    fake_server.script(StatusReply(422, {"detail": detail}))
    _, error = stream(fake_server)
    assert isinstance(error, BadRequestError)
    assert "too many images" in error.user_message


def test_a_huge_error_body_is_cut_and_the_status_still_counts(
    fake_server: FakeOpenAIServer,
) -> None:
    fake_server.script(
        StreamedBody(endless_line(2**30).make, status=401, content_type="text/plain")
    )
    _, error = stream(fake_server)
    assert isinstance(error, AuthenticationError)
    assert fake_server.wait_streamed()[0] < WRITTEN_AT_MOST


def test_the_default_caps_hold_with_a_mock_transport() -> None:
    # One real default cap, cheaply: a 17 MiB event against the 16 MiB default.
    closed: list[bool] = []

    class Body(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b'data: {"choices": [{"index": 0, "delta": {"content": "Hi"}}]}\n\n'
            yield b"data: "
            for _ in range(17):
                await asyncio.sleep(0)  # a socket read waits; release_iterator stops there
                yield b"x" * MIB
            raise AssertionError("read past the cap")

        async def aclose(self) -> None:
            closed.append(True)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=Body())

    async def main() -> list[Any]:
        events: list[Any] = []
        chat = ChatClient("http://test/v1", "sk", transport=httpx.MockTransport(handler))
        async with chat:
            with pytest.raises(ReplyTooLargeError, match="16 MB"):
                async for event in chat.stream_chat(REQUEST):
                    events.append(event)
        return events

    events = asyncio.run(main())
    assert [e for e in events if isinstance(e, ContentDelta)] == [ContentDelta(0, "Hi")]
    assert closed == [True]
    default = inspect.signature(ChatClient).parameters["limits"].default
    assert default == BodyLimits(
        event=16 * MIB, stream=256 * MIB, reply=64 * MIB, error_body=1 * MIB
    )


def test_sizes_read_plainly() -> None:
    assert [describe_size(n) for n in (300, 512 * 1024, 16 * MIB)] == [
        "300 bytes",
        "512 KB",
        "16 MB",
    ]
    error = too_large(64 * MIB)
    assert error.title == "Reply too large"
    assert error.user_message.startswith("The server sent more than 64 MB for one reply")
    assert "Any text that arrived is kept." in error.user_message
