"""Checking a JSON reply against what ``response_format`` asked for.

A small subset of JSON Schema (type, properties, required, items, enum,
additionalProperties false) covers what chat models are asked for; a full
validator would be a new dependency for a note in the margin. Problems are
plain sentences naming the path, e.g. ``$.items[2].price should be a number``.
"""

from __future__ import annotations

import json
from typing import Any

from foxchat.i18n import _

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}
_NAMES = {
    "object": _("an object"),
    "array": _("a list"),
    "string": _("text"),
    "number": _("a number"),
    "integer": _("a whole number"),
    "boolean": _("true or false"),
    "null": "null",
}
MAX_PROBLEMS = 5


def parse_json_reply(text: str) -> tuple[Any, str | None]:
    """The parsed value, or None and a plain-words reason it does not parse.

    Models often wrap JSON in a ```json fence despite being asked not to;
    that wrapping is tolerated.
    """
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    try:
        return json.loads(body), None
    except json.JSONDecodeError as exc:
        return None, _("This reply is not valid JSON: {problem} (line {line}).").format(
            problem=exc.msg, line=exc.lineno
        )


def schema_problems(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Where ``value`` does not match ``schema`` (at most ``MAX_PROBLEMS``)."""
    problems: list[str] = []
    _check(value, schema, path, problems)
    return problems[:MAX_PROBLEMS]


def _check(value: Any, schema: Any, path: str, problems: list[str]) -> None:
    if not isinstance(schema, dict) or len(problems) >= MAX_PROBLEMS:
        return
    expected = schema.get("type")
    kinds = expected if isinstance(expected, list) else [expected] if expected else []
    if kinds and not any(_is(value, kind) for kind in kinds):
        names = _(" or ").join(_NAMES.get(k, str(k)) for k in kinds)
        problems.append(_("{path} should be {kinds}.").format(path=path, kinds=names))
        return
    if "enum" in schema and isinstance(schema["enum"], list) and value not in schema["enum"]:
        allowed = ", ".join(map(json.dumps, schema["enum"]))
        problems.append(_("{path} should be one of {values}.").format(path=path, values=allowed))
    if isinstance(value, dict):
        found = schema.get("properties")
        props: dict[str, Any] = found if isinstance(found, dict) else {}
        for name in schema.get("required") or []:
            if isinstance(name, str) and name not in value:
                problems.append(_("{path} is missing “{name}”.").format(path=path, name=name))
        for name, item in value.items():
            if name in props:
                _check(item, props[name], f"{path}.{name}", problems)
            elif schema.get("additionalProperties") is False:
                problems.append(
                    _("{path} has “{name}”, which the schema does not allow.").format(
                        path=path, name=name
                    )
                )
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            _check(item, schema["items"], f"{path}[{index}]", problems)


def _is(value: Any, kind: str) -> bool:
    if kind in ("number", "integer") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES.get(kind, (object,)))
