"""The endpoint in use: one shared API client, and its model list.

One ``ChatClient`` (one connection pool) serves every conversation; it is
replaced when the user changes the key or the base URL. The old client is
closed in the background once nothing can use it any more.

Until the key has been looked up (a keyring read after the first frame) the
endpoint is *pending*: a reply or a model refresh asked for then waits in
:meth:`EndpointService.ready_client` instead of being told that no key is
saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from foxchat.api.errors import APIError
from foxchat.i18n import _
from foxchat.services.tasks import LoopGate, TaskOwner

if TYPE_CHECKING:
    # Imported where a task starts: the window paints before asyncio loads (app.run_gui).
    import asyncio

    from foxchat.api import ChatClient

log = logging.getLogger(__name__)

ClientFactory = Callable[[str, str], "ChatClient"]

NO_KEY = _("Add your API key first (Settings, Ctrl+,).")


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

    def __init__(
        self,
        factory: ClientFactory = make_client,
        parent: QObject | None = None,
        *,
        gate: LoopGate | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory = factory
        self._client: ChatClient | None = None
        self.base_url = ""
        self.api_key: str | None = None
        self._known = False
        self._known_event: asyncio.Event | None = None
        self._tasks = TaskOwner("endpoint", gate, on_error=self.models_failed.emit)

    def set_credentials(self, base_url: str, api_key: str | None) -> None:
        """Use this endpoint and key from now on (None: there is no key)."""
        old, self._client = self._client, None
        self.base_url = base_url
        self.api_key = api_key
        if api_key:
            self._client = self._factory(base_url, api_key)
        self._known = True
        if self._known_event is not None:
            self._known_event.set()
        if old is not None:
            self._tasks.start(old.aclose, name="close old client")

    def client(self) -> ChatClient | None:
        """The client for new requests, or None when no key is known (yet)."""
        return self._client

    @property
    def ready(self) -> bool:
        """Whether the key has been looked up (found or not)."""
        return self._known

    async def ready_client(self) -> ChatClient | None:
        """The client once the key has been looked up; None if there is no key."""
        if not self._known:
            import asyncio

            if self._known_event is None:
                self._known_event = asyncio.Event()
            await self._known_event.wait()
        return self._client

    def refresh_models(self) -> None:
        """Fetch ``/models`` and emit ``models_loaded`` or ``models_failed``.

        Asked for before the key is known, it waits for it.
        """
        if self._known and self._client is None:
            self.models_failed.emit(NO_KEY)
            return
        self._tasks.start(self._load_models, name="model list")

    async def _load_models(self) -> None:
        client = await self.ready_client()
        if client is None:
            self.models_failed.emit(NO_KEY)
            return
        try:
            models = await client.list_models()
        except APIError as exc:
            self.models_failed.emit(exc.user_message)
            return
        self.models_loaded.emit(sorted(models))

    @property
    def busy(self) -> bool:
        """Whether a model fetch or a client close is waiting or running."""
        return self._tasks.busy

    async def aclose(self, grace: float = 0.2) -> None:
        """Let pending work finish briefly, cancel the rest, close the client."""
        await self._tasks.shutdown(grace)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
