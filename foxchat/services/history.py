"""Turning a stored branch into the messages a request sends.

Kept apart from the chat service because it is pure: stored rows in, API
messages out, with the context limit applied. The system prompt is always
sent, however short the limit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from foxchat.store import MessageStatus, StoredMessage

# The API's message types load with the first request or tool call shown,
# not with the window (this module is imported to build it).
if TYPE_CHECKING:
    from foxchat.api.messages import Message, ToolCall
    from foxchat.attachments import Attachment


def build_messages(
    system_prompt: str,
    history: Sequence[StoredMessage],
    *,
    limit: int = 0,
    attachments: Mapping[int, Sequence[Attachment]] | None = None,
    detail: str = "auto",
) -> list[Message]:
    """The request's messages for ``history`` (root to leaf).

    ``limit`` > 0 keeps only the last ``limit`` chat messages. Replies that
    failed before any text arrived are left out: they carry no content the
    model could use, and some servers reject empty assistant turns.
    ``attachments`` maps a user message's id to its files, sent with it
    every time (images as content parts, ``detail`` as given).
    """
    from foxchat.api.content import user_message
    from foxchat.api.messages import Message

    chat = [m for m in history if _worth_sending(m)]
    if limit > 0:
        chat = chat[-limit:]
        # A tool result without the call that asked for it is rejected.
        while chat and chat[0].role == "tool":
            chat = chat[1:]
    messages = [Message(role="system", content=system_prompt)] if system_prompt.strip() else []
    files = attachments or {}
    messages.extend(
        user_message(m.content, files[m.id], detail=detail)
        if m.role == "user" and files.get(m.id)
        else _to_api(m)
        for m in chat
    )
    return messages


def cut_index(history: Sequence[StoredMessage], limit: int) -> int | None:
    """Where the context limit cuts ``history``: the first sent message's index."""
    if limit <= 0:
        return None
    sendable = [i for i, m in enumerate(history) if _worth_sending(m)]
    if len(sendable) <= limit:
        return None
    return sendable[-limit]


def _worth_sending(message: StoredMessage) -> bool:
    if message.role == "system":
        return False
    if message.role == "assistant" and not message.content and not message.tool_calls_json:
        return False
    return not (message.status is MessageStatus.ERROR and not message.content)


def _to_api(message: StoredMessage) -> Message:
    from foxchat.api.messages import Message

    if message.role == "assistant":
        calls = _tool_calls(message.tool_calls_json)
        return Message(
            role="assistant",
            content=message.content or None,
            tool_calls=calls,
            # Thinking is not sent back, except beside tool calls, where
            # DeepSeek's reasoner requires it to continue.
            reasoning_content=message.reasoning if calls and message.reasoning else None,
        )
    if message.role == "tool":
        return Message(role="tool", content=message.content, tool_call_id=message.tool_call_id)
    return Message(role="user", content=message.content)


def tool_calls_of(message: StoredMessage) -> tuple[ToolCall, ...]:
    """The tool calls a stored assistant message made (none if unreadable)."""
    return _tool_calls(message.tool_calls_json)


def _tool_calls(raw: str | None) -> tuple[ToolCall, ...]:
    if not raw:
        return ()
    try:
        items = json.loads(raw)
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    from foxchat.api.messages import ToolCall

    return tuple(
        ToolCall(
            id=str(i.get("id", "")),
            name=str(i.get("name", "")),
            arguments=str(i.get("arguments", "")),
        )
        for i in items
        if isinstance(i, dict)
    )
