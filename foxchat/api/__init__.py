"""The chat API client. Never imports Qt.

Everything other layers use is re-exported here (a test checks the list);
the modules behind it are free to change. ``ChatClient`` and ``Timeouts``
load on first use: they bring httpx, which the window's first paint does
not need (a key is read and a client made only after it).
"""

from typing import TYPE_CHECKING, Any

from foxchat.api.accumulate import ChatCompletion, ChoiceState, ReplyAccumulator
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
from foxchat.api.request import DEFAULT_MODEL, ChatRequest
from foxchat.api.urls import normalize_base_url

if TYPE_CHECKING:
    from foxchat.api.client import ChatClient, Timeouts


def __getattr__(name: str) -> Any:
    if name in ("ChatClient", "Timeouts"):
        from foxchat.api import client

        return getattr(client, name)
    raise AttributeError(f"module 'foxchat.api' has no attribute {name!r}")


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
