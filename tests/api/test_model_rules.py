"""Model rules: which family a model id belongs to, and the exact bodies sent."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from foxchat.api import (
    ChatClient,
    ChatRequest,
    Message,
    ReplyAccumulator,
    ReplyFingerprint,
    Timeouts,
)
from foxchat.api.model_rules import NO_RULES, RULES, NotSent, apply_rules, rules_for
from foxchat.api.params import GenerationParams
from tests.fakeserver import FakeOpenAIServer, Reply

FAST = Timeouts(connect=5, first_byte=5, between_chunks=5)
MESSAGES = [Message("user", "Hello fox")]

#: Every parameter switched on, none at its default.
EVERYTHING = GenerationParams(
    temperature=0.3,
    top_p=0.9,
    frequency_penalty=0.5,
    presence_penalty=0.25,
    max_tokens=256,
    reasoning_effort="low",
    seed=42,
    top_logprobs=3,
    enabled=frozenset(
        {
            "temperature",
            "top_p",
            "frequency_penalty",
            "presence_penalty",
            "max_tokens",
            "reasoning_effort",
            "seed",
            "logprobs",
            "top_logprobs",
        }
    ),
)

BASE: dict[str, Any] = {
    "messages": [{"role": "user", "content": "Hello fox"}],
    "stream": True,
    "stream_options": {"include_usage": True},
}


def send(server: FakeOpenAIServer, request: ChatRequest) -> dict[str, Any]:
    """Send ``request`` to the fake server for real; return the body it received."""

    async def main() -> None:
        reply = ReplyAccumulator()
        async with ChatClient(server.base_url, "sk-test", timeouts=FAST) as chat:
            async for event in chat.stream_chat(request):
                reply.feed(event)
        assert reply.text() == "Echo: Hello fox"

    asyncio.run(main())
    body = server.requests[-1].body
    assert isinstance(body, dict)
    return body


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            "gpt-4o",
            {
                "temperature": 0.3,
                "top_p": 0.9,
                "frequency_penalty": 0.5,
                "presence_penalty": 0.25,
                "max_tokens": 256,
                "seed": 42,
                "logprobs": True,
                "top_logprobs": 3,
            },
        ),
        (
            "o3-mini",
            {"max_completion_tokens": 256, "seed": 42, "reasoning_effort": "low"},
        ),
        (
            "gpt-5",
            {"max_completion_tokens": 256, "seed": 42, "reasoning_effort": "low"},
        ),
        ("deepseek-reasoner", {"max_tokens": 256, "seed": 42}),
        (
            "claude-sonnet-4-5",
            {
                "temperature": 0.3,
                "frequency_penalty": 0.5,
                "presence_penalty": 0.25,
                "max_tokens": 256,
                "seed": 42,
                "logprobs": True,
                "top_logprobs": 3,
            },
        ),
        (
            "llama3.2",
            {
                "temperature": 0.3,
                "top_p": 0.9,
                "frequency_penalty": 0.5,
                "presence_penalty": 0.25,
                "max_tokens": 256,
                "reasoning_effort": "low",
                "seed": 42,
                "logprobs": True,
                "top_logprobs": 3,
            },
        ),
    ],
)
def test_exact_body_per_model(
    fake_server: FakeOpenAIServer, model: str, expected: dict[str, Any]
) -> None:
    body = send(fake_server, ChatRequest.from_params(model, MESSAGES, EVERYTHING))
    assert body == {"model": model, **BASE, **expected}


def test_without_model_rules_everything_is_sent_as_set(fake_server: FakeOpenAIServer) -> None:
    request = ChatRequest.from_params("o3-mini", MESSAGES, EVERYTHING, model_rules=False)
    body = send(fake_server, request)
    assert body == {
        "model": "o3-mini",
        **BASE,
        "temperature": 0.3,
        "top_p": 0.9,
        "frequency_penalty": 0.5,
        "presence_penalty": 0.25,
        "max_tokens": 256,
        "reasoning_effort": "low",
        "seed": 42,
        "logprobs": True,
        "top_logprobs": 3,
    }


def test_gpt5_point_release_takes_none_but_not_minimal(fake_server: FakeOpenAIServer) -> None:
    none = EVERYTHING.with_values(reasoning_effort="none")
    body = send(fake_server, ChatRequest.from_params("gpt-5.1", MESSAGES, none))
    assert body["reasoning_effort"] == "none"
    minimal = EVERYTHING.with_values(reasoning_effort="minimal")
    request, dropped = ChatRequest.from_fields("gpt-5.1", MESSAGES, minimal.request_fields())
    assert request.reasoning_effort is None
    assert (
        NotSent(
            "reasoning_effort",
            "OpenAI gpt-5.1 and later models take a reasoning effort of none, low, medium, high",
        )
        in dropped
    )


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("o1", "OpenAI o-series"),
        ("o3-mini", "OpenAI o-series"),
        ("openai/o3-mini", "OpenAI o-series"),
        ("o4-mini-2025-04-16", "OpenAI o-series"),
        ("gpt-5", "OpenAI gpt-5"),
        ("openai/gpt-5-mini", "OpenAI gpt-5"),
        ("gpt-5-nano-2025-08-07", "OpenAI gpt-5"),
        ("gpt-5.1", "OpenAI gpt-5.1 and later"),
        ("deepseek-reasoner", "DeepSeek reasoner"),
        ("deepseek/deepseek-reasoner", "DeepSeek reasoner"),
        ("claude-sonnet-4-5", "Anthropic Claude"),
        ("anthropic/claude-opus-4-1", "Anthropic Claude"),
        ("gpt-4o", "OpenAI chat"),
        ("openai/gpt-4o-mini", "OpenAI chat"),
        ("gpt-5-chat-latest", "OpenAI chat"),
    ],
)
def test_rules_for_matches_plain_and_prefixed_ids(model: str, family: str) -> None:
    assert rules_for(model).family == family


@pytest.mark.parametrize(
    "model", ["llama3.2", "deepseek-chat", "mistral-large", "ollama/llama3.2", "omni", ""]
)
def test_unknown_models_get_no_rules(model: str) -> None:
    assert rules_for(model) is NO_RULES
    fields = EVERYTHING.request_fields()
    assert apply_rules(fields, NO_RULES) == (fields, [])


def test_every_rule_cites_a_provider_page_and_gives_reasons() -> None:
    for rules in RULES:
        assert rules.source.startswith("https://")
        for reason in rules.not_sent.values():
            assert reason and not reason.endswith(".")


def test_max_completion_tokens_goes_back_to_max_tokens_for_deepseek() -> None:
    sent, dropped = apply_rules({"max_completion_tokens": 9}, rules_for("deepseek-reasoner"))
    assert (sent, dropped) == ({"max_tokens": 9}, [])


def test_claude_keeps_top_p_when_temperature_is_not_set() -> None:
    sent, dropped = apply_rules({"top_p": 0.5}, rules_for("claude-sonnet-4-5"))
    assert (sent, dropped) == ({"top_p": 0.5}, [])


def test_o_series_reasons_name_the_parameter() -> None:
    _, dropped = apply_rules({"temperature": 0.2}, rules_for("o3-mini"))
    assert dropped == [NotSent("temperature", "o-series models choose their own temperature")]


def collect(
    server: FakeOpenAIServer, request: ChatRequest
) -> tuple[ReplyAccumulator, list[object]]:
    """Every event of ``request``'s reply, folded and as a list."""
    events: list[object] = []

    async def main() -> ReplyAccumulator:
        reply = ReplyAccumulator()
        async with ChatClient(server.base_url, "sk-test", timeouts=FAST) as chat:
            async for event in chat.stream_chat(request):
                events.append(event)
                reply.feed(event)
        return reply

    return asyncio.run(main()), events


