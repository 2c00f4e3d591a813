"""Compare in the real window: set up, stream side by side, stop one, keep one."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from foxchat.app import FoxChatApp
from foxchat.store import MessageStatus
from foxchat.ui.compare.setup_dialog import CompareSetupDialog
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer, Reply
from tests.ui.harness import Harness, harness, last_message, with_key

__all__ = ["harness"]  # the fixture, imported for pytest


async def started(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> FoxChatApp:
    with_key(monkeypatch)
    app = harness.start()
    await harness.idle()
    return app


def setup_dialog(app: FoxChatApp) -> CompareSetupDialog:
    dialog = app.window.compare_flow.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_typed_message_is_compared_at_three_temperatures_and_one_is_kept(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.default_reply = Reply(text="A **short** answer.", chunk_size=3, delay=0.01)

    async def scenario() -> None:
        app = await started(harness, monkeypatch)
        window = app.window
        window.composer.edit.setPlainText("Name a colour.")
        window.composer.compare_button.click()
        dialog = setup_dialog(app)
        assert [c.label for c in dialog.columns()] == [
            "temperature 0.2",
            "temperature 0.7",
            "temperature 1.2",
        ]
        dialog.accept()
        view = window.compare_view
        assert view.isVisible() and not window.message_view.isVisible()
        assert window.composer.text() == "", "the message was sent"
        cid = window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        QApplication.processEvents()
        columns = list(view.columns.values())
        assert [c.header.text() for c in columns] == [
            "temperature 0.2",
            "temperature 0.7",
            "temperature 1.2",
        ]
        for column in columns:
            assert column.text.toPlainText() == "A short answer."
            assert column.state.text() == "Finished."
            assert column.keep_button.isEnabled() and not column.stop_button.isEnabled()
        temperatures = sorted(
            r.body["temperature"] for r in fake_server.requests if r.path.endswith("completions")
        )
        assert temperatures == [0.2, 0.7, 1.2]

        columns[1].keep_button.click()
        QApplication.processEvents()
        assert not view.isVisible() and window.message_view.isVisible()
        assert window.focusWidget() is window.composer.edit, "ready for the next message"
        kept_id, text, status = last_message(app)
        assert kept_id == columns[1].reply_id
        assert (text, status) == ("A **short** answer.", MessageStatus.COMPLETE)
        widget = window.message_view.message_widget(kept_id)
        assert widget is not None
        assert widget.header.position.text() == "2/3"
        assert "temperature" in widget.made_with.text()

    run(harness.loop, scenario())


def test_one_column_stops_on_its_own_and_back_to_the_chat_keeps_everything(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.default_reply = Reply(text=" ".join(["word"] * 80), chunk_size=4, delay=0.02)

    async def scenario() -> None:
        app = await started(harness, monkeypatch)
        window = app.window
        window.composer.edit.setPlainText("Count words.")
        window.compare_typed()
        dialog = setup_dialog(app)
        dialog.use_model_sweep()
        dialog.accept()
        cid = window.current_id
        assert cid is not None
        first, second = window.compare_view.columns.values()
        await until(lambda: bool(first.text.markdown()))
        first.stop_button.click()
        await until(lambda: not app.chat.is_streaming(cid))
        QApplication.processEvents()
        assert first.state.text() == "Stopped; the text so far is kept."
        assert second.state.text() == "Finished."
        window.compare_view.close_button.click()
        assert window.message_view.isVisible()
        stored = [app.store.get_message(c.reply_id).status for c in (first, second)]
        assert stored == [MessageStatus.STOPPED, MessageStatus.COMPLETE]

    run(harness.loop, scenario())


def test_a_message_already_sent_can_be_compared_without_retyping(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.default_reply = Reply(text="Answer.")

    async def scenario() -> None:
        app = await started(harness, monkeypatch)
        window = app.window
        window.send("Why is the sky blue?")
        cid = window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        QApplication.processEvents()
        question = app.store.active_path(cid)[0]
        bubble = window.message_view.message_widget(question.id)
        assert bubble is not None and bubble.header.compare.isVisibleTo(bubble)
        bubble.header.compare.click()
        dialog = setup_dialog(app)
        dialog.set_count(2)
        dialog.accept()
        await until(lambda: not app.chat.is_streaming(cid))
        QApplication.processEvents()
        assert len(window.compare_view.columns) == 2
        assert len(app.store.siblings(app.store.active_path(cid)[1].id)) == 3
        assert app.store.active_path(cid)[0].content == "Why is the sky blue?"

    run(harness.loop, scenario())


def test_the_next_compare_starts_from_the_last_columns_even_after_a_restart(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_server.default_reply = Reply(text="Answer.")

    def set_up_and_cancel(app: FoxChatApp) -> list[str]:
        app.window.composer.edit.setPlainText("Name a colour.")
        app.window.compare_typed()
        dialog = setup_dialog(app)
        labels = [c.label for c in dialog.columns()]
        dialog.reject()
        return labels

    async def scenario() -> None:
        app = await started(harness, monkeypatch)
        window = app.window
        window.composer.edit.setPlainText("Name a colour.")
        window.compare_typed()
        dialog = setup_dialog(app)
        dialog.set_count(2)
        second = dialog.rows[1]
        second.change.setCurrentIndex(second.change.findData("seed"))
        second.value.setValue(7)
        dialog.accept()
        cid = window.current_id
        assert cid is not None
        await until(lambda: not app.chat.is_streaming(cid))
        window.compare_view.close_button.click()
        assert set_up_and_cancel(app) == ["temperature 0.2", "seed 7"]

    async def after_a_restart() -> None:
        app = await started(harness, monkeypatch)
        assert set_up_and_cancel(app) == ["temperature 0.2", "seed 7"], "kept across a restart"
        app.window.compare_typed()
        dialog = setup_dialog(app)
        dialog.reset_button.click()
        assert [c.label for c in dialog.columns()] == [
            "temperature 0.2",
            "temperature 0.7",
            "temperature 1.2",
        ]
        dialog.reject()

    run(harness.loop, scenario())
    harness.quit()
    run(harness.loop, after_a_restart())
