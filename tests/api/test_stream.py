"""Streaming through httpx.MockTransport: bytes split anywhere, replies put together."""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from foxchat.api import (
    ChatClient,
    ChatRequest,
    ContentDelta,
    Message,
    ProtocolError,
    RateLimitError,
    ServerError,
    StreamCutOffError,
    StreamEvent,
    ToolCall,
    UnexpectedResponseError,
    Usage,
)
from tests.api.mocking import (
    REQUEST,
    SplitStream,
    chunk,
    client_for,
    collect,
    respond_with,
    run,
    split_at,
    sse,
    stream_response,
)

#: A reply with thinking, two interleaved choices, two tool calls and usage.
RICH = sse(
    ": keep-alive",
    "\n\n",
    chunk(role="assistant", content=""),
    chunk(reasoning_content="Let me th"),
    chunk(reasoning_content="ink… ünïcode"),
    chunk(0, content="Hel"),
    chunk(1, content="Bon"),
    chunk(0, content="lo 👋"),
    chunk(1, content="jour"),
    chunk(tool_calls=[{"index": 0, "id": "call_a", "function": {"name": "f", "arguments": ""}}]),
    chunk(tool_calls=[{"index": 0, "function": {"arguments": '{"x":'}}]),
    chunk(tool_calls=[{"index": 1, "id": "call_b", "function": {"name": "g", "arguments": "{}"}}]),
    chunk(tool_calls=[{"index": 0, "function": {"arguments": " 1}"}}]),
    chunk(0, finish="tool_calls"),
    chunk(1, finish="length"),
    {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}},
)


def check_rich(chunks: list[bytes]) -> None:
    transport, _ = respond_with(stream_response(chunks))
    reply, error = run(collect(client_for(transport)))
    assert error is None
    first, second = reply.choices[0], reply.choices[1]
    assert first.content == "Hello 👋"
    assert first.reasoning == "Let me think… ünïcode"
    assert first.tool_calls == [ToolCall("call_a", "f", '{"x": 1}'), ToolCall("call_b", "g", "{}")]
    assert first.finish_reason == "tool_calls"
    assert second.content == "Bonjour"
    assert second.finish_reason == "length"
    assert reply.usage == Usage(5, 7, 12)
    assert reply.text(1) == "Bonjour"


def test_rich_reply_in_one_piece() -> None:
    check_rich([RICH])


def test_rich_reply_split_at_every_byte_position() -> None:
    for cut in range(0, len(RICH) + 1, 1):
        check_rich(split_at(RICH, cut))


def test_rich_reply_byte_by_byte_with_crlf() -> None:
    body = RICH.replace(b"\n", b"\r\n")
    check_rich([body[i : i + 1] for i in range(len(body))])


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(0, len(RICH)), max_size=20), crlf=st.booleans())
def test_rich_reply_split_anywhere(cuts: list[int], crlf: bool) -> None:
    body = RICH.replace(b"\n", b"\r\n") if crlf else RICH
    check_rich(split_at(body, *(min(c, len(body)) for c in cuts)))


def test_request_carries_key_user_agent_and_payload() -> None:
    transport, seen = respond_with(stream_response([sse(chunk(content="ok", finish="stop"))]))
    run(collect(client_for(transport)))
    request = seen[0]
    assert request.method == "POST"
    assert str(request.url) == "https://api.example.com/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.headers["user-agent"].startswith("FoxChat/")
    body = json.loads(request.content)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert "temperature" not in body


def test_stream_without_done_is_cut_off_and_keeps_the_text() -> None:
    transport, _ = respond_with(stream_response([sse(chunk(content="Half a sen"), done=False)]))
    reply, error = run(collect(client_for(transport)))
    assert isinstance(error, StreamCutOffError)
    assert reply.text() == "Half a sen"
    assert "text so far is kept" in error.user_message


def test_stream_without_done_but_finished_is_accepted() -> None:
    body = sse(chunk(content="All"), chunk(finish="stop"), done=False)
    transport, _ = respond_with(stream_response([body]))
    reply, error = run(collect(client_for(transport)))
    assert error is None
    assert reply.text() == "All"


def test_error_object_mid_stream_is_raised_after_the_text_so_far() -> None:
    body = sse(chunk(content="Start"), {"error": {"message": "Upstream overloaded"}}, done=False)
    transport, _ = respond_with(stream_response([body]))
    reply, error = run(collect(client_for(transport)))
    assert isinstance(error, ServerError)
    assert 'The server said: "Upstream overloaded"' in error.user_message
    assert reply.text() == "Start"


def test_error_object_with_a_status_code_maps_to_its_error() -> None:
    body = sse({"error": {"message": "Slow down", "code": 429}}, done=False)
    transport, _ = respond_with(stream_response([body]))
    _, error = run(collect(client_for(transport)))
    assert isinstance(error, RateLimitError)


