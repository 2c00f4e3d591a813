"""Attachments in the window: paste, drop and pick; chips; thumbnails; the viewer; problems."""

from __future__ import annotations

import base64
import json
import shlex
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from foxchat.api.params import GenerationParams
from foxchat.app import FoxChatApp
from foxchat.paths import database_path
from foxchat.store import Store
from foxchat.ui.attachment_chips import AttachmentChip
from foxchat.ui.curl_dialog import CurlDialog
from tests.asyncqt import run, until
from tests.attachments import samples
from tests.fakeserver import FakeOpenAIServer, RecordedRequest
from tests.ui.harness import Harness, harness, last_message, with_key

__all__ = ["harness"]  # the fixture, imported for pytest


def _chips(app: FoxChatApp) -> list[AttachmentChip]:
    tray = app.window.composer.tray
    assert tray is not None
    return tray.chips()


async def _started_with_a_pasted_image(harness: Harness, width: int, height: int) -> FoxChatApp:
    """The app started with its client ready and a pasted screenshot prepared in the composer."""
    app = harness.start()
    await until(lambda: app.endpoint.client() is not None)
    _paste_image(app, _screenshot(width, height))
    await _first_chip_ready(app)
    return app


async def _compared_in_two_columns(app: FoxChatApp) -> int:
    """Compare what the composer holds in two columns; the chat's id once both answered."""
    app.window.compare_typed()
    dialog = app.window.compare_flow.dialog
    assert dialog is not None
    dialog.set_count(2)
    dialog.accept()
    cid = app.window.current_id
    assert cid is not None
    await until(lambda: not app.chat.is_streaming(cid))
    return cid


def _chat_requests(server: FakeOpenAIServer) -> list[RecordedRequest]:
    """The chat requests the fake server received, in order."""
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


async def _first_chip_ready(app: FoxChatApp) -> None:
    """Wait until the composer's first attachment is prepared (off the GUI thread)."""
    await until(lambda: bool(_chips(app)) and _chips(app)[0].attachment is not None)


def _paste_image(app: FoxChatApp, image: QImage) -> None:
    mime = QMimeData()
    mime.setImageData(image)
    app.window.composer.edit.insertFromMimeData(mime)


def _screenshot(width: int = 1600, height: int = 900) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(240, 240, 240))
    return image


