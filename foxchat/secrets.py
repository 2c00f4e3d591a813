"""API keys: the OS keyring, a session-only fallback, and ``FOXCHAT_API_KEY``.

Keys never touch a file or a log. Each endpoint profile's key is stored in the
keyring under the service name (``"FoxChat"``) with the profile id as user name.
When the machine has no keyring (usual on headless or minimal Linux), a key can
live in memory for this session only.

Keyring calls can block: the D-Bus secret service waits for the user to unlock
it. So every call runs on its own daemon thread with a timeout, and a hung call
never freezes the window or holds up quitting. No Qt here: the CLI uses it too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    # Imported where a task starts: the window paints before asyncio loads (app.run_gui).
    import asyncio

    from keyring.backend import KeyringBackend

# keyring is imported where it is used: importing it (and finding a backend,
# which may ask D-Bus) costs tens of milliseconds the first window need not wait for.

log = logging.getLogger(__name__)

API_KEY_ENV: Final = "FOXCHAT_API_KEY"
DEFAULT_TIMEOUT: Final = 10.0

T = TypeVar("T")


class KeyStorage(StrEnum):
    """Where a saved key ended up."""

    KEYRING = "keyring"
    SESSION = "session"


class KeyStoreError(Exception):
    """A keyring operation failed; ``user_message`` says what to do next."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


def _usable(backend: KeyringBackend) -> bool:
    import keyring.backends.chainer
    import keyring.backends.fail
    import keyring.backends.null

    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return any(_usable(b) for b in backend.backends)
    return True


def _backend() -> KeyringBackend:
    import keyring

    return keyring.get_keyring()


async def _run_off_thread(call: Callable[[], T], timeout: float) -> T:
    """Run ``call`` on a daemon thread; give up waiting after ``timeout`` seconds.

    Not ``asyncio.to_thread``: its executor threads are joined at interpreter
    exit, so a keyring call stuck on an unlock prompt would block quitting.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return  # the caller stopped waiting (timeout or cancel)
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def work() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = call()
        except BaseException as exc:  # handed over to the awaiting coroutine
            error = exc
        # RuntimeError: the loop closed while we were blocked; nobody is waiting.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=work, name="foxchat-keyring", daemon=True).start()
    return await asyncio.wait_for(future, timeout)


class KeyStore:
    """Loads, saves and deletes API keys per endpoint profile."""

    def __init__(self, service: str = "FoxChat", *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._service = service
        self._timeout = timeout
        self._session_keys: dict[str, str] = {}

    # -- what is available ---------------------------------------------------

    @staticmethod
    def key_from_environment() -> str | None:
        """The key in ``FOXCHAT_API_KEY``, or None; it is never stored."""
        return os.environ.get(API_KEY_ENV, "").strip() or None

    @staticmethod
    def backend_available() -> bool:
        """Whether the OS keyring can actually keep a key."""
        return _usable(_backend())

    @staticmethod
    def backend_name() -> str:
        """A readable name of the keyring in use, for the settings dialog."""
        backend = _backend()
        name: str = backend.name
        return name

    # -- operations ----------------------------------------------------------

    def remember_for_session(self, profile_id: str, key: str) -> None:
        """Keep ``key`` in memory only; it is gone when FoxChat quits."""
        self._session_keys[profile_id] = _clean(key)

    async def load_key(self, profile_id: str) -> str | None:
        """The key to use: the environment's, this session's, or the keyring's."""
        from_env = self.key_from_environment()
        if from_env:
            return from_env
        if profile_id in self._session_keys:
            return self._session_keys[profile_id]

        def read() -> str | None:
            # Finding the backend can itself wait on D-Bus: off this thread too.
            backend = _backend()
            return backend.get_password(self._service, profile_id) if _usable(backend) else None

        key = await self._call(read, "FoxChat could not read your API key from the system keyring")
        return key or None

    async def store_key(self, profile_id: str, key: str) -> KeyStorage:
        """Save ``key``: in the keyring when there is one, else for this session."""
        key = _clean(key)
        if not self.backend_available():
            self._session_keys[profile_id] = key
            return KeyStorage.SESSION
        await self._call(
            lambda: _backend().set_password(self._service, profile_id, key),
            "FoxChat could not save your API key in the system keyring",
        )
        self._session_keys.pop(profile_id, None)
        return KeyStorage.KEYRING

    async def delete_key(self, profile_id: str) -> None:
        """Forget the profile's key everywhere FoxChat keeps it; a missing key is fine."""
        self._session_keys.pop(profile_id, None)
        if not self.backend_available():
            return

        def delete() -> None:
            from keyring.errors import PasswordDeleteError

            # Nothing stored is already the state the user asked for.
            with contextlib.suppress(PasswordDeleteError):
                _backend().delete_password(self._service, profile_id)

        await self._call(delete, "FoxChat could not remove your API key from the system keyring")

    async def _call(self, call: Callable[[], T], what_failed: str) -> T:
        try:
            return await _run_off_thread(call, self._timeout)
        except TimeoutError:
            log.warning("keyring: no answer within %.0f s", self._timeout)
            raise KeyStoreError(
                f"{what_failed}: it did not answer within {self._timeout:.0f} seconds. "
                "If your system asks you to unlock the keyring, unlock it and try again."
            ) from None
        except Exception as exc:  # backends raise their own types (D-Bus, Windows, ...)
            # The exception text comes from the backend, never from the key itself.
            log.warning("keyring: %s: %s", type(exc).__name__, exc)
            raise KeyStoreError(
                f"{what_failed} ({type(exc).__name__}). Unlock the keyring and try again, "
                "or use the key for this session only."
            ) from None


def _clean(key: str) -> str:
    # Pasted keys often carry a newline or spaces; a key never contains them.
    cleaned = key.strip()
    if not cleaned:
        raise KeyStoreError("The API key is empty. Paste your key and try again.")
    return cleaned
