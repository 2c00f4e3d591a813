"""What a reply was made with, as stored in its ``details_json`` (no Qt: widgets read it too).

``ChatService`` writes one JSON object per reply:

- ``model``: the model asked;
- ``sent``: the request's settings as sent, without the conversation
  (``temperature``, ``max_completion_tokens``, ``seed``, ``stream`` ...);
- ``not_sent``: parameter -> why the model rules left it out;
- ``system_fingerprint`` when the server sent one;
- ``first_token_s`` (seconds from asking to the first word) and
  ``tokens_per_s`` (completion tokens per second of writing) when measured;
- ``refused`` (``parameter`` and the server's words ``said``) when a 400/422
  named one parameter;
- ``logprobs_missing`` when word probabilities were asked for and the
  server sent none (the probabilities themselves are kept apart, see
  ``Store.logprobs``).

From it come the quiet line under a reply ("gpt-4o · temperature 1.3 ·
presence 0.5"), the difference between two versions of a reply
("temperature 0.2 → 1.3") and "Use these settings".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Final

from foxchat import locale_format
from foxchat.api.params import (
    ALL_NUMBER_SPECS,
    REASONING_EFFORTS,
    GenerationParams,
    tool_choice_value,
)
from foxchat.i18n import _

#: What the server uses when a parameter is not sent (OpenAI's API reference);
#: a sent value equal to these is not worth a word in the summary.
SERVER_DEFAULTS: Final[dict[str, Any]] = {
    "temperature": 1,
    "top_p": 1,
    "frequency_penalty": 0,
    "presence_penalty": 0,
    "n": 1,
    "stream": True,
    "logprobs": False,
}

#: Short names for the one-line summary, in the order they are listed (a person
#: reads them through ``short_name``, in the language in use).
SHORT_NAMES: Final[dict[str, str]] = {
    "temperature": "temperature",
    "top_p": "top P",
    "frequency_penalty": "frequency",
    "presence_penalty": "presence",
    "max_tokens": "max tokens",
    "max_completion_tokens": "max tokens",
    "reasoning_effort": "effort",
    "seed": "seed",
    "n": "answers",
    "stop": "stop",
    "response_format": "format",
    "tools": "tools",
    "tool_choice": "tool choice",
    "logprobs": "probabilities",
    "top_logprobs": "top",
    "stream": "streaming",
}

#: Shown for a setting one version has and the other has not.
UNSET = "—"


def short_name(name: str) -> str:
    """A request field's short name as a person reads it ("top_p": "top P")."""
    words = {
        "temperature": _("temperature"),
        "top_p": _("top P"),
        "frequency_penalty": _("frequency"),
        "presence_penalty": _("presence"),
        "max_tokens": _("max tokens"),
        "max_completion_tokens": _("max tokens"),
        "reasoning_effort": _("effort"),
        "seed": _("seed"),
        "n": _("answers"),
        "stop": _("stop"),
        "response_format": _("format"),
        "tools": _("tools"),
        "tool_choice": _("tool choice"),
        "logprobs": _("probabilities"),
        "top_logprobs": _("top"),
        "stream": _("streaming"),
    }
    return words.get(name, name)


@dataclass(frozen=True, slots=True)
class ReplyDetails:
    """The parts of ``details_json`` a person is shown."""

    model: str = ""
    sent: dict[str, Any] = field(default_factory=dict)
    not_sent: dict[str, str] = field(default_factory=dict)
    system_fingerprint: str | None = None
    first_token_s: float | None = None
    tokens_per_s: float | None = None
    #: Word probabilities were asked for, and the server sent none.
    logprobs_missing: bool = False
    #: (parameter, the server's words) when a 400/422 refused one parameter.
    refused: tuple[str, str] | None = None

    @property
    def recorded(self) -> bool:
        """Whether anything was recorded (replies from before version 4 have nothing)."""
        return bool(self.model or self.sent)


NOTHING: Final = ReplyDetails()


