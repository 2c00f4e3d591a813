"""The public surface of foxchat.api that other layers code against."""

from __future__ import annotations

import dataclasses
import inspect

import foxchat.api as api

EXPECTED = {
    "DEFAULT_MODEL",
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "ChatClient",
    "ChatCompletion",
    "ChatRequest",
    "ChoiceFinished",
    "ChoiceState",
    "ConnectTimeoutError",
    "ConnectionFailedError",
    "ContentDelta",
    "LogprobsDelta",
    "TokenChoice",
    "DNSError",
    "FirstByteTimeoutError",
    "IdleTimeoutError",
    "Message",
    "NotFoundError",
    "ParameterError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "ReasoningDelta",
    "ReplyAccumulator",
    "ReplyFingerprint",
    "ReplyTooLargeError",
    "RequestTooLargeError",
    "Role",
    "ServerError",
    "StreamCutOffError",
    "StreamEvent",
    "TLSError",
    "Timeouts",
    "ToolCall",
    "ToolCallDelta",
    "UnexpectedResponseError",
    "Usage",
    "UsageReport",
    "normalize_base_url",
}


def test_everything_promised_is_exported() -> None:
    assert set(api.__all__) == EXPECTED
    for name in EXPECTED:
        assert hasattr(api, name), name


def test_every_error_is_an_api_error_with_plain_words() -> None:
    errors = [getattr(api, n) for n in EXPECTED if n.endswith("Error") and n != "APIError"]
    assert len(errors) == 19
    for kind in errors:
        assert issubclass(kind, api.APIError)
        assert kind.__name__ in (api.errors.__doc__ or ""), "the tree drawing lists every error"
    assert issubclass(api.ParameterError, ValueError)


def test_event_and_message_shapes() -> None:
    fields = {f.name for f in dataclasses.fields(api.ToolCallDelta)}
    assert fields == {"choice", "index", "id", "name", "arguments"}
    assert {f.name for f in dataclasses.fields(api.Message)} == {
        "role",
        "content",
        "tool_calls",
        "tool_call_id",
        "name",
        "reasoning_content",
    }
    assert api.Timeouts() == api.Timeouts(connect=10, first_byte=60, between_chunks=60)
    signature = inspect.signature(api.ChatClient)
    assert list(signature.parameters)[:5] == [
        "base_url",
        "api_key",
        "timeouts",
        "transport",
        "max_retries",
    ]
    assert api.DEFAULT_MODEL == "gpt-4o-mini"
