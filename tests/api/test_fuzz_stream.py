"""Fuzzing the stream reader: whatever bytes arrive, the only failure is an APIError.

``test_stream.py`` already proves any split of a valid stream gives the same
reply, and ``tests/store/test_transfer.py`` fuzzes import; this adds arbitrary
and almost-valid bodies, split anywhere, under both content types.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from foxchat.api import APIError
from tests.api.mocking import client_for, collect, respond_with, run, split_at, stream_response

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)

#: Pieces that look like a chat stream, so the fuzzer gets past the first checks.
sse_lines = st.one_of(
    json_values.map(lambda v: f"data: {json.dumps(v)}\n\n"),
    st.just('data: {"choices": [{"index": 0, "delta": {"content": "x"}}]}\n\n'),
    st.just('data: {"choices": [{"index": 9999999999, "delta": {"content": 1}}]}\n\n'),
    st.just('data: {"error": {"message": "boom", "code": "500"}}\n\n'),
    st.just("data: [DONE]\n\n"),
    st.just("event: error\ndata: x\n\n"),
    st.just(": keep-alive\n\n"),
    st.text(max_size=30),
)


def fails_cleanly(chunks: list[bytes], content_type: str) -> None:
    transport, _ = respond_with(stream_response(chunks, content_type))
    _reply, error = run(collect(client_for(transport)))
    assert error is None or isinstance(error, APIError), repr(error)
    if error is not None:
        assert error.user_message.strip()


@settings(max_examples=150, deadline=None)
@given(
    body=st.binary(max_size=400),
    cuts=st.lists(st.integers(0, 400), max_size=6),
    content_type=st.sampled_from(["text/event-stream", "application/json", "text/html"]),
)
def test_arbitrary_bytes_only_ever_raise_api_errors(
    body: bytes, cuts: list[int], content_type: str
) -> None:
    fails_cleanly(split_at(body, *(min(c, len(body)) for c in cuts)), content_type)


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(sse_lines, max_size=8),
    cuts=st.lists(st.integers(0, 2000), max_size=6),
    content_type=st.sampled_from(["text/event-stream", "text/plain"]),
)
def test_almost_valid_streams_only_ever_raise_api_errors(
    lines: list[str], cuts: list[int], content_type: str
) -> None:
    body = "".join(lines).encode("utf-8", "surrogatepass")
    fails_cleanly(split_at(body, *(min(c, len(body)) for c in cuts)), content_type)


@settings(max_examples=100, deadline=None)
@given(value=json_values)
def test_any_whole_json_reply_only_ever_raises_api_errors(value: object) -> None:
    fails_cleanly([json.dumps(value).encode()], "application/json")
