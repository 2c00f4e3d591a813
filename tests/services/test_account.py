"""The account service under a real qasync loop, the keyring API and a loopback server."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Coroutine, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import SignalInstance

from foxchat import i18n
from foxchat.api import ChatClient
from foxchat.secrets import KeyStore
from foxchat.services.account import AccountService, connected_message
from tests.conftest import MemoryKeyring

T = TypeVar("T")
GOOD_KEY = "sk-good"
SLOW_KEY = "sk-slow"


class ModelsServer:
    """GET /v1/models on 127.0.0.1: two models for the good key, 401 for others."""

    def __init__(self) -> None:
        self.release_slow = threading.Event()
        self.auth_headers: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                auth = self.headers.get("Authorization", "")
                outer.auth_headers.append(auth)
                if auth == f"Bearer {SLOW_KEY}":
                    outer.release_slow.wait(30)
                if self.path != "/v1/models":
                    self._reply(404, {"error": {"message": "not found"}})
                elif auth in (f"Bearer {GOOD_KEY}", f"Bearer {SLOW_KEY}"):
                    data = [{"id": "gpt-4o", "object": "model"}, {"id": "deepseek-chat"}]
                    self._reply(200, {"object": "list", "data": data})
                else:
                    self._reply(401, {"error": {"message": "Invalid API key"}})

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release_slow.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[ModelsServer]:
    running = ModelsServer()
    yield running
    running.close()


@pytest.fixture
def loop(qloop: asyncio.AbstractEventLoop) -> asyncio.AbstractEventLoop:
    """The shared qasync loop; its teardown drains every task before closing.

    A task left pending on a closed loop would be stepped later, inside
    another test, and emit from a service Qt has already deleted (a crash).
    """
    return qloop


@pytest.fixture
def service(loop: asyncio.AbstractEventLoop) -> Iterator[AccountService]:
    account = AccountService(KeyStore(), ChatClient)
    yield account
    account.shutdown()
    account.deleteLater()


def run(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, T]) -> T:
    return loop.run_until_complete(asyncio.wait_for(work, 20))


async def emission(signal: SignalInstance) -> list[Any]:
    """The arguments of the signal's next emission."""
    arrived: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()

    def record(*args: Any) -> None:
        if not arrived.done():
            arrived.set_result(list(args))

    signal.connect(record)
    try:
        return await arrived
    finally:
        signal.disconnect(record)


def test_a_saved_key_lands_in_the_keyring_and_loads_back(
    loop: asyncio.AbstractEventLoop, service: AccountService, memory_keyring: MemoryKeyring
) -> None:
    async def scenario() -> tuple[list[Any], list[Any]]:
        saved = asyncio.ensure_future(emission(service.key_saved))
        service.save_key("foxapi", f"{GOOD_KEY}\n")
        saved_args = await saved
        loaded = asyncio.ensure_future(emission(service.key_loaded))
        service.load_key("foxapi")
        return saved_args, await loaded

    saved, loaded = run(loop, scenario())
    assert saved == ["foxapi", "keyring"]
    assert loaded == ["foxapi", GOOD_KEY]
    assert memory_keyring.secrets == {("FoxChat", "foxapi"): GOOD_KEY}


def test_without_a_keyring_the_key_is_kept_for_the_session(
    loop: asyncio.AbstractEventLoop, service: AccountService
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]

    async def scenario() -> list[Any]:
        saved = asyncio.ensure_future(emission(service.key_saved))
        service.save_key("foxapi", GOOD_KEY)
        return await saved

    assert run(loop, scenario()) == ["foxapi", "session"]


