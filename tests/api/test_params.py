"""GenerationParams: the new switches, and JSON stored before they existed."""

from __future__ import annotations

import json

import pytest

from foxchat.api import ChatRequest, Message, ParameterError
from foxchat.api.params import GenerationParams

#: What a conversation saved before reasoning effort, seed and logprobs existed holds.
OLD_JSON = json.dumps(
    {
        "version": 1,
        "values": {
            "temperature": 0.4,
            "top_p": 1.0,
            "frequency_penalty": 0.0,
            "presence_penalty": 0.0,
            "max_tokens": 300,
            "n": 1,
            "stop": [],
            "stream": True,
            "response_format": {"type": "text"},
            "tools": [],
            "tool_choice": "auto",
        },
        "enabled": ["max_tokens", "temperature"],
    }
)


def test_json_stored_before_the_new_parameters_still_reads() -> None:
    params = GenerationParams.from_json(OLD_JSON)
    assert params.temperature == 0.4 and params.max_tokens == 300
    assert params.enabled == {"temperature", "max_tokens"}
    assert (params.reasoning_effort, params.seed, params.top_logprobs) == ("medium", 0, 0)
    assert params.request_fields() == {"stream": True, "temperature": 0.4, "max_tokens": 300}


def test_new_parameters_round_trip_through_json() -> None:
    params = GenerationParams(reasoning_effort="high", seed=1234, top_logprobs=5)
    for name in ("reasoning_effort", "seed", "logprobs", "top_logprobs"):
        params = params.with_enabled(name, True)
    again = GenerationParams.from_json(params.to_json())
    assert again == params
    assert again.request_fields() == {
        "stream": True,
        "reasoning_effort": "high",
        "seed": 1234,
        "logprobs": True,
        "top_logprobs": 5,
    }


def test_broken_new_values_fall_back_to_defaults() -> None:
    data = json.loads(OLD_JSON)
    data["values"].update(reasoning_effort="turbo", seed=-1, top_logprobs=99)
    params = GenerationParams.from_json(json.dumps(data))
    assert (params.reasoning_effort, params.seed, params.top_logprobs) == ("medium", 0, 0)


def test_top_logprobs_goes_out_only_with_logprobs() -> None:
    params = GenerationParams(top_logprobs=2).with_enabled("top_logprobs", True)
    assert "top_logprobs" not in params.request_fields()


@pytest.mark.parametrize(
    ("fields", "parameter"),
    [
        ({"seed": -3}, "seed"),
        ({"logprobs": True, "top_logprobs": 21}, "top_logprobs"),
        ({"top_logprobs": 2}, "top_logprobs"),
        ({"reasoning_effort": "turbo"}, "reasoning_effort"),
        ({"max_completion_tokens": 0}, "max_completion_tokens"),
    ],
)
def test_out_of_range_new_values_are_refused_before_sending(
    fields: dict[str, object], parameter: str
) -> None:
    messages = [Message("user", "Hi")]
    request, _ = ChatRequest.from_fields("llama3.2", messages, fields, model_rules=False)
    with pytest.raises(ParameterError) as caught:
        request.to_payload()
    assert caught.value.parameter == parameter
    assert parameter in caught.value.user_message
