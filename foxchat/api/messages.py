"""The conversation as the API sees it: messages, tool calls and token usage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["system", "user", "assistant", "tool"]
ROLES: tuple[Role, ...] = ("system", "user", "assistant", "tool")


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One function call the model asked for; ``arguments`` is JSON text as sent."""

    id: str
    name: str
    arguments: str

    def to_dict(self) -> dict[str, Any]:
        """The API's form, as an assistant message carries it."""
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message.

    ``content`` is text, or a list of content parts (``{"type": "text", ...}``,
    later images) sent as given. An assistant message may carry
    ``tool_calls``; a tool message answers one with ``tool_call_id``.
    """

    role: Role
    content: str | list[dict[str, Any]] | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    name: str | None = None
    #: The model's earlier thinking, sent back only where a model needs it
    #: (DeepSeek's reasoner with tool calls).
    reasoning_content: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The API's form; fields that are not set are left out."""
        out: dict[str, Any] = {"role": self.role}
        if self.content is not None or not self.tool_calls:
            # An assistant message with only tool calls may omit content;
            # every other message needs the key, even if empty.
            out["content"] = self.content if self.content is not None else ""
        if self.tool_calls:
            out["tool_calls"] = [call.to_dict() for call in self.tool_calls]
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        if self.name is not None:
            out["name"] = self.name
        if self.reasoning_content:
            out["reasoning_content"] = self.reasoning_content
        return out


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens used by one request, as the server counted them."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int

    @classmethod
    def from_dict(cls, data: object) -> Usage | None:
        """Read the API's ``usage`` object; None when absent or unreadable."""
        if not isinstance(data, dict):
            return None
        prompt = _count(data.get("prompt_tokens"))
        completion = _count(data.get("completion_tokens"))
        total = _count(data.get("total_tokens")) or prompt + completion
        return cls(prompt, completion, total)


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
