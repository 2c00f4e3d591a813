"""Helpers for httpx.MockTransport tests: SSE bodies and byte streams split on demand."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Coroutine, Sequence
from typing import Any, TypeVar

import httpx

from foxchat.api import (
    ChatClient,
    ChatRequest,
    Message,
    ReplyAccumulator,
    Timeouts,
)

T = TypeVar("T")
REQUEST = ChatRequest("gpt-4o", [Message("user", "Hi")])


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def chunk(index: int = 0, finish: str | None = None, **delta: Any) -> dict[str, Any]:
    """One chat.completion.chunk with a single choice."""
    return {
        "object": "chat.completion.chunk",
        "choices": [{"index": index, "delta": delta, "finish_reason": finish}],
    }


def sse(*events: dict[str, Any] | str, done: bool = True) -> bytes:
    """An SSE body: dicts become JSON data lines, strings are sent verbatim."""
    parts = [e if isinstance(e, str) else f"data: {json.dumps(e)}\n\n" for e in events]
    if done:
        parts.append("data: [DONE]\n\n")
    return "".join(parts).encode()


class SplitStream(httpx.AsyncByteStream):
    """A response body delivered in exactly these chunks; remembers being closed."""

    def __init__(self, chunks: Sequence[bytes], stall: asyncio.Event | None = None) -> None:
        self.chunks = list(chunks)
        self.stall = stall
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.chunks:
            yield part
        if self.stall is not None:
            await self.stall.wait()

    async def aclose(self) -> None:
        self.closed = True


def split_at(body: bytes, *cuts: int) -> list[bytes]:
    points = [0, *sorted(cuts), len(body)]
    return [body[a:b] for a, b in itertools.pairwise(points)]


def respond_with(*responses: httpx.Response) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering successive requests with these responses (last repeats)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return responses[min(len(seen), len(responses)) - 1]

    return httpx.MockTransport(handler), seen


def stream_response(
    chunks: Sequence[bytes], content_type: str = "text/event-stream"
) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": content_type}, stream=SplitStream(chunks))


def client_for(transport: httpx.AsyncBaseTransport, **options: Any) -> ChatClient:
    options.setdefault("retry_delay", 0.0)
    options.setdefault("timeouts", Timeouts(connect=5, first_byte=5, between_chunks=5))
    return ChatClient("https://api.example.com/v1", "sk-test", transport=transport, **options)


async def collect(
    client: ChatClient, request: ChatRequest = REQUEST
) -> tuple[ReplyAccumulator, BaseException | None]:
    """Stream ``request`` into an accumulator; returns it and the error, if any."""
    accumulator = ReplyAccumulator()
    try:
        async with client:
            async for event in client.stream_chat(request):
                accumulator.feed(event)
    except Exception as error:  # the test inspects it
        return accumulator, error
    return accumulator, None
