"""The SSE decoder gives the same events however the bytes are split."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foxchat.api import ReplyTooLargeError
from foxchat.api.sse import SSEDecoder, SSEMessage

STREAM = (
    b": keep-alive\n\n"
    b'data: {"a": "h\xc3\xa9llo"}\n\n'
    b"event: error\ndata: line one\ndata: line two\n\n"
    b"id: 7\nretry: 10\ndata:no-space\n\n"
    b"data: [DONE]\n\n"
)
EXPECTED = [
    SSEMessage("", '{"a": "héllo"}'),
    SSEMessage("error", "line one\nline two"),
    SSEMessage("", "no-space"),
    SSEMessage("", "[DONE]"),
]


def decode(chunks: list[bytes]) -> list[SSEMessage]:
    decoder = SSEDecoder()
    out: list[SSEMessage] = []
    for chunk in chunks:
        out += decoder.feed(chunk)
    return out + decoder.flush()


def test_whole_stream_in_one_chunk() -> None:
    assert decode([STREAM]) == EXPECTED


def test_every_single_split_point_gives_the_same_events() -> None:
    for body in (STREAM, STREAM.replace(b"\n", b"\r\n"), STREAM.replace(b"\n", b"\r")):
        for cut in range(len(body) + 1):
            assert decode([body[:cut], body[cut:]]) == EXPECTED, (body, cut)


def test_every_pair_of_split_points_with_crlf() -> None:
    body = STREAM.replace(b"\n", b"\r\n")
    for first in range(len(body) + 1):
        for second in range(first, len(body) + 1, 3):
            chunks = [body[:first], body[first:second], body[second:]]
            assert decode(chunks) == EXPECTED


def test_byte_by_byte() -> None:
    assert decode([bytes([b]) for b in STREAM]) == EXPECTED


@settings(max_examples=300, deadline=None)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12),
    newline=st.sampled_from([b"\n", b"\r\n", b"\r"]),
)
def test_any_splitting_and_line_ending(cuts: list[int], newline: bytes) -> None:
    body = STREAM.replace(b"\n", newline)
    points = sorted({min(c, len(body)) for c in cuts})
    chunks = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    assert decode(chunks) == EXPECTED


def test_event_without_trailing_blank_line_is_flushed_at_the_end() -> None:
    assert decode([b'data: {"x": 1}']) == [SSEMessage("", '{"x": 1}')]
    assert decode([b'data: {"x": 1}\n']) == [SSEMessage("", '{"x": 1}')]


def test_comments_and_events_without_data_are_not_dispatched() -> None:
    assert decode([b": ping\n\nevent: ping\n\n:\n\n"]) == []


def test_events_come_out_as_soon_as_their_blank_line_arrives() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: one\n") == []
    assert decoder.feed(b"\ndata: tw") == [SSEMessage("", "one")]
    assert decoder.feed(b"o\r") == []
    assert decoder.feed(b"\n\r\n") == [SSEMessage("", "two")]


def test_an_event_that_never_ends_is_refused_once_it_passes_the_cap() -> None:
    decoder = SSEDecoder(max_event=1000)
    assert decoder.feed(b'data: {"ok": 1}\n\ndata: ') == [SSEMessage("", '{"ok": 1}')]
    for _ in range(9):
        assert decoder.feed(b"x" * 110) == []  # 996 bytes held: still under the cap
    with pytest.raises(ReplyTooLargeError, match="1000 bytes"):
        decoder.feed(b"x" * 10)


def test_an_oversized_event_is_refused_even_when_it_comes_whole() -> None:
    decoder = SSEDecoder(max_event=1000)
    with pytest.raises(ReplyTooLargeError):
        decoder.feed(b"data: " + b"x" * 2000 + b"\n\ndata: [DONE]\n\n")
    # Many small events in one big chunk are fine: the cap is per event.
    many = b'data: {"n": 1}\n\n' * 500
    assert len(SSEDecoder(max_event=1000).feed(many)) == 500


def test_the_default_cap_is_16_mib_per_event() -> None:
    decoder = SSEDecoder()
    line = b"data: " + b"x" * (16 * 2**20 - 6)
    assert decoder.feed(line) == []  # exactly at the cap: accepted
    assert decoder.feed(b"\n\n") == [SSEMessage("", "x" * (16 * 2**20 - 6))]
    decoder.feed(line)
    with pytest.raises(ReplyTooLargeError, match="16 MB"):
        decoder.feed(b"x")
