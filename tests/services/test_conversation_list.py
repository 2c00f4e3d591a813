"""The conversation list model over a real store: order, pinning, cheap moves."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt

from foxchat import i18n
from foxchat.paths import database_path
from foxchat.services.conversation_list import (
    ConversationIdRole,
    ConversationListModel,
    SearchResultsModel,
    SnippetRole,
)
from foxchat.store import Store


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(database_path()) as opened:
        yield opened


def ids(model: ConversationListModel) -> list[int]:
    return [model.index(row, 0).data(ConversationIdRole) for row in range(model.rowCount())]


def test_pinned_first_then_newest(store: Store, qapp: object) -> None:
    a = store.create_conversation(title="a")
    b = store.create_conversation(title="b")
    c = store.create_conversation(title="c")
    store.update_conversation(a, pinned=True)
    model = ConversationListModel(store)
    model.refresh()
    assert ids(model) == [a, c, b], "the pinned chat, then the newest first"
    # Newest means last written to, not last created: a reply lifts b above c.
    store.add_message(b, parent_id=None, role="user", content="hello again")
    model.refresh()
    assert ids(model) == [a, b, c]


def test_touch_moves_a_chat_below_the_pinned_ones_like_a_refresh_would(
    store: Store, qapp: object
) -> None:
    pinned = store.create_conversation(title="pinned")
    store.update_conversation(pinned, pinned=True)
    old = store.create_conversation(title="old")
    newer = store.create_conversation(title="newer")
    model = ConversationListModel(store)
    model.refresh()
    moved: list[tuple[int, int]] = []
    model.rowsMoved.connect(lambda _p, start, _e, _d, row: moved.append((start, row)))
    store.add_message(old, parent_id=None, role="user", content="hi")
    model.touch(old)
    assert ids(model) == [pinned, old, newer]
    assert moved  # a move, not a reset: the view keeps its place
    fresh = ConversationListModel(store)
    fresh.refresh()
    assert ids(fresh) == ids(model)


def test_search_results_carry_highlighted_snippets(store: Store, qapp: object) -> None:
    cid = store.create_conversation(title="Trip")
    store.add_message(cid, parent_id=None, role="user", content="pack the zebra blanket")
    results = SearchResultsModel(store)
    results.search("zebra")
    assert results.rowCount() >= 1
    hit = results.index(0, 0)
    assert hit.data(ConversationIdRole) == cid
    assert "\x02zebra\x03" in hit.data(SnippetRole)
    results.search("   ")
    assert results.rowCount(QModelIndex()) == 0


def test_a_new_chat_and_its_date_read_in_the_language_in_use(store: Store, qapp: object) -> None:
    store.create_conversation()  # the store names it "New chat", in no language
    model = ConversationListModel(store)
    model.refresh()
    index = model.index(0, 0)
    assert index.data() == "New chat"
    i18n.install("zh_CN")
    try:
        assert index.data() == "新对话"
        when = str(index.data(Qt.ItemDataRole.ToolTipRole)).splitlines()[1]
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", when), when
    finally:
        i18n.install(i18n.ENGLISH)