def test_sse_error_event_is_raised() -> None:
    body = sse("event: error\ndata: quota exhausted upstream\n\n", done=False)
    transport, _ = respond_with(stream_response([body]))
    _, error = run(collect(client_for(transport)))
    assert isinstance(error, ServerError)
    assert "quota exhausted upstream" in error.user_message


def test_invalid_json_chunk_is_a_protocol_error() -> None:
    body = sse(chunk(content="Fine"), 'data: {"choices": [{"delta\n\n')
    transport, _ = respond_with(stream_response([body]))
    reply, error = run(collect(client_for(transport)))
    assert isinstance(error, ProtocolError)
    assert reply.text() == "Fine"


def test_arbitrary_bytes_are_a_protocol_error() -> None:
    transport, _ = respond_with(stream_response([b"\x00\xff\xfe garbage \x01" * 10]))
    _, error = run(collect(client_for(transport)))
    assert isinstance(error, ProtocolError)


def test_html_page_instead_of_a_stream() -> None:
    page = b"<html><body>Sign in to the hotel Wi-Fi</body></html>"
    transport, _ = respond_with(stream_response([page], "text/html"))
    _, error = run(collect(client_for(transport)))
    assert isinstance(error, UnexpectedResponseError)
    assert "web page" in error.user_message


def test_whole_json_reply_instead_of_a_stream_is_accepted() -> None:
    completion = {
        "model": "m",
        "choices": [{"index": 0, "message": {"content": "Whole"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    response = httpx.Response(200, json=completion)
    transport, _ = respond_with(response)
    reply, error = run(collect(client_for(transport)))
    assert error is None
    assert reply.text() == "Whole"
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage == Usage(1, 1, 2)


def test_sse_with_the_wrong_content_type_still_streams() -> None:
    body = sse(chunk(content="plain"), chunk(finish="stop"))
    transport, _ = respond_with(stream_response([body], "text/plain"))
    reply, error = run(collect(client_for(transport)))
    assert error is None
    assert reply.text() == "plain"


def test_cancelling_the_consumer_closes_the_response() -> None:
    stream = SplitStream([sse(chunk(content="first"), done=False)], stall=asyncio.Event())
    transport, _ = respond_with(httpx.Response(200, stream=stream))
    received: list[str] = []

    async def consume() -> None:
        async with client_for(transport) as client:
            async for event in client.stream_chat(REQUEST):
                if isinstance(event, ContentDelta):
                    received.append(event.text)

    async def main() -> None:
        task = asyncio.create_task(consume())
        while not received:
            await asyncio.sleep(0.01)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert task.cancelled()

    run(main())
    assert received == ["first"]
    assert stream.closed


def test_leaving_the_loop_early_closes_the_response() -> None:
    stream = SplitStream([sse(chunk(content="a"), chunk(content="b"))])
    transport, _ = respond_with(httpx.Response(200, stream=stream))

    async def main() -> None:
        client = client_for(transport)
        async with client, contextlib.aclosing(client.stream_chat(REQUEST)) as events:
            async for _ in events:
                break

    run(main())
    assert stream.closed


def test_parameter_error_is_raised_before_any_request() -> None:
    transport, seen = respond_with(stream_response([sse()]))
    request = ChatRequest("m", [Message("user", "x")], temperature=9)
    _, error = run(collect(client_for(transport), request))
    assert error is not None
    assert "temperature must be 0 to 2" in str(error)
    assert seen == []


async def batches_of(
    client: ChatClient,
) -> tuple[list[list[StreamEvent]], BaseException | None]:
    """What ``stream_chat_batches`` yields, and the error that ended it, if any."""
    batches: list[list[StreamEvent]] = []
    try:
        async with client:
            async for batch in client.stream_chat_batches(REQUEST):
                batches.append(batch)
    except Exception as error:  # the test inspects it
        return batches, error
    return batches, None


def test_the_events_of_one_read_come_as_one_batch() -> None:
    """A fast stream brings several events per read: the session's loop runs once per read."""
    first = sse(chunk(content="a"), chunk(content="b"), chunk(content="c"), done=False)
    second = sse(chunk(content="d"))
    transport, _ = respond_with(stream_response([first[:-9], first[-9:] + second]))
    batches, error = run(batches_of(client_for(transport)))
    assert error is None
    assert batches == [
        [ContentDelta(0, "a"), ContentDelta(0, "b")],
        [ContentDelta(0, "c"), ContentDelta(0, "d")],
    ]


def test_the_good_events_of_a_read_come_before_its_bad_one() -> None:
    body = sse(chunk(content="Fine"), chunk(content=" still"), 'data: {"choices": [{"delta\n\n')
    transport, _ = respond_with(stream_response([body]))
    batches, error = run(batches_of(client_for(transport)))
    assert isinstance(error, ProtocolError)
    assert batches == [[ContentDelta(0, "Fine"), ContentDelta(0, " still")]]
