"""make_client: the proxy setting is read each time a client is made."""

from __future__ import annotations

import asyncio

import pytest

from foxchat.services.endpoint import make_client
from tests.api.proxies import ForwardingProxy
from tests.fakeserver import FakeOpenAIServer


def test_make_client_reads_the_proxy_setting_for_each_new_client(
    fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    setting = {"proxy": ""}

    async def models() -> list[str]:
        async with make_client(fake_server.base_url, "sk", lambda: setting["proxy"]) as client:
            return await client.list_models()

    with ForwardingProxy() as proxy:
        assert asyncio.run(models()) == ["fake-model", "gpt-4o-mini"]
        assert proxy.seen == []  # no proxy set: straight to the server
        setting["proxy"] = proxy.url
        assert asyncio.run(models()) == ["fake-model", "gpt-4o-mini"]
        assert proxy.seen == [f"GET {fake_server.base_url}/models"]
