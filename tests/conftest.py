"""Shared fixtures: offscreen Qt, a fresh data dir and an in-memory keyring per test."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from hypothesis import settings as hypothesis_settings
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests draw the same examples on every run, so a clean clone in CI
# gets the result seen here: a bug they can find is found every time, not once
# in a while. FOXCHAT_HYPOTHESIS=explore draws fresh examples to hunt for more.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore")
hypothesis_settings.load_profile(os.environ.get("FOXCHAT_HYPOTHESIS", "repeatable"))


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps secrets in a dict (tests only)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class BrokenKeyring(MemoryKeyring):
    """A keyring that is there but cannot be used: every call raises ``error``."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data dir and no key or endpoint from the outside."""
    data = tmp_path / "data"
    monkeypatch.setenv("FOXCHAT_DATA_DIR", str(data))
    for name in ("FOXCHAT_API_KEY", "FOXCHAT_BASE_URL", "FOXCHAT_MODEL"):
        monkeypatch.delenv(name, raising=False)
    # Proxies from the developer's shell would route loopback tests elsewhere.
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    yield data


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The keyring API, backed by memory, for every test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# The fake OpenAI server, shared by the API, CLI, GUI and fault-matrix tests.
from tests.fakeserver import FakeOpenAIServer  # noqa: E402


@pytest.fixture
def fake_server() -> Iterator[FakeOpenAIServer]:
    """A started fake OpenAI-compatible server on 127.0.0.1 (see tests/fakeserver.py)."""
    with FakeOpenAIServer() as server:
        yield server


_CLOSED_LOOPS: list[asyncio.AbstractEventLoop] = []


@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync event loop on the test QApplication, as the app runs under.

    At teardown every task left is cancelled and awaited and async generators
    are finalised while the loop still runs: a callback that fires after the
    loop has stopped finds no running loop and fails.
    """
    import qasync

    from foxchat.app import install_asyncgen_finalizer

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    hooks = sys.get_asyncgen_hooks()
    install_asyncgen_finalizer(loop)  # as the app does
    yield loop

    async def drain() -> list[str]:
        await asyncio.sleep(0.05)
        current = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks() if t is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await loop.shutdown_asyncgens()
        return [task.get_name() for task in pending]

    left = loop.run_until_complete(drain())
    loop.close()
    asyncio.set_event_loop(None)
    # A keyring call's daemon thread may still hold the loop (to post its
    # answer). If that thread dropped the last reference, the loop's QObject
    # timer would be destroyed off the GUI thread, leaving Qt a dangling
    # timer that crashes a later test. Closed loops are kept until exit.
    _CLOSED_LOOPS.append(loop)
    sys.set_asyncgen_hooks(*hooks)
    if left:
        # Work a service started and nobody stopped: Stop or quit would leak it too.
        pytest.fail(f"tasks left running after the test: {left}", pytrace=False)


class ErrorLog(logging.Handler):
    """Collects ERROR records; a test that expects some says which (``expect``).

    Only the text is kept: a record's traceback holds frames, and frames hold
    widgets that must not outlive their test.
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []
        self._expected: list[re.Pattern[str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f" ({type(error).__name__}: {error})"
        self.messages.append(text)

    def expect(self, pattern: str) -> None:
        """Let errors whose text matches ``pattern`` (a regex) be logged."""
        self._expected.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [m for m in self.messages if not any(p.search(m) for p in self._expected)]


@pytest.fixture(autouse=True)
def error_log() -> Iterator[ErrorLog]:
    """Fails any test whose run logged an error it did not expect.

    A bug caught by a service's safety net (``services.tasks``, the app's
    excepthook) is logged, not raised, so without this a test could pass
    over it. Ask for this fixture and call ``expect`` where an error is the
    point of the test.
    """
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    unexpected = handler.unexpected()
    if unexpected:
        pytest.fail("unexpected errors logged:\n" + "\n".join(unexpected), pytrace=False)
