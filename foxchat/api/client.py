"""The chat API client: one httpx.AsyncClient, streaming and plain replies, model list.

Timeouts are separate for connecting, for the reply to start, and for each
gap between chunks, because a reply that is slowly streaming is fine but one
that stopped is not. Retries (with backoff) happen only where nothing can have
been generated yet: a failed connect, 429, and 502/503/504, all before the
first byte of a reply. Cancelling the task that consumes :meth:`stream_chat`
closes the response, so the server stops generating. What is read of a reply
is capped (:class:`~foxchat.api.limits.BodyLimits`), so a misbehaving server
gets a plain :class:`ReplyTooLargeError`, not a computer out of memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final

import httpx

from foxchat import __version__
from foxchat.api.accumulate import ChatCompletion, ReplyAccumulator
from foxchat.api.errors import (
    APIError,
    ConnectionFailedError,
    ConnectTimeoutError,
    FirstByteTimeoutError,
    IdleTimeoutError,
    ProtocolError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from foxchat.api.events import StreamEvent
from foxchat.api.failures import error_from_response, error_from_transport
from foxchat.api.idle import IdleTimer
from foxchat.api.limits import DEFAULT_LIMITS, BodyLimits
from foxchat.api.request import ChatRequest
from foxchat.api.stream import (
    event_batches_from_response,
    events_from_body,
    parse_reply_json,
    read_capped,
    release_iterator,
)
from foxchat.api.urls import normalize_base_url
from foxchat.i18n import _

RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
USER_AGENT: Final = f"FoxChat/{__version__}"


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds to wait: to connect, for the reply to start, between two chunks."""

    connect: float = 10
    first_byte: float = 60
    between_chunks: float = 60


