"""Regenerate docs/screenshot.png: the real app, a seeded chat, replies from the fake server.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py [-o docs/screenshot.png]

It starts the test suite's fake OpenAI server on 127.0.0.1, seeds a throwaway
data dir with one conversation, points FoxChat at both through
FOXCHAT_BASE_URL / FOXCHAT_API_KEY / FOXCHAT_DATA_DIR, builds the app through
its composition root (``foxchat.app.FoxChatApp``), sends one more message so a
reply streams in from the server, and saves ``QWidget.grab()`` of the window.
Nothing leaves the machine and the user's own data dir is never touched. Use
the offscreen platform (as above) or ``xvfb-run``; both render the same widgets.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.fakeserver and an uninstalled foxchat

from tests.fakeserver import FakeOpenAIServer, Reply  # noqa: E402

if TYPE_CHECKING:
    from foxchat.app import FoxChatApp

WINDOW_SIZE = (1280, 860)
MODELS = ("gpt-4o", "gpt-4o-mini", "deepseek-chat")
FIRST_QUESTION = "What's a good way to back up my photos?"
FIRST_ANSWER = """A simple plan that survives most accidents is the **3-2-1 rule**:

1. Keep **3** copies of every photo.
2. Store them on **2** different kinds of storage (your laptop and an external drive).
3. Keep **1** copy somewhere else: a cloud service or a drive at a friend's place.

Check once a month that the backup actually opens."""
SECOND_QUESTION = "Can you script the external drive part?"
SECOND_ANSWER = """Sure. On Linux or macOS, `rsync` copies only what changed:

```bash
rsync -a --delete ~/Pictures/ /media/backup/Pictures/
```

| option | what it does |
|---|---|
| `-a` | keeps dates and folders |
| `--delete` | removes files you deleted |

Run it weekly, or add it to your calendar as a reminder."""


def seed(data_dir: Path) -> None:
    """One finished conversation, as if from yesterday."""
    from foxchat.store import Store

    with Store.open(data_dir / "foxchat.sqlite3") as store:
        store.create_conversation(title="Trip ideas for October", model="gpt-4o")
        store.create_conversation(title="Explain SQLite WAL mode", model="deepseek-chat")
        cid = store.create_conversation(title="Backing up photos", model="gpt-4o")
        question = store.add_message(cid, parent_id=None, role="user", content=FIRST_QUESTION)
        store.add_message(
            cid, parent_id=question, role="assistant", content=FIRST_ANSWER, model="gpt-4o"
        )


async def shoot(
    output: Path,
    server: FakeOpenAIServer,
    size: tuple[int, int],
    *,
    sidebar: bool = False,
    model: str | None = None,
) -> None:
    """Start the app, stream one reply, grab the window, quit cleanly.

    ``sidebar`` opens the parameters sidebar even where the window is narrow;
    ``model`` then puts the chat on that model with the sampling parameters,
    reasoning effort and seed switched on, to show what the model takes.
    """
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from foxchat.app import FoxChatApp
    from foxchat.settings import load_settings
    from foxchat.store import Store

    qt_app = QApplication.instance()
    assert isinstance(qt_app, QApplication)
    store = Store.open()
    try:
        app = FoxChatApp(qt_app, store, load_settings())
        app.start()
        app.window.resize(*size)
        await asyncio.sleep(0.5)  # the key is read and the model list fetched
        server.script(Reply(text=SECOND_ANSWER, chunk_size=12, model="gpt-4o"))
        app.window.send(SECOND_QUESTION)
        deadline = time.monotonic() + 15
        while app.chat.is_streaming(app.window.current_id or 0) or not _replied(server):
            if time.monotonic() > deadline:
                print("screenshot: the reply did not finish; grabbing what is there")
                break
            await asyncio.sleep(0.1)
        if sidebar and not app.window.sidebar.isVisible():
            app.window.sidebar_action.trigger()
        if model is not None:
            _show_model(app, model)
        await asyncio.sleep(0.5)  # the message view's coalescing timer renders the end
        output.parent.mkdir(parents=True, exist_ok=True)
        if not app.window.grab().save(str(output)):
            raise SystemExit(f"screenshot: could not write {output}")
        await app.shutdown()
        # Delete the window now, while Qt and the loop are alive: PySide6 can crash
        # at interpreter exit when widgets outlive the QApplication.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del app
        gc.collect()
    finally:
        store.close()


def _show_model(app: FoxChatApp, model: str) -> None:
    """Put the chat on ``model`` with every sampling parameter on, sidebar at Sampling."""
    from dataclasses import replace

    from foxchat.api.params import GenerationParams

    params = replace(
        GenerationParams(),
        temperature=0.8,
        top_p=0.9,
        frequency_penalty=0.4,
        presence_penalty=0.2,
        reasoning_effort="low",
        seed=42,
    )
    for name in ("temperature", "top_p", "frequency_penalty", "presence_penalty"):
        params = params.with_enabled(name, True)
    params = params.with_enabled("reasoning_effort", True).with_enabled("seed", True)
    window = app.window
    cid = window.current_id
    assert cid is not None
    window.use_model(model)
    app.conversations.set_params(cid, params)
    window.open_conversation(cid)
    panel = window.parameters
    panel.sections["system_prompt"].set_expanded(False)
    panel.sections["presets"].set_expanded(False)


def _replied(server: FakeOpenAIServer) -> bool:
    return any(r.path.endswith("/chat/completions") for r in server.requests)


def main() -> int:
    """Parse arguments, set up the environment, take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--size", default="x".join(map(str, WINDOW_SIZE)), help="WxH")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--sidebar", action="store_true", help="open the parameters sidebar")
    parser.add_argument(
        "--model",
        help="put the chat on this model with the sampling parameters on (with --sidebar)",
    )
    args = parser.parse_args()
    width, _, height = args.size.partition("x")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with (
        tempfile.TemporaryDirectory(prefix="foxchat-shot-") as tmp,
        FakeOpenAIServer(models=MODELS) as server,
    ):
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        os.environ["FOXCHAT_DATA_DIR"] = str(data_dir)
        os.environ["FOXCHAT_BASE_URL"] = server.base_url
        os.environ["FOXCHAT_API_KEY"] = "sk-screenshot-not-a-real-key"
        os.environ["FOXCHAT_MODEL"] = "gpt-4o"
        seed(data_dir)
        from foxchat.settings import Settings, save_settings

        save_settings(Settings(theme=args.theme), data_dir / "settings.json")

        import qasync
        from PySide6.QtWidgets import QApplication

        from foxchat import APP_NAME

        qt_app = QApplication(sys.argv[:1])
        qt_app.setApplicationName(APP_NAME)
        size = (int(width), int(height))
        qasync.run(shoot(args.output, server, size, sidebar=args.sidebar, model=args.model))
    print(f"screenshot: wrote {args.output}", flush=True)
    del qt_app
    return 0


if __name__ == "__main__":
    sys.exit(main())