def read_details(details_json: str | None) -> ReplyDetails:
    """``details_json`` as :class:`ReplyDetails`; anything unreadable gives NOTHING."""
    if not details_json:
        return NOTHING
    try:
        data = json.loads(details_json)
    except ValueError:
        return NOTHING
    if not isinstance(data, dict):
        return NOTHING
    model = data.get("model")
    sent = data.get("sent")
    not_sent = data.get("not_sent")
    fingerprint = data.get("system_fingerprint")
    return ReplyDetails(
        model=model if isinstance(model, str) else "",
        sent=dict(sent) if isinstance(sent, dict) else {},
        not_sent={str(k): str(v) for k, v in not_sent.items()}
        if isinstance(not_sent, dict)
        else {},
        system_fingerprint=fingerprint if isinstance(fingerprint, str) else None,
        first_token_s=_number(data.get("first_token_s")),
        tokens_per_s=_number(data.get("tokens_per_s")),
        logprobs_missing=data.get("logprobs_missing") is True,
        refused=_refused(data.get("refused")),
    )


def _refused(value: object) -> tuple[str, str] | None:
    if not isinstance(value, dict):
        return None
    parameter, said = value.get("parameter"), value.get("said")
    if not isinstance(parameter, str) or not parameter:
        return None
    return parameter, said if isinstance(said, str) else ""


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _show(name: str, value: Any) -> str:
    """A sent value in a few characters."""
    if isinstance(value, bool):
        return _("on") if value else _("off")
    if isinstance(value, float):
        return f"{value:g}"
    if name == "stop" and isinstance(value, list):
        return " / ".join(json.dumps(s, ensure_ascii=False) for s in value)
    if name == "tools" and isinstance(value, list):
        return str(len(value))
    if name == "response_format" and isinstance(value, dict):
        kind = value.get("type")
        return {"json_object": "JSON", "json_schema": _("JSON schema"), "text": _("text")}.get(
            str(kind), str(kind)
        )
    if name == "tool_choice" and isinstance(value, dict):
        function = value.get("function")
        if isinstance(function, dict):
            return str(function.get("name", ""))
    return str(value)


def _worth_saying(sent: dict[str, Any]) -> dict[str, Any]:
    """The sent settings that differ from what the server does without them."""
    return {
        name: value
        for name, value in sent.items()
        if name in SHORT_NAMES and not (name in SERVER_DEFAULTS and value == SERVER_DEFAULTS[name])
    }


def _ordered(names: set[str]) -> list[str]:
    order = list(SHORT_NAMES)
    return sorted(names, key=lambda n: order.index(n) if n in order else len(order))


def summary_line(details: ReplyDetails) -> str:
    """The model and what differs from the defaults: "gpt-4o · temperature 1.3 · presence 0.5"."""
    if not details.recorded:
        return ""
    said = _worth_saying(details.sent)
    parts = [details.model] if details.model else []
    parts += [f"{short_name(n)} {_show(n, said[n])}" for n in _ordered(set(said))]
    return " · ".join(parts)


def full_list(details: ReplyDetails) -> list[tuple[str, str]]:
    """Every recorded fact, as (what, value) rows for the full view on click."""
    if not details.recorded:
        return []
    rows = [(_("model"), details.model)]
    for name in _ordered(set(details.sent)):
        rows.append((short_name(name), _show(name, details.sent[name])))
    for name, reason in sorted(details.not_sent.items()):
        rows.append((_("{setting} (not sent)").format(setting=short_name(name)), reason))
    if details.system_fingerprint:
        rows.append((_("system fingerprint"), details.system_fingerprint))
    if details.first_token_s is not None:
        seconds = locale_format.number(details.first_token_s, 2)
        rows.append((_("first word after"), _("{seconds} s").format(seconds=seconds)))
    if details.tokens_per_s is not None:
        rate = locale_format.number(details.tokens_per_s, 1)
        rows.append((_("speed"), _("{rate} tokens/s").format(rate=rate)))
    return rows


def _comparable(sent: dict[str, Any]) -> dict[str, Any]:
    """Sent settings with the limit under one name and defaults filled in."""
    out = {**SERVER_DEFAULTS, **sent}
    if "max_completion_tokens" in out:
        out["max_tokens"] = out.pop("max_completion_tokens")
    return out


