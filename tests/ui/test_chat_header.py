"""The header over the chat and the empty chat's centre, in the real app.

The header's model picker and the sidebar's model box show one value: a pick
in either is the chat's model and shows in the other. An empty chat shows the
model and example prompts that fill the message box without sending.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from foxchat.app import FoxChatApp
from foxchat.paths import database_path
from foxchat.store import Store
from foxchat.ui.chat_header import ChatHeader
from foxchat.ui.empty_state import EXAMPLE_PROMPTS, EmptyState
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer
from tests.ui.harness import Harness, harness, models_fetched, with_key

__all__ = ["harness"]  # the fixture, imported for pytest


def _pick(combo: QComboBox, name: str) -> None:
    """Choose ``name`` as a person does: the row, then ``activated``."""
    row = combo.findText(name)
    assert row >= 0, f"{name} is not offered"
    combo.setCurrentIndex(row)
    combo.activated.emit(row)


def _model_of(app: FoxChatApp, cid: int) -> str:
    conversation = app.conversations.get(cid)
    assert conversation is not None
    return conversation.model


def test_the_header_and_the_sidebar_show_one_model(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: models_fetched(fake_server))
        await harness.idle()
        window = app.window
        cid = window.current_id
        assert cid is not None
        picker = window.header.model_picker
        await until(lambda: picker.findText("gpt-4o-mini") >= 0)
        chosen: list[str] = []
        window.model_chosen.connect(chosen.append)

        _pick(picker, "gpt-4o-mini")
        assert _model_of(app, cid) == "gpt-4o-mini"
        assert window.parameters.model() == "gpt-4o-mini"
        assert chosen == ["gpt-4o-mini"], "remembered for the endpoint, as a sidebar pick"

        panel = window.parameters
        panel.model_combo.setEditText("gpt-4o")
        panel.model_changed.emit("gpt-4o")
        assert picker.currentText() == "gpt-4o"
        assert _model_of(app, cid) == "gpt-4o"
        assert window.empty_state.model_label.text() == "Replies in this chat come from gpt-4o."

    run(harness.loop, scenario())


def test_the_header_names_the_chat_and_toggles_the_parameters(harness: Harness) -> None:
    async def scenario() -> None:
        app = harness.start()
        await harness.idle()
        window = app.window
        window.resize(1280, 800)
        cid = window.current_id
        assert cid is not None
        app.conversations.rename(cid, "Holiday plans")
        window.open_conversation(cid)
        assert window.header.title_label.full_text() == "Holiday plans"
        toggle = window.header.parameters_button
        assert toggle.isChecked() == window.sidebar.isVisible()
        toggle.click()
        assert not window.sidebar.isVisible()
        assert not toggle.isChecked()
        assert not window.sidebar_action.isChecked()
        window.sidebar_action.trigger()  # the menu and Ctrl+Shift+P still do it
        assert window.sidebar.isVisible()
        assert toggle.isChecked()

    run(harness.loop, scenario())


def test_an_example_prompt_fills_the_message_box_and_sends_nothing(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        await harness.idle()
        window = app.window
        assert window.chat_stack.currentWidget() is window.empty_state
        button = window.empty_state.example_buttons[2]
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.composer.text() == EXAMPLE_PROMPTS[2]
        assert window.composer.edit.hasFocus() or not window.isActiveWindow()
        assert not any(r.path.endswith("/chat/completions") for r in fake_server.requests)
        # Sent with Enter, the chat is no longer empty: its messages show.
        QTest.keyClick(window.composer.edit, Qt.Key.Key_Return)
        await until(lambda: window.chat_stack.currentWidget() is window.message_view)
        await until(lambda: not app.chat.is_streaming(window.current_id or 0))

    run(harness.loop, scenario())


def test_a_long_title_is_cut_and_whole_in_the_tooltip(qtbot: QtBot) -> None:
    header = ChatHeader()
    qtbot.addWidget(header)
    header.resize(420, 44)
    header.show()
    title = "A very long title about planning the trip to the coast in October with friends"
    header.set_title(title)
    QApplication.processEvents()
    label = header.title_label
    assert label.text().endswith("…")
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert label.toolTip() == title
    assert header.minimumSizeHint().width() < 420


def test_a_model_the_server_does_not_list_still_shows(qtbot: QtBot) -> None:
    header = ChatHeader()
    qtbot.addWidget(header)
    header.set_models(["gpt-4o", "deepseek-chat"])
    header.set_model("my-local-model")
    assert header.model() == "my-local-model"
    header.set_models(["gpt-4o"])
    assert header.model() == "my-local-model"


@pytest.mark.parametrize("make", [ChatHeader, EmptyState], ids=["header", "empty state"])
def test_every_control_has_an_accessible_name_and_icons_a_tooltip(
    qtbot: QtBot, make: type[QWidget]
) -> None:
    widget = make()
    qtbot.addWidget(widget)
    for control in widget.findChildren(QWidget):
        if isinstance(control, QAbstractButton | QComboBox):
            assert control.accessibleName(), control.objectName()
            if isinstance(control, QAbstractButton) and not control.text():
                assert control.toolTip(), control.objectName()


@pytest.mark.parametrize("width", [1280 - 220, 800 - 220])
def test_the_example_prompts_are_whole_beside_the_chat_list(qtbot: QtBot, width: int) -> None:
    empty = EmptyState()
    qtbot.addWidget(empty)
    empty.resize(width, 520)
    empty.show()
    qtbot.waitExposed(empty)
    QApplication.processEvents()
    for button in empty.example_buttons:
        assert button.width() >= button.sizeHint().width(), button.text()


def test_the_header_fits_the_narrowest_chat_column(qtbot: QtBot) -> None:
    header = ChatHeader()
    qtbot.addWidget(header)
    header.set_models(["gpt-4o", "deepseek-chat"])
    header.set_title("Backing up photos")
    # 340 px: the chat column's minimum width in the main window.
    assert header.minimumSizeHint().width() <= 340
    header.resize(340, 44)
    header.show()
    qtbot.waitExposed(header)
    right = header.settings_button.geometry().right()
    assert right < header.width(), "the last button is whole"


def test_renaming_the_chat_from_the_list_renames_the_header(harness: Harness) -> None:
    async def scenario() -> None:
        app = harness.start()
        await harness.idle()
        window = app.window
        cid = window.current_id
        assert cid is not None
        window.conversation_pane.rename_requested.emit(cid, "Garden plans")
        await until(lambda: window.header.title_label.full_text() == "Garden plans")
        assert window.windowTitle().startswith("Garden plans")

    run(harness.loop, scenario())


def test_a_chat_with_messages_starts_without_building_the_empty_state(
    harness: Harness,
) -> None:
    with Store.open(database_path()) as store:
        cid = store.create_conversation(title="Old notes")
        store.add_message(cid, parent_id=None, role="user", content="Hello")

    async def scenario() -> None:
        app = harness.start()
        await harness.idle()
        window = app.window
        assert window.current_id == cid
        assert window.findChildren(EmptyState) == [], "built before it was needed"
        window.new_conversation()
        assert window.chat_stack.currentWidget() is window.empty_state

    run(harness.loop, scenario())


def test_the_title_is_not_squeezed_out_by_the_model_picker(qtbot: QtBot) -> None:
    """At 800x600 with the parameters open the chat column is 340 px: the title and the model
    picker share what is left, so the chat's name is more than its first word and the model
    still shows whole."""
    header = ChatHeader()
    qtbot.addWidget(header)
    font = header.font()
    font.setPointSize(11)  # the app's default size
    header.setFont(font)
    header.set_models(["gpt-4o", "deepseek-chat"])
    header.set_model("gpt-4o")
    header.set_title("Backing up photos")
    header.resize(340, 44)
    header.show()
    qtbot.waitExposed(header)
    QApplication.processEvents()
    title, picker = header.title_label, header.model_picker
    assert title.text().startswith("Backing u"), title.text()
    shown = picker.fontMetrics().horizontalAdvance("gpt-4o")
    assert picker.width() >= shown + 40, "the model name and the arrow are whole"
    assert header.minimumSizeHint().width() <= 340
    header.resize(1000, 44)
    QApplication.processEvents()
    assert title.text() == "Backing up photos" and title.width() > picker.width()
