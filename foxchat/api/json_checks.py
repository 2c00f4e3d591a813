"""Checks for the JSON the user types into the sidebar (no Qt here).

Two editors feed the request: the response-format schema and the tool list.
Each ``*_from_text`` function either returns the value to send or raises
:class:`JsonProblem` whose message is written for people who are not
developers: what is wrong, and what to change.

Response format schema: the editor takes either the API's ``json_schema``
object (``{"name": ..., "schema": {...}}``, optionally with ``strict`` and
``description``) or a bare JSON Schema object, which is wrapped with the
name :data:`DEFAULT_SCHEMA_NAME`. An object is treated as the wrapper when it
has a top-level ``"schema"`` key; a bare schema keeps its own keys
(``type``, ``properties``...) at the top.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from foxchat.i18n import _

DEFAULT_SCHEMA_NAME: Final = "response"

# The API's rule for schema and function names.
_NAME_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")

EXAMPLE_TOOLS: Final[list[dict[str, Any]]] = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the current weather for a city.",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {
                        "type": "string",
                        "description": "The city name, for example Paris",
                    },
                    "unit": {
                        "type": "string",
                        "enum": ["celsius", "fahrenheit"],
                        "description": "The temperature unit",
                    },
                },
                "required": ["city"],
            },
        },
    }
]


class JsonProblem(ValueError):
    """What is wrong with the text in a JSON editor, in plain words."""


def pretty_json(value: object) -> str:
    """The text an editor shows for ``value``."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def parse_json(text: str) -> Any:
    """Parse ``text`` or explain where it stops being JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonProblem(
            _(
                "This is not valid JSON yet: line {line}, column {column}: {problem}."
                " Check for a missing comma, quote or bracket there."
            ).format(line=error.lineno, column=error.colno, problem=error.msg.lower())
        ) from None


def _name_problem(name: object, missing: str) -> str | None:
    """What is wrong with a schema's or tool's ``name``; ``missing`` says it has none."""
    if not isinstance(name, str) or not name:
        return missing
    if not _NAME_PATTERN.fullmatch(name):
        return _(
            'The name "{name}" can only use letters, digits, _ and -,'
            " up to 64 characters, with no spaces."
        ).format(name=name)
    return None


def response_format_from_text(text: str) -> dict[str, Any]:
    """The ``response_format`` object to send for the schema in ``text``."""
    if not text.strip():
        raise JsonProblem(
            _("Paste or type a JSON schema here, for example {example}.").format(
                example='{"type": "object"}'
            )
        )
    value = parse_json(text)
    if not isinstance(value, dict):
        raise JsonProblem(_("The schema must be a JSON object, written between { and }."))
    if "schema" in value:
        problem = _name_problem(
            value.get("name"), _('The schema needs a "name" (text such as "get_weather").')
        )
        if problem:
            raise JsonProblem(problem)
        if not isinstance(value["schema"], dict):
            raise JsonProblem(_('"schema" must be a JSON object, written between { and }.'))
        if "strict" in value and not isinstance(value["strict"], bool):
            raise JsonProblem(_('"strict" must be true or false.'))
        wrapper = value
    else:
        wrapper = {"name": DEFAULT_SCHEMA_NAME, "schema": value}
    return {"type": "json_schema", "json_schema": wrapper}


def schema_text_for(response_format: dict[str, Any]) -> str:
    """What the schema editor shows for a stored ``response_format``."""
    schema = response_format.get("json_schema")
    return pretty_json(schema) if isinstance(schema, dict) else ""


def tools_from_text(text: str) -> tuple[dict[str, Any], ...]:
    """The ``tools`` list to send for ``text``; empty text means no tools."""
    if not text.strip():
        return ()
    value = parse_json(text)
    if isinstance(value, dict):
        raise JsonProblem(
            _("Tools must be a list: put [ before the first { and ] after the last }.")
        )
    if not isinstance(value, list):
        raise JsonProblem(_("Tools must be a list of tool descriptions, written between [ and ]."))
    seen: set[str] = set()
    for number, tool in enumerate(value, start=1):
        if not isinstance(tool, dict):
            raise JsonProblem(
                _("Tool {number} must be a JSON object, written between {{ and }}.").format(
                    number=number
                )
            )
        function = tool.get("function")
        if tool.get("type") != "function" or not isinstance(function, dict):
            raise JsonProblem(
                _("Tool {number} must look like {example}.").format(
                    number=number, example='{"type": "function", "function": {"name": ...}}'
                )
            )
        problem = _name_problem(
            function.get("name"),
            _('Tool {number} needs a "name" (text such as "get_weather").').format(number=number),
        )
        if problem:
            raise JsonProblem(problem)
        name = function["name"]
        if name in seen:
            raise JsonProblem(
                _('Two tools are called "{name}"; each needs its own name.').format(name=name)
            )
        seen.add(name)
        if "description" in function and not isinstance(function["description"], str):
            raise JsonProblem(
                _('The description of "{name}" must be text in quotes.').format(name=name)
            )
        if "parameters" in function and not isinstance(function["parameters"], dict):
            raise JsonProblem(
                _(
                    'The parameters of "{name}" must be a JSON schema object,'
                    " written between {{ and }}."
                ).format(name=name)
            )
    return tuple(value)


def tool_names(tools: tuple[dict[str, Any], ...]) -> list[str]:
    """The function names in a tool list, in order; malformed entries are skipped.

    Stored tool lists come back from the store only shape-checked, so this does
    not assume each entry passed :func:`tools_from_text`.
    """
    names: list[str] = []
    for tool in tools:
        function = tool.get("function")
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            names.append(function["name"])
    return names
