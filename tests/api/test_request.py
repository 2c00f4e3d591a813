"""Requests carry every parameter, send only what is set, and refuse bad values."""

from __future__ import annotations

from typing import Any

import pytest

from foxchat.api import ChatRequest, Message, ParameterError, ToolCall
from foxchat.api.params import NUMBER_SPECS, GenerationParams

HELLO = [Message("user", "Hello")]
WEATHER_TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}},
}


def test_unset_parameters_are_not_sent() -> None:
    payload = ChatRequest("gpt-4o", HELLO, stream=False).to_payload()
    assert payload == {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "Hello"}],
        "stream": False,
    }


def test_streaming_asks_for_usage() -> None:
    payload = ChatRequest("gpt-4o", HELLO).to_payload()
    assert payload["stream"] is True
    assert payload["stream_options"] == {"include_usage": True}


def test_every_parameter_is_sent_when_set() -> None:
    schema = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    request = ChatRequest(
        "gpt-4o",
        HELLO,
        temperature=0.5,
        max_tokens=100,
        top_p=0.9,
        frequency_penalty=-1.5,
        presence_penalty=2,
        tools=[WEATHER_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        response_format=schema,
        stop=("END", "STOP"),
        n=3,
    )
    payload = request.to_payload()
    assert payload["temperature"] == 0.5
    assert payload["max_tokens"] == 100
    assert payload["top_p"] == 0.9
    assert payload["frequency_penalty"] == -1.5
    assert payload["presence_penalty"] == 2
    assert payload["tools"] == [WEATHER_TOOL]
    assert payload["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert payload["response_format"] == schema
    assert payload["stop"] == ["END", "STOP"]
    assert payload["n"] == 3


def test_messages_of_every_role() -> None:
    call = ToolCall("call_1", "get_weather", '{"city": "Oslo"}')
    messages = [
        Message("system", "Be brief."),
        Message("user", [{"type": "text", "text": "Weather?"}]),
        Message("assistant", None, tool_calls=(call,)),
        Message("tool", "Sunny", tool_call_id="call_1", name="get_weather"),
    ]
    payload = ChatRequest("m", messages, stream=False).to_payload()
    assert payload["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Weather?"}]},
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'},
                }
            ],
        },
        {"role": "tool", "content": "Sunny", "tool_call_id": "call_1", "name": "get_weather"},
    ]


def test_from_params_sends_only_switched_on_parameters() -> None:
    params = (
        GenerationParams(temperature=0.3, max_tokens=50)
        .with_enabled("temperature", True)
        .with_values(stream=False)
    )
    payload = ChatRequest.from_params("m", HELLO, params).to_payload()
    assert payload["temperature"] == 0.3
    assert "max_tokens" not in payload
    assert payload["stream"] is False


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("temperature", 2.5, "temperature must be 0 to 2; got 2.5."),
        ("temperature", -0.1, "temperature must be 0 to 2; got -0.1."),
        ("top_p", 1.1, "top_p must be 0 to 1; got 1.1."),
        ("frequency_penalty", -3, "frequency_penalty must be -2 to 2; got -3."),
        ("presence_penalty", 2.01, "presence_penalty must be -2 to 2; got 2.01."),
        ("max_tokens", 0, "max_tokens must be 1 or more; got 0."),
        ("max_tokens", 1.5, "max_tokens must be a whole number (1 or more)."),
        ("n", 0, "n must be 1 to 8; got 0."),
        ("temperature", "hot", "temperature must be a number (0 to 2)."),
    ],
)
def test_out_of_range_numbers_are_refused_naming_the_range(
    field: str, value: Any, expected: str
) -> None:
    with pytest.raises(ParameterError) as caught:
        ChatRequest("m", HELLO, **{field: value}).to_payload()
    error = caught.value
    assert error.parameter == field
    assert error.message == expected
    assert NUMBER_SPECS[field].describe_range() in error.user_message
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("fields", "parameter", "words"),
    [
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop", "up to 4; got 5"),
        ({"stop": [1]}, "stop", "up to 4"),
        ({"tools": [{"type": "function"}]}, "tools", '"type": "function"'),
        ({"tool_choice": "auto"}, "tool_choice", "needs at least one tool"),
        ({"tools": [WEATHER_TOOL], "tool_choice": "sometimes"}, "tool_choice", "none, auto"),
        (
            {"tools": [WEATHER_TOOL], "tool_choice": {"function": {"name": "other"}}},
            "tool_choice",
            "name of a function in tools",
        ),
        ({"response_format": {"type": "yaml"}}, "response_format", "text, json_object"),
        (
            {"response_format": {"type": "json_schema", "json_schema": {"name": "x"}}},
            "response_format",
            "a name and a schema",
        ),
    ],
)
def test_wrong_shapes_are_refused(fields: dict[str, Any], parameter: str, words: str) -> None:
    with pytest.raises(ParameterError) as caught:
        ChatRequest("m", HELLO, **fields).validate()
    assert caught.value.parameter == parameter
    assert words in caught.value.user_message


def test_missing_model_and_messages_are_refused() -> None:
    with pytest.raises(ParameterError, match="No model is chosen"):
        ChatRequest(" ", HELLO).validate()
    with pytest.raises(ParameterError, match="no message to send"):
        ChatRequest("m", []).validate()
    with pytest.raises(ParameterError, match="which tool call it answers"):
        ChatRequest("m", [Message("tool", "x")]).validate()


def test_a_single_stop_string_is_sent_as_is() -> None:
    assert ChatRequest("m", HELLO, stop="END").to_payload()["stop"] == "END"


def test_reasoning_content_is_sent_only_when_set() -> None:
    from foxchat.api import Message, ToolCall

    plain = Message(role="assistant", content="hi")
    assert "reasoning_content" not in plain.to_dict()
    with_tools = Message(
        role="assistant",
        tool_calls=(ToolCall("c1", "f", "{}"),),
        reasoning_content="I should call f.",
    )
    assert with_tools.to_dict()["reasoning_content"] == "I should call f."
