"""A fake OpenAI-compatible server: real HTTP on 127.0.0.1, scriptable replies and failures.

It serves ``POST /v1/chat/completions`` (streamed as SSE, or whole JSON for
``"stream": false``) and ``GET /v1/models`` on a free port from a background
thread, and records every request it receives. Each request takes the next
scripted item from a queue; with nothing scripted it streams a reply that
echoes the last user message.

Usage (the ``fake_server`` fixture in ``tests/conftest.py`` starts one)::

    def test_something(fake_server: FakeOpenAIServer) -> None:
        fake_server.script(Reply(text="Hello there", chunk_size=3, delay=0.01))
        fake_server.script(Reply(reasoning="Let me think", text="42"))
        fake_server.script(Reply(choices=["first answer", "second answer"]))  # n > 1
        fake_server.script(Reply(tool_calls=[FakeToolCall("call_1", "get_time", "{}")]))
        fake_server.script(StatusReply(429, {"error": {"message": "slow"}},
                                       headers={"Retry-After": "0"}))
        fake_server.script(html_page(502))               # a proxy's error page
        fake_server.script(Reply(reset_after=3))         # TCP reset after 3 events
        fake_server.script(Reply(stall_after=2))         # goes quiet mid-stream
        fake_server.script(Reply(truncate_after=4))      # ends cleanly, no [DONE]
        fake_server.script(Reply(error_after=2))         # {"error": ...} mid-stream
        fake_server.script(endless_line(2**30))          # 1 GiB "data: xxx…" and no newline
        fake_server.script(gzip_bomb(200 * 2**20))       # 200 MiB of zeros as ~200 KB of gzip
        fake_server.vision_models = {"gpt-4o-mini"}      # others refuse images with a 400
        fake_server.requests[-1].images                  # the images sent, checked and decoded
        ... point a client at fake_server.base_url ("http://127.0.0.1:PORT/v1") ...
        assert fake_server.requests[-1].body["model"] == "gpt-4o-mini"

    with FakeOpenAIServer() as server:   # outside pytest
        ...

A :class:`StreamedBody` is written piece by piece as its iterator makes it,
so a huge body costs the server no memory and stops when the client hangs up;
``fake.wait_streamed()`` then says how much went out.

``server.stop()`` leaves nothing listening, so the next request is refused;
``closed_port_url()`` gives such an address without a server at all.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import struct
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal


@dataclass(frozen=True)
class FakeToolCall:
    """A tool call the fake model makes; arguments stream in pieces."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class Reply:
    """A reply to stream (or send whole), with optional faults.

    Event counts (``*_after``) count SSE events sent before the fault; the
    first event is the role chunk. ``write_mode`` "event" writes each event as
    it is made, "whole" sends the entire body in one huge write, "bytes"
    writes one byte at a time.
    """

    text: str | None = None  # None: echo the last user message
    reasoning: str = ""
    tool_calls: Sequence[FakeToolCall] = ()
    choices: Sequence[str] | None = None  # n > 1: these texts, interleaved
    finish_reason: str | None = None  # default: "tool_calls" with tools, else "stop"
    usage: dict[str, int] | None = None  # default: counted words
    send_usage: bool | None = None  # None: when the request asks (stream_options)
    chunk_size: int = 8  # characters per delta
    delay: float = 0.0  # seconds before each event
    rate: float = 0.0  # events per second, kept against the clock (0: not paced)
    model: str = "fake-model"
    system_fingerprint: str | None = None  # on every chunk / the whole reply when set
    #: Token probabilities when the request asks (logprobs); False: never sent, as
    #: servers without them do.
    send_logprobs: bool = True
    send_done: bool = True
    crlf: bool = False
    keepalive_comments: bool = False
    content_type: str = "text/event-stream"
    write_mode: Literal["event", "whole", "bytes"] = "event"
    stall_before_headers: float = 0.0
    stall_after_headers: float = 0.0
    stall_after: int | None = None
    stall_seconds: float = 30.0
    truncate_after: int | None = None
    reset_after: int | None = None
    invalid_json_after: int | None = None
    error_after: int | None = None
    error: dict[str, Any] = field(
        default_factory=lambda: {"message": "The model crashed.", "type": "server_error"}
    )


