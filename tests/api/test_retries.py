"""Retries happen only before the first byte, only for failures worth retrying."""

from __future__ import annotations

import json

import httpx
import pytest

from foxchat.api import (
    ConnectionFailedError,
    PaymentRequiredError,
    RateLimitError,
    ServerError,
    StreamCutOffError,
)
from tests.api.mocking import (
    REQUEST,
    chunk,
    client_for,
    collect,
    respond_with,
    run,
    sse,
    stream_response,
)

OK = sse(chunk(content="Fine"), chunk(finish="stop"))


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retryable_statuses_are_retried(status: int) -> None:
    transport, seen = respond_with(
        httpx.Response(status, json={"error": {"message": "busy"}}, headers={"Retry-After": "0"}),
        stream_response([OK]),
    )
    reply, error = run(collect(client_for(transport)))
    assert error is None
    assert reply.text() == "Fine"
    assert len(seen) == 2


@pytest.mark.parametrize("status", [400, 401, 404, 500])
def test_other_statuses_are_not_retried(status: int) -> None:
    transport, seen = respond_with(httpx.Response(status, json={"error": {"message": "no"}}))
    _, error = run(collect(client_for(transport)))
    assert error is not None
    assert len(seen) == 1


def test_retries_give_up_after_max_retries() -> None:
    transport, seen = respond_with(httpx.Response(503, text="down"))
    _, error = run(collect(client_for(transport, max_retries=2)))
    assert isinstance(error, ServerError)
    assert error.status == 503
    assert len(seen) == 3


def test_a_long_retry_after_is_reported_not_waited_for() -> None:
    transport, seen = respond_with(httpx.Response(429, headers={"Retry-After": "3600"}))
    _, error = run(collect(client_for(transport)))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 3600
    assert "Wait about 3600 seconds" in error.user_message
    assert len(seen) == 1


def test_out_of_credit_429_is_not_retried() -> None:
    body = {"error": {"message": "You exceeded your quota", "code": "insufficient_quota"}}
    transport, seen = respond_with(httpx.Response(429, json=body))
    _, error = run(collect(client_for(transport)))
    assert isinstance(error, PaymentRequiredError)
    assert len(seen) == 1


def test_connect_failures_are_retried() -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        if len(attempts) < 3:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return stream_response([OK])

    reply, error = run(collect(client_for(httpx.MockTransport(handler))))
    assert error is None
    assert reply.text() == "Fine"
    assert len(attempts) == 3


def test_connect_failures_give_up_with_a_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    _, error = run(collect(client_for(httpx.MockTransport(handler), max_retries=1)))
    assert isinstance(error, ConnectionFailedError)


def test_nothing_is_retried_after_the_first_byte() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return stream_response([sse(chunk(content="partial"), done=False)])

    seen: list[httpx.Request] = []
    reply, error = run(collect(client_for(httpx.MockTransport(handler))))
    assert isinstance(error, StreamCutOffError)
    assert reply.text() == "partial"
    assert len(seen) == 1


def test_rejected_stream_options_are_dropped_once_and_remembered() -> None:
    rejection = httpx.Response(
        400, json={"error": {"message": "Unrecognized request argument supplied: stream_options"}}
    )
    bodies: list[dict[str, object]] = []
    responses = iter([rejection, stream_response([OK]), stream_response([OK])])

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return next(responses)

    async def twice() -> None:
        async with client_for(httpx.MockTransport(handler)) as client:
            for _ in range(2):
                async for _event in client.stream_chat(REQUEST):
                    pass

    run(twice())
    assert ["stream_options" in body for body in bodies] == [True, False, False]


def test_a_400_about_something_else_is_not_resent() -> None:
    transport, seen = respond_with(
        httpx.Response(400, json={"error": {"message": "temperature is not supported"}})
    )
    _, error = run(collect(client_for(transport)))
    assert error is not None
    assert len(seen) == 1
