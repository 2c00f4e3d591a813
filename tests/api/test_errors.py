"""Every error a person can meet, and exactly what they are told."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest

from foxchat.api import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConnectionFailedError,
    ConnectTimeoutError,
    DNSError,
    FirstByteTimeoutError,
    IdleTimeoutError,
    NotFoundError,
    ParameterError,
    PaymentRequiredError,
    PermissionDeniedError,
    ProtocolError,
    RateLimitError,
    RequestTooLargeError,
    ServerError,
    StreamCutOffError,
    TLSError,
    UnexpectedResponseError,
)
from foxchat.api.failures import parse_retry_after
from tests.api.mocking import client_for, collect, respond_with, run
from tests.chinese import chinese


def error_for(response: httpx.Response) -> APIError:
    transport, _ = respond_with(response)
    _, error = run(collect(client_for(transport, max_retries=0)))
    assert isinstance(error, APIError)
    return error


def error_raising(exc: Exception) -> APIError:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    _, error = run(collect(client_for(httpx.MockTransport(handler), max_retries=0)))
    assert isinstance(error, APIError)
    return error


def test_user_message_is_message_then_action() -> None:
    error = ServerError("It broke.", action="Try later.")
    assert error.user_message == "It broke. Try later."
    assert str(error) == error.user_message
    assert error.title == "Server problem"


def test_401_invalid_key() -> None:
    error = error_for(httpx.Response(401, json={"error": {"message": "Incorrect API key"}}))
    assert isinstance(error, AuthenticationError)
    assert error.status == 401
    assert not error.retryable
    assert error.user_message == (
        'The server did not accept your API key. The server said: "Incorrect API key". '
        "Check that the key is copied in full, without spaces, and has not expired."
    )


def test_402_no_credit() -> None:
    error = error_for(httpx.Response(402, json={"error": "Insufficient balance"}))
    assert isinstance(error, PaymentRequiredError)
    assert error.user_message.startswith("The server says your account has no credit left")
    assert "Top up your balance" in error.user_message


def test_403_no_access() -> None:
    error = error_for(httpx.Response(403, json={"error": {"message": "model not allowed"}}))
    assert isinstance(error, PermissionDeniedError)
    assert "not allowed to use this model" in error.user_message
    assert "Pick another model" in error.user_message


def test_404_suggests_the_v1_base_url() -> None:
    error = error_for(httpx.Response(404, text="404 page not found"))
    assert isinstance(error, NotFoundError)
    assert error.user_message == (
        "The server could not find this model or address. Check the model name, and that "
        "the base URL ends in /v1 (for example https://api.foxapi.cc/v1)."
    )


@pytest.mark.parametrize("status", [400, 422])
def test_bad_request_quotes_the_server(status: int) -> None:
    body = {"error": {"message": "This model does not support tools", "type": "invalid"}}
    error = error_for(httpx.Response(status, json=body))
    assert isinstance(error, BadRequestError)
    assert error.status == status
    assert error.user_message == (
        'The server refused the request: "This model does not support tools". '
        "Switch off the parameters you changed, or pick another model, and try again."
    )


def test_a_very_long_server_message_is_shortened() -> None:
    error = error_for(httpx.Response(400, json={"error": {"message": "x" * 5000}}))
    assert len(error.user_message) < 500
    assert "…" in error.user_message


def test_413_too_large() -> None:
    error = error_for(httpx.Response(413, text="<html>Request Entity Too Large</html>"))
    assert isinstance(error, RequestTooLargeError)
    assert "conversation is too long" in error.user_message
    assert "Start a new chat" in error.user_message


def test_429_rate_limited_honours_retry_after() -> None:
    error = error_for(httpx.Response(429, headers={"Retry-After": "7"}))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7
    assert error.retryable
    assert error.user_message == (
        "The server is getting too many requests from you right now. "
        "Wait about 7 seconds and try again."
    )


def test_retry_after_as_an_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors(status: int) -> None:
    error = error_for(
        httpx.Response(
            status, text="<html><h1>Bad Gateway</h1></html>", headers={"content-type": "text/html"}
        )
    )
    assert isinstance(error, ServerError)
    assert error.user_message == (
        f"The chat service had a problem on its side (error {status}). "
        "This is not your fault; try again in a minute."
    )


def test_html_where_json_was_expected() -> None:
    error = error_for(
        httpx.Response(
            200, text="<html>Log in to Wi-Fi</html>", headers={"content-type": "text/html"}
        )
    )
    assert isinstance(error, UnexpectedResponseError)
    assert error.user_message == (
        "The address answered with a web page instead of the chat service. A proxy, firewall "
        "or Wi-Fi login page may be in the way. Open any web page in your browser to log in "
        "to the network, or check the base URL."
    )


def test_redirect_is_explained() -> None:
    error = error_for(httpx.Response(301, headers={"Location": "https://elsewhere/"}))
    assert isinstance(error, UnexpectedResponseError)
    assert "https:// instead of http://" in error.user_message


def test_connection_refused() -> None:
    cause = ConnectionRefusedError(111, "Connection refused")
    exc = httpx.ConnectError("[Errno 111] Connection refused")
    exc.__cause__ = cause
    error = error_raising(exc)
    assert isinstance(error, ConnectionFailedError)
    assert error.user_message == (
        "Could not connect to the chat service: nothing answered at that address. "
        "Check your internet connection and the base URL, then try again."
    )


def test_dns_failure() -> None:
    exc = httpx.ConnectError("[Errno -2] Name or service not known")
    exc.__cause__ = socket.gaierror(-2, "Name or service not known")
    error = error_raising(exc)
    assert isinstance(error, DNSError)
    assert error.user_message == (
        "The server's name could not be found. "
        "Check the spelling of the base URL and your internet connection."
    )


def test_tls_failure() -> None:
    exc = httpx.ConnectError("certificate verify failed")
    exc.__cause__ = ssl.SSLCertVerificationError(1, "certificate verify failed")
    error = error_raising(exc)
    assert isinstance(error, TLSError)
    assert "could not be verified as secure" in error.user_message
    assert "https address" in error.user_message


def test_connect_timeout() -> None:
    error = error_raising(httpx.ConnectTimeout("timed out"))
    assert isinstance(error, ConnectTimeoutError)
    assert error.user_message == (
        "Connecting to the chat service took too long. "
        "Check your internet connection and try again."
    )


def test_not_a_web_address() -> None:
    error = error_raising(httpx.UnsupportedProtocol("Request URL has an unsupported protocol"))
    assert isinstance(error, ConnectionFailedError)
    assert "not a web address" in error.user_message


def test_timeouts_and_stream_problems_have_plain_messages() -> None:
    assert FirstByteTimeoutError().user_message == (
        "The chat service accepted the request but did not start answering in time. "
        "It may be busy; try again, or pick a faster model."
    )
    assert IdleTimeoutError().user_message == (
        "The reply stopped arriving part way through. "
        "The text so far is kept; try again to get a full reply."
    )
    assert StreamCutOffError().user_message == (
        "The connection ended before the reply was finished. "
        "The text so far is kept; try again to get a full reply."
    )
    assert ProtocolError().user_message == (
        "The server sent a reply FoxChat could not read. "
        "Try again; if it keeps happening, check the base URL points to a chat API."
    )


def test_parameter_error_names_the_parameter_and_range() -> None:
    error = ParameterError("top_p", "top_p must be 0 to 1; got 3.", action="Set top_p ...")
    assert error.parameter == "top_p"
    assert isinstance(error, ValueError)
    assert error.title == "Setting out of range"


def test_a_quoted_server_message_ends_its_sentence_once() -> None:
    ended = error_for(httpx.Response(400, json={"error": {"message": "Bad value!"}}))
    assert '"Bad value!" ' in ended.user_message and '"Bad value!".' not in ended.user_message
    bare = error_for(httpx.Response(400, json={"error": {"message": "Bad value"}}))
    assert '"Bad value". ' in bare.user_message


def test_each_failure_is_one_whole_sentence_in_chinese() -> None:
    with chinese():
        unended = error_for(httpx.Response(401, json={"error": {"message": "Incorrect API key"}}))
        ended = error_for(httpx.Response(503, json={"error": {"message": "Overloaded!"}}))
        plain = error_for(httpx.Response(418, text=""))
    assert unended.message == "服务器不接受你的 API 密钥。服务器返回：“Incorrect API key”。"
    assert ended.message == "聊天服务自身出了问题（错误 503）。服务器返回：“Overloaded!”"
    assert plain.message == "服务器拒绝了请求（错误 418）。"


def test_a_chinese_message_and_its_advice_are_not_parted_by_a_space() -> None:
    error = ServerError("聊天服务自身出了问题。", action="请稍后重试。")
    assert error.user_message == "聊天服务自身出了问题。请稍后重试。"
    assert ServerError("It broke.", action="Try later.").user_message == "It broke. Try later."