@dataclass(frozen=True)
class StatusReply:
    """A plain (usually error) reply: any status, body and headers."""

    status: int
    body: bytes | str | dict[str, Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass(frozen=True)
class RawReply:
    """Exactly these bytes as the body, for arbitrary or malformed replies."""

    body: bytes
    status: int = 200
    content_type: str = "text/event-stream"


@dataclass(frozen=True)
class StreamedBody:
    """A body written (chunked) as ``make()`` yields it, for bodies too big to hold."""

    make: Callable[[], Iterable[bytes]]
    status: int = 200
    content_type: str = "text/event-stream"
    headers: dict[str, str] = field(default_factory=dict)


Scripted = Reply | StatusReply | RawReply | StreamedBody

#: Pieces of a streamed body: as large as a socket write is likely to take at once.
_PIECE = 64 * 1024


def endless_line(size: int, *, start: bytes = b"data: ", content_type: str = "") -> StreamedBody:
    """``start`` then ``size`` bytes of "x" and never a newline: one line with no end."""

    def make() -> Iterator[bytes]:
        yield start
        piece = b"x" * _PIECE
        for _ in range(size // _PIECE):
            yield piece

    return StreamedBody(make, content_type=content_type or "text/event-stream")


def gzip_bomb(size: int, *, content_type: str = "application/json") -> StreamedBody:
    """``size`` zero bytes, gzip-compressed as they are sent (about 1000 to 1)."""

    def make() -> Iterator[bytes]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip format
        zeros = bytes(1024 * 1024)
        for _ in range(size // len(zeros)):
            if packed := compressor.compress(zeros):
                yield packed
        yield compressor.flush()

    return StreamedBody(make, content_type=content_type, headers={"Content-Encoding": "gzip"})


def _unsupported_parameter(name: str) -> StatusReply:
    """OpenAI's answer to a parameter the model does not take (its documented error shape)."""
    error = {
        "message": f"Unsupported parameter: '{name}' is not supported with this model.",
        "type": "invalid_request_error",
        "param": name,
        "code": "unsupported_parameter",
    }
    return StatusReply(400, {"error": error})


def html_page(status: int = 502) -> StatusReply:
    """The kind of HTML error page a proxy or load balancer sends."""
    page = f"<html><head><title>{status} Bad Gateway</title></head><body>nginx</body></html>"
    return StatusReply(status, page, content_type="text/html")


def portal_page() -> RawReply:
    """A Wi-Fi login page answering 200 where JSON was expected."""
    return RawReply(b"<!DOCTYPE html><html><body>Please log in</body></html>", 200, "text/html")


def reject_stream_options() -> StatusReply:
    """How some servers refuse ``stream_options``."""
    message = "Unrecognized request argument supplied: stream_options"
    return StatusReply(400, {"error": {"message": message, "type": "invalid_request_error"}})


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@dataclass(frozen=True)
class SentImage:
    """One ``image_url`` part of a request, its data URL decoded."""

    mime: str
    data: bytes
    detail: str | None


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it; header names are lower case."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def images(self) -> list[SentImage]:
        """Every image part sent, in order; raises ValueError for a malformed one."""
        found, problem = _image_parts(self.body)
        if problem:
            raise ValueError(problem)
        return found


def _image_parts(body: Any) -> tuple[list[SentImage], str]:
    """The image parts of a chat request, and what is wrong with them ("" when nothing).

    Checked as OpenAI checks them: ``content`` a list of typed parts, each image
    a ``data:`` URL of base64 whose bytes really are a PNG, JPEG, GIF or WebP
    of the type named, and ``detail`` one of auto, low and high when present.
    """
    found: list[SentImage] = []
    messages = body.get("messages") if isinstance(body, dict) else None
    for message in messages if isinstance(messages, list) else []:
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, list):
            continue
        for part in content:
            if not isinstance(part, dict) or part.get("type") not in ("text", "image_url"):
                return found, "Each content part must be a text or image_url object."
            if part["type"] == "text":
                if not isinstance(part.get("text"), str):
                    return found, "A text part must carry text."
                continue
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, dict) else None
            detail = image.get("detail") if isinstance(image, dict) else None
            if detail not in (None, "auto", "low", "high"):
                return found, f"Invalid detail {detail!r}."
            head, _, encoded = str(url).partition(";base64,")
            mime = head.removeprefix("data:")
            try:
                data = base64.b64decode(encoded, validate=True)
            except ValueError:
                return found, "The image's data URL is not valid base64."
            signatures = {
                "image/png": b"\x89PNG",
                "image/jpeg": b"\xff\xd8\xff",
                "image/gif": b"GIF8",
                "image/webp": b"RIFF",
            }
            if not head.startswith("data:") or not data.startswith(signatures.get(mime, b"?")):
                return found, f"The image is not a valid {mime or 'image'}."
            found.append(SentImage(mime, data, detail))
    return found, ""


class FakeOpenAIServer:
    """The server; see the module docstring."""

    def __init__(
        self,
        models: Sequence[str] = ("fake-model", "gpt-4o-mini"),
        *,
        default_reply: Reply | None = None,
        max_records: int | None = None,
    ) -> None:
        self.models = list(models)
        self.api_key: str | None = None  # when set, other keys get 401
        #: Chat requests carrying any of these fields get OpenAI's 400 for an
        #: unsupported parameter, as a model or gateway that refuses it does.
        self.refused_parameters: set[str] = set()
        #: What an unscripted chat request gets (None: an echo of the message).
        self.default_reply = default_reply
        #: Models that read images (None: all); any other refuses them with a 400
        #: worded as OpenAI words it.
        self.vision_models: set[str] | None = None
        self._queue: deque[Scripted] = deque()
        # A soak sends thousands of ever-longer histories: keep only the last few.
        self._requests: deque[RecordedRequest] = deque(maxlen=max_records)
        #: Bytes of body each StreamedBody wrote before it ended or the client left.
        self.streamed_bytes: list[int] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread: threading.Thread | None = None

    def start(self) -> FakeOpenAIServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and wake stalled replies; later requests are refused."""
        self.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def script(self, *items: Scripted) -> None:
        """Queue replies for the next requests, in order."""
        with self._lock:
            self._queue.extend(items)

    def wait_streamed(self, count: int = 1, timeout: float = 10.0) -> list[int]:
        """``streamed_bytes`` once ``count`` streamed bodies have ended (server side)."""
        deadline = time.monotonic() + timeout
        while len(self.streamed_bytes) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        with self._lock:
            return list(self.streamed_bytes)

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of every request received so far."""
        with self._lock:
            return list(self._requests)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next(self, *, chat: bool) -> Scripted | None:
        with self._lock:
            # A model list request leaves a scripted chat Reply for the chat.
            if self._queue and (chat or not isinstance(self._queue[0], Reply)):
                return self._queue.popleft()
            return None


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeOpenAIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-reply are part of the tests


class _Abort(Exception):
    """The scripted reply ended the connection on purpose."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (_Abort, OSError):
            self.close_connection = True

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        self._serve(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        self._serve(body)

    def _serve(self, body: Any) -> None:
        fake = self.server.fake
        path = self.path.partition("?")[0]
        fake._record(
            RecordedRequest(
                self.command, path, {k.lower(): v for k, v in self.headers.items()}, body
            )
        )
        self.close_connection = True
        auth = self.headers.get("Authorization", "")
        if fake.api_key is not None and auth != f"Bearer {fake.api_key}":
            error = {"message": "Incorrect API key provided.", "type": "invalid_request_error"}
            self._send_status(StatusReply(401, {"error": error}))
            return
        chat = self.command == "POST" and path == "/v1/chat/completions"
        if not chat and not (self.command == "GET" and path == "/v1/models"):
            self._send_status(StatusReply(404, {"error": {"message": f"Not found: {path}"}}))
            return
        refused = [p for p in sorted(fake.refused_parameters) if chat and p in (body or {})]
        if refused:
            self._send_status(_unsupported_parameter(refused[0]))
            return
        if chat and isinstance(body, dict):
            refusal = _refuse_images(fake, body)
            if refusal is not None:
                self._send_status(refusal)
                return
        item = fake._next(chat=chat)
        if isinstance(item, StatusReply):
            self._send_status(item)
        elif isinstance(item, RawReply):
            self._send_bytes(item.status, item.content_type, item.body)
        elif isinstance(item, StreamedBody):
            self._send_streamed(item)
        elif not chat:
            models = {"object": "list", "data": [{"id": m, "object": "model"} for m in fake.models]}
            self._send_status(StatusReply(200, models))
        else:
            reply = item or fake.default_reply or Reply()
            request = body if isinstance(body, dict) else {}
            if request.get("stream"):
                self._stream(reply, request)
            else:
                self._send_status(StatusReply(200, _completion(reply, request)))

    def _send_status(self, item: StatusReply) -> None:
        body = item.body
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        payload = data.encode() if isinstance(data, str) else data
        self._send_bytes(item.status, item.content_type, payload, item.headers)

    def _send_bytes(
        self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _send_streamed(self, item: StreamedBody) -> None:
        self.send_response(item.status)
        self.send_header("Content-Type", item.content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        for name, value in item.headers.items():
            self.send_header(name, value)
        self.end_headers()
        sent = 0
        try:
            for part in item.make():
                if part:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    sent += len(part)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        finally:
            with self.server.fake._lock:
                self.server.fake.streamed_bytes.append(sent)

    def _stream(self, reply: Reply, request: dict[str, Any]) -> None:
        fake = self.server.fake
        if reply.stall_before_headers:
            fake.stopping.wait(reply.stall_before_headers)
        self.send_response(200)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        if reply.stall_after_headers:
            fake.stopping.wait(reply.stall_after_headers)
        newline = b"\r\n" if reply.crlf else b"\n"
        pieces: list[bytes] = []
        began = time.monotonic()
        for count, data in enumerate(_event_data(reply, request)):
            if count == reply.stall_after:
                self._send_chunks(pieces, reply)
                fake.stopping.wait(reply.stall_seconds)
                raise _Abort
            if count == reply.reset_after:
                self._send_chunks(pieces, reply)
                self._reset()
            if count == reply.truncate_after:
                break
            if count == reply.invalid_json_after:
                data = b'{"choices": [{"delta": {"content": "oops'
            if count == reply.error_after:
                data = json.dumps({"error": reply.error}).encode()
            if reply.keepalive_comments:
                pieces.append(b": keep-alive" + newline + newline)
            pieces.append(b"data: " + data + newline + newline)
            if reply.write_mode == "event":
                if reply.delay:
                    fake.stopping.wait(reply.delay)
                if reply.rate:  # the schedule, not the sleeps, sets the pace: no drift
                    fake.stopping.wait(max(0.0, began + count / reply.rate - time.monotonic()))
                self._send_chunks(pieces, reply)
                pieces = []
            if count == reply.error_after:
                break
        else:
            if reply.send_done:
                pieces.append(b"data: [DONE]" + newline + newline)
        self._send_chunks(pieces, reply)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _send_chunks(self, pieces: list[bytes], reply: Reply) -> None:
        data = b"".join(pieces)
        pieces.clear()
        if not data:
            return
        if reply.write_mode == "bytes":
            parts: Iterator[bytes] = (data[i : i + 1] for i in range(len(data)))
        else:
            parts = iter([data])
        for part in parts:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.flush()

    def _reset(self) -> None:
        # SO_LINGER with a zero timeout makes close() send RST, not FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        raise _Abort


def _refuse_images(fake: FakeOpenAIServer, body: dict[str, Any]) -> StatusReply | None:
    images, problem = _image_parts(body)
    if problem:
        return StatusReply(400, {"error": {"message": problem, "type": "invalid_request_error"}})
    if images and fake.vision_models is not None and body.get("model") not in fake.vision_models:
        message = "Invalid content type. image_url is only supported by certain models."
        return StatusReply(400, {"error": {"message": message, "type": "invalid_request_error"}})
    return None


def _reply_texts(reply: Reply, request: dict[str, Any]) -> list[str]:
    if reply.choices is not None:
        return list(reply.choices)
    if reply.text is not None:
        return [reply.text]
    if reply.tool_calls:
        return [""]
    return [f"Echo: {_last_user_text(request)}"]


def _last_user_text(request: dict[str, Any]) -> str:
    for message in reversed(request.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                # Each image shows as [image], so a test sees the model got it.
                return " ".join(
                    "[image]" if part.get("type") == "image_url" else str(part.get("text", ""))
                    for part in content
                )
            return str(content)
    return ""


def _usage(reply: Reply, request: dict[str, Any], texts: list[str]) -> dict[str, int]:
    if reply.usage is not None:
        return reply.usage
    prompt = sum(len(str(m.get("content", "")).split()) for m in request.get("messages") or [])
    completion = sum(len(text.split()) for text in texts) + len(reply.reasoning.split())
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), max(1, size))]


def _event_data(reply: Reply, request: dict[str, Any]) -> Iterator[bytes]:
    """Every event's JSON, in the order a real server sends them."""
    texts = _reply_texts(reply, request)
    base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": reply.model}
    if reply.system_fingerprint is not None:
        base["system_fingerprint"] = reply.system_fingerprint

    def chunk(choices: list[dict[str, Any]], **extra: Any) -> bytes:
        return json.dumps({**base, "created": 1700000000, "choices": choices, **extra}).encode()

    def delta(index: int, fields: dict[str, Any]) -> dict[str, Any]:
        made = {"index": index, "delta": fields, "finish_reason": None}
        if "content" in fields and fields["content"] and _wants_logprobs(reply, request):
            made["logprobs"] = {"content": [_token_logprob(fields["content"], request)]}
        return made

    yield chunk([delta(i, {"role": "assistant", "content": ""}) for i in range(len(texts))])
    for piece in _pieces(reply.reasoning, reply.chunk_size):
        yield chunk([delta(0, {"reasoning_content": piece})])
    split = [_pieces(text, reply.chunk_size) for text in texts]
    for step in range(max((len(parts) for parts in split), default=0)):
        for index, parts in enumerate(split):  # interleave choices as n > 1 servers do
            if step < len(parts):
                yield chunk([delta(index, {"content": parts[step]})])
    for position, call in enumerate(reply.tool_calls):
        head = {"index": position, "id": call.id, "type": "function"}
        head["function"] = {"name": call.name, "arguments": ""}
        yield chunk([delta(0, {"tool_calls": [head]})])
        for piece in _pieces(call.arguments, reply.chunk_size):
            fragment = {"index": position, "function": {"arguments": piece}}
            yield chunk([delta(0, {"tool_calls": [fragment]})])
    reason = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
    for index in range(len(texts)):
        yield chunk([{"index": index, "delta": {}, "finish_reason": reason}])
    wants_usage = bool((request.get("stream_options") or {}).get("include_usage"))
    if reply.send_usage if reply.send_usage is not None else wants_usage:
        yield chunk([], usage=_usage(reply, request, texts))


def _wants_logprobs(reply: Reply, request: dict[str, Any]) -> bool:
    return reply.send_logprobs and request.get("logprobs") is True


def _token_logprob(token: str, request: dict[str, Any]) -> dict[str, Any]:
    """A made-up but stable probability for ``token``, with ``top_logprobs`` others."""
    logprob = -0.05 * (sum(map(ord, token)) % 60)  # probabilities from 100% down to 5%
    top = int(request.get("top_logprobs") or 0)
    others = [
        {"token": f"{token.strip() or '_'}{n}", "logprob": logprob - 0.5 * n} for n in range(1, top)
    ]
    alternatives = [{"token": token, "logprob": logprob}, *others][:top]
    return {"token": token, "logprob": logprob, "top_logprobs": alternatives}


def _completion(reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
    """The whole ``chat.completion`` object for a request with ``stream: false``."""
    texts = _reply_texts(reply, request)
    reason = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
    choices = []
    for index, text in enumerate(texts):
        message: dict[str, Any] = {"role": "assistant", "content": text}
        if reply.reasoning and index == 0:
            message["reasoning_content"] = reply.reasoning
        if reply.tool_calls and index == 0:
            message["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                }
                for c in reply.tool_calls
            ]
        made: dict[str, Any] = {"index": index, "message": message, "finish_reason": reason}
        if _wants_logprobs(reply, request):
            pieces = _pieces(text, reply.chunk_size)
            made["logprobs"] = {"content": [_token_logprob(p, request) for p in pieces]}
        choices.append(made)
    whole = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1700000000,
        "model": reply.model,
        "choices": choices,
        "usage": _usage(reply, request, texts),
    }
    if reply.system_fingerprint is not None:
        whole["system_fingerprint"] = reply.system_fingerprint
    return whole
