"""A chat request carrying every API parameter, checked before anything is sent.

Ranges come from :data:`foxchat.api.params.NUMBER_SPECS`, so the sidebar, the
store and this validator agree. A parameter left as None is not sent at all:
aggregators reject parameters that some of their models do not take.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any, Final

from foxchat.api.errors import ParameterError
from foxchat.api.messages import ROLES, Message
from foxchat.api.model_rules import NO_OVERRIDES, NotSent, Overrides, apply_rules, rules_for
from foxchat.api.params import (
    ALL_NUMBER_SPECS,
    MAX_STOP_SEQUENCES,
    REASONING_EFFORTS,
    RESPONSE_FORMAT_TYPES,
    TOOL_CHOICE_MODES,
    GenerationParams,
)
from foxchat.i18n import _

_NUMBER_FIELDS: Final = (
    "temperature",
    "max_tokens",
    "top_p",
    "frequency_penalty",
    "presence_penalty",
    "n",
    "max_completion_tokens",
    "seed",
    "top_logprobs",
)

# max_completion_tokens is the same limit as max_tokens under its newer name.
_SPEC_NAMES: Final = {"max_completion_tokens": "max_tokens"}


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One ``/chat/completions`` request. None means "not sent"."""

    model: str
    messages: Sequence[Message]
    _: KW_ONLY
    temperature: float | None = None
    max_tokens: int | None = None
    top_p: float | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    tools: Sequence[Mapping[str, Any]] | None = None
    tool_choice: str | Mapping[str, Any] | None = None
    response_format: Mapping[str, Any] | None = None
    stop: str | Sequence[str] | None = None
    n: int | None = None
    max_completion_tokens: int | None = None
    reasoning_effort: str | None = None
    seed: int | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    stream: bool = True

    @classmethod
    def from_params(
        cls,
        model: str,
        messages: Sequence[Message],
        params: GenerationParams,
        *,
        model_rules: bool = True,
        overrides: Overrides = NO_OVERRIDES,
    ) -> ChatRequest:
        """A request with the parameters switched on in ``params``.

        With ``model_rules`` the model's family rules apply, adjusted by
        ``overrides`` (see :mod:`foxchat.api.model_rules`); without, exactly
        what is switched on is sent.
        """
        fields = params.request_fields()
        return cls.from_fields(
            model, messages, fields, model_rules=model_rules, overrides=overrides
        )[0]

    @classmethod
    def from_fields(
        cls,
        model: str,
        messages: Sequence[Message],
        fields: Mapping[str, Any],
        *,
        model_rules: bool = True,
        overrides: Overrides = NO_OVERRIDES,
    ) -> tuple[ChatRequest, list[NotSent]]:
        """A request from API fields by name, and what the model rules left out."""
        dropped: list[NotSent] = []
        if model_rules:
            fields, dropped = apply_rules(fields, rules_for(model), overrides)
        return cls(model, tuple(messages), **fields), dropped

    def validate(self) -> None:
        """Raise :class:`ParameterError` naming the first value the API would refuse."""
        if not isinstance(self.model, str) or not self.model.strip():
            raise ParameterError("model", _("No model is chosen."), action=_("Pick a model first."))
        _check_messages(self.messages)
        for name in _NUMBER_FIELDS:
            value = getattr(self, name)
            if value is not None:
                spec = ALL_NUMBER_SPECS[_SPEC_NAMES.get(name, name)]
                problem = spec.check(value)
                if problem is not None:
                    problem = problem.replace(spec.name, name, 1)
                    range_text = spec.describe_range()
                    raise ParameterError(
                        name,
                        problem,
                        action=_("Set {name} to a value from {range}.").format(
                            name=name, range=range_text
                        ),
                    )
        _check_reasoning(self.reasoning_effort, self.logprobs, self.top_logprobs)
        _check_stop(self.stop)
        _check_tools(self.tools, self.tool_choice)
        _check_response_format(self.response_format)

    def to_payload(self) -> dict[str, Any]:
        """The JSON body to send: validated, unset parameters left out."""
        self.validate()
        return {
            "model": self.model,
            "messages": [message.to_dict() for message in self.messages],
            **self.settings(),
        }

    def settings(self) -> dict[str, Any]:
        """The body's settings as sent, without the model and the conversation.

        Cheap (no message is turned into JSON): what a reply records it was
        made with, and what a refusal is matched against.
        """
        payload: dict[str, Any] = {"stream": self.stream}
        for name in _NUMBER_FIELDS:
            value = getattr(self, name)
            if value is not None:
                payload[name] = value
        if self.stop is not None:
            payload["stop"] = self.stop if isinstance(self.stop, str) else list(self.stop)
        if self.tools is not None:
            payload["tools"] = [dict(tool) for tool in self.tools]
        if self.tool_choice is not None:
            choice = self.tool_choice
            payload["tool_choice"] = choice if isinstance(choice, str) else dict(choice)
        if self.response_format is not None:
            payload["response_format"] = dict(self.response_format)
        if self.reasoning_effort is not None:
            payload["reasoning_effort"] = self.reasoning_effort
        if self.logprobs is not None:
            payload["logprobs"] = self.logprobs
        if self.stream:
            # Without this the final token count never arrives in a stream.
            payload["stream_options"] = {"include_usage": True}
        return payload


