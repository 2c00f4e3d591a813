"""The account service: API keys and the connection test, as signals for the UI.

It runs one task per request (keyring call or connection test) through its
``TaskOwner`` (``services.tasks``), which keeps each alive, holds it until the
event loop runs, and cancels them all on :meth:`AccountService.shutdown`. A
newer connection test cancels the older one, so a late answer never
overwrites a newer result. It never touches
widgets: the composition root connects its signals to dialog slots.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, Protocol, Self

from PySide6.QtCore import QObject, Signal

from foxchat import locale_format
from foxchat.api.errors import APIError
from foxchat.i18n import _, ngettext
from foxchat.secrets import KeyStore, KeyStoreError
from foxchat.services.tasks import UNEXPECTED, LoopGate, OwnedTask, TaskOwner
from foxchat.settings import check_base_url

log = logging.getLogger(__name__)

__all__ = ["UNEXPECTED", "AccountService", "connected_message"]

NO_SAVED_KEY = _("No key is saved for this profile yet. Paste one, then test again.")


class ModelListingClient(Protocol):
    """What the service needs of ``foxchat.api.ChatClient``."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> object: ...

    async def list_models(self) -> list[str]: ...


#: Builds a client from (base_url, api_key).
ClientFactory = Callable[[str, str], ModelListingClient]


def connected_message(model_count: int) -> str:
    """The plain-words result of a successful connection test."""
    if model_count == 0:
        return _("Connected, but the server lists no models. You can still type a model name.")
    return ngettext(
        "Connected. {count} model available.", "Connected. {count} models available.", model_count
    ).format(count=locale_format.number(model_count))


class AccountService(QObject):
    """Loads, saves and deletes keys and tests connections, off the GUI thread."""

    # profile_id, then the key or None; a Signal cannot name ``str | None``, so the
    # one emit site (_load_key) is what guarantees it.
    key_loaded = Signal(str, object)
    key_saved = Signal(str, str)  # profile_id, KeyStorage value
    key_deleted = Signal(str)  # profile_id
    connection_tested = Signal(bool, str, list)  # ok, message, model ids
    failed = Signal(str)  # user message

    def __init__(
        self,
        key_store: KeyStore,
        client_factory: ClientFactory,
        parent: QObject | None = None,
        *,
        gate: LoopGate | None = None,
    ) -> None:
        super().__init__(parent)
        self._key_store = key_store
        self._client_factory = client_factory
        self._tasks = TaskOwner("account", gate, on_error=self.failed.emit)
        self._connection_test: OwnedTask | None = None

    # -- requests --------------------------------------------------------------

    def load_key(self, profile_id: str) -> None:
        """Emit ``key_loaded`` with the profile's key (or None) when it is read."""
        self._spawn(lambda: self._load_key(profile_id))

    def save_key(self, profile_id: str, key: str) -> None:
        """Emit ``key_saved`` with where the key went, or ``failed``."""
        self._spawn(lambda: self._save_key(profile_id, key))

    def delete_key(self, profile_id: str) -> None:
        """Emit ``key_deleted`` once the key is gone, or ``failed``."""
        self._spawn(lambda: self._delete_key(profile_id))

    def test_connection(self, base_url: str, key: str) -> None:
        """Fetch the model list; emit ``connection_tested``. Cancels an earlier test."""
        if self._connection_test is not None:
            self._connection_test.cancel()
        problem = check_base_url(base_url)
        if not key.strip():
            problem = _("Paste your API key first, then test the connection.")
        if problem is not None:
            self._connection_test = None
            self.connection_tested.emit(False, problem, [])
            return
        self._connection_test = self._spawn(
            lambda: self._test_connection(base_url.strip(), key.strip())
        )

    def test_saved_key(self, profile_id: str, base_url: str) -> None:
        """Like :meth:`test_connection`, with the key already saved for ``profile_id``."""
        if self._connection_test is not None:
            self._connection_test.cancel()
        self._connection_test = self._spawn(lambda: self._test_saved_key(profile_id, base_url))

    def shutdown(self) -> None:
        """Cancel everything in flight; nothing is emitted afterwards."""
        # Cancelled tasks leave the owner by themselves once they have unwound.
        self._tasks.cancel_all()
        self._connection_test = None

    def busy(self) -> bool:
        """Whether a request is still waiting or running."""
        return self._tasks.busy

    # -- work ------------------------------------------------------------------

    def _spawn(self, make: Callable[[], Coroutine[Any, Any, None]]) -> OwnedTask:
        return self._tasks.start(lambda: self._reporting_key_errors(make))

    async def _reporting_key_errors(self, make: Callable[[], Coroutine[Any, Any, None]]) -> None:
        try:
            await make()
        except KeyStoreError as exc:
            self.failed.emit(exc.user_message)

    async def _load_key(self, profile_id: str) -> None:
        try:
            key = await self._key_store.load_key(profile_id)
        except KeyStoreError as exc:
            # Report the problem, then carry on as "no key" so the user can enter one.
            self.failed.emit(exc.user_message)
            key = None
        self.key_loaded.emit(profile_id, key)

    async def _save_key(self, profile_id: str, key: str) -> None:
        storage = await self._key_store.store_key(profile_id, key)
        self.key_saved.emit(profile_id, str(storage))

    async def _delete_key(self, profile_id: str) -> None:
        await self._key_store.delete_key(profile_id)
        self.key_deleted.emit(profile_id)

    async def _test_saved_key(self, profile_id: str, base_url: str) -> None:
        try:
            key = await self._key_store.load_key(profile_id)
        except KeyStoreError as exc:
            self.connection_tested.emit(False, exc.user_message, [])
            return
        if key is None:
            problem: str | None = NO_SAVED_KEY
        else:
            problem = check_base_url(base_url)
        if problem is not None or key is None:
            self.connection_tested.emit(False, problem or "", [])
            return
        await self._test_connection(base_url.strip(), key)

    async def _test_connection(self, base_url: str, key: str) -> None:
        try:
            async with self._client_factory(base_url, key) as client:
                models = await client.list_models()
        except APIError as exc:
            self.connection_tested.emit(False, exc.user_message, [])
            return
        except Exception:
            # The dialog waits for a result, so a bug still ends the test visibly.
            log.exception("account: connection test failed unexpectedly")
            self.connection_tested.emit(False, UNEXPECTED, [])
            return
        self.connection_tested.emit(True, connected_message(len(models)), list(models))
