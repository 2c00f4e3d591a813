"""Which request parameters each model family takes, kept as data.

Some models refuse (or silently ignore) parameters that every other model
takes, and a request that carries one fails with a 400. Each rule below
names the models it covers by a pattern on the last segment of the model id,
so ``o3-mini``, ``openai/o3-mini`` and ``azure/openai/o3-mini`` are treated
alike. A model no rule matches gets :data:`NO_RULES`: everything the person
switched on is sent unchanged, as before.

Every fact carries the address of the provider page it was checked against.
Where a fact could only be confirmed from reports of the provider's own
error message, the comment says so and the rule is kept on the side of
sending less (a parameter not sent cannot make a request fail).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from foxchat.i18n import _

#: The two names the one "Max tokens" control can be sent under.
MAX_TOKENS_NAMES: Final = ("max_tokens", "max_completion_tokens")


@dataclass(frozen=True, slots=True)
class ModelRules:
    """What one family of models takes.

    ``not_sent`` maps a parameter to the plain-words reason it is left out.
    ``max_tokens_name`` is the name the reply-length limit goes out under, or
    None to send it under whichever name it was given. ``reasoning_efforts``
    lists the accepted ``reasoning_effort`` values; empty means the family
    takes none. ``exclusive`` names pairs that must not be sent together: the
    second of a pair is dropped, with its reason.
    """

    family: str  # read as "{family} models ..." in the reasons
    pattern: str
    source: str
    not_sent: Mapping[str, str] = field(default_factory=dict)
    max_tokens_name: str | None = None
    reasoning_efforts: tuple[str, ...] = ()
    exclusive: tuple[tuple[str, str, str], ...] = ()

    @property
    def known(self) -> bool:
        """Whether a rule matched (False for :data:`NO_RULES`)."""
        return bool(self.pattern)

    def matches(self, model_id: str) -> bool:
        """Whether ``model_id`` (with or without a provider prefix) is covered."""
        return self.known and re.fullmatch(self.pattern, _last_segment(model_id)) is not None


#: An unknown model: nothing is changed or left out.
NO_RULES: Final = ModelRules(family="", pattern="", source="")

# OpenAI's o-series reasoning models (o1, o3, o3-mini, o4-mini, ...).
# https://platform.openai.com/docs/guides/reasoning and
# https://platform.openai.com/docs/api-reference/chat/create : max_tokens "is
# not compatible with o-series models", use max_completion_tokens;
# reasoning_effort takes low, medium or high for o-series models.
# Temperature, top_p and the penalties are refused at anything but their
# defaults ("Only the default (1) value is supported", OpenAI's own error
# message as reported in https://community.openai.com/t/1025430); FoxChat
# therefore does not send them at all. logprobs / top_logprobs are refused by
# o1 according to the same thread; not confirmed on the reference page, so
# they are left out (the conservative side).
_O_SERIES = ModelRules(
    family=_("OpenAI o-series"),
    pattern=r"o[1-9](-.*)?",
    source="https://platform.openai.com/docs/guides/reasoning",
    not_sent={
        "temperature": _("o-series models choose their own temperature"),
        "top_p": _("o-series models choose their own top P"),
        "frequency_penalty": _("o-series models do not take a frequency penalty"),
        "presence_penalty": _("o-series models do not take a presence penalty"),
        "logprobs": _("o-series models do not return word probabilities"),
        "top_logprobs": _("o-series models do not return word probabilities"),
    },
    max_tokens_name="max_completion_tokens",
    reasoning_efforts=("low", "medium", "high"),
)

_GPT5_NOT_SENT: Final = {
    "temperature": _("gpt-5 models choose their own temperature"),
    "top_p": _("gpt-5 models choose their own top P"),
    "frequency_penalty": _("gpt-5 models do not take a frequency penalty"),
    "presence_penalty": _("gpt-5 models do not take a presence penalty"),
    "logprobs": _("gpt-5 models do not return word probabilities"),
    "top_logprobs": _("gpt-5 models do not return word probabilities"),
}

# gpt-5.1 and later point releases: reasoning_effort is none, low, medium or
# high (the API reference's reasoning_effort entry: "gpt-5.1 defaults to
# none ... supported values for gpt-5.1 are none, low, medium, and high").
# Sampling parameters as for gpt-5 (same family, same refusal reports).
_GPT5_POINT = ModelRules(
    family=_("OpenAI gpt-5.1 and later"),
    pattern=r"gpt-5\.[1-9](?!.*chat).*",
    source="https://platform.openai.com/docs/api-reference/chat/create",
    not_sent=_GPT5_NOT_SENT,
    max_tokens_name="max_completion_tokens",
    reasoning_efforts=("none", "low", "medium", "high"),
)

# gpt-5, gpt-5-mini, gpt-5-nano (dated ids too); reasoning_effort adds
# "minimal" and has no "none" ("All models before gpt-5.1 ... do not support
# none"). gpt-5-chat-latest is not a reasoning model and is left out.
_GPT5 = ModelRules(
    family=_("OpenAI gpt-5"),
    pattern=r"gpt-5(?!.*chat)(-.*)?",
    source="https://platform.openai.com/docs/api-reference/chat/create",
    not_sent=_GPT5_NOT_SENT,
    max_tokens_name="max_completion_tokens",
    reasoning_efforts=("minimal", "low", "medium", "high"),
)

# DeepSeek's reasoning model. https://api-docs.deepseek.com/guides/reasoning_model
# lists temperature, top_p, presence_penalty and frequency_penalty as "Not
# Supported Parameters" that are accepted "but will also have no effect",
# and logprobs / top_logprobs as ones that "will trigger an error". The
# length limit is max_tokens there; reasoning_effort is not documented.
_DEEPSEEK_REASONER = ModelRules(
    family=_("DeepSeek reasoner"),
    pattern=r"deepseek-reasoner.*",
    source="https://api-docs.deepseek.com/guides/reasoning_model",
    not_sent={
        "temperature": _("deepseek-reasoner ignores temperature"),
        "top_p": _("deepseek-reasoner ignores top P"),
        "frequency_penalty": _("deepseek-reasoner ignores the frequency penalty"),
        "presence_penalty": _("deepseek-reasoner ignores the presence penalty"),
        "logprobs": _("deepseek-reasoner does not return word probabilities"),
        "top_logprobs": _("deepseek-reasoner does not return word probabilities"),
    },
    max_tokens_name="max_tokens",
)

# Claude behind an OpenAI-compatible endpoint (Anthropic's own, or a gateway).
# https://docs.anthropic.com/en/api/openai-sdk lists max_tokens and
# max_completion_tokens as both supported, top_p supported, temperature
# 0 to 1. Newer Claude models (Opus 4.1, Sonnet 4.5 and later) answer
# "temperature and top_p cannot both be specified for this model"; that
# error text is known from user reports, not from the compatibility page, so
# the rule covers every Claude id: sending temperature alone is Anthropic's
# standing advice anyway.
_CLAUDE = ModelRules(
    family=_("Anthropic Claude"),
    pattern=r"claude-.*",
    source="https://docs.anthropic.com/en/api/openai-sdk",
    exclusive=(
        (
            "temperature",
            "top_p",
            _("Claude models refuse temperature and top P together, and temperature is sent"),
        ),
    ),
)

# OpenAI's non-reasoning chat models take every sampling parameter, seed,
# logprobs and top_logprobs, and both max_tokens (deprecated, still accepted)
# and max_completion_tokens (API reference, max_tokens entry). The limit is
# sent under the name it was given: many OpenAI-compatible servers that serve
# these ids only know max_tokens. reasoning_effort is documented for
# reasoning models only, so it is not sent here.
_OPENAI_CHAT = ModelRules(
    family=_("OpenAI chat"),
    pattern=r"(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4-turbo|gpt-5[^-]*-chat)(-.*)?",
    source="https://platform.openai.com/docs/api-reference/chat/create",
)

#: Every rule, first match wins.
RULES: Final[tuple[ModelRules, ...]] = (
    _O_SERIES,
    _GPT5_POINT,
    _GPT5,
    _DEEPSEEK_REASONER,
    _CLAUDE,
    _OPENAI_CHAT,
)


def _last_segment(model_id: str) -> str:
    return model_id.strip().rsplit("/", 1)[-1].lower()


def rules_for(model_id: str) -> ModelRules:
    """The rules for ``model_id``; :data:`NO_RULES` when no family matches."""
    for rules in RULES:
        if rules.matches(model_id):
            return rules
    return NO_RULES


@dataclass(frozen=True, slots=True)
class NotSent:
    """A parameter the person set that the request leaves out, and why."""

    parameter: str
    reason: str


#: Why a parameter the server refused before is left out.
REFUSED_REASON: Final = _("The server refused {parameter} for this model, so it is not sent")


@dataclass(frozen=True, slots=True)
class Overrides:
    """What the person and the server taught FoxChat about one model on one server.

    ``refused`` maps a parameter the server refused (400/422 naming it, and
    the person chose "Send without it") to the server's own words;
    ``send_anyway`` names parameters the person wants sent although a rule
    above leaves them out (their gateway differs). Both are kept in the
    settings per server address and model id, and can be cleared there.
    """

    refused: Mapping[str, str] = field(default_factory=dict)
    send_anyway: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        """Whether nothing was learnt or chosen."""
        return not self.refused and not self.send_anyway


#: Nothing learnt, nothing chosen.
NO_OVERRIDES: Final = Overrides()


def apply_rules(
    fields: Mapping[str, Any], rules: ModelRules, overrides: Overrides = NO_OVERRIDES
) -> tuple[dict[str, Any], list[NotSent]]:
    """What to send for ``fields`` under ``rules``, and what was left out.

    ``fields`` are request fields by API name (as from
    :meth:`GenerationParams.request_fields`). The reply-length limit is renamed
    to the name the family expects; it is never dropped by a family rule.
    ``overrides`` lets through what the person chose to send anyway and
    drops what the server refused before.
    """
    out, dropped = _apply_family(dict(fields), rules, overrides.send_anyway)
    # Last, so a limit the family renamed is caught under the name it goes out as.
    for name in overrides.refused:
        if name in out:
            del out[name]
            dropped.append(NotSent(name, REFUSED_REASON.format(parameter=name)))
    return out, dropped


def _apply_family(
    out: dict[str, Any], rules: ModelRules, anyway: frozenset[str]
) -> tuple[dict[str, Any], list[NotSent]]:
    dropped: list[NotSent] = []
    if not rules.known:
        return out, dropped
    for name, reason in rules.not_sent.items():
        if name in out and name not in anyway:
            del out[name]
            dropped.append(NotSent(name, reason))
    for first, second, reason in rules.exclusive:
        if first in out and second in out and second not in anyway:
            del out[second]
            dropped.append(NotSent(second, reason))
    if rules.max_tokens_name is not None:
        for name in MAX_TOKENS_NAMES:
            if name != rules.max_tokens_name and name in out:
                value = out.pop(name)
                out.setdefault(rules.max_tokens_name, value)
    effort = out.get("reasoning_effort")
    if effort is not None and "reasoning_effort" not in anyway:
        if not rules.reasoning_efforts:
            del out["reasoning_effort"]
            dropped.append(
                NotSent(
                    "reasoning_effort",
                    _("{family} models do not take a reasoning effort").format(family=rules.family),
                )
            )
        elif effort not in rules.reasoning_efforts:
            del out["reasoning_effort"]
            accepted = ", ".join(rules.reasoning_efforts)
            dropped.append(
                NotSent(
                    "reasoning_effort",
                    _("{family} models take a reasoning effort of {accepted}").format(
                        family=rules.family, accepted=accepted
                    ),
                )
            )
    return out, dropped


def not_sent_reasons(
    fields_on: Mapping[str, Any],
    fields_if_on: Mapping[str, Any],
    rules: ModelRules,
    overrides: Overrides = NO_OVERRIDES,
) -> dict[str, str]:
    """Which parameters would be left out if switched on, and why, by parameter.

    ``fields_on`` is what the person has switched on now; ``fields_if_on``
    has every parameter as it would be sent when switched on. A parameter is
    tried together with what is on, so a pair rule (Claude's temperature and
    top P) blocks top P only while temperature is on. The sidebar shows each
    reason beside its greyed control.
    """
    reasons: dict[str, str] = {}
    for name, value in fields_if_on.items():
        trial = {**fields_on, name: value}
        _, dropped = apply_rules(trial, rules, overrides)
        for item in dropped:
            if item.parameter == name or {item.parameter, name} <= set(MAX_TOKENS_NAMES):
                reasons[name] = item.reason
    return reasons