def _check_messages(messages: Sequence[Message]) -> None:
    if not messages:
        raise ParameterError("messages", _("There is no message to send."))
    for message in messages:
        if not isinstance(message, Message) or message.role not in ROLES:
            raise ParameterError(
                "messages", _("Each message must be from system, user, assistant or tool.")
            )
        content = message.content
        if content is not None and not isinstance(content, str | list):
            raise ParameterError(
                "messages", _("A message's content must be text or a list of parts.")
            )
        if isinstance(content, list) and not all(isinstance(part, dict) for part in content):
            raise ParameterError(
                "messages", _("Each part of a message's content must be an object.")
            )
        if message.role == "tool" and not message.tool_call_id:
            raise ParameterError(
                "messages", _("A tool result must say which tool call it answers.")
            )
        if message.tool_calls and message.role != "assistant":
            raise ParameterError("messages", _("Only assistant messages can carry tool calls."))


def _check_reasoning(effort: str | None, logprobs: bool | None, top: int | None) -> None:
    if effort is not None and effort not in REASONING_EFFORTS:
        choices = ", ".join(REASONING_EFFORTS)
        raise ParameterError(
            "reasoning_effort",
            _("reasoning_effort must be one of {choices}; got {value}.").format(
                choices=choices, value=effort
            ),
        )
    if logprobs is not None and not isinstance(logprobs, bool):
        raise ParameterError("logprobs", _("logprobs must be true or false."))
    if top is not None and not logprobs:
        raise ParameterError(
            "top_logprobs",
            _("top_logprobs is only sent together with logprobs."),
            action=_("Switch on logprobs too, or switch off top_logprobs."),
        )


def _check_stop(stop: str | Sequence[str] | None) -> None:
    if stop is None or isinstance(stop, str):
        return
    if not isinstance(stop, Sequence) or not all(isinstance(s, str) for s in stop):
        raise ParameterError(
            "stop",
            _("stop must be a piece of text or a list of up to {count}.").format(
                count=MAX_STOP_SEQUENCES
            ),
        )
    if len(stop) > MAX_STOP_SEQUENCES:
        raise ParameterError(
            "stop",
            _("stop must be a piece of text or a list of up to {count}; got {given}.").format(
                count=MAX_STOP_SEQUENCES, given=len(stop)
            ),
        )


def _check_tools(
    tools: Sequence[Mapping[str, Any]] | None, choice: str | Mapping[str, Any] | None
) -> None:
    names: set[str] = set()
    for tool in tools or ():
        function = tool.get("function") if isinstance(tool, Mapping) else None
        name = function.get("name") if isinstance(function, Mapping) else None
        if tool.get("type") != "function" or not isinstance(name, str) or not name:
            raise ParameterError(
                "tools",
                _("Each tool must be {example}.").format(
                    example='{"type": "function", "function": {"name": ..., ...}}'
                ),
            )
        names.add(name)
    if choice is None:
        return
    modes = ", ".join(TOOL_CHOICE_MODES)
    if not tools:
        raise ParameterError("tool_choice", _("tool_choice needs at least one tool in tools."))
    if isinstance(choice, str):
        if choice not in TOOL_CHOICE_MODES:
            raise ParameterError(
                "tool_choice",
                _("tool_choice must be one of {modes}, or one named function.").format(modes=modes),
            )
        return
    function = choice.get("function") if isinstance(choice, Mapping) else None
    name = function.get("name") if isinstance(function, Mapping) else None
    if not isinstance(name, str) or name not in names:
        raise ParameterError(
            "tool_choice",
            _("tool_choice must be one of {modes}, or the name of a function in tools.").format(
                modes=modes
            ),
        )


def _check_response_format(fmt: Mapping[str, Any] | None) -> None:
    if fmt is None:
        return
    types = ", ".join(RESPONSE_FORMAT_TYPES)
    if not isinstance(fmt, Mapping) or fmt.get("type") not in RESPONSE_FORMAT_TYPES:
        raise ParameterError(
            "response_format",
            _("response_format type must be one of {types}.").format(types=types),
        )
    if fmt["type"] == "json_schema":
        spec = fmt.get("json_schema")
        if (
            not isinstance(spec, Mapping)
            or not isinstance(spec.get("name"), str)
            or not isinstance(spec.get("schema"), Mapping)
        ):
            raise ParameterError(
                "response_format",
                _("A json_schema response format needs a name and a schema object."),
            )
