"""A window never sends on top of history another FoxChat process wrote meanwhile.

The window under test is the real app (``FoxChatApp`` on qasync, fake server on
loopback); the "other window" is a second process that opens the same store
file and writes, as a second FoxChat would when the handover is not possible.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from foxchat.paths import database_path
from foxchat.store import MessageStatus
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer, Reply
from tests.ui.harness import Harness, harness, type_and_send, with_key

__all__ = ["harness"]  # the fixture, imported for pytest

REPO = Path(__file__).resolve().parents[2]

OTHER_WINDOW = """
import sys
from pathlib import Path
from foxchat.store import Store
path, cid, parent = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with Store.open(path) as store:
    asked = store.add_message(cid, parent_id=parent, role="user", content="written elsewhere")
    store.add_message(cid, parent_id=asked, role="assistant", content="answered elsewhere")
"""


def _write_from_another_process(cid: int, parent: int) -> None:
    subprocess.run(
        [sys.executable, "-c", OTHER_WINDOW, str(database_path()), str(cid), str(parent)],
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        check=True,
        timeout=60,
    )


def _shown_text(window: QMainWindow) -> str:
    """What the window tells the person: its status bar and every visible label."""
    labels = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    return "\n".join([window.statusBar().currentMessage(), *labels])


def test_a_send_after_another_window_wrote_reloads_and_explains_instead(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    fake_server.script(Reply(text="First answer."), Reply(text="Second answer."))

    async def scenario() -> None:
        app = harness.start()
        store = harness.store
        assert store is not None
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "first question")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        shown_last = store.active_path(cid)[-1].id
        _write_from_another_process(cid, shown_last)
        requests_before = len(fake_server.requests)

        type_and_send(app, "my follow-up")

        contents = [m.content for m in store.active_path(cid)]
        assert contents == [
            "first question",
            "First answer.",
            "written elsewhere",
            "answered elsewhere",
        ]
        assert len(fake_server.requests) == requests_before  # nothing went out
        assert app.window.composer.text() == "my follow-up"  # the text is kept
        assert "changed in another FoxChat window" in _shown_text(app.window)
        view = app.window.message_view
        assert all(view.has_message(m.id) for m in store.active_path(cid))  # reloaded

        # Now the window has read it: the same Enter sends, on top of it.
        type_and_send(app, "")
        await until(lambda: len(store.active_path(cid)) == 6)
        await until(lambda: store.active_path(cid)[-1].status is MessageStatus.COMPLETE)
        sent = [m["content"] for m in fake_server.requests[-1].body["messages"]]
        assert sent[-3:] == ["written elsewhere", "answered elsewhere", "my follow-up"]

    run(harness.loop, scenario())


def test_deleting_never_takes_replies_this_window_has_not_seen(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    fake_server.script(Reply(text="An answer."))
    # The person answers "Yes" to "Delete this message and every reply after it?".
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_args, **_kw: QMessageBox.StandardButton.Yes
    )

    async def scenario() -> None:
        app = harness.start()
        store = harness.store
        assert store is not None
        await until(lambda: app.endpoint.client() is not None)
        type_and_send(app, "a question")
        cid = app.window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        answer = store.active_path(cid)[-1].id
        _write_from_another_process(cid, answer)

        app.window.delete_message(answer)  # would take the other window's two messages

        assert [m.content for m in store.active_path(cid)][-2:] == [
            "written elsewhere",
            "answered elsewhere",
        ]
        assert "nothing was deleted" in _shown_text(app.window)
        # Once it has shown them, the person may delete knowingly.
        app.window.delete_message(answer)
        assert [m.content for m in store.active_path(cid)] == ["a question"]

    run(harness.loop, scenario())