def test_deleting_a_key_removes_it(
    loop: asyncio.AbstractEventLoop, service: AccountService, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.secrets[("FoxChat", "foxapi")] = GOOD_KEY

    async def scenario() -> tuple[list[Any], list[Any]]:
        deleted = asyncio.ensure_future(emission(service.key_deleted))
        service.delete_key("foxapi")
        deleted_args = await deleted
        loaded = asyncio.ensure_future(emission(service.key_loaded))
        service.load_key("foxapi")
        return deleted_args, await loaded

    assert run(loop, scenario()) == (["foxapi"], ["foxapi", None])
    assert memory_keyring.secrets == {}


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")


def test_an_unreadable_keyring_reports_and_carries_on_without_a_key(
    loop: asyncio.AbstractEventLoop, service: AccountService
) -> None:
    keyring.set_keyring(LockedKeyring())
    failures: list[str] = []
    service.failed.connect(failures.append)

    async def scenario() -> list[Any]:
        loaded = asyncio.ensure_future(emission(service.key_loaded))
        service.load_key("foxapi")
        return await loaded

    assert run(loop, scenario()) == ["foxapi", None]
    assert len(failures) == 1
    assert "could not read your API key" in failures[0]


def test_connection_test_reports_the_model_count(
    loop: asyncio.AbstractEventLoop, service: AccountService, server: ModelsServer
) -> None:
    async def scenario() -> list[Any]:
        tested = asyncio.ensure_future(emission(service.connection_tested))
        service.test_connection(f" {server.base_url}/ ", f" {GOOD_KEY} ")
        return await tested

    assert run(loop, scenario()) == [
        True,
        "Connected. 2 models available.",
        ["deepseek-chat", "gpt-4o"],
    ]
    assert server.auth_headers == [f"Bearer {GOOD_KEY}"]


def test_a_refused_key_is_explained_in_plain_words(
    loop: asyncio.AbstractEventLoop, service: AccountService, server: ModelsServer
) -> None:
    async def scenario() -> list[Any]:
        tested = asyncio.ensure_future(emission(service.connection_tested))
        service.test_connection(server.base_url, "sk-wrong")
        return await tested

    ok, message, models = run(loop, scenario())
    assert (ok, models) == (False, [])
    assert "did not accept your API key" in message


def test_a_missing_key_or_bad_address_is_explained_without_a_request(
    loop: asyncio.AbstractEventLoop, service: AccountService, server: ModelsServer
) -> None:
    results: list[list[Any]] = []
    service.connection_tested.connect(lambda *args: results.append(list(args)))
    service.test_connection(server.base_url, "  ")
    service.test_connection("api.foxapi.cc", GOOD_KEY)
    assert [r[0] for r in results] == [False, False]
    assert "Paste your API key" in results[0][1]
    assert "https://" in results[1][1]
    assert server.auth_headers == []


def test_a_newer_test_replaces_an_older_one(
    loop: asyncio.AbstractEventLoop, service: AccountService, server: ModelsServer
) -> None:
    results: list[list[Any]] = []
    service.connection_tested.connect(lambda *args: results.append(list(args)))

    async def scenario() -> None:
        service.test_connection(server.base_url, SLOW_KEY)
        await asyncio.sleep(0)
        tested = asyncio.ensure_future(emission(service.connection_tested))
        service.test_connection(server.base_url, "sk-wrong")
        await tested
        while service.busy():
            await asyncio.sleep(0.01)
        server.release_slow.set()

    run(loop, scenario())
    assert len(results) == 1
    assert results[0][0] is False, "only the newer (refused) answer is shown"


def test_shutdown_cancels_work_in_flight_silently(
    loop: asyncio.AbstractEventLoop, service: AccountService, server: ModelsServer
) -> None:
    results: list[list[Any]] = []
    service.connection_tested.connect(lambda *args: results.append(list(args)))
    service.failed.connect(lambda message: results.append([message]))

    async def scenario() -> None:
        service.test_connection(server.base_url, SLOW_KEY)
        await asyncio.sleep(0.05)
        assert service.busy()
        service.shutdown()
        while service.busy():
            await asyncio.sleep(0.01)
        server.release_slow.set()

    run(loop, scenario())
    assert not service.busy()
    assert results == []


def test_the_saved_key_can_be_tested(
    loop: asyncio.AbstractEventLoop,
    service: AccountService,
    server: ModelsServer,
    memory_keyring: MemoryKeyring,
) -> None:
    async def scenario(profile_id: str) -> list[Any]:
        tested = asyncio.ensure_future(emission(service.connection_tested))
        service.test_saved_key(profile_id, server.base_url)
        return await tested

    ok, message, _ = run(loop, scenario("foxapi"))
    assert not ok
    assert "No key is saved" in message
    memory_keyring.secrets[("FoxChat", "foxapi")] = GOOD_KEY
    assert run(loop, scenario("foxapi"))[:2] == [True, "Connected. 2 models available."]


@pytest.mark.parametrize(
    ("count", "english", "chinese"),
    [
        (1, "Connected. 1 model available.", "已连接，可用模型 1 个。"),
        (1234, "Connected. 1,234 models available.", "已连接，可用模型 1,234 个。"),
    ],
)
def test_the_model_count_is_said_with_the_right_plural_in_each_language(
    count: int, english: str, chinese: str
) -> None:
    assert connected_message(count) == english
    i18n.install("zh_CN")
    try:
        assert connected_message(count) == chinese
    finally:
        i18n.install(i18n.ENGLISH)