class ChatClient:
    """Talks to one OpenAI-compatible endpoint with one key.

    Use as ``async with ChatClient(url, key) as client:`` or call
    :meth:`aclose` when done. ``retry_delay`` is the first backoff step and
    ``max_retry_wait`` the longest Retry-After honoured before giving up.
    ``limits`` caps what is read of a reply; ``proxy`` is a proxy URL
    (http://, https:// or socks5://) used instead of the environment's.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeouts: Timeouts = Timeouts(),
        transport: httpx.AsyncBaseTransport | None = None,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        max_retry_wait: float = 20.0,
        limits: BodyLimits = DEFAULT_LIMITS,
        proxy: str | None = None,
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        self.limits = limits
        self.timeouts = timeouts
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.max_retry_wait = max_retry_wait
        # Some servers refuse stream_options; once one has, stop sending it.
        self._send_stream_options = True
        self._client = httpx.AsyncClient(
            base_url=self.base_url + "/",
            headers={"Authorization": f"Bearer {api_key}", "User-Agent": USER_AGENT},
            # Reads are timed by this module (first byte vs between chunks).
            timeout=httpx.Timeout(
                connect=timeouts.connect, read=None, write=timeouts.first_byte, pool=None
            ),
            transport=transport,
            # A proxy from Settings wins; without one, HTTPS_PROXY, ALL_PROXY
            # and NO_PROXY from the environment apply, as users expect.
            proxy=proxy or None,
            trust_env=True,
            verify=True,
        )

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every connection; the client cannot be used afterwards."""
        await self._client.aclose()

    async def stream_chat(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        """Send ``request`` streamed and yield its events as bytes arrive.

        Raises an :class:`APIError` subclass. When the stream ends early,
        :class:`StreamCutOffError` comes after every event received, so a
        consumer that fed them to a :class:`ReplyAccumulator` keeps the text.
        """
        batches = self.stream_chat_batches(request)
        async with contextlib.aclosing(batches):
            async for batch in batches:
                for event in batch:
                    yield event

    async def stream_chat_batches(
        self, request: ChatRequest
    ) -> AsyncGenerator[list[StreamEvent], None]:
        """As :meth:`stream_chat`, but the events each read of the body completed come as one list.

        A fast stream brings several events per read; a consumer that does
        work per read (saving, pacing, awaiting) does it once per list.
        """
        payload = dataclasses.replace(request, stream=True).to_payload()
        response = await self._open("chat/completions", payload)
        # aclosing: a consumer that stops early closes the stream here, on the
        # running loop, not whenever the garbage collector gets to it.
        try:
            batches = event_batches_from_response(
                response, self.timeouts.between_chunks, self.limits
            )
            async with contextlib.aclosing(batches):
                async for batch in batches:
                    yield batch
        finally:
            await response.aclose()

    async def complete(self, request: ChatRequest) -> ChatCompletion:
        """Send ``request`` without streaming and return the whole reply."""
        payload = dataclasses.replace(request, stream=False).to_payload()
        response = await self._open("chat/completions", payload)
        try:
            body = await self._read_body(response)
        finally:
            await response.aclose()
        if _content_type(response) == "text/event-stream" or body.lstrip()[:5] == b"data:":
            # The server streamed anyway; put the pieces together.
            accumulator = ReplyAccumulator()
            for event in events_from_body(body):
                accumulator.feed(event)
            return ChatCompletion(request.model, accumulator.choices, accumulator.usage)
        return ChatCompletion.from_json(parse_reply_json(body))

    async def list_models(self) -> list[str]:
        """The model ids the endpoint serves, sorted."""
        response = await self._open("models", None)
        try:
            body = await self._read_body(response)
        finally:
            await response.aclose()
        data = parse_reply_json(body)
        items = data.get("data") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ProtocolError(_("The server's model list is in a shape FoxChat does not know."))
        ids = {item.get("id") if isinstance(item, dict) else item for item in items}
        return sorted(model for model in ids if isinstance(model, str) and model)

    async def _open(self, path: str, payload: dict[str, Any] | None) -> httpx.Response:
        """Send with retries; return a 2xx response whose body is still unread."""
        if payload is not None and not self._send_stream_options:
            payload.pop("stream_options", None)
        attempt = 0
        while True:
            delay = self.retry_delay * (2**attempt) * (0.75 + random.random() / 2)
            try:
                response = await self._send_once(path, payload)
            except (ConnectionFailedError, ConnectTimeoutError):
                if attempt >= self.max_retries:
                    raise
            else:
                if response.is_success:
                    return response
                error = await self._error_from(response)
                if payload is not None and self._rejects_stream_options(error, payload):
                    self._send_stream_options = False
                    payload.pop("stream_options")
                    continue
                if (
                    attempt >= self.max_retries
                    or response.status_code not in RETRY_STATUSES
                    or not isinstance(error, RateLimitError | ServerError)
                ):
                    raise error
                if isinstance(error, RateLimitError) and error.retry_after is not None:
                    if error.retry_after > self.max_retry_wait:
                        raise error
                    delay = error.retry_after
            attempt += 1
            await asyncio.sleep(delay)

    async def _send_once(self, path: str, payload: dict[str, Any] | None) -> httpx.Response:
        method = "GET" if payload is None else "POST"
        request = self._client.build_request(method, path, json=payload)
        try:
            # The connect phase has its own httpx timeout inside this window.
            async with asyncio.timeout(self.timeouts.connect + self.timeouts.first_byte):
                return await self._client.send(request, stream=True)
        except TimeoutError:
            raise FirstByteTimeoutError() from None
        except httpx.TransportError as exc:
            raise error_from_transport(exc) from exc

    async def _read_body(self, response: httpx.Response, *, error: bool = False) -> bytes:
        """A whole reply, or (``error``) the start of an error reply's body."""
        chunks = response.aiter_bytes()
        idle = IdleTimer(self.timeouts.between_chunks)
        limit = self.limits.error_body if error else self.limits.reply
        try:
            return await read_capped(chunks, idle, limit, truncate=error)
        except TimeoutError:
            raise IdleTimeoutError() from None
        except httpx.TransportError as exc:
            raise ProtocolError(_("The connection dropped while the reply was arriving.")) from exc
        finally:
            idle.close()
            await release_iterator(chunks)

    async def _error_from(self, response: httpx.Response) -> APIError:
        try:
            body = await self._read_body(response, error=True)
        except APIError:
            body = b""
        finally:
            await response.aclose()
        if 300 <= response.status_code < 400:
            return UnexpectedResponseError(
                _("The base URL sends FoxChat on to a different address."),
                action=_("Check the base URL; for example use https:// instead of http://."),
                status=response.status_code,
            )
        return error_from_response(response, body)

    def _rejects_stream_options(self, error: APIError, payload: dict[str, Any]) -> bool:
        return (
            error.status in (400, 422)
            and "stream_options" in payload
            and "stream_options" in error.message
        )


def _content_type(response: httpx.Response) -> str:
    value: str = response.headers.get("content-type", "")
    return value.partition(";")[0].strip().lower()
