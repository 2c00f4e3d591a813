"""The first frame's saved renderings: used only when they are exactly right.

A start on a chat shows its last replies from the file the previous run wrote;
anything that could make one wrong (an edit, another theme, another renderer,
a damaged or half-written file) makes it render afresh instead.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication, QImage

from foxchat.paths import data_dir, database_path
from foxchat.render import RENDER_VERSION, RenderCache, render_document
from foxchat.services import first_frame
from foxchat.services.first_frame import FILE_NAME, FirstFrameCache, load, save
from foxchat.store import Store
from foxchat.ui.messages.markdown_view import MarkdownView
from tests.asyncqt import run
from tests.fakeserver import FakeOpenAIServer
from tests.ui.harness import KEY, Harness, harness, with_key
from tests.ui.test_early_send import run_early_user

__all__ = ["harness"]  # the fixture, imported for pytest

REPLIES = (
    "## Steps\n\n1. Install it.\n2. Run `foxchat`.\n\n```python\nprint('first')\n```\n",
    "A formula: $e^{i\\pi} + 1 = 0$, and [the docs](https://example.com/docs).",
    "Two blocks:\n\n```sh\necho one\n```\n\n```sh\necho two\n```\n",
)


def saved_cache(folder: Path, texts: tuple[str, ...], *, dark: bool = False) -> FirstFrameCache:
    """What a start reads after a run that showed ``texts`` saved them in ``folder``."""
    save(folder, RenderCache(), texts, dark=dark)
    return load(folder)


def test_a_saved_rendering_is_what_rendering_the_text_gives(tmp_path: Path) -> None:
    cache = saved_cache(tmp_path, REPLIES)
    for text in REPLIES:
        assert cache.get(text) == render_document(text)
    assert cache.saved_hits == len(REPLIES)


def test_an_edited_message_is_rendered_afresh(tmp_path: Path) -> None:
    cache = saved_cache(tmp_path, REPLIES)
    edited = REPLIES[0].replace("Install it.", "Uninstall it.")
    assert cache.get(edited) == render_document(edited)
    assert cache.saved_hits == 0


def test_renderings_of_the_other_theme_are_not_used(tmp_path: Path) -> None:
    cache = saved_cache(tmp_path, REPLIES, dark=False)
    assert cache.get(REPLIES[0], dark=True) == render_document(REPLIES[0], dark=True)
    assert cache.saved_hits == 0


def test_a_file_from_another_renderer_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(tmp_path, RenderCache(), REPLIES, dark=False)
    monkeypatch.setattr(first_frame, "RENDER_VERSION", RENDER_VERSION + 1)
    cache = load(tmp_path)
    cache.get(REPLIES[0])
    assert cache.saved_hits == 0


def test_a_file_from_another_foxchat_version_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(tmp_path, RenderCache(), REPLIES, dark=False)
    monkeypatch.setattr(first_frame, "__version__", "99.0.0")
    cache = load(tmp_path)
    cache.get(REPLIES[0])
    assert cache.saved_hits == 0


def test_a_half_written_file_is_ignored(tmp_path: Path) -> None:
    save(tmp_path, RenderCache(), REPLIES, dark=False)
    whole = (tmp_path / FILE_NAME).read_bytes()
    for size in (0, 1, len(whole) // 3, len(whole) // 2, len(whole) - 1):
        (tmp_path / FILE_NAME).write_bytes(whole[:size])
        cache = load(tmp_path)
        assert cache.get(REPLIES[1]) == render_document(REPLIES[1])
        assert cache.saved_hits == 0


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe not text",
        b"[" * 100_000,
        b"[]",
        b'{"format": 1}',
        b'{"format": 1, "renderer": "RIGHT", "entries": [{"text": 1}]}',
        b'{"format": 1, "renderer": "RIGHT", "entries": [{"text": "x", "dark": false, '
        b'"whole": false, "html": "<p>x</p>", "code": [3]}]}',
    ],
)
def test_a_damaged_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    right = first_frame.render_fingerprint().encode()
    (tmp_path / FILE_NAME).write_bytes(content.replace(b"RIGHT", right))
    cache = load(tmp_path)
    assert cache.get("x") == render_document("x")
    assert cache.saved_hits == 0


def test_a_reply_with_a_lone_surrogate_is_saved_and_found(tmp_path: Path) -> None:
    odd = "Half a pair: \ud83d and on."
    cache = saved_cache(tmp_path, (odd,))
    assert cache.get(odd) == render_document(odd)
    assert cache.saved_hits == 1


def test_saving_leaves_no_temporary_file_and_replaces_the_old_one(tmp_path: Path) -> None:
    save(tmp_path, RenderCache(), REPLIES[:1], dark=False)
    save(tmp_path, RenderCache(), REPLIES[1:], dark=False)
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]
    cache = load(tmp_path)
    cache.get(REPLIES[0])
    assert cache.saved_hits == 0  # the second run's replies only
    cache.get(REPLIES[2])
    assert cache.saved_hits == 1


def test_a_folder_that_cannot_be_written_costs_only_the_speed_up(tmp_path: Path) -> None:
    missing = tmp_path / "not-there"
    save(missing, RenderCache(), REPLIES, dark=False)  # no error
    assert not missing.exists()
    assert load(missing).get(REPLIES[0]) == render_document(REPLIES[0])


# -- the real window ----------------------------------------------------------


def seed_chat() -> list[int]:
    """A chat whose replies have code, math and links; returns the replies' ids."""
    replies = []
    with Store.open(database_path()) as store:
        cid = store.create_conversation(title="Setup", model="gpt-4o-mini")
        parent = None
        for number, reply in enumerate(REPLIES):
            parent = store.add_message(cid, parent_id=parent, role="user", content=f"Q{number}?")
            parent = store.add_message(cid, parent_id=parent, role="assistant", content=reply)
            replies.append(parent)
    return replies


