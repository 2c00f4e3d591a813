"""Starting the real app in a test: ``FoxChatApp`` on a qasync loop, like ``foxchat`` does.

``Harness`` opens the store in the test's data dir, builds the app, and quits
it the way a user's Ctrl+Q does; the ``harness`` fixture points it at the fake
server. ``start(client_factory=...)`` swaps the API client factory before the
key is loaded, so a test can use short timeouts or no retries.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from foxchat.api import ChatClient
from foxchat.app import FoxChatApp
from foxchat.paths import database_path
from foxchat.settings import load_settings, save_settings
from foxchat.store import MessageStatus, Store
from foxchat.ui.messages.markdown_view import MarkdownView
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer

KEY = "sk-test-key-0123456789"

ClientFactory = Callable[[str, str], ChatClient]


class Harness:
    """Starts and stops the app against a data dir, like a user would."""

    def __init__(self, qapp: QApplication, loop: asyncio.AbstractEventLoop) -> None:
        self.qapp = qapp
        self.loop = loop
        self.app: FoxChatApp | None = None
        self.store: Store | None = None

    def start(
        self, client_factory: ClientFactory | None = None, *, auto_title: bool = False
    ) -> FoxChatApp:
        # Naming requests would take replies scripted for the chat itself.
        settings = load_settings()
        if settings.auto_title != auto_title:
            settings = replace(settings, auto_title=auto_title)
            save_settings(settings)
        self.store = Store.open(database_path())
        self.app = FoxChatApp(
            self.qapp, self.store, settings, client_factory=client_factory or ChatClient
        )
        self.app.start()
        return self.app

    async def idle(self) -> None:
        """Wait for background work (key load, model list) to finish.

        qasync runs one last round of Qt events after ``run_until_complete``
        returns, with no loop running; a connection still opening then fails.
        The key is looked up after the first paint, so until the endpoint
        knows whether there is one, that work has not even started.
        """
        app = self.app
        assert app is not None
        await until(
            lambda: (
                app.endpoint.ready
                and not app.endpoint.busy
                and not app.account.busy()
                and not app.titles.busy
            )
        )

    def quit(self) -> None:
        assert self.app is not None and self.store is not None
        app, store = self.app, self.store

        async def shut_down() -> None:
            await app.shutdown()
            # Let closing connections finish on the running loop; a task
            # stepped after the loop stops has no loop to run on.
            await asyncio.sleep(0.05)

        run(self.loop, shut_down())
        store.close()
        self.app = None
        # Widgets must be gone before the QApplication is.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()

    def close(self) -> None:
        if self.app is not None:
            self.quit()


@pytest.fixture
def harness(
    qapp: QApplication,
    qloop: asyncio.AbstractEventLoop,
    fake_server: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Harness]:
    """A harness whose app talks to ``fake_server``; quits the app at teardown."""
    monkeypatch.setenv("FOXCHAT_BASE_URL", fake_server.base_url)
    # The app themes the whole QApplication; give later tests the one they had.
    style, palette = qapp.style().name(), qapp.palette()
    font, sheet = qapp.font(), qapp.styleSheet()
    h = Harness(qapp, qloop)
    yield h
    h.close()
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def with_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give the app a key through the environment, as ``FOXCHAT_API_KEY`` does."""
    monkeypatch.setenv("FOXCHAT_API_KEY", KEY)


def models_fetched(server: FakeOpenAIServer) -> bool:
    """The app asks for the model list once a key is known; wait for it."""
    return any(r.path.endswith("/models") for r in server.requests)


def type_and_send(app: FoxChatApp, text: str) -> None:
    """Type into the composer and press Enter."""
    edit = app.window.composer.edit
    edit.setFocus()
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)


def reply_text(app: FoxChatApp, message_id: int) -> str:
    """What the message's Markdown view shows, as plain text."""
    widget = app.window.message_view.message_widget(message_id)
    assert widget is not None
    assert isinstance(widget.body, MarkdownView)
    return widget.body.toPlainText()


def last_message(app: FoxChatApp) -> tuple[int, str, MessageStatus]:
    """Id, stored text and status of the last message on the active branch."""
    cid = app.window.current_id
    assert cid is not None
    last = app.store.active_path(cid)[-1]
    return last.id, last.content, last.status
