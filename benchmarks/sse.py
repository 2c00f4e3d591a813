"""Benchmark: decoding and accumulating a streamed reply, FoxChat's decoder vs httpx-sse.

A recorded-style stream of about 1 MB (thousands of content and reasoning
chunks, then usage and ``[DONE]``) is cut into pieces at odd places and read
through an ``httpx.Response`` both ways:

- FoxChat: ``response.iter_bytes()`` into :class:`foxchat.api.sse.SSEDecoder`;
- reference: ``httpx_sse.EventSource(response).iter_sse()`` (the decoder the
  openai SDK's own parser came from).

Both then drive the same JSON parsing and :class:`ReplyAccumulator`, so the
difference is the SSE decoding. Run: ``.venv/bin/python benchmarks/sse.py``.
The last line is ``sse: foxchat_MBps=… httpx_sse_MBps=… ratio=…`` (ratio =
FoxChat / reference; >= 1.0 means not slower).
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable

import httpx
from httpx_sse import EventSource

from foxchat.api.accumulate import ReplyAccumulator
from foxchat.api.events import events_from_chunk
from foxchat.api.sse import SSEDecoder

TARGET_BYTES = 1_000_000
ROUNDS = 9
SAMPLE_TEXT = "the quick brown fox jumps over a lazy dog — naïve café 日本語 🦊 `x = 1`\n"
WORDS = SAMPLE_TEXT.split(" ")


def recorded_stream(seed: int = 2) -> bytes:
    """An SSE body shaped like a real gpt-4o / deepseek stream."""
    rng = random.Random(seed)
    base = {"id": "chatcmpl-9xYz", "object": "chat.completion.chunk", "created": 1718000000}
    base["model"] = "gpt-4o-2024-08-06"
    base["system_fingerprint"] = "fp_abc123"
    events: list[bytes] = []
    size = 0
    while size < TARGET_BYTES:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
        field = "reasoning_content" if rng.random() < 0.2 else "content"
        choice = {"index": 0, "delta": {field: words}, "logprobs": None, "finish_reason": None}
        line = b"data: " + json.dumps({**base, "choices": [choice]}).encode() + b"\n\n"
        if rng.random() < 0.01:
            line = b": keep-alive\n\n" + line
        events.append(line)
        size += len(line)
    finish = {"index": 0, "delta": {}, "finish_reason": "stop"}
    usage = {"prompt_tokens": 20, "completion_tokens": len(events), "total_tokens": 20}
    events.append(b"data: " + json.dumps({**base, "choices": [finish]}).encode() + b"\n\n")
    events.append(b"data: " + json.dumps({**base, "choices": [], "usage": usage}).encode())
    events.append(b"\n\ndata: [DONE]\n\n")
    return b"".join(events)


def odd_pieces(body: bytes, seed: int = 3) -> list[bytes]:
    """Cut like a network does: uneven sizes, through lines and UTF-8 characters."""
    rng = random.Random(seed)
    pieces: list[bytes] = []
    start = 0
    while start < len(body):
        end = start + rng.choice((1, 7, 61, 200, 333, 512, 700))
        pieces.append(body[start:end])
        start = end
    return pieces


def response(pieces: list[bytes]) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=iter(pieces))


def with_foxchat(pieces: list[bytes]) -> ReplyAccumulator:
    accumulator = ReplyAccumulator()
    decoder = SSEDecoder()
    for chunk in response(pieces).iter_bytes():
        for message in decoder.feed(chunk):
            if message.data == "[DONE]":
                return accumulator
            for event in events_from_chunk(json.loads(message.data)):
                accumulator.feed(event)
    return accumulator


def with_httpx_sse(pieces: list[bytes]) -> ReplyAccumulator:
    accumulator = ReplyAccumulator()
    for sse in EventSource(response(pieces)).iter_sse():
        if sse.data == "[DONE]":
            return accumulator
        for event in events_from_chunk(json.loads(sse.data)):
            accumulator.feed(event)
    return accumulator


def best_seconds(run: Callable[[list[bytes]], object], pieces: list[bytes]) -> float:
    """Best of several rounds, in CPU time: steadier than wall time on a shared machine."""
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        run(pieces)
        best = min(best, time.process_time() - started)
    return best


def main() -> int:
    body = recorded_stream()
    pieces = odd_pieces(body)
    ours, theirs = with_foxchat(pieces), with_httpx_sse(pieces)
    if ours.text() != theirs.text() or ours.usage != theirs.usage or not ours.text():
        print("sse: the two decoders disagree", file=sys.stderr)
        return 1
    megabytes = len(body) / 1e6
    print(f"stream: {len(body):,} bytes, {body.count(b'data: '):,} events, {len(pieces):,} pieces")
    reasoning = len(ours.choices[0].reasoning)
    print(f"reply: {len(ours.text()):,} chars of content, {reasoning:,} of reasoning")
    foxchat_rate = megabytes / best_seconds(with_foxchat, pieces)
    httpx_sse_rate = megabytes / best_seconds(with_httpx_sse, pieces)
    # The decoders alone, without JSON and accumulation, to show where time goes.
    decode_only = megabytes / best_seconds(_decode_only, pieces)
    print(f"foxchat SSE decoding alone (no JSON): {decode_only:.1f} MB/s")
    print(
        f"sse: foxchat_MBps={foxchat_rate:.1f} httpx_sse_MBps={httpx_sse_rate:.1f} "
        f"ratio={foxchat_rate / httpx_sse_rate:.2f}"
    )
    return 0


def _decode_only(pieces: list[bytes]) -> None:
    decoder = SSEDecoder()
    for chunk in response(pieces).iter_bytes():
        decoder.feed(chunk)


if __name__ == "__main__":
    sys.exit(main())