def start_and_quit(harness: Harness) -> None:
    """A run that shows the chat and quits, saving what its first frame showed."""
    harness.start()
    run(harness.loop, harness.idle())
    harness.quit()


def first_frame_of(harness: Harness) -> tuple[QImage, dict[int, str], int]:
    """The window as drawn before anything after its first paint has run, each reply's
    document HTML, and how many replies came from the saved renderings."""
    app = harness.start()
    image = app.window.grab().toImage()
    views = {}
    for widget in app.window.message_view.findChildren(MarkdownView):
        views[id(widget)] = widget.toHtml()
    hits = app.render_cache.saved_hits
    run(harness.loop, harness.idle())
    return image, {n: html for n, html in enumerate(sorted(views.values()))}, hits


def test_the_first_frame_from_saved_renderings_looks_as_rendered(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    seed_chat()
    start_and_quit(harness)  # saves the renderings, and the window's size for both starts
    assert (data_dir() / FILE_NAME).exists()
    cached, cached_html, hits = first_frame_of(harness)
    assert hits == len(REPLIES)
    harness.quit()
    (data_dir() / FILE_NAME).unlink()
    rendered, rendered_html, hits = first_frame_of(harness)
    assert hits == 0
    assert cached_html == rendered_html
    assert cached.size() == rendered.size()
    assert cached == rendered


def test_copy_links_and_math_work_in_a_reply_shown_from_the_saved_renderings(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    replies = seed_chat()
    start_and_quit(harness)
    app = harness.start()
    assert app.render_cache.saved_hits == len(REPLIES)
    views = {}
    for reply in replies:
        widget = app.window.message_view.message_widget(reply)
        assert widget is not None and isinstance(widget.body, MarkdownView)
        views[reply] = widget.body
    third = views[replies[2]]
    third.anchorClicked.emit(QUrl("foxchat-copy:1"))
    assert QGuiApplication.clipboard().text() == "echo two"
    # The formula is a picture the view draws; its LaTeX is the accessible text.
    assert "$e^{i\\pi} + 1 = 0$" in views[replies[1]].accessibleDescription()
    run(harness.loop, harness.idle())


def test_an_edited_or_deleted_reply_is_not_shown_from_the_saved_renderings(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    replies = seed_chat()
    start_and_quit(harness)
    with sqlite3.connect(database_path()) as db:
        db.execute("UPDATE messages SET content = ? WHERE id = ?", ("Changed.", replies[0]))
    with Store.open(database_path()) as store:
        store.delete_message(replies[2])
    app = harness.start()
    assert app.render_cache.saved_hits == 1  # only the untouched reply
    widget = app.window.message_view.message_widget(replies[0])
    assert widget is not None and isinstance(widget.body, MarkdownView)
    assert widget.body.toPlainText() == "Changed."
    assert app.window.message_view.message_widget(replies[2]) is None
    run(harness.loop, harness.idle())


def test_the_saved_file_holds_no_key(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    with_key(monkeypatch)
    seed_chat()
    start_and_quit(harness)
    text = (data_dir() / FILE_NAME).read_text(encoding="utf-8")
    assert KEY not in text
    assert json.loads(text)["entries"]


def test_enter_in_a_first_frame_drawn_from_saved_renderings_sends(
    fake_server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reply's view loads the streaming renderer on its first use, before the
    Markdown stack has been imported after the first paint."""
    folder = tmp_path / "data"
    monkeypatch.setenv("FOXCHAT_DATA_DIR", str(folder))
    seed_chat()
    save(folder, RenderCache(), REPLIES, dark=False)
    facts = run_early_user(fake_server, folder, 0)
    assert facts["loop_ready_at_enter"] == "False"
    assert facts.get("reply_status") == "complete", facts
    assert facts.get("reply_text") == "Echo: hello from the first frame"
