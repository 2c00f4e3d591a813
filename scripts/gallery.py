"""The screenshot gallery: every main screen, light and dark, large and small.

Called by ``scripts/screenshot.py --gallery DIR``, which starts the fake
server, seeds the data dir and runs this under qasync. One app is started;
for each theme (switched the way the Settings dialog does it) and each window
size it writes ``DIR/<screen>-<theme>-<W>x<H>.png`` for:

- ``empty``: a new chat (the greeting, the model, example prompts);
- ``reply``: the seeded chat, whose last reply has a code block and a table;
- ``streaming``: a reply still arriving, Stop in the composer;
- ``error``: a reply the server refused (HTTP 500), shown in the chat;
- ``parameters``: the chat with the parameters sidebar open;
- ``welcome`` and ``settings``: each dialog over the window, as a person sees it.

Dialogs are drawn onto the window's picture, centred, because each is its own
top-level window and ``grab()`` sees one window at a time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Final

from scripts.screenshot_samples import Samples, for_language
from tests.fakeserver import FakeOpenAIServer, Reply, StatusReply

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QDialog, QWidget

    from foxchat.app import FoxChatApp

SIZES: Final = ((1280, 800), (800, 600))
THEMES: Final = ("light", "dark")


async def shoot_gallery(
    app: FoxChatApp, server: FakeOpenAIServer, folder: Path, reply_chat: int
) -> list[Path]:
    """Write every screen for every theme and size into ``folder``; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for theme in THEMES:
        app.prefs.apply(replace(app.settings, theme=theme))
        for width, height in SIZES:
            shots = _Shots(app, server, folder, f"{theme}-{width}x{height}", written)
            app.window.resize(width, height)
            await _settle()
            await shots.all(reply_chat)
    return written


def samples() -> Samples:
    """The chats to show, in the interface's language."""
    from foxchat import i18n

    return for_language(i18n.current())


class _Shots:
    """The screens for one theme and window size."""

    def __init__(
        self,
        app: FoxChatApp,
        server: FakeOpenAIServer,
        folder: Path,
        suffix: str,
        written: list[Path],
    ) -> None:
        self.app = app
        self.server = server
        self.folder = folder
        self.suffix = suffix
        self.written = written

    async def all(self, reply_chat: int) -> None:
        window = self.app.window
        _show_sidebar(self.app, False)
        window.new_conversation()
        await self.save("empty", window.grab())
        window.open_conversation(reply_chat)
        await _settle()
        bar = window.message_view.verticalScrollBar()
        bar.setValue(bar.maximum())
        await self.save("reply", window.grab())
        made = [await self.streaming(), await self.error()]
        window.open_conversation(reply_chat)
        _show_sidebar(self.app, True)
        await _settle()  # the sidebar builds its panel when first shown, in steps
        await self.save("parameters", window.grab())
        _show_sidebar(self.app, False)
        await self.dialog("welcome", self._open_welcome)
        await self.dialog("settings", self._open_settings)
        # The next size starts from the same list.
        for cid in made:
            self.app.conversations.delete(cid)
        window.open_conversation(reply_chat)

    async def streaming(self) -> int:
        window, chat = self.app.window, self.app.chat
        text = samples()
        window.new_conversation()
        self.server.script(
            Reply(text=text.streaming_answer, chunk_size=6, delay=0.02, model="gpt-4o")
        )
        window.send(text.streaming_question)
        cid = window.current_id or 0
        self.app.conversations.rename(cid, text.streaming_title)
        deadline = time.monotonic() + 10
        while not _live_text_longer_than(self.app, cid, 300) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await self.save("streaming", window.grab())
        chat.stop(cid)
        while chat.is_streaming(cid):
            await asyncio.sleep(0.05)
        return cid

    async def error(self) -> int:
        window, chat = self.app.window, self.app.chat
        text = samples()
        window.new_conversation()
        self.server.script(StatusReply(500, {"error": {"message": text.server_said}}))
        window.send(text.error_question)
        cid = window.current_id or 0
        self.app.conversations.rename(cid, text.error_title)
        await asyncio.sleep(0.2)
        while chat.is_streaming(cid):
            await asyncio.sleep(0.05)
        await self.save("error", window.grab())
        return cid

    async def dialog(self, name: str, open_dialog: Callable[[], QDialog]) -> None:
        dialog = open_dialog()
        await _settle()
        await self.save(name, _over(self.app.window, dialog))
        dialog.reject()
        await _settle()

    def _open_welcome(self) -> QDialog:
        from foxchat.ui.welcome_dialog import WelcomeDialog

        dialog = WelcomeDialog(self.app.prefs.base_url(), parent=self.app.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _open_settings(self) -> QDialog:
        from foxchat.ui.settings_dialog import SettingsDialog

        self.app.open_settings()
        dialogs = self.app.window.findChildren(SettingsDialog)
        return dialogs[-1]

    async def save(self, name: str, picture: QPixmap) -> None:
        await _settle()
        path = self.folder / f"{name}-{self.suffix}.png"
        if not picture.save(str(path)):
            raise SystemExit(f"gallery: could not write {path}")
        self.written.append(path)


def _show_sidebar(app: FoxChatApp, visible: bool) -> None:
    window = app.window
    if window.sidebar.isVisible() != visible:
        window.sidebar_action.trigger()


def _live_text_longer_than(app: FoxChatApp, cid: int, length: int) -> bool:
    live = app.chat.live_reply(cid)
    return live is not None and len(live.content) > length


def _over(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window's picture, dimmed, with ``dialog`` drawn centred on it."""
    from PySide6.QtGui import QColor, QPainter

    picture = window.grab()
    inner = dialog.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 90))
    x = max(0, (picture.width() - inner.width()) // 2)
    y = max(0, (picture.height() - inner.height()) // 2)
    painter.drawPixmap(x, y, inner)
    painter.end()
    return picture


async def _settle() -> None:
    """Let layouts, timers and the message view's coalesced render catch up.

    Sleeping on the qasync loop runs Qt's events; calling ``processEvents``
    from inside a task would run other tasks' callbacks within this one.
    """
    await asyncio.sleep(0.4)
