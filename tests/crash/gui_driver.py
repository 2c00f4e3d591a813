"""Runs the real app and keeps it busy until it is killed; prints what is safely done.

Usage: ``python tests/crash/gui_driver.py SEED`` with ``FOXCHAT_DATA_DIR``,
``FOXCHAT_BASE_URL`` (the test's fake server) and ``FOXCHAT_API_KEY`` set.
``tests/crash/test_gui_crash.py`` kills it with SIGKILL at a random moment.

Each line is printed (and flushed) only after the app has returned from the
action, so whatever the parent read before the kill must survive it:

- ``sent <cid> <text>``: the user pressed Enter and the message was accepted;
- ``draft <cid> <unix time> <text>``: the composer now holds this text;
- ``imported <title>``: an import through the store returned.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path


def say(*parts: object) -> None:
    print(*parts, flush=True)


async def drive(seed: int) -> None:
    from PySide6.QtWidgets import QApplication

    from foxchat.app import FoxChatApp
    from foxchat.paths import database_path
    from foxchat.settings import load_settings
    from foxchat.store import Store

    rng = random.Random(seed)
    qt_app = QApplication.instance()
    assert isinstance(qt_app, QApplication)
    store = Store.open(database_path())
    store.purge_deleted()
    app = FoxChatApp(qt_app, store, load_settings())
    app.start()
    while app.endpoint.client() is None:
        await asyncio.sleep(0.01)
    window = app.window
    for step in range(10_000):
        action = rng.choice(["send", "type", "type", "import", "switch"])
        cid = window.current_id
        assert cid is not None
        if action == "send" and not app.chat.is_streaming(cid):
            text = f"message {seed}-{step}"
            window.composer.set_draft(text)
            window.send(window.composer.text())
            if store.active_path(cid) and any(m.content == text for m in store.active_path(cid)):
                say("sent", cid, text)
                say("draft", cid, f"{time.time():.3f}", json.dumps(window.composer.text()))
        elif action == "type":
            for _ in range(rng.randint(1, 8)):
                window.composer.edit.insertPlainText(rng.choice("abcdefgh "))
                say("draft", cid, f"{time.time():.3f}", json.dumps(window.composer.text()))
                await asyncio.sleep(rng.uniform(0.005, 0.05))
        elif action == "import":
            title = f"imported {seed}-{step}"
            # A real export of the chat on screen, renamed: what a user imports.
            data = store.export_json([cid])
            data["conversations"][0]["title"] = title
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
                json.dump(data, handle)
            app.store.import_file(Path(handle.name))
            os.unlink(handle.name)
            app.list_model.refresh()
            say("imported", title)
        elif action == "switch":
            if rng.random() < 0.3:
                window.new_conversation()
            else:
                ids = [c.id for c in store.list_conversations()]
                window.open_conversation(rng.choice(ids))
        await asyncio.sleep(rng.uniform(0.0, 0.03))


def main() -> None:
    import qasync

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qasync.run(drive(int(sys.argv[1])))


if __name__ == "__main__":
    main()
