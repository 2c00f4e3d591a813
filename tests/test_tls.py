"""TLS verification is never switched off: not in the source, not in the client."""

from __future__ import annotations

import asyncio
import re
import ssl
from pathlib import Path

import httpx
import pytest

import foxchat
from foxchat.api import ChatClient

#: Ways Python code turns certificate checks off.
DISABLING = re.compile(
    r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|_create_unverified_context"
)


def test_no_source_file_turns_verification_off() -> None:
    package = Path(foxchat.__file__).parent
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DISABLING.search(line)
    ]
    assert offenders == []


def test_the_scan_would_catch_it() -> None:
    for line in ("httpx.AsyncClient(verify=False)", "ctx.verify_mode = ssl.CERT_NONE"):
        assert DISABLING.search(line)


def ssl_contexts(client: httpx.AsyncClient) -> list[ssl.SSLContext]:
    """The SSL context of every transport the client may use (direct and proxies)."""
    transports = [client._transport, *(t for t in client._mounts.values() if t is not None)]
    contexts = []
    for transport in transports:
        assert isinstance(transport, httpx.AsyncHTTPTransport)
        context = transport._pool._ssl_context
        assert isinstance(context, ssl.SSLContext)
        contexts.append(context)
    return contexts


def test_the_chat_client_verifies_certificates_and_host_names() -> None:
    client = ChatClient("https://api.example.com/v1", "sk-test")
    try:
        contexts = ssl_contexts(client._client)
        assert contexts
        for context in contexts:
            assert context.verify_mode is ssl.CERT_REQUIRED
            assert context.check_hostname is True
    finally:
        asyncio.run(client.aclose())


def test_proxies_from_the_environment_verify_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    client = ChatClient("https://api.example.com/v1", "sk-test")
    try:
        contexts = ssl_contexts(client._client)
        assert len(contexts) >= 2, "the proxy transport is checked as well"
        assert all(c.verify_mode is ssl.CERT_REQUIRED and c.check_hostname for c in contexts)
    finally:
        asyncio.run(client.aclose())
