"""Which parameter a server refused, read from its 400/422 answer.

A server that refuses a parameter the model rules did not foresee (a gateway
that differs, a new model) usually names it: OpenAI in ``error.param`` and in
its message ("Unsupported parameter: 'top_p' is not supported with this
model."), FastAPI-based servers in a validation error's ``loc``, others only
in their message. FoxChat offers to send again without it and, if the person
agrees, remembers it for that model on that server
(:class:`foxchat.api.model_rules.Overrides`).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from foxchat.api.errors import APIError, BadRequestError

#: Request fields that are never a parameter to leave out.
_NOT_PARAMETERS = frozenset({"model", "messages", "stream", "stream_options"})


def refused_parameter(error: APIError, sent: Collection[str]) -> str | None:
    """The sent request field ``error`` names as refused, or None.

    ``sent`` is the request's field names. The field the server named is
    trusted first; otherwise the first sent field its words mention (so "use
    'max_completion_tokens' instead of 'max_tokens'" is not read as a refusal
    of a field that was not sent).
    """
    if not isinstance(error, BadRequestError) or error.status not in (400, 422):
        return None
    candidates = [name for name in sent if name not in _NOT_PARAMETERS]
    if error.param in candidates:
        return error.param
    text = error.said or ""
    found: list[tuple[int, str]] = []
    for name in candidates:
        match = re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text)
        if match is not None:
            found.append((match.start(), name))
    return min(found)[1] if found else None
