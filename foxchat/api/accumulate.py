"""Putting stream events back together into whole replies.

Choices are kept apart by index (n > 1 interleaves them), tool calls are
merged by their own index (id and name arrive once, arguments in pieces),
and the usage chunk is kept when it comes. A non-streaming reply becomes the
same :class:`ChoiceState` objects, so callers handle both alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from foxchat.api.errors import ProtocolError
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
    fingerprint_of,
    tokens_of,
)
from foxchat.api.messages import ToolCall, Usage
from foxchat.i18n import _

#: Token probabilities kept per choice; a reply longer than this keeps its beginning.
MAX_LOGPROB_TOKENS = 100_000


class ChoiceState:
    """One choice so far: its text, its thinking, its tool calls, why it ended."""

    __slots__ = (
        "_content",
        "_content_parts",
        "_reasoning_parts",
        "finish_reason",
        "logprobs",
        "tool_calls",
    )

    def __init__(
        self,
        content: str = "",
        reasoning: str = "",
        tool_calls: list[ToolCall] | None = None,
        finish_reason: str | None = None,
    ) -> None:
        # Pieces are joined only when read: appending to one long str per
        # delta would copy the whole reply every time.
        self._content_parts: list[str] = [content] if content else []
        self._content: str | None = content
        self._reasoning_parts: list[str] = [reasoning] if reasoning else []
        self.tool_calls: list[ToolCall] = list(tool_calls or ())
        self.finish_reason = finish_reason
        #: Token probabilities, when asked for and sent (empty otherwise).
        self.logprobs: list[TokenChoice] = []

    def add_logprobs(self, tokens: tuple[TokenChoice, ...]) -> None:
        room = MAX_LOGPROB_TOKENS - len(self.logprobs)
        if room > 0:
            self.logprobs.extend(tokens[:room])

    @property
    def content(self) -> str:
        """The answer text received so far."""
        if self._content is None:
            self._content = "".join(self._content_parts)
            self._content_parts = [self._content]
        return self._content

    @property
    def reasoning(self) -> str:
        """The model's thinking received so far ("" when it sent none)."""
        if len(self._reasoning_parts) > 1:
            self._reasoning_parts = ["".join(self._reasoning_parts)]
        return self._reasoning_parts[0] if self._reasoning_parts else ""

    def add_content(self, text: str) -> None:
        self._content_parts.append(text)
        self._content = None

    def add_reasoning(self, text: str) -> None:
        self._reasoning_parts.append(text)

    def merge_tool_call(self, delta: ToolCallDelta) -> None:
        """Fold one fragment into the call with the same index (new index: new call)."""
        if delta.index < len(self.tool_calls):
            call = self.tool_calls[delta.index]
            self.tool_calls[delta.index] = ToolCall(
                call.id or delta.id or "",
                call.name or delta.name or "",
                call.arguments + delta.arguments,
            )
            return
        while len(self.tool_calls) < delta.index:
            self.tool_calls.append(ToolCall("", "", ""))  # a skipped index; keeps positions
        self.tool_calls.append(ToolCall(delta.id or "", delta.name or "", delta.arguments))

    def __repr__(self) -> str:
        return (
            f"ChoiceState(content={self.content!r}, reasoning={self.reasoning!r}, "
            f"tool_calls={self.tool_calls!r}, finish_reason={self.finish_reason!r})"
        )


class ReplyAccumulator:
    """Feed it every event of a stream; read whole choices at any moment."""

    def __init__(self) -> None:
        self.choices: dict[int, ChoiceState] = {}
        self.usage: Usage | None = None
        #: The server's system_fingerprint, kept so a fixed seed can be judged.
        self.system_fingerprint: str | None = None

    def feed(self, event: StreamEvent) -> None:
        """Fold one event into the reply."""
        if isinstance(event, ContentDelta):
            self._choice(event.choice).add_content(event.text)
        elif isinstance(event, ReasoningDelta):
            self._choice(event.choice).add_reasoning(event.text)
        elif isinstance(event, ToolCallDelta):
            self._choice(event.choice).merge_tool_call(event)
        elif isinstance(event, ChoiceFinished):
            self._choice(event.choice).finish_reason = event.reason
        elif isinstance(event, UsageReport):
            self.usage = event.usage
        elif isinstance(event, ReplyFingerprint):
            self.system_fingerprint = event.system_fingerprint
        elif isinstance(event, LogprobsDelta):
            self._choice(event.choice).add_logprobs(event.tokens)

    def text(self, choice: int = 0) -> str:
        """The answer text of ``choice`` so far ("" before any arrived)."""
        state = self.choices.get(choice)
        return state.content if state is not None else ""

    def finished(self) -> bool:
        """Whether at least one choice arrived and every choice has a finish reason."""
        return bool(self.choices) and all(
            state.finish_reason is not None for state in self.choices.values()
        )

    def _choice(self, index: int) -> ChoiceState:
        state = self.choices.get(index)
        if state is None:
            state = self.choices[index] = ChoiceState()
        return state


@dataclass(slots=True)
class ChatCompletion:
    """A whole (non-streamed) reply: its choices by index, usage and model."""

    model: str
    choices: dict[int, ChoiceState] = field(default_factory=dict)
    usage: Usage | None = None
    system_fingerprint: str | None = None

    def text(self, choice: int = 0) -> str:
        """The answer text of ``choice`` ("" when there is none)."""
        state = self.choices.get(choice)
        return state.content if state is not None else ""

    @classmethod
    def from_json(cls, data: Any) -> ChatCompletion:
        """Read a ``chat.completion`` object, or raise :class:`ProtocolError`."""
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise ProtocolError(_("The server's reply did not contain any answer."))
        completion = cls(
            str(data.get("model") or ""),
            usage=Usage.from_dict(data.get("usage")),
            system_fingerprint=fingerprint_of(data),
        )
        for position, choice in enumerate(data["choices"]):
            if not isinstance(choice, dict):
                continue
            index = choice.get("index")
            message = choice.get("message")
            if not isinstance(message, dict):
                message = {}
            reason = choice.get("finish_reason")
            state = ChoiceState(
                content=_text(message.get("content")),
                reasoning=_text(message.get("reasoning_content") or message.get("reasoning")),
                tool_calls=_tool_calls(message.get("tool_calls")),
                finish_reason=reason if isinstance(reason, str) else None,
            )
            state.add_logprobs(tokens_of(choice.get("logprobs")))
            completion.choices[index if isinstance(index, int) else position] = state
        return completion


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _tool_calls(value: object) -> list[ToolCall]:
    calls: list[ToolCall] = []
    for call in value if isinstance(value, list) else ():
        if not isinstance(call, dict):
            continue
        function = call.get("function")
        if not isinstance(function, dict):
            function = {}
        calls.append(
            ToolCall(
                _text(call.get("id")), _text(function.get("name")), _text(function.get("arguments"))
            )
        )
    return calls
