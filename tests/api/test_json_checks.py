"""The checks behind the schema and tools editors, in plain words."""

from __future__ import annotations

import json

import pytest

from foxchat.api.json_checks import (
    DEFAULT_SCHEMA_NAME,
    EXAMPLE_TOOLS,
    JsonProblem,
    response_format_from_text,
    schema_text_for,
    tool_names,
    tools_from_text,
)


def test_bare_schema_is_wrapped_with_the_default_name() -> None:
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    assert response_format_from_text(json.dumps(schema)) == {
        "type": "json_schema",
        "json_schema": {"name": DEFAULT_SCHEMA_NAME, "schema": schema},
    }


def test_full_json_schema_object_is_kept_as_written() -> None:
    wrapper = {"name": "city_facts", "strict": True, "schema": {"type": "object"}}
    fmt = response_format_from_text(json.dumps(wrapper))
    assert fmt == {"type": "json_schema", "json_schema": wrapper}
    assert json.loads(schema_text_for(fmt)) == wrapper


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Paste or type"),
        ('{"type": "object",', "not valid JSON yet: line 1"),
        ("[1, 2]", "must be a JSON object"),
        ('{"schema": {"type": "object"}}', 'needs a "name"'),
        ('{"name": "has space", "schema": {}}', "no spaces"),
        ('{"name": "ok", "schema": []}', '"schema" must be a JSON object'),
        ('{"name": "ok", "schema": {}, "strict": "yes"}', "true or false"),
    ],
)
def test_schema_problems_are_explained(text: str, words: str) -> None:
    with pytest.raises(JsonProblem, match=words):
        response_format_from_text(text)


def test_example_tools_pass_and_name_their_function() -> None:
    tools = tools_from_text(json.dumps(EXAMPLE_TOOLS))
    assert tool_names(tools) == ["get_weather"]


def test_empty_tools_text_means_no_tools() -> None:
    assert tools_from_text("  \n") == ()
    assert tools_from_text("[]") == ()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"type": "function"}', "must be a list: put \\["),
        ("[1]", "Tool 1 must be a JSON object"),
        ('[{"name": "f"}]', 'Tool 1 must look like {"type": "function"'),
        ('[{"type": "function", "function": {}}]', 'Tool 1 needs a "name"'),
        (
            '[{"type": "function", "function": {"name": "a"}},'
            ' {"type": "function", "function": {"name": "a"}}]',
            'Two tools are called "a"',
        ),
        (
            '[{"type": "function", "function": {"name": "a", "parameters": []}}]',
            'parameters of "a" must be a JSON schema object',
        ),
        ("[{]", "not valid JSON yet"),
    ],
)
def test_tool_problems_are_explained(text: str, words: str) -> None:
    with pytest.raises(JsonProblem, match=words):
        tools_from_text(text)


def test_tool_names_skip_malformed_stored_entries() -> None:
    assert tool_names(({"type": "function"}, {"function": {"name": "x"}})) == ["x"]
