"""Typed stream events, and turning one decoded stream chunk into them.

A ``chat.completion.chunk`` carries, per choice, pieces of the answer
(``content``), of the model's thinking (``reasoning_content``, or
``reasoning`` on some aggregators), tool-call fragments and a finish reason;
the last chunk may carry only ``usage``. Each becomes one small frozen event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from foxchat.api.errors import ProtocolError
from foxchat.api.failures import error_from_payload
from foxchat.api.messages import Usage
from foxchat.i18n import _


@dataclass(frozen=True, slots=True)
class ContentDelta:
    """A piece of the answer text for one choice."""

    choice: int
    text: str


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    """A piece of the model's visible thinking for one choice."""

    choice: int
    text: str


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A fragment of tool call ``index``: id and name come once, arguments in pieces."""

    choice: int
    index: int
    id: str | None
    name: str | None
    arguments: str


@dataclass(frozen=True, slots=True)
class ChoiceFinished:
    """A choice is complete: stop, length, tool_calls, content_filter, ..."""

    choice: int
    reason: str


@dataclass(frozen=True, slots=True)
class UsageReport:
    """The token count for the whole request (usually the last chunk)."""

    usage: Usage


@dataclass(frozen=True, slots=True)
class ReplyFingerprint:
    """The server's ``system_fingerprint``: which backend build wrote the reply.

    With a fixed ``seed``, replies only repeat while this stays the same.
    """

    system_fingerprint: str


@dataclass(frozen=True, slots=True)
class TokenChoice:
    """One token of the answer, how likely the model found it, and the likeliest others.

    ``logprob`` is the natural log of the probability; ``top`` lists
    (token, logprob) of the alternatives the server sent, likeliest first.
    """

    token: str
    logprob: float
    top: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class LogprobsDelta:
    """Token probabilities for the text of one chunk (asked for with ``logprobs``)."""

    choice: int
    tokens: tuple[TokenChoice, ...]


#: A token longer than this is cut: no real token is, a hostile server's may be.
MAX_TOKEN_CHARS = 200
#: Alternatives kept per token (the API sends at most 20).
MAX_ALTERNATIVES = 20

StreamEvent = (
    ContentDelta
    | ReasoningDelta
    | ToolCallDelta
    | ChoiceFinished
    | UsageReport
    | ReplyFingerprint
    | LogprobsDelta
)


def fingerprint_of(chunk: Any) -> str | None:
    """The ``system_fingerprint`` of a decoded chunk or reply, if it has one."""
    value = chunk.get("system_fingerprint") if isinstance(chunk, dict) else None
    return value if isinstance(value, str) and value else None


def parse_json(data: str | bytes) -> Any:
    """Decode one event's JSON, or raise :class:`ProtocolError`."""
    try:
        return json.loads(data)
    except ValueError:
        raise ProtocolError(
            _("The server sent a piece of the reply that is not valid JSON.")
        ) from None


def events_from_chunk(chunk: Any) -> list[StreamEvent]:
    """The events in one decoded chunk; an ``{"error": ...}`` object is raised."""
    if not isinstance(chunk, dict):
        raise ProtocolError(_("The server sent a piece of the reply in an unknown shape."))
    if chunk.get("error"):
        raise error_from_payload(chunk)
    events: list[StreamEvent] = []
    choices = chunk.get("choices")
    if isinstance(choices, list):
        for choice in choices:
            if isinstance(choice, dict):
                _choice_events(choice, events)
    usage = chunk.get("usage")
    if usage:
        parsed = Usage.from_dict(usage)
        if parsed is not None:
            events.append(UsageReport(parsed))
    return events


def _choice_events(choice: dict[str, Any], events: list[StreamEvent]) -> None:
    index = choice.get("index", 0)
    if not isinstance(index, int):
        index = 0
    delta = choice.get("delta")
    if isinstance(delta, dict):
        reasoning = delta.get("reasoning_content") or delta.get("reasoning")
        if reasoning and isinstance(reasoning, str):
            events.append(ReasoningDelta(index, reasoning))
        content = delta.get("content")
        if content and isinstance(content, str):
            events.append(ContentDelta(index, content))
        tool_calls = delta.get("tool_calls")
        if isinstance(tool_calls, list):
            for position, call in enumerate(tool_calls):
                if isinstance(call, dict):
                    events.append(_tool_call_delta(index, position, call))
    tokens = tokens_of(choice.get("logprobs"))
    if tokens:
        events.append(LogprobsDelta(index, tokens))
    reason = choice.get("finish_reason")
    if reason and isinstance(reason, str):
        events.append(ChoiceFinished(index, reason))


def tokens_of(logprobs: object) -> tuple[TokenChoice, ...]:
    """The tokens in a choice's ``logprobs`` (``{"content": [...]}``); odd entries skipped."""
    content = logprobs.get("content") if isinstance(logprobs, dict) else None
    if not isinstance(content, list):
        return ()
    tokens: list[TokenChoice] = []
    for item in content:
        pair = _token_pair(item)
        if pair is None:
            continue
        top = item.get("top_logprobs")
        alternatives = (
            [_token_pair(alt) for alt in top[:MAX_ALTERNATIVES]] if isinstance(top, list) else []
        )
        tokens.append(TokenChoice(*pair, tuple(a for a in alternatives if a is not None)))
    return tuple(tokens)


def _token_pair(item: object) -> tuple[str, float] | None:
    if not isinstance(item, dict):
        return None
    token, logprob = item.get("token"), item.get("logprob")
    if not isinstance(token, str) or isinstance(logprob, bool):
        return None
    if not isinstance(logprob, int | float) or logprob != logprob or logprob > 0:
        return None
    return token[:MAX_TOKEN_CHARS], max(float(logprob), -1e4)


def _tool_call_delta(choice: int, position: int, call: dict[str, Any]) -> ToolCallDelta:
    function = call.get("function")
    if not isinstance(function, dict):
        function = {}
    index = call.get("index")
    call_id = call.get("id")
    name = function.get("name")
    arguments = function.get("arguments")
    return ToolCallDelta(
        choice,
        # Some servers leave out "index" when there is one call per chunk.
        index if isinstance(index, int) else position,
        call_id if isinstance(call_id, str) and call_id else None,
        name if isinstance(name, str) and name else None,
        arguments if isinstance(arguments, str) else "",
    )
