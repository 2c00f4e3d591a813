"""Generation parameters as the user sets them: values plus on/off switches.

This is the one place that names each sampling parameter, its allowed range,
its default and the plain-language line shown beside its slider. The request
validator, the parameter sidebar and the store (as versioned JSON) all read
from here, so a range is never written twice.

An optional parameter that is switched off is never sent: aggregators reject
parameters that some of their models do not take.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from foxchat.i18n import _

PARAMS_VERSION: Final = 1


@dataclass(frozen=True, slots=True)
class NumberSpec:
    """A numeric parameter: its API name, range and what it does."""

    name: str
    label: str
    minimum: float
    maximum: float | None
    default: float
    step: float
    integer: bool
    help: str

    def describe_range(self) -> str:
        """The allowed range in words, for error messages and tooltips."""
        lo = _fmt(self.minimum)
        if self.maximum is None:
            return _("{low} or more").format(low=lo)
        return _("{low} to {high}").format(low=lo, high=_fmt(self.maximum))

    def check(self, value: object) -> str | None:
        """Return a user-facing problem with ``value``, or None when it fits."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = (
                _("{name} must be a whole number ({range}).")
                if self.integer
                else _("{name} must be a number ({range}).")
            )
            return kind.format(name=self.name, range=self.describe_range())
        if self.integer and not isinstance(value, int):
            return _("{name} must be a whole number ({range}).").format(
                name=self.name, range=self.describe_range()
            )
        if (
            value != value
            or value < self.minimum
            or (self.maximum is not None and value > self.maximum)
        ):
            return _("{name} must be {range}; got {value}.").format(
                name=self.name, range=self.describe_range(), value=_fmt(value)
            )
        return None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


NUMBER_SPECS: Final[dict[str, NumberSpec]] = {
    spec.name: spec
    for spec in (
        NumberSpec(
            "temperature",
            _("Temperature"),
            0.0,
            2.0,
            1.0,
            0.05,
            False,
            _("Higher = more varied wording, lower = more predictable."),
        ),
        NumberSpec(
            "top_p",
            _("Top P"),
            0.0,
            1.0,
            1.0,
            0.01,
            False,
            _("Lower = the model only picks from its most likely words."),
        ),
        NumberSpec(
            "frequency_penalty",
            _("Frequency penalty"),
            -2.0,
            2.0,
            0.0,
            0.05,
            False,
            _("Higher = repeats the same words and lines less."),
        ),
        NumberSpec(
            "presence_penalty",
            _("Presence penalty"),
            -2.0,
            2.0,
            0.0,
            0.05,
            False,
            _("Higher = more likely to move on to new topics."),
        ),
        NumberSpec(
            "max_tokens",
            _("Max tokens"),
            1,
            None,
            1024,
            1,
            True,
            _("The longest reply allowed; a reply cut short says so."),
        ),
        NumberSpec(
            "n",
            _("Answers"),
            1,
            8,
            1,
            1,
            True,
            _("How many different answers to write at once."),
        ),
    )
}

#: Numeric parameters the sidebar does not show yet; checked and stored alike.
EXTRA_NUMBER_SPECS: Final[dict[str, NumberSpec]] = {
    spec.name: spec
    for spec in (
        NumberSpec(
            "seed",
            _("Seed"),
            0,
            None,
            0,
            1,
            True,
            _("The same seed and settings give the same reply where the server can."),
        ),
        NumberSpec(
            "top_logprobs",
            _("Top word probabilities"),
            0,
            20,
            0,
            1,
            True,
            _("How many likely alternatives to list for each word of the reply."),
        ),
    )
}

#: Every numeric parameter, shown or not, by API name.
ALL_NUMBER_SPECS: Final[dict[str, NumberSpec]] = {**NUMBER_SPECS, **EXTRA_NUMBER_SPECS}

#: Every value ``reasoning_effort`` takes on some model; each family takes a few.
REASONING_EFFORTS: Final = ("none", "minimal", "low", "medium", "high", "xhigh")

MAX_STOP_SEQUENCES: Final = 4
TOOL_CHOICE_MODES: Final = ("none", "auto", "required")
RESPONSE_FORMAT_TYPES: Final = ("text", "json_object", "json_schema")

# Kept here, not beside the request and the content parts that use them, so the
# settings and the sidebar read them without loading those modules at start.
#: The model used when neither the user nor FOXCHAT_MODEL names one.
DEFAULT_MODEL: Final = "gpt-4o-mini"

Detail = Literal["auto", "low", "high"]
#: How closely the model looks at an image: OpenAI's ``detail`` values.
DETAILS: Final[tuple[Detail, ...]] = ("auto", "low", "high")

#: Parameters that have an on/off switch, in the order the sidebar shows them.
OPTIONAL_PARAMETERS: Final = (
    "temperature",
    "top_p",
    "frequency_penalty",
    "presence_penalty",
    "max_tokens",
    "n",
    "stop",
    "response_format",
    "tools",
    "tool_choice",
    "reasoning_effort",
    "seed",
    "logprobs",
    "top_logprobs",
)


