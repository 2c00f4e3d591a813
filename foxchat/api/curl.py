"""The request the app would send, as a ``curl`` command to paste elsewhere.

It is shaped like the API's own documentation shows it (one header per line,
the JSON body pretty-printed), with the key masked unless the user asks for
it. Quoting is POSIX shell quoting, so any text in the conversation survives.
"""

from __future__ import annotations

import json
import shlex

from foxchat.api.request import ChatRequest
from foxchat.api.urls import normalize_base_url

MASK = "$FOXCHAT_API_KEY"


def to_curl(
    request: ChatRequest, base_url: str, api_key: str | None, *, include_key: bool = False
) -> str:
    """``curl`` for ``POST {base}/chat/completions`` with ``request``'s exact body.

    Without ``include_key`` the key is replaced by a shell variable, so the
    command can be shared and still works after ``export FOXCHAT_API_KEY=…``.
    """
    url = normalize_base_url(base_url) + "/chat/completions"
    key = api_key if include_key and api_key else MASK
    auth = f"Authorization: Bearer {key}"
    # A variable must stay unquoted-expandable: use double quotes for it.
    auth_arg = shlex.quote(auth) if key != MASK else f'"{auth}"'
    body = json.dumps(request.to_payload(), indent=2, ensure_ascii=False)
    lines = [
        f"curl {shlex.quote(url)}",
        '  -H "Content-Type: application/json"',
        f"  -H {auth_arg}",
        f"  -d {shlex.quote(body)}",
    ]
    return " \\\n".join(lines)
