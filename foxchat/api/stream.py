"""Reading a streamed reply: bytes in, typed events out, and how a stream may end.

A stream ends well with ``data: [DONE]``. Anything else is reported: a web
page (proxy or captive portal), bytes that are not SSE, invalid JSON, an
error object mid-stream, a stall, or an end without ``[DONE]``
(:class:`StreamCutOffError`, raised after every event received). A server
that omits ``[DONE]`` but finished every choice is taken at its word. One
event, the whole stream and a whole reply are held to :class:`BodyLimits`
(:class:`ReplyTooLargeError` as soon as one is passed).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Iterator
from typing import Any, Final

import httpx

from foxchat.api.accumulate import ChatCompletion
from foxchat.api.errors import (
    IdleTimeoutError,
    ProtocolError,
    StreamCutOffError,
    UnexpectedResponseError,
)
from foxchat.api.events import (
    ChoiceFinished,
    ContentDelta,
    ReasoningDelta,
    ReplyFingerprint,
    StreamEvent,
    ToolCallDelta,
    UsageReport,
    events_from_chunk,
    fingerprint_of,
    parse_json,
)
from foxchat.api.failures import error_from_payload, server_message
from foxchat.api.idle import IdleTimer
from foxchat.api.limits import DEFAULT_LIMITS, BodyLimits, too_large
from foxchat.api.sse import MAX_EVENT, SSEDecoder, SSEMessage
from foxchat.i18n import _

DONE: Final = "[DONE]"
_SSE_STARTS: Final = (b"data:", b":", b"event:", b"id:", b"retry:")


def parse_reply_json(body: bytes) -> Any:
    """A whole JSON reply; a web page or an ``{"error": ...}`` object is raised."""
    stripped = body.lstrip()
    if stripped[:1] == b"<":
        raise UnexpectedResponseError()
    try:
        data = parse_json(body)
    except ProtocolError:
        raise ProtocolError(_("The server's reply is not the JSON a chat API sends.")) from None
    if isinstance(data, dict) and data.get("error"):
        raise error_from_payload(data)
    return data


class _StreamReader:
    """Per-stream state: the decoder, whether [DONE] came, which choices finished."""

    def __init__(self, max_event: int = MAX_EVENT) -> None:
        self.decoder = SSEDecoder(max_event)
        self.done = False
        self.saw_event = False
        self.open_choices: set[int] = set()
        self.finished_choices: set[int] = set()
        self.fingerprint: str | None = None

    def events(self, messages: Iterable[SSEMessage]) -> Iterator[StreamEvent]:
        # A generator, so events before a bad one still reach the consumer.
        for message in messages:
            self.saw_event = True
            data = message.data
            if data == DONE:
                self.done = True
                break
            if message.event == "error":
                quoted = server_message(data) or data.strip()
                raise error_from_payload({"error": {"message": quoted}})
            chunk = parse_json(data)
            fingerprint = fingerprint_of(chunk)
            # Every chunk repeats it; one event when it first comes (or changes).
            if fingerprint is not None and fingerprint != self.fingerprint:
                self.fingerprint = fingerprint
                yield ReplyFingerprint(fingerprint)
            for event in events_from_chunk(chunk):
                if isinstance(event, ChoiceFinished):
                    self.finished_choices.add(event.choice)
                elif not isinstance(event, UsageReport | ReplyFingerprint):
                    self.open_choices.add(event.choice)
                yield event

    def check_end(self, received: int) -> None:
        if self.done:
            return
        if received and not self.saw_event:
            raise ProtocolError(_("The server sent a reply that is not a chat stream."))
        if self.finished_choices and self.open_choices <= self.finished_choices:
            return
        raise StreamCutOffError()


def events_from_body(body: bytes) -> list[StreamEvent]:
    """Every event in a whole SSE body (a server that streamed when asked not to)."""
    reader = _StreamReader()
    events = list(reader.events(reader.decoder.feed(body)))
    if not reader.done:
        events += reader.events(reader.decoder.flush())
    reader.check_end(len(body))
    return events


#: How long to wait for the end of a stream after [DONE].
_DRAIN_TIMEOUT: Final = 1.0


async def event_batches_from_response(
    response: httpx.Response, between_chunks: float, limits: BodyLimits = DEFAULT_LIMITS
) -> AsyncGenerator[list[StreamEvent], None]:
    """Yield the events of a 2xx streamed ``response`` as its bytes arrive, a list per read.

    The events one piece of the body completes come as one list (never an
    empty one), so a consumer runs its per-event work in a plain loop and its
    per-read work (saving, pacing, an ``await``) once per list. A bad event
    raises after the good ones before it have been yielded.
    """
    content_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
    reader = _StreamReader(limits.event)
    chunks = response.aiter_bytes()
    idle = IdleTimer(between_chunks)
    received = 0
    first = True
    try:
        while not reader.done:
            chunk = await idle.wait(anext(chunks, None))
            if chunk is None:
                break
            if first:
                first = False
                if content_type != "text/event-stream" and not chunk.lstrip().startswith(
                    _SSE_STARTS
                ):
                    # Not a stream: a whole JSON reply, an error object, or a web page.
                    body = await read_capped(chunks, idle, limits.reply, first=chunk)
                    whole = _whole_reply_events(body)
                    if whole:
                        yield whole
                    return
            received += len(chunk)
            if received > limits.stream:
                raise too_large(limits.stream)
            batch, error = _take(reader, reader.decoder.feed(chunk))
            if batch:
                yield batch
            if error is not None:
                raise error
        if reader.done:
            # Read on to the end (servers close right after [DONE]) so httpx's
            # nested byte iterators finish by themselves instead of being
            # finalised later by the garbage collector, outside any loop.
            idle.seconds = _DRAIN_TIMEOUT
            with contextlib.suppress(TimeoutError, httpx.TransportError):
                await _drain(chunks, idle, limits.event)
    except TimeoutError:
        raise IdleTimeoutError() from None
    except httpx.DecodingError as exc:
        raise ProtocolError() from exc
    except httpx.TransportError as exc:
        raise StreamCutOffError(_("The connection dropped before the reply was finished.")) from exc
    finally:
        idle.close()
        # Close the byte iterator on this loop; left to the garbage collector
        # it is finalised later, when no event loop may be running.
        await release_iterator(chunks)
    if not reader.done:
        batch, error = _take(reader, reader.decoder.flush())
        if batch:
            yield batch
        if error is not None:
            raise error
    reader.check_end(received)


def _take(
    reader: _StreamReader, messages: Iterable[SSEMessage]
) -> tuple[list[StreamEvent], Exception | None]:
    """The events of ``messages`` as a list, and the error of a bad one (raised by the caller).

    The events before a bad one are kept, so the consumer gets them first.
    """
    batch: list[StreamEvent] = []
    try:
        batch.extend(reader.events(messages))  # keeps what came before an error
    except Exception as exc:  # an APIError from the server's own words, or a bad event
        return batch, exc
    return batch, None


async def aclose_iterator(iterator: AsyncIterator[bytes]) -> None:
    """Close an async generator typed as a plain iterator (httpx's ``aiter_*``)."""
    aclose = getattr(iterator, "aclose", None)
    if aclose is not None:
        await aclose()


#: How many more chunks ``release_iterator`` reads before it gives up on a clean stop.
_RELEASE_CHUNKS: Final = 64


async def release_iterator(iterator: AsyncIterator[bytes]) -> None:
    """Stop reading a response body part way, closing every layer on this loop.

    httpx's byte iterators are generators nested four deep (httpx, then
    httpcore). Closing the outer one leaves the inner ones suspended; the
    garbage collector finalises them later, and under qasync (which installs
    no async-generator hooks) that runs their cleanup outside any event loop:
    "async generator ignored GeneratorExit" and a connection closed nowhere.
    A cancellation raised inside the innermost read unwinds every layer
    instead, so read on until the next wait and cancel it there.
    """
    with contextlib.suppress(TimeoutError, httpx.HTTPError):
        async with asyncio.timeout(0):
            for _chunk in range(_RELEASE_CHUNKS):
                if await anext(iterator, None) is None:
                    break
    await aclose_iterator(iterator)


async def read_capped(
    chunks: AsyncIterator[bytes],
    idle: IdleTimer,
    limit: int,
    *,
    first: bytes = b"",
    truncate: bool = False,
) -> bytes:
    """The rest of a body, after ``first``; at most ``limit`` bytes are kept.

    Past ``limit`` reading stops: with ``truncate`` the first ``limit`` bytes
    are returned, otherwise :class:`ReplyTooLargeError` is raised. The bytes
    are counted as they are decoded, so a small gzip body that expands to
    gigabytes stops at the cap too.
    """
    parts = [first]
    size = len(first)
    while size <= limit:
        chunk = await idle.wait(anext(chunks, None))
        if chunk is None:
            return b"".join(parts)
        parts.append(chunk)
        size += len(chunk)
    if not truncate:
        raise too_large(limit)
    return b"".join(parts)[:limit]


async def _drain(chunks: AsyncIterator[bytes], idle: IdleTimer, limit: int) -> None:
    # Whatever follows [DONE] is thrown away as it comes; a server that keeps
    # sending is left to the caller's close once ``limit`` bytes have passed.
    size = 0
    while size <= limit:
        chunk = await idle.wait(anext(chunks, None))
        if chunk is None:
            return
        size += len(chunk)


def _whole_reply_events(body: bytes) -> list[StreamEvent]:
    completion = ChatCompletion.from_json(parse_reply_json(body))
    events: list[StreamEvent] = []
    for index, choice in sorted(completion.choices.items()):
        if choice.reasoning:
            events.append(ReasoningDelta(index, choice.reasoning))
        if choice.content:
            events.append(ContentDelta(index, choice.content))
        for position, call in enumerate(choice.tool_calls):
            events.append(ToolCallDelta(index, position, call.id, call.name, call.arguments))
        events.append(ChoiceFinished(index, choice.finish_reason or "stop"))
    if completion.usage is not None:
        events.append(UsageReport(completion.usage))
    if completion.system_fingerprint is not None:
        events.append(ReplyFingerprint(completion.system_fingerprint))
    return events