def differences(before: ReplyDetails, after: ReplyDetails) -> str:
    """What ``after`` was made with that ``before`` was not: "temperature 0.2 → 1.3"."""
    if not (before.recorded and after.recorded):
        return ""
    parts: list[str] = []
    if before.model != after.model:
        parts.append(f"{before.model} → {after.model}")
    old, new = _comparable(before.sent), _comparable(after.sent)
    for name in _ordered(set(old) | set(new)):
        if name not in SHORT_NAMES or old.get(name) == new.get(name):
            continue
        was = _show(name, old[name]) if name in old else UNSET
        now = _show(name, new[name]) if name in new else UNSET
        parts.append(f"{short_name(name)} {was} → {now}")
    return " · ".join(parts)


def what_differs(before: ReplyDetails, after: ReplyDetails) -> str:
    """The settings of ``after`` that ``before`` lacks, values only: "o3-mini · temperature 0.2".

    A comparison's columns are headed by this, so each says what makes it
    differ from the chat's own settings.
    """
    parts: list[str] = []
    if after.model and before.model != after.model:
        parts.append(after.model)
    old, new = _comparable(before.sent), _comparable(after.sent)
    for name in _ordered(set(old) | set(new)):
        if name not in SHORT_NAMES or old.get(name) == new.get(name):
            continue
        now = _show(name, new[name]) if name in new else _("off")
        parts.append(f"{short_name(name)} {now}")
    # A column made with exactly the chat's settings.
    return " · ".join(parts) or _("the chat's settings")


def as_details(model: str, params: GenerationParams) -> ReplyDetails:
    """What a request with ``model`` and ``params`` would record (before the model rules)."""
    return ReplyDetails(model=model, sent=params.request_fields())


def params_from_details(details: ReplyDetails, base: GenerationParams) -> GenerationParams:
    """``base`` with the reply's settings: what was sent switched on, the rest off.

    Values of parameters that were not sent keep ``base``'s value (switched
    off), so "Use these settings" never loses a number the person typed.
    """
    sent = dict(details.sent)
    if "max_completion_tokens" in sent:
        sent["max_tokens"] = sent.pop("max_completion_tokens")
    values: dict[str, Any] = {}
    enabled: set[str] = set()
    for name, spec in ALL_NUMBER_SPECS.items():
        value = sent.get(name)
        if value is not None and spec.check(value) is None:
            values[name] = int(value) if spec.integer else float(value)
            enabled.add(name)
    if isinstance(sent.get("stream"), bool):
        values["stream"] = sent["stream"]
    stop = sent.get("stop")
    if isinstance(stop, list) and all(isinstance(s, str) for s in stop):
        values["stop"] = tuple(stop)
        enabled.add("stop")
    elif isinstance(stop, str):
        values["stop"] = (stop,)
        enabled.add("stop")
    if isinstance(sent.get("response_format"), dict):
        values["response_format"] = dict(sent["response_format"])
        enabled.add("response_format")
    tools = sent.get("tools")
    if isinstance(tools, list) and all(isinstance(t, dict) for t in tools):
        values["tools"] = tuple(tools)
        enabled.add("tools")
        choice = sent.get("tool_choice")
        if choice is not None:
            named = _tool_choice_name(choice)
            if named:
                values["tool_choice"] = named
                enabled.add("tool_choice")
    if sent.get("reasoning_effort") in REASONING_EFFORTS:
        values["reasoning_effort"] = sent["reasoning_effort"]
        enabled.add("reasoning_effort")
    if sent.get("logprobs") is True:
        enabled.add("logprobs")
    return replace(base, **values, enabled=frozenset(enabled))


def _tool_choice_name(choice: object) -> str:
    if isinstance(choice, str):
        return choice
    if isinstance(choice, dict):
        function = choice.get("function")
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            named = str(function["name"])
            return named if tool_choice_value(named) == choice else ""
    return ""


def refusal_of(details_json: str | None) -> tuple[str, str, str] | None:
    """(model, parameter, server's words) of a reply refused for one parameter, else None."""
    details = read_details(details_json)
    if details.refused is None or not details.model:
        return None
    return details.model, *details.refused