def test_system_fingerprint_is_kept_from_a_stream(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(system_fingerprint="fp_44709d6fcb"))
    reply, events = collect(fake_server, ChatRequest("gpt-4o", MESSAGES, seed=7))
    assert reply.text() == "Echo: Hello fox"
    assert reply.system_fingerprint == "fp_44709d6fcb"
    # Every chunk carries it; it is reported once.
    assert events.count(ReplyFingerprint("fp_44709d6fcb")) == 1
    assert fake_server.requests[0].body["seed"] == 7


def test_system_fingerprint_is_kept_from_a_whole_reply(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(system_fingerprint="fp_whole"))
    reply, _ = collect(fake_server, ChatRequest("gpt-4o", MESSAGES, stream=False))
    assert reply.text() == "Echo: Hello fox"
    assert reply.system_fingerprint == "fp_whole"


def test_a_reply_without_a_fingerprint_leaves_none(fake_server: FakeOpenAIServer) -> None:
    reply, events = collect(fake_server, ChatRequest("llama3.2", MESSAGES))
    assert reply.text() == "Echo: Hello fox"
    assert reply.system_fingerprint is None
    assert not any(isinstance(event, ReplyFingerprint) for event in events)


def test_gpt4o_keeps_the_name_the_limit_was_given_under() -> None:
    rules = rules_for("gpt-4o")
    assert apply_rules({"max_tokens": 5}, rules) == ({"max_tokens": 5}, [])
    assert apply_rules({"max_completion_tokens": 5}, rules) == ({"max_completion_tokens": 5}, [])
