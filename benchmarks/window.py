"""Window benchmark: the real FoxChatApp with 10,000 conversations, in this process.

Builds (once) a data dir with 10,000 conversations (one of them 2,000 messages
long, 30,000 messages in all), starts ``FoxChatApp`` on a qasync loop as
``foxchat`` does (dummy key, a base URL where nothing listens, a keyring that
stores nothing), and times:

- the conversation list model's ``refresh()`` with 10,000 rows, and refresh
  until the list view has painted again;
- opening the 2,000-message conversation until the message view's first paint
  (switching back to a short chat in between, so each open is a real switch).

Medians of ``--runs`` (default 5; the list 20 times as many). Targets (issue 5):
the list stays instant, the long chat opens in under 150 ms to first paint.
Run: ``QT_QPA_PLATFORM=offscreen python -m benchmarks.window [--keep DIR]``.
Last line: ``window: list_refresh_ms=… list_paint_ms=… open_2000_paint_ms=…``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

CONVERSATIONS: Final = 10_000
MESSAGES: Final = 30_000
LONG_CONVERSATION: Final = 2_000


def build_data_dir(folder: Path) -> None:
    """Fill ``folder`` with this benchmark's data, unless it already holds it."""
    from benchmarks import _data

    _data.build_data_dir(
        folder,
        conversations=CONVERSATIONS,
        messages=MESSAGES,
        long_conversation=LONG_CONVERSATION,
    )


def ms_until_painted(
    loop: asyncio.AbstractEventLoop, target: object, action: Callable[[], None]
) -> float:
    """Run ``action``, then let the loop run until ``target`` or a child of it paints."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    painted = asyncio.Event()
    assert isinstance(target, QWidget)
    watched_widget: QWidget = target

    def inside(widget: QObject) -> bool:
        return isinstance(widget, QWidget) and (
            widget is watched_widget or watched_widget.isAncestorOf(widget)
        )

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and inside(watched):
                painted.set()
            return False

    watch = PaintWatch()
    # Application-wide: the messages are children of the view and paint themselves.
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)

    async def act_and_wait() -> float:
        # Inside the running loop: the app's slots may start tasks.
        began = time.perf_counter()
        action()
        await asyncio.wait_for(painted.wait(), 10)
        return (time.perf_counter() - began) * 1000

    elapsed = loop.run_until_complete(act_and_wait())
    app.removeEventFilter(watch)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="build the data dir here and keep it")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="foxchat-window-"))
    build_data_dir(data_dir)
    os.environ.update(
        FOXCHAT_DATA_DIR=str(data_dir),
        FOXCHAT_API_KEY="dummy",
        FOXCHAT_BASE_URL="http://127.0.0.1:9/v1",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import qasync
    from PySide6.QtWidgets import QApplication

    from foxchat.app import FoxChatApp
    from foxchat.paths import database_path
    from foxchat.settings import load_settings
    from foxchat.store import Store

    qt_app = QApplication([])
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    store = Store.open(database_path())
    app = FoxChatApp(qt_app, store, load_settings())

    async def start() -> None:
        app.start()
        # Let the key load and the (failing) model-list fetch finish first: a
        # connection attempt left pending would be stepped with no running loop
        # between the timed runs.
        await asyncio.sleep(0.2)
        while app.endpoint.busy or app.account.busy():
            await asyncio.sleep(0.05)

    loop.run_until_complete(start())

    rows = app.list_model.rowCount()
    long_id = min(c.id for c in store.list_conversations())
    short_id = app.conversations.first_conversation()
    assert short_id is not None and short_id != long_id
    refresh: list[float] = []
    for _ in range(args.runs * 20):
        began = time.perf_counter()
        app.list_model.refresh()
        refresh.append((time.perf_counter() - began) * 1000)
    list_view = app.window.conversation_pane.list_view
    list_paint = [
        ms_until_painted(loop, list_view, app.list_model.refresh) for _ in range(args.runs * 4)
    ]
    window = app.window
    opened: list[float] = []
    view = window.message_view
    for _ in range(args.runs):  # the short chat is open: each long open is a real switch
        opened.append(ms_until_painted(loop, view, lambda: window.open_conversation(long_id)))
        ms_until_painted(loop, view, lambda: window.open_conversation(short_id))
    shown = len(store.active_path(long_id))

    loop.run_until_complete(app.shutdown())
    store.close()

    refresh_ms = statistics.median(refresh)
    list_paint_ms = statistics.median(list_paint)
    open_ms = statistics.median(opened)
    print(f"list refresh, {rows} conversations: {refresh_ms:.1f} ms (median of {len(refresh)})")
    print(f"list refresh to repaint: {list_paint_ms:.1f} ms (median of {len(list_paint)})")
    print(
        f"open a {shown}-message conversation to first paint: {open_ms:.1f} ms "
        f"(median of {len(opened)}; all: {', '.join(f'{t:.0f}' for t in opened)})"
    )
    print(
        f"window: list_refresh_ms={refresh_ms:.1f} list_paint_ms={list_paint_ms:.1f} "
        f"open_2000_paint_ms={open_ms:.1f}"
    )


if __name__ == "__main__":
    main()
