"""Hostile model output through the whole app: nothing fetched, nothing opened, no freeze.

``tests/render/test_hostile.py`` checks the renderer alone. Here the fake
server streams each reply into the real window while a bystander server on
another loopback port waits for a request that must never come, Linux's
inotify watches a local image that must never be opened, and a QTimer
heartbeat measures the longest time the event loop was blocked. Last, the app
starts with such a reply stored in the chat it reopens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from foxchat.paths import database_path
from foxchat.store import MessageStatus, Store
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer, Reply
from tests.ui.harness import Harness, harness, reply_text, type_and_send, with_key

__all__ = ["harness"]  # the fixture, imported for pytest

#: Generous: a blocked loop for this long is a freeze the user would notice.
MAX_FREEZE = 1.0
IN_OPEN = 0x20


class OpenWatch:
    """Reports whether anyone opened a file (Linux inotify; elsewhere always False)."""

    def __init__(self, path: Path) -> None:
        self.fd = -1
        if not sys.platform.startswith("linux"):
            return
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK)
        assert self.fd >= 0
        assert libc.inotify_add_watch(self.fd, str(path).encode(), IN_OPEN) >= 0

    def opened(self) -> bool:
        if self.fd < 0:
            return False
        try:
            return bool(os.read(self.fd, 4096))
        except BlockingIOError:
            return False

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)


class Heartbeat:
    """The longest gap between ticks of a 10 ms timer: how long the loop was blocked."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.monotonic()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._tick()


@dataclass(frozen=True)
class Hostile:
    name: str
    text: Callable[[str, str], str]  # (local image path, bystander base) -> reply
    chunk_size: int = 64


def nested_lists(depth: int) -> str:
    return "".join("  " * i + "- item\n" for i in range(depth))


def wide_table(columns: int) -> str:
    return "|" + "h|" * columns + "\n|" + "-|" * columns + "\n|" + "1|" * columns + "\n"


def one_megabyte_token() -> str:
    return "Here is the file: data:;base64," + "QUJD" * 250_000 + " (end)"


HOSTILE = [
    Hostile(
        "script",
        lambda _f, web: (
            "Hi <script>fetch('" + web + "/x')</script>"
            f'<script src="{web}/evil.js"></script> there'
        ),
    ),
    Hostile(
        "file image",
        lambda f, _w: f'<img src="file://{f}"> and ![pic](file://{f}) and <img src="{f}">',
    ),
    Hostile(
        "http image",
        lambda _f, web: (
            f'<img src="{web}/pixel.png"> ![pic]({web}/md.png) '
            f'<link rel="stylesheet" href="{web}/s.css"><iframe src="{web}/frame"></iframe>'
        ),
    ),
    Hostile(
        "javascript links",
        lambda _f, web: (
            "[click](javascript:alert(1)) <a href=\"javascript:fetch('"
            + web
            + "')\">me</a> [ok](https://example.com)"
        ),
    ),
    Hostile("1 MB single line", lambda _f, _w: "word " * 200_000, chunk_size=8192),
    Hostile("1 MB token", lambda _f, _w: one_megabyte_token(), chunk_size=8192),
    Hostile("10,000 quote marks", lambda _f, _w: ">" * 10_000 + " x", chunk_size=512),
    Hostile("50,000 columns", lambda _f, _w: wide_table(50_000), chunk_size=8192),
    Hostile("quotes 1000 deep", lambda _f, _w: "> " * 1000 + "deep\n\n" + ">" * 1000 + " x"),
    Hostile("lists 1000 deep", lambda _f, _w: nested_lists(1000), chunk_size=512),
    Hostile("combining flood", lambda _f, _w: "Z" + "\u0301\u0336\u034f" * 30_000 + " end"),
    Hostile(
        "control characters",
        lambda _f, _w: (
            "".join(chr(c) for c in range(32)) * 50
            + "\x7f\u202e\u200b\ufeff\ud7ff" * 2000
            + "\x00end"
        ),
    ),
]


@pytest.fixture
def bystander() -> Iterator[FakeOpenAIServer]:
    """Another loopback server: any request it receives was made because of a reply."""
    with FakeOpenAIServer() as server:
        yield server


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_hostile_reply_fetches_nothing_opens_nothing_and_never_freezes(
    hostile: Hostile,
    harness: Harness,
    fake_server: FakeOpenAIServer,
    bystander: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    with_key(monkeypatch)
    image = tmp_path / "secret.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    web = f"http://127.0.0.1:{bystander.port}"
    text = hostile.text(str(image), web)
    watch = OpenWatch(image)
    heartbeat = Heartbeat()

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        await harness.idle()
        fake_server.script(Reply(text=text, chunk_size=hostile.chunk_size))
        heartbeat.start()
        type_and_send(app, "Say something nasty")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        last = app.store.active_path(cid)[-1]
        # Let the view render the final frame, then wait a little for stray fetches.
        await until(lambda: bool(reply_text(app, last.id)) or not text.strip())
        for _ in range(10):
            app.window.repaint()
            await until(lambda: True)
        heartbeat.stop()
        assert last.status is MessageStatus.COMPLETE
        assert last.content == text, "stored exactly as it arrived"
        type_and_send(app, "Still there?")
        await until(lambda: not app.chat.is_streaming(cid))
        assert app.store.active_path(cid)[-1].status is MessageStatus.COMPLETE
        await harness.idle()

    try:
        run(harness.loop, scenario())
    finally:
        watch_opened = watch.opened()
        watch.close()
    assert bystander.requests == [], "a reply made the app connect somewhere"
    assert not watch_opened, "a reply made the app open a local file"
    assert heartbeat.longest < MAX_FREEZE, f"the window froze for {heartbeat.longest:.2f} s"


#: Opening the last chat at start-up took minutes with a 1 MB token in a reply.
MAX_REOPEN = 2.0


@pytest.mark.parametrize(
    "reply",
    [one_megabyte_token(), ">" * 10_000, wide_table(50_000), "Many words.\n" * 90_000],
    ids=["1 MB token", "10,000 quote marks", "50,000 columns", "1 MB of lines"],
)
def test_the_app_starts_quickly_on_a_chat_holding_a_hostile_reply(
    reply: str, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    with Store.open(database_path()) as store:
        cid = store.create_conversation(title="A huge reply")
        asked = store.add_message(cid, parent_id=None, role="user", content="Send the file")
        answer = store.add_message(cid, parent_id=asked, role="assistant", content=reply)

    async def scenario() -> None:
        started = time.monotonic()
        app = harness.start()
        assert app.window.current_id == cid
        await until(lambda: bool(reply_text(app, answer)))
        app.window.repaint()
        elapsed = time.monotonic() - started
        assert elapsed < MAX_REOPEN, f"the chat took {elapsed:.2f} s to show"
        widget = app.window.message_view.message_widget(answer)
        assert widget is not None and widget.text() == reply, "the stored reply is whole"
        await harness.idle()

    run(harness.loop, scenario())
