"""The left pane's search results: readable when selected, never wider than the pane."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QPalette, QTextCharFormat
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from foxchat.paths import database_path
from foxchat.services.conversation_list import ConversationListModel, SearchResultsModel
from foxchat.store import Store
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