def _drop(target: QWidget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(QPoint(20, 20)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()


def test_a_pasted_image_gets_a_chip_at_once_and_goes_with_the_message(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        _paste_image(app, _screenshot())
        [chip] = _chips(app)  # there before any conversion finished
        assert chip.thumb.pixmap() is not None and not chip.thumb.pixmap().isNull()
        assert chip.remove_button.accessibleName() == "Remove Pasted image 1 from the message"
        await until(lambda: chip.attachment is not None)
        assert chip.details.text().startswith("1600 × 900 pixels")
        assert chip.accessibleName() == "Image Pasted image 1.png, 1600 by 900 pixels."
        edit = app.window.composer.edit
        QTest.keyClicks(edit, "What is on my screen?")
        QTest.keyClick(edit, Qt.Key.Key_Return)
        await until(lambda: not app.chat.is_streaming(app.window.current_id or 0))
        assert _chips(app) == [] and edit.toPlainText() == ""
        [image] = fake_server.requests[-1].images
        assert image.mime == "image/png"
        cid = app.window.current_id
        assert cid is not None
        question = app.store.active_path(cid)[0]
        widget = app.window.message_view.message_widget(question.id)
        assert widget is not None and widget.attachment_strip is not None
        [button] = widget.attachment_strip.buttons
        assert button.accessibleName() == "Image Pasted image 1.png, 1600 by 900 pixels."
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        [viewer] = app.window.viewers
        assert viewer.isVisible() and viewer.pixmap.width() == 1600
        assert viewer.zoom <= 1.0  # fitted to the window
        viewer.zoom_in()
        assert viewer.fitted is False
        await until(lambda: QApplication.activeWindow() is viewer)
        QTest.keyClick(viewer, Qt.Key.Key_Escape)
        assert not viewer.isVisible()
        await harness.idle()

    run(harness.loop, scenario())


def test_dropped_and_picked_files_keep_their_order_and_can_be_removed(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_key(monkeypatch)
    photo, report, notes = tmp_path / "photo.jpg", tmp_path / "report.pdf", tmp_path / "notes.md"
    photo.write_bytes(samples.photo_jpeg(1200, 800))
    report.write_bytes(samples.pdf(["Sales went up", "Costs went down"]))
    notes.write_text("# Notes\nRemember the milk.", encoding="utf-8")

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        window = app.window
        _drop(window, [report, photo])
        window.composer.ask_paths = lambda _parent, _title, _start, _filter: [notes]
        assert window.composer.attach_button is not None
        QTest.mouseClick(window.composer.attach_button, Qt.MouseButton.LeftButton)
        await until(lambda: len(_chips(app)) == 3 and all(c.attachment for c in _chips(app)))
        assert [c.name for c in _chips(app)] == ["report.pdf", "photo.jpg", "notes.md"]
        assert _chips(app)[0].details.text().startswith("2 pages")
        # Keyboard: the last chip is removed with Delete.
        _chips(app)[2].setFocus()
        QTest.keyClick(_chips(app)[2], Qt.Key.Key_Delete)
        assert [c.name for c in _chips(app)] == ["report.pdf", "photo.jpg"]
        QTest.keyClicks(window.composer.edit, "Summarise")
        QTest.keyClick(window.composer.edit, Qt.Key.Key_Return)
        await until(lambda: not app.chat.is_streaming(window.current_id or 0))
        content = fake_server.requests[-1].body["messages"][-1]["content"]
        assert [p["type"] for p in content] == ["text", "text", "image_url"]
        assert content[1]["text"].startswith("=== File: report.pdf (2 pages) ===")
        await harness.idle()

    run(harness.loop, scenario())


def test_a_bad_file_says_why_and_keeps_what_was_typed(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_key(monkeypatch)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        edit = app.window.composer.edit
        QTest.keyClicks(edit, "Look at this")
        _drop(app.window, [empty])
        await until(lambda: _chips(app) == [])
        assert "empty.png is empty (0 bytes)" in app.window.notice_bar.label.text()
        assert edit.toPlainText() == "Look at this"
        assert not any(r.path.endswith("/chat/completions") for r in fake_server.requests)
        await harness.idle()

    run(harness.loop, scenario())


def test_a_long_document_asks_first_and_no_keeps_everything(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_key(monkeypatch)
    book = tmp_path / "book.txt"
    book.write_text("word " * 30_000, encoding="utf-8")
    asked: list[str] = []

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)

        def say_no(_title: str, question: str) -> bool:
            asked.append(question)
            return False

        app.window.confirm = say_no
        app.window.composer.add_files([book])
        await _first_chip_ready(app)
        QTest.keyClicks(app.window.composer.edit, "Summarise")
        QTest.keyClick(app.window.composer.edit, Qt.Key.Key_Return)
        assert asked == [
            "The document book.txt is 150,000 characters long, more than your limit of 100,000."
            " It adds about 37,500 tokens to the message, which costs more and may not fit the"
            " model's limit. Send it anyway?"
        ]
        assert app.window.composer.edit.toPlainText() == "Summarise"
        assert len(_chips(app)) == 1
        assert app.window.current_id is None or last_message_or_none(app) is None
        await harness.idle()

    run(harness.loop, scenario())


def last_message_or_none(app: FoxChatApp) -> int | None:
    cid = app.window.current_id
    if cid is None or not app.store.active_path(cid):
        return None
    return last_message(app)[0]


def test_a_model_that_cannot_read_images_gives_the_message_back(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    fake_server.vision_models = {"gpt-4o"}

    async def scenario() -> None:
        app = await _started_with_a_pasted_image(harness, 800, 600)
        edit = app.window.composer.edit
        QTest.keyClicks(edit, "What is this?")
        QTest.keyClick(edit, Qt.Key.Key_Return)
        await until(lambda: edit.toPlainText() == "What is this?")
        assert [c.name for c in _chips(app)] == ["Pasted image 1.png"]
        assert "cannot read images" in app.window.notice_bar.label.text()
        assert "Pick a model that reads images" in app.window.notice_bar.label.text()
        cid = app.window.current_id
        assert cid is not None and app.store.active_path(cid) == []
        await harness.idle()

    run(harness.loop, scenario())


def test_compare_sends_the_attachments_to_every_column_and_empties_the_composer(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = await _started_with_a_pasted_image(harness, 400, 300)
        QTest.keyClicks(app.window.composer.edit, "Which is better?")
        cid = await _compared_in_two_columns(app)
        assert app.window.composer.text() == "" and _chips(app) == []
        asked = _chat_requests(fake_server)
        assert len(asked) == 2
        assert [len(r.images) for r in asked] == [1, 1]
        assert asked[0].body["messages"][-1]["content"] == asked[1].body["messages"][-1]["content"]
        question = app.store.active_path(cid)[0]
        assert [a.name for a in app.store.attachments([question.id])[question.id]] == [
            "Pasted image 1.png"
        ]
        await harness.idle()

    run(harness.loop, scenario())


def test_compare_with_only_a_screenshot_and_no_words_asks_about_it(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Send takes a picture without words; Compare did nothing at all.
    with_key(monkeypatch)

    async def scenario() -> None:
        app = await _started_with_a_pasted_image(harness, 400, 300)
        await _compared_in_two_columns(app)
        asked = _chat_requests(fake_server)
        assert [len(r.images) for r in asked] == [1, 1]
        assert "Pasted image 1.png" in app.window.compare_view.question.text()
        await harness.idle()

    run(harness.loop, scenario())


def test_copy_as_curl_shows_the_attachments_as_content_parts(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = await _started_with_a_pasted_image(harness, 400, 300)
        [attachment] = app.window.composer.attachments()
        QTest.keyClicks(app.window.composer.edit, "What is this?")
        app.window.curl_action.trigger()
        await until(lambda: app.window.findChild(CurlDialog) is not None)
        dialog = app.window.findChild(CurlDialog)
        assert isinstance(dialog, CurlDialog)
        command = dialog.text.toPlainText()
        body = json.loads(shlex.split(command.replace("\\\n", " "))[-1])
        text, image = body["messages"][-1]["content"]
        assert text == {"type": "text", "text": "What is this?"}
        encoded = base64.b64encode(attachment.data).decode("ascii")
        assert image["image_url"]["url"] == f"data:image/png;base64,{encoded}"
        dialog.close()
        await harness.idle()

    run(harness.loop, scenario())


def test_attachments_stay_with_the_chat_they_were_added_to(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        window = app.window
        window.new_conversation()
        first = window.current_id
        assert first is not None
        QTest.keyClicks(window.composer.edit, "draft one")
        _paste_image(app, _screenshot(300, 200))
        await _first_chip_ready(app)
        second = app.conversations.create("gpt-4o-mini", GenerationParams())
        assert second is not None
        window.open_conversation(second)
        assert _chips(app) == []  # not sent by mistake with the other chat's message
        window.open_conversation(first)
        assert [c.name for c in _chips(app)] == ["Pasted image 1.png"]
        await harness.idle()

    run(harness.loop, scenario())


def test_attached_files_are_there_after_a_restart_even_when_the_file_is_gone(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_key(monkeypatch)
    report, photo = tmp_path / "report.pdf", tmp_path / "photo.jpg"
    report.write_bytes(samples.pdf(["Sales went up", "Costs went down"]))
    photo.write_bytes(samples.photo_jpeg(640, 480))

    async def attach() -> tuple[int, int]:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        window = app.window
        first = window.current_id
        assert first is not None
        _drop(window, [report])
        await _first_chip_ready(app)
        QTest.keyClicks(window.composer.edit, "Read this")
        # Another chat keeps its own file.
        second = app.conversations.create("gpt-4o-mini", GenerationParams())
        assert second is not None
        window.open_conversation(second)
        _drop(window, [photo])
        await _first_chip_ready(app)
        window.open_conversation(first)
        await harness.idle()
        return first, second

    first, second = run(harness.loop, attach())
    harness.quit()
    report.unlink()
    photo.unlink()

    async def after_restart() -> None:
        app = harness.start()
        window = app.window
        assert window.current_id == first
        assert window.composer.text() == "Read this"
        assert [c.name for c in _chips(app)] == ["report.pdf"]
        window.open_conversation(second)
        assert [c.name for c in _chips(app)] == ["photo.jpg"]
        window.open_conversation(first)
        await until(lambda: app.endpoint.client() is not None)
        QTest.keyClick(window.composer.edit, Qt.Key.Key_Return)
        await until(lambda: not app.chat.is_streaming(first))
        content = fake_server.requests[-1].body["messages"][-1]["content"]
        assert "Sales went up" in content and "=== File: report.pdf (2 pages) ===" in content
        assert _chips(app) == []
        await harness.idle()

    run(harness.loop, after_restart())
    harness.quit()

    async def sent_files_are_not_back() -> None:
        app = harness.start()
        assert app.window.current_id == first and _chips(app) == []
        await harness.idle()

    run(harness.loop, sent_files_are_not_back())


def test_attached_files_reach_the_disk_without_a_clean_quit(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash loses at most the last half second: the files are written on the draft timer."""
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        cid = app.window.current_id
        assert cid is not None
        _paste_image(app, _screenshot(300, 200))
        await _first_chip_ready(app)
        # Read by a second connection, as the next start after a kill would.
        with Store.open(database_path()) as other:
            await until(lambda: len(other.draft_attachments(cid)) == 1, timeout=3.0)
            [kept] = other.draft_attachments(cid)
        assert kept.name == "Pasted image 1.png" and (kept.width, kept.height) == (300, 200)
        await harness.idle()

    run(harness.loop, scenario())