@dataclass(frozen=True, slots=True)
class GenerationParams:
    """Every generation parameter with its on/off state.

    ``tool_choice`` is one of :data:`TOOL_CHOICE_MODES` or the name of one
    function. ``response_format`` is the API's object as sent, for example
    ``{"type": "json_schema", "json_schema": {...}}``. ``tools`` is the list
    of tool specs as sent. ``seed`` switched off means a new seed each time;
    ``logprobs`` is only a switch. ``max_tokens`` is the one reply-length
    limit: the request sends it as ``max_tokens`` or ``max_completion_tokens``
    as the model expects (see :mod:`foxchat.api.model_rules`).
    """

    temperature: float = 1.0
    top_p: float = 1.0
    frequency_penalty: float = 0.0
    presence_penalty: float = 0.0
    max_tokens: int = 1024
    n: int = 1
    stop: tuple[str, ...] = ()
    stream: bool = True
    response_format: dict[str, Any] = field(default_factory=lambda: {"type": "text"})
    tools: tuple[dict[str, Any], ...] = ()
    tool_choice: str = "auto"
    reasoning_effort: str = "medium"
    seed: int = 0
    top_logprobs: int = 0
    enabled: frozenset[str] = frozenset()

    def is_enabled(self, name: str) -> bool:
        """Whether the optional parameter ``name`` is switched on."""
        return name in self.enabled

    def with_enabled(self, name: str, on: bool) -> GenerationParams:
        """A copy with ``name`` switched on or off."""
        if name not in OPTIONAL_PARAMETERS:
            raise KeyError(name)
        enabled = self.enabled | {name} if on else self.enabled - {name}
        return replace(self, enabled=frozenset(enabled))

    def with_values(self, **values: Any) -> GenerationParams:
        """A copy with some values changed (switches untouched)."""
        return replace(self, **values)

    def request_fields(self) -> dict[str, Any]:
        """The API fields to send: only switched-on parameters, plus ``stream``.

        ``tool_choice`` goes out only alongside ``tools``, since servers reject
        one without the other. A named tool becomes the API's object form.
        """
        out: dict[str, Any] = {"stream": self.stream}
        for name in (
            "temperature",
            "top_p",
            "frequency_penalty",
            "presence_penalty",
            "max_tokens",
            "n",
        ):
            if self.is_enabled(name):
                out[name] = getattr(self, name)
        if self.is_enabled("stop") and self.stop:
            out["stop"] = list(self.stop)
        if self.is_enabled("response_format"):
            out["response_format"] = dict(self.response_format)
        if self.is_enabled("tools") and self.tools:
            out["tools"] = [dict(tool) for tool in self.tools]
            if self.is_enabled("tool_choice"):
                out["tool_choice"] = tool_choice_value(self.tool_choice)
        if self.is_enabled("reasoning_effort"):
            out["reasoning_effort"] = self.reasoning_effort
        if self.is_enabled("seed"):
            out["seed"] = self.seed
        if self.is_enabled("logprobs"):
            out["logprobs"] = True
            # top_logprobs is refused without logprobs, so it only rides along.
            if self.is_enabled("top_logprobs"):
                out["top_logprobs"] = self.top_logprobs
        return out

    def to_json(self) -> str:
        """Versioned JSON for the store; stable key order."""
        data = {
            "version": PARAMS_VERSION,
            "values": {
                "temperature": self.temperature,
                "top_p": self.top_p,
                "frequency_penalty": self.frequency_penalty,
                "presence_penalty": self.presence_penalty,
                "max_tokens": self.max_tokens,
                "n": self.n,
                "stop": list(self.stop),
                "stream": self.stream,
                "response_format": self.response_format,
                "tools": list(self.tools),
                "tool_choice": self.tool_choice,
                "reasoning_effort": self.reasoning_effort,
                "seed": self.seed,
                "top_logprobs": self.top_logprobs,
            },
            "enabled": sorted(self.enabled),
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> GenerationParams:
        """Read what :meth:`to_json` wrote; unknown or broken input gives defaults.

        A settings blob must never stop a conversation from opening, so each
        value is taken only if it has the right type and range.
        """
        default = cls()
        if not text:
            return default
        try:
            data = json.loads(text)
        except ValueError:
            return default
        if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
            return default
        values: dict[str, Any] = data["values"]
        kept: dict[str, Any] = {}
        for name, spec in ALL_NUMBER_SPECS.items():
            value = values.get(name)
            if value is not None and spec.check(value) is None:
                kept[name] = int(value) if spec.integer else float(value)
        stop = values.get("stop")
        if isinstance(stop, list) and all(isinstance(s, str) for s in stop):
            kept["stop"] = tuple(stop[:MAX_STOP_SEQUENCES])
        if isinstance(values.get("stream"), bool):
            kept["stream"] = values["stream"]
        fmt = values.get("response_format")
        if isinstance(fmt, dict) and fmt.get("type") in RESPONSE_FORMAT_TYPES:
            kept["response_format"] = fmt
        tools = values.get("tools")
        if isinstance(tools, list) and all(isinstance(t, dict) for t in tools):
            kept["tools"] = tuple(tools)
        if isinstance(values.get("tool_choice"), str) and values["tool_choice"]:
            kept["tool_choice"] = values["tool_choice"]
        if values.get("reasoning_effort") in REASONING_EFFORTS:
            kept["reasoning_effort"] = values["reasoning_effort"]
        enabled = data.get("enabled")
        if isinstance(enabled, list):
            kept["enabled"] = frozenset(name for name in enabled if name in OPTIONAL_PARAMETERS)
        return replace(default, **kept)


def tool_choice_value(choice: str) -> str | dict[str, Any]:
    """The API form of a tool choice: a mode string or a named function."""
    if choice in TOOL_CHOICE_MODES:
        return choice
    return {"type": "function", "function": {"name": choice}}
