"""The chat API client. Never imports Qt.

Everything other layers use is re-exported here (a test checks the list);
the modules behind it are free to change. Every name loads its module on
first use, not when the package is imported: a first paint that only needs
``foxchat.api.params`` (a submodule import runs this file) does not pay for
the stream's events, the request or the client with httpx.
"""

from typing import TYPE_CHECKING, Any

from foxchat.lazy_exports import LazyExports

if TYPE_CHECKING:
    from foxchat.api.accumulate import ChatCompletion, ChoiceState, ReplyAccumulator
    from foxchat.api.client import ChatClient, Timeouts
    from foxchat.api.errors import (
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
        ReplyTooLargeError,
        RequestTooLargeError,
        ServerError,
        StreamCutOffError,
        TLSError,
        UnexpectedResponseError,
    )
    from foxchat.api.events import (
        ChoiceFinished,
        ContentDelta,
        LogprobsDelta,
        ReasoningDelta,
        ReplyFingerprint,
        StreamEvent,
        TokenChoice,
        ToolCallDelta,
        UsageReport,
    )
    from foxchat.api.messages import Message, Role, ToolCall, Usage
    from foxchat.api.params import DEFAULT_MODEL
    from foxchat.api.request import ChatRequest
    from foxchat.api.urls import normalize_base_url

#: Where each name lives. The modules load when a name is first asked for: the
#: stream's events, the reply accumulator and the request carry ~60 dataclass
#: methods generated from source at import, which only a sent request needs.
_WHERE = {
    "ChatCompletion": "accumulate",
    "ChoiceState": "accumulate",
    "ReplyAccumulator": "accumulate",
    "APIError": "errors",
    "AuthenticationError": "errors",
    "BadRequestError": "errors",
    "ConnectionFailedError": "errors",
    "ConnectTimeoutError": "errors",
    "DNSError": "errors",
    "FirstByteTimeoutError": "errors",
    "IdleTimeoutError": "errors",
    "NotFoundError": "errors",
    "ParameterError": "errors",
    "PaymentRequiredError": "errors",
    "PermissionDeniedError": "errors",
    "ProtocolError": "errors",
    "RateLimitError": "errors",
    "ReplyTooLargeError": "errors",
    "RequestTooLargeError": "errors",
    "ServerError": "errors",
    "StreamCutOffError": "errors",
    "TLSError": "errors",
    "UnexpectedResponseError": "errors",
    "ChoiceFinished": "events",
    "ContentDelta": "events",
    "LogprobsDelta": "events",
    "ReasoningDelta": "events",
    "ReplyFingerprint": "events",
    "StreamEvent": "events",
    "TokenChoice": "events",
    "ToolCallDelta": "events",
    "UsageReport": "events",
    "Message": "messages",
    "Role": "messages",
    "ToolCall": "messages",
    "Usage": "messages",
    "DEFAULT_MODEL": "params",
    "ChatRequest": "request",
    "normalize_base_url": "urls",
    "ChatClient": "client",
    "Timeouts": "client",
}


_EXPORTS = LazyExports(__name__, _WHERE, globals())


def __getattr__(name: str) -> Any:
    """Load a re-exported name's module on first use (PEP 562)."""
    return _EXPORTS.load(name)


def __dir__() -> list[str]:
    return _EXPORTS.names()


__all__ = [
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
    "DNSError",
    "FirstByteTimeoutError",
    "IdleTimeoutError",
    "LogprobsDelta",
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
    "TokenChoice",
    "ToolCall",
    "ToolCallDelta",
    "UnexpectedResponseError",
    "Usage",
    "UsageReport",
    "normalize_base_url",
]
