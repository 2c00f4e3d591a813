"""The chat API client. Never imports Qt.

Everything other layers use is re-exported here (a test checks the list);
the modules behind it are free to change.
"""

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
    RequestTooLargeError,
    ServerError,
    StreamCutOffError,
    TLSError,
    UnexpectedResponseError,
)
from foxchat.api.events import (
    ChoiceFinished,
    ContentDelta,
    ReasoningDelta,
    StreamEvent,
    ToolCallDelta,
    UsageReport,
)
from foxchat.api.messages import Message, Role, ToolCall, Usage
from foxchat.api.request import DEFAULT_MODEL, ChatRequest
from foxchat.api.urls import normalize_base_url

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
    "Message",
    "NotFoundError",
    "ParameterError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "ReasoningDelta",
    "ReplyAccumulator",
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
]
