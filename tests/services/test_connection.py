"""ConnectionService: the key is looked up once, models listed, the person asked when none."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import keyring
from PySide6.QtCore import QObject

from foxchat.api import ChatClient
from foxchat.secrets import KeyStore
from foxchat.services.account import AccountService
from foxchat.services.connection import ConnectionService
from foxchat.services.endpoint import EndpointService
from foxchat.services.settings_service import SettingsService
from foxchat.services.tasks import LoopGate
from foxchat.settings import Settings, load_settings
from tests.asyncqt import run, until
from tests.conftest import MemoryKeyring
from tests.fakeserver import FakeOpenAIServer

KEY = "sk-connection-test-0123"


def build(server_url: str) -> tuple[QObject, ConnectionService, EndpointService, list[str]]:
    root = QObject()
    settings = Settings()
    profile = replace(settings.default_profile(), base_url=server_url)
    prefs = SettingsService(replace(settings, profiles=[profile]), parent=root)
    gate, store = LoopGate(), KeyStore()
    endpoint = EndpointService(ChatClient, parent=root, gate=gate)
    account = AccountService(store, ChatClient, parent=root, gate=gate)
    connection = ConnectionService(prefs, account, endpoint, store, parent=root)
    needed: list[str] = []
    connection.key_needed.connect(lambda: needed.append("asked"))
    return root, connection, endpoint, needed


def test_a_saved_key_is_used_and_the_models_listed(
    qloop: asyncio.AbstractEventLoop, fake_server: FakeOpenAIServer, memory_keyring: MemoryKeyring
) -> None:
    keyring.set_password("FoxChat", Settings().default_profile_id, KEY)
    root, connection, endpoint, needed = build(fake_server.base_url)

    async def scenario() -> None:
        connection.look_for_key()
        await until(lambda: bool(connection.listed_models))
        await until(lambda: not endpoint.busy)
        await endpoint.aclose()

    run(qloop, scenario())
    assert connection.listed_models == sorted(fake_server.models)
    assert needed == []
    root.deleteLater()


def test_without_a_key_the_person_is_asked_and_waiting_work_learns_it(
    qloop: asyncio.AbstractEventLoop, fake_server: FakeOpenAIServer
) -> None:
    root, connection, endpoint, needed = build(fake_server.base_url)

    async def scenario() -> None:
        connection.look_for_key()
        assert await endpoint.ready_client() is None

    run(qloop, scenario())
    assert needed == ["asked"]
    root.deleteLater()


def test_a_key_typed_for_a_new_address_is_not_looked_up_at_the_old_one(
    qloop: asyncio.AbstractEventLoop, fake_server: FakeOpenAIServer
) -> None:
    root, connection, endpoint, needed = build("https://api.foxapi.cc/v1")

    async def scenario() -> None:
        connection.look_for_key()
        await until(lambda: needed == ["asked"])
        connection.accept_key(fake_server.base_url, KEY, session_only=False)
        await until(lambda: bool(connection.listed_models))
        await until(lambda: not endpoint.busy)
        await endpoint.aclose()

    run(qloop, scenario())
    assert needed == ["asked"], "the welcome is not shown a second time"
    assert keyring.get_password("FoxChat", Settings().default_profile_id) == KEY
    assert load_settings().default_profile().base_url == fake_server.base_url.rstrip("/")
    root.deleteLater()
