"""Requests go through the proxy in Settings (http:// or socks5://) or the environment's."""

from __future__ import annotations

import asyncio

import pytest

from foxchat.api import ChatClient, ChatRequest, Message, ReplyAccumulator, Timeouts
from tests.api.proxies import ForwardingProxy, Socks5Proxy
from tests.fakeserver import FakeOpenAIServer, Reply, closed_port_url

FAST = Timeouts(connect=5, first_byte=5, between_chunks=5)
REQUEST = ChatRequest("gpt-4o-mini", [Message("user", "Hello fox")])
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def no_proxy_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def ask(server: FakeOpenAIServer, proxy: str | None = None) -> tuple[str, list[str]]:
    async def main() -> tuple[str, list[str]]:
        reply = ReplyAccumulator()
        async with ChatClient(
            server.base_url, "sk-test", timeouts=FAST, max_retries=0, proxy=proxy
        ) as client:
            async for event in client.stream_chat(REQUEST):
                reply.feed(event)
            models = await client.list_models()
        return reply.text(), models

    return asyncio.run(main())


def test_an_http_proxy_from_settings_carries_every_request(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(text="Through the proxy"))
    with ForwardingProxy() as proxy:
        text, models = ask(fake_server, proxy.url)
    assert text == "Through the proxy"
    assert models == ["fake-model", "gpt-4o-mini"]
    assert proxy.seen == [
        f"POST {fake_server.base_url}/chat/completions",
        f"GET {fake_server.base_url}/models",
    ]


def test_a_socks5_proxy_from_settings_carries_every_request(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(Reply(text="Through SOCKS"))
    with Socks5Proxy() as proxy:
        text, _ = ask(fake_server, proxy.url)
    assert text == "Through SOCKS"
    assert proxy.seen and set(proxy.seen) == {f"127.0.0.1:{fake_server.port}"}


def test_the_environment_proxy_applies_without_a_setting(
    fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ForwardingProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        text, _ = ask(fake_server)
    assert text == "Echo: Hello fox"
    assert proxy.seen[0] == f"POST {fake_server.base_url}/chat/completions"


def test_the_setting_wins_over_the_environment(
    fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", closed_port_url().removesuffix("/v1"))
    with ForwardingProxy() as proxy:
        text, _ = ask(fake_server, proxy.url)
    assert text == "Echo: Hello fox"
    assert len(proxy.seen) == 2
