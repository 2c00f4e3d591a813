"""The left pane: the chats in day groups with buttons on a row, and the search results."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QPalette, QTextCharFormat
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QInputDialog,
    QStyle,
    QStyleOptionViewItem,
)
from pytestqt.qtbot import QtBot

from foxchat.paths import database_path
from foxchat.services.conversation_list import (
    ConversationIdRole,
    ConversationListModel,
    HeadingRole,
    SearchResultsModel,
)
from foxchat.store import Store
from foxchat.ui.chat_list_rows import RowActions
from foxchat.ui.conversation_list import ConversationListPane, _SnippetDelegate
from foxchat.ui.theme import contrast_ratio, dark_palette, light_palette

TABLE_REPLY = (
    "| option | what it does |\n|---|---|\n"
    "| `--delete` | removes files you deleted from "
    "/media/backup/Pictures/2024/holiday-photos-from-the-long-summer-trip-to-the-coast |"
)


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(database_path()) as opened:
        yield opened


@pytest.fixture
def pane(qtbot: QtBot, store: Store) -> ConversationListPane:
    cid = store.create_conversation(title="Backing up photos")
    store.add_message(cid, parent_id=None, role="assistant", content=TABLE_REPLY)
    conversations = ConversationListModel(store)
    conversations.refresh()
    widget = ConversationListPane(conversations, SearchResultsModel(store))
    qtbot.addWidget(widget)
    widget.resize(400, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.search_box.setText("removes")
    widget.search_box.returnPressed.emit()
    QApplication.processEvents()
    return widget


def test_search_results_never_scroll_sideways(pane: ConversationListPane) -> None:
    view = pane.results_view
    assert view.model().rowCount() == 1
    pane.resize(200, 500)  # the user drags the splitter narrower after searching
    QApplication.processEvents()
    assert view.horizontalScrollBar().maximum() == 0
    assert view.visualRect(view.model().index(0, 0)).width() <= view.viewport().width()
    # The whole snippet is there, wrapped: the row is taller than one line.
    assert view.visualRect(view.model().index(0, 0)).height() > 3 * view.fontMetrics().height()


@pytest.mark.parametrize("palette", [light_palette, dark_palette], ids=["light", "dark"])
def test_a_selected_result_is_readable(
    pane: ConversationListPane, palette: Callable[[], QPalette]
) -> None:
    colours = palette()
    view = pane.results_view
    index = view.model().index(0, 0)
    view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    delegate = view.itemDelegate()
    for selected in (True, False):
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.palette = colours
        option.rect = view.visualRect(index)
        if selected:
            option.state |= QStyle.StateFlag.State_Selected
        background = colours.color(
            QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
        )
        assert isinstance(delegate, _SnippetDelegate)
        doc = delegate.document(option, index)
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                it += 1
                if not fragment.text().strip():
                    continue  # a line break has no colour to read
                fmt: QTextCharFormat = fragment.charFormat()
                assert fmt.hasProperty(QTextCharFormat.Property.ForegroundBrush), fragment.text()
                colour = fmt.foreground().color()
                ratio = contrast_ratio(colour, background)
                assert ratio >= 4.5, (fragment.text(), selected, colour.name(), ratio)
            block = block.next()


LONG_TITLE = "A very long title about planning the trip to the coast in October with friends"


@pytest.fixture
def chats(qtbot: QtBot, store: Store) -> tuple[ConversationListPane, list[int]]:
    # The long title is not the first row: the list used to size every row
    # like the first one and scroll sideways to the long one.
    ids = [store.create_conversation(title=LONG_TITLE)]
    ids += [store.create_conversation(title=f"Chat {n}") for n in range(3)]
    conversations = ConversationListModel(store)
    conversations.refresh()
    widget = ConversationListPane(conversations, SearchResultsModel(store))
    qtbot.addWidget(widget)
    widget.resize(220, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, ids


def _index_of(pane: ConversationListPane, cid: int) -> QModelIndex:
    model = pane.list_view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data(ConversationIdRole) == cid:
            return model.index(row, 0)
    raise AssertionError(f"chat {cid} is not listed")


def test_long_titles_are_cut_and_the_list_never_scrolls_sideways(
    chats: tuple[ConversationListPane, list[int]],
) -> None:
    pane, ids = chats
    view = pane.list_view
    QApplication.processEvents()
    assert view.horizontalScrollBar().maximum() == 0
    assert view.visualRect(_index_of(pane, ids[0])).width() <= view.viewport().width()


def test_the_chats_are_under_a_today_heading(
    chats: tuple[ConversationListPane, list[int]],
) -> None:
    pane, _ids = chats
    first = pane.list_view.model().index(0, 0)
    assert first.data(HeadingRole) is True
    assert first.data() == "Today"
    assert not first.flags() & Qt.ItemFlag.ItemIsSelectable


def test_hovering_a_chat_offers_rename_pin_and_delete(
    chats: tuple[ConversationListPane, list[int]], qtbot: QtBot
) -> None:
    pane, ids = chats
    actions = pane.row_actions
    assert actions.isHidden()
    pane.list_view.entered.emit(_index_of(pane, ids[1]))
    assert actions.isVisible()
    assert [b.accessibleName() for b in actions.buttons()] == [
        "Rename chat",
        "Pin chat",
        "Delete chat",
    ]
    assert all(b.toolTip() and not b.icon().isNull() for b in actions.buttons())
    with qtbot.waitSignal(pane.pin_requested) as pinned:
        QTest.mouseClick(actions.pin_button, Qt.MouseButton.LeftButton)
    assert pinned.args == [ids[1], True]
    with qtbot.waitSignal(pane.delete_requested) as deleted:
        QTest.mouseClick(actions.delete_button, Qt.MouseButton.LeftButton)
    assert deleted.args == [ids[1]]


def test_the_row_buttons_work_from_the_keyboard(
    chats: tuple[ConversationListPane, list[int]], qtbot: QtBot
) -> None:
    pane, ids = chats
    view = pane.list_view
    view.setFocus()
    pane.select_conversation(ids[0])
    qtbot.waitUntil(lambda: pane.row_actions.isVisible())
    # Tab goes from the list to the buttons of the chat it is on.
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is pane.row_actions.rename_button
    assert pane.row_actions.isVisible()
    QTest.keyClick(pane.row_actions.rename_button, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is pane.row_actions.pin_button
    with qtbot.waitSignal(pane.pin_requested) as pinned:
        QTest.keyClick(focused, Qt.Key.Key_Space)
    assert pinned.args == [ids[0], True]
    # And the keys on the list itself: Delete, and F2 to rename.
    view.setFocus()
    with qtbot.waitSignal(pane.delete_requested) as deleted:
        QTest.keyClick(view, Qt.Key.Key_Delete)
    assert deleted.args == [ids[0]]

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Renamed from the keyboard")
        dialog.accept()

    QTimer.singleShot(50, answer)
    with qtbot.waitSignal(pane.rename_requested) as renamed:
        QTest.keyClick(view, Qt.Key.Key_F2)
    assert renamed.args == [ids[0], "Renamed from the keyboard"]


def test_the_arrow_keys_step_over_the_headings(qtbot: QtBot, store: Store) -> None:
    first = store.create_conversation(title="first")
    store.update_conversation(first, pinned=True)
    second = store.create_conversation(title="second")
    conversations = ConversationListModel(store)
    conversations.refresh()
    pane = ConversationListPane(conversations, SearchResultsModel(store))
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitExposed(pane)
    pane.select_conversation(first)
    pane.list_view.setFocus()
    with qtbot.waitSignal(pane.conversation_selected) as chosen:
        QTest.keyClick(pane.list_view, Qt.Key.Key_Down)
    assert chosen.args == [second]


def test_the_buttons_stay_while_the_pointer_moves_onto_them(
    chats: tuple[ConversationListPane, list[int]], qtbot: QtBot
) -> None:
    pane, ids = chats
    actions = pane.row_actions
    viewport = pane.list_view.viewport()
    row = pane.list_view.visualRect(_index_of(pane, ids[1]))
    QTest.mouseMove(viewport, row.center())
    pane.list_view.entered.emit(_index_of(pane, ids[1]))
    assert actions.isVisible()
    # Onto a button: Qt tells the list the pointer left it (for its child).
    QTest.mouseMove(actions.delete_button)
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    QApplication.processEvents()
    assert actions.isVisible(), "the buttons vanished under the pointer"
    # Off the list altogether: they go.
    QTest.mouseMove(pane.search_box)
    QApplication.sendEvent(actions, QEvent(QEvent.Type.Leave))
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    QApplication.processEvents()
    assert not actions.isVisible()


def test_every_button_in_the_pane_has_a_name(
    chats: tuple[ConversationListPane, list[int]],
) -> None:
    pane, _ids = chats
    pane.search_box.setText("chat")  # the clear button shows
    pane.search_box.returnPressed.emit()  # searched now: no timer left for after the test
    QApplication.processEvents()
    assert len(pane.row_actions.buttons()) == 3  # made after the first paint
    buttons = pane.findChildren(QAbstractButton)
    assert len(buttons) >= 6
    unnamed = [b for b in buttons if not b.accessibleName()]
    assert unnamed == []
    assert all(b.toolTip() for b in buttons if not b.text())


def test_the_row_buttons_are_made_after_the_first_paint(qtbot: QtBot, store: Store) -> None:
    store.create_conversation(title="only")
    conversations = ConversationListModel(store)
    conversations.refresh()
    pane = ConversationListPane(conversations, SearchResultsModel(store))
    qtbot.addWidget(pane)
    assert pane.findChildren(RowActions) == [], "nothing shows them before the list is drawn"
    pane.show()
    qtbot.waitExposed(pane)
    qtbot.waitUntil(lambda: len(pane.findChildren(RowActions)) == 1)
