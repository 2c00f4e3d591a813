"""Base URL normalisation: whatever a person pastes, the client gets ``.../v1``.

``https://host``, ``https://host/v1``, ``https://host/v1/`` and a pasted
``https://host/v1/chat/completions`` all become ``https://host/v1``. A base
with its own path (``https://host/api/openai``) is kept as it is.

A proxy address is checked here too, so Settings and the CLI agree on what
the client accepts: http://, https:// or socks5:// (socks5h:// resolves names
on the proxy), a host, an optional port and optional user:password.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit, urlunsplit

from foxchat.i18n import _

_ENDPOINT_SUFFIXES: Final = ("/chat/completions", "/completions", "/models")
PROXY_SCHEMES: Final = ("http", "https", "socks5", "socks5h")


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


def check_proxy_url(text: str) -> str | None:
    """A plain-words problem with a proxy address, or None when it is usable (or empty)."""
    url = text.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in PROXY_SCHEMES:
        return _(
            "The proxy address must start with http://, https:// or socks5://,"
            " for example {example}."
        ).format(example="socks5://127.0.0.1:1080")
    try:
        port = parts.port  # raises on a port that is not a number from 0 to 65535
    except ValueError:
        port = 0
    if not parts.hostname or port == 0:
        return _(
            "The proxy address needs a server name and a port from 1 to 65535,"
            " for example {example}."
        ).format(example="http://proxy.example.com:8080")
    if parts.path.strip("/") or parts.query or parts.fragment:
        return _(
            "The proxy address is only a server and a port, without a path, for example {example}."
        ).format(example="http://proxy.example.com:8080")
    return None
