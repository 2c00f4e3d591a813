"""What each reply was made with: read back, summed up in a line, compared, reused."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from foxchat import i18n
from foxchat.api.params import GenerationParams
from foxchat.services.reply_details import (
    NOTHING,
    ReplyDetails,
    differences,
    full_list,
    params_from_details,
    read_details,
    summary_line,
)


def made(model: str = "gpt-4o", **sent: Any) -> ReplyDetails:
    return read_details(json.dumps({"model": model, "sent": {"stream": True, **sent}}))


def test_the_line_names_the_model_and_only_what_differs_from_the_defaults() -> None:
    details = made(temperature=1.3, top_p=1, presence_penalty=0.5, n=1, seed=7)
    assert summary_line(details) == "gpt-4o · temperature 1.3 · presence 0.5 · seed 7"
    assert summary_line(made()) == "gpt-4o"
    assert summary_line(made("o3-mini", max_completion_tokens=300, reasoning_effort="low")) == (
        "o3-mini · max tokens 300 · effort low"
    )


@pytest.mark.parametrize("broken", [None, "", "not json", "[1, 2]", '{"sent": 3}'])
def test_replies_with_nothing_recorded_say_nothing(broken: str | None) -> None:
    details = read_details(broken)
    assert summary_line(details) == "" and full_list(details) == []
    assert differences(details, made()) == ""


def test_two_versions_say_what_changed() -> None:
    before = made(temperature=0.2)
    after = made(temperature=1.3, seed=7)
    assert differences(before, after) == "temperature 0.2 → 1.3 · seed — → 7"
    assert differences(after, before) == "temperature 1.3 → 0.2 · seed 7 → —"
    # A default not sent equals the default sent; the limit under either name is one.
    assert differences(made(temperature=1), made()) == ""
    assert differences(made(max_tokens=5), made(max_completion_tokens=5)) == ""
    assert differences(made("gpt-4o"), made("o3-mini")) == "gpt-4o → o3-mini"


def test_the_full_list_has_every_fact_recorded() -> None:
    data = {
        "model": "o3-mini",
        "sent": {"stream": True, "max_completion_tokens": 300, "stop": ["END"]},
        "not_sent": {"temperature": "o-series models choose their own temperature"},
        "system_fingerprint": "fp_1",
        "first_token_s": 0.42,
        "tokens_per_s": 55.5,
    }
    rows = full_list(read_details(json.dumps(data)))
    assert rows == [
        ("model", "o3-mini"),
        ("max tokens", "300"),
        ("stop", '"END"'),
        ("streaming", "on"),
        ("temperature (not sent)", "o-series models choose their own temperature"),
        ("system fingerprint", "fp_1"),
        ("first word after", "0.42 s"),
        ("speed", "55.5 tokens/s"),
    ]


def test_use_these_settings_switches_on_what_was_sent_and_keeps_other_values() -> None:
    base = replace(GenerationParams(), temperature=0.9, presence_penalty=1.5).with_enabled(
        "presence_penalty", True
    )
    details = made(
        "o3-mini",
        max_completion_tokens=300,
        reasoning_effort="low",
        seed=7,
        stop=["END"],
        stream=False,
    )
    params = params_from_details(details, base)
    assert params.enabled == {"max_tokens", "reasoning_effort", "seed", "stop"}
    assert (params.max_tokens, params.reasoning_effort, params.seed) == (300, "low", 7)
    assert params.stop == ("END",) and params.stream is False
    assert params.temperature == 0.9 and params.presence_penalty == 1.5, "kept, switched off"
    assert params_from_details(NOTHING, base).enabled == frozenset()


def test_use_these_settings_restores_tools_and_a_named_tool_choice() -> None:
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": {}}}
    details = made(
        tools=[tool],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        response_format={"type": "json_object"},
    )
    params = params_from_details(details, GenerationParams())
    assert params.tools == (tool,) and params.tool_choice == "get_weather"
    assert params.response_format == {"type": "json_object"}
    assert {"tools", "tool_choice", "response_format"} <= params.enabled
    # What goes out again is what went out then.
    fields = params.request_fields()
    assert fields["tool_choice"] == details.sent["tool_choice"]


def test_the_full_list_reads_in_the_language_in_use() -> None:
    data = {
        "model": "o3-mini",
        "sent": {"stream": True, "temperature": 0.7},
        "not_sent": {"top_p": "o-series models choose their own"},
        "first_token_s": 0.42,
        "tokens_per_s": 55.5,
    }
    i18n.install("zh_CN")
    try:
        details = read_details(json.dumps(data))
        assert full_list(details) == [
            ("模型", "o3-mini"),
            ("温度", "0.7"),
            ("流式输出", "开"),
            ("Top P（未发送）", "o-series models choose their own"),
            ("首字用时", "0.42 秒"),
            ("速度", "55.5 token/秒"),
        ]
        assert summary_line(details) == "o3-mini · 温度 0.7"
    finally:
        i18n.install(i18n.ENGLISH)
