"""The endpoint in use: one shared API client, and its model list.

One ``ChatClient`` (one connection pool) serves every conversation; it is
replaced when the user changes the key or the base URL. The old client is
closed in the background once nothing can use it any more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from foxchat.api import APIError

if TYPE_CHECKING:
    # Imported where a task starts: the window paints before asyncio loads (app.run_gui).
    import asyncio

    from foxchat.api import ChatClient

log = logging.getLogger(__name__)

ClientFactory = Callable[[str, str], "ChatClient"]


def make_client(base_url: str, api_key: str, proxy: Callable[[], str] | None = None) -> ChatClient:
    """The real client, imported on first use (it brings httpx).

    ``proxy`` is read each time a client is made, so a changed proxy setting
    applies to the next client; "" leaves the environment's proxy in charge.
    """
    from foxchat.api.client import ChatClient

    return ChatClient(base_url, api_key, proxy=(proxy() if proxy else "") or None)


class EndpointService(QObject):
    """Holds the current client; fetches the model list on request."""

    models_loaded = Signal(list)
    models_failed = Signal(str)

    def __init__(self, factory: ClientFactory = make_client, parent: QObject | None = None):
        super().__init__(parent)
        self._factory = factory
        self._client: ChatClient | None = None
        self.base_url = ""
        self.api_key: str | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def set_credentials(self, base_url: str, api_key: str | None) -> None:
        """Use this endpoint and key from now on (None: no key yet)."""
        old, self._client = self._client, None
        self.base_url = base_url
        self.api_key = api_key
        if api_key:
            self._client = self._factory(base_url, api_key)
        if old is not None:
            self._spawn(old.aclose())

    def client(self) -> ChatClient | None:
        """The client for new requests, or None when no key is known."""
        return self._client

    def refresh_models(self) -> None:
        """Fetch ``/models`` and emit ``models_loaded`` or ``models_failed``."""
        client = self._client
        if client is None:
            self.models_failed.emit("Add your API key first (Settings, Ctrl+,).")
            return
        self._spawn(self._load_models(client))

    async def _load_models(self, client: ChatClient) -> None:
        try:
            models = await client.list_models()
        except APIError as exc:
            self.models_failed.emit(exc.user_message)
            return
        self.models_loaded.emit(sorted(models))

    def _spawn(self, coro: object) -> None:
        import asyncio

        task: asyncio.Task[None] = asyncio.get_event_loop().create_task(coro)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def busy(self) -> bool:
        """Whether a model fetch or a client close is still running."""
        return bool(self._tasks)

    async def aclose(self, grace: float = 0.2) -> None:
        """Let pending work finish briefly, cancel the rest, close the client."""
        import asyncio

        pending = list(self._tasks)
        if pending:
            # A fetch cancelled mid-connect leaves half-started coroutines behind.
            await asyncio.wait(pending, timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
