"""What a reply was made with, as stored in its ``details_json`` (no Qt: widgets read it too).

``ChatService`` writes one JSON object per reply: ``model``, ``sent`` (the
request's settings, without the conversation), ``not_sent`` (parameter ->
why the model rules left it out), ``system_fingerprint`` when the server sent
one, and ``refused`` (``parameter`` and the server's words ``said``) when a
400/422 named one parameter.
"""

from __future__ import annotations

import json


def refusal_of(details_json: str | None) -> tuple[str, str, str] | None:
    """(model, parameter, server's words) of a reply refused for one parameter, else None."""
    if not details_json:
        return None
    try:
        details = json.loads(details_json)
    except ValueError:
        return None
    refused = details.get("refused") if isinstance(details, dict) else None
    model = details.get("model") if isinstance(details, dict) else None
    if not isinstance(refused, dict) or not isinstance(model, str):
        return None
    parameter, said = refused.get("parameter"), refused.get("said")
    if not isinstance(parameter, str) or not parameter:
        return None
    return model, parameter, said if isinstance(said, str) else ""
