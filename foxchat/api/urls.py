"""Base URL normalisation: whatever a person pastes, the client gets ``.../v1``.

``https://host``, ``https://host/v1``, ``https://host/v1/`` and a pasted
``https://host/v1/chat/completions`` all become ``https://host/v1``. A base
with its own path (``https://host/api/openai``) is kept as it is.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit, urlunsplit

_ENDPOINT_SUFFIXES: Final = ("/chat/completions", "/completions", "/models")


def normalize_base_url(url: str) -> str:
    """The API base to put ``/chat/completions`` and ``/models`` after."""
    url = url.strip()
    if url and "://" not in url:
        url = "https://" + url  # a bare host name; TLS is the safe guess
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    for suffix in _ENDPOINT_SUFFIXES:
        if path.endswith(suffix):
            path = path[: -len(suffix)].rstrip("/")
            break
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))
