"""Regenerate docs/screenshot.png: the real app, a seeded chat, replies from the fake server.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py [-o docs/screenshot.png]
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py --gallery DIR
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py --language zh_CN --gallery DIR

It starts the test suite's fake OpenAI server on 127.0.0.1, seeds a throwaway
data dir with one conversation, points FoxChat at both through
FOXCHAT_BASE_URL / FOXCHAT_API_KEY / FOXCHAT_DATA_DIR, builds the app through
its composition root (``foxchat.app.FoxChatApp``), sends one more message so a
reply streams in from the server, and saves ``QWidget.grab()`` of the window.
Nothing leaves the machine and the user's own data dir is never touched. Use
the offscreen platform (as above) or ``xvfb-run``; both render the same widgets.

``--gallery DIR`` writes every main screen instead, in both themes at
1280x800 and 800x600 (see ``scripts/gallery.py``). ``--language`` picks the
interface's language as the Language setting does (default: the system's,
from ``LANG``, as ``foxchat`` itself does).
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

from foxchat import i18n  # noqa: E402
from foxchat.i18n import LANGUAGES  # noqa: E402
from scripts.screenshot_samples import Samples, for_language  # noqa: E402
from tests.fakeserver import FakeOpenAIServer, Reply  # noqa: E402

if TYPE_CHECKING:
    from foxchat.app import FoxChatApp

WINDOW_SIZE = (1280, 860)
MODELS = ("gpt-4o", "gpt-4o-mini", "deepseek-chat")


def samples() -> Samples:
    """The chats to show, in the interface's language (scripts/screenshot_samples.py)."""
    return for_language(i18n.current())


def seed(data_dir: Path, *, answered: bool = False) -> int:
    """One finished conversation (with the code and table reply when ``answered``); its id.

    The other chats are dated and pinned so the list shows its groups.
    """
    from foxchat.store import Store

    day = 86_400
    text = samples()
    with Store.open(data_dir / "foxchat.sqlite3") as store:
        pinned = store.create_conversation(title=text.pinned, model="gpt-4o")
        store.update_conversation(pinned, pinned=True)
        dated = {
            store.create_conversation(title=text.recipe, model="gpt-4o"): 12,
            store.create_conversation(title=text.sqlite, model="deepseek-chat"): 3,
            store.create_conversation(title=text.letter): 1,
        }
        cid = store.create_conversation(title=text.chat, model="gpt-4o")
        question = store.add_message(cid, parent_id=None, role="user", content=text.first_question)
        answer = store.add_message(
            cid, parent_id=question, role="assistant", content=text.first_answer, model="gpt-4o"
        )
        _date(data_dir, {cid: time.time() - days * day for cid, days in dated.items()})
        if answered:
            second = store.add_message(
                cid, parent_id=answer, role="user", content=text.second_question
            )
            store.add_message(
                cid, parent_id=second, role="assistant", content=text.second_answer, model="gpt-4o"
            )
        return cid


def _date(data_dir: Path, updated: dict[int, float]) -> None:
    """Set when chats were last written to (the store has no call for the past)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(data_dir / "foxchat.sqlite3")) as db, db:
        for cid, when in updated.items():
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (when, cid))


async def gallery(folder: Path, server: FakeOpenAIServer, reply_chat: int) -> None:
    """Start the app once and write the gallery (``scripts/gallery.py``) into ``folder``."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from foxchat.app import FoxChatApp
    from foxchat.settings import load_settings
    from foxchat.store import Store
    from scripts.gallery import SIZES, shoot_gallery

    qt_app = QApplication.instance()
    assert isinstance(qt_app, QApplication)
    store = Store.open()
    try:
        app = FoxChatApp(qt_app, store, load_settings())
        app.start()
        app.window.resize(*SIZES[0])
        await asyncio.sleep(0.5)  # the key is read and the model list fetched
        written = await shoot_gallery(app, server, folder, reply_chat)
        print(f"screenshot: wrote {len(written)} pictures into {folder}", flush=True)
        await app.shutdown()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del app
        gc.collect()
    finally:
        store.close()


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
        server.script(Reply(text=samples().second_answer, chunk_size=12, model="gpt-4o"))
        app.window.send(samples().second_question)
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
        "--gallery", type=Path, metavar="DIR", help="write every screen, both themes, two sizes"
    )
    parser.add_argument(
        "--model",
        help="put the chat on this model with the sampling parameters on (with --sidebar)",
    )
    parser.add_argument(
        "--language",
        choices=sorted(LANGUAGES),
        help="the interface's language (default: the system's, from LANG)",
    )
    args = parser.parse_args()
    # Before any module whose words are translated is imported, as foxchat does.
    i18n.install(i18n.choose(args.language or ""))
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
        reply_chat = seed(data_dir, answered=args.gallery is not None)
        from foxchat.settings import Settings, save_settings

        # The app opens the seeded chat, not the pinned one at the top of the list.
        settings = Settings(theme=args.theme, last_conversation_id=reply_chat)
        save_settings(settings, data_dir / "settings.json")

        import qasync
        from PySide6.QtWidgets import QApplication

        from foxchat import APP_NAME
        from foxchat.ui.translations import install_qt_translations

        qt_app = QApplication(sys.argv[:1])
        qt_app.setApplicationName(APP_NAME)
        translator = install_qt_translations(qt_app, i18n.current())
        size = (int(width), int(height))
        if args.gallery is not None:
            qasync.run(gallery(args.gallery, server, reply_chat))
        else:
            qasync.run(shoot(args.output, server, size, sidebar=args.sidebar, model=args.model))
            print(f"screenshot: wrote {args.output}", flush=True)
    del translator, qt_app
    return 0


if __name__ == "__main__":
    sys.exit(main())
