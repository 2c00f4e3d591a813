"""The chat list's day groups over a real store: headings, order, cheap moves."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot

from foxchat import i18n
from foxchat.paths import database_path
from foxchat.services.conversation_groups import (
    OLDER,
    PINNED,
    PREVIOUS_7_DAYS,
    TODAY,
    YESTERDAY,
    GroupedConversationsModel,
    day_group,
)
from foxchat.services.conversation_list import (
    ConversationIdRole,
    ConversationListModel,
    HeadingRole,
)
from foxchat.store import Store

#: A fixed "now": Wednesday 10 June 2026, 12:00 local time.
NOW = datetime(2026, 6, 10, 12, 0).timestamp()


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(database_path()) as opened:
        yield opened


def _at(store: Store, title: str, when: datetime, *, pinned: bool = False) -> int:
    cid = store.create_conversation(title=title)
    store.update_conversation(cid, pinned=pinned)
    # As if last written to at ``when``: a second connection to the same file.
    with closing(sqlite3.connect(database_path())) as db, db:
        db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (when.timestamp(), cid))
    return cid


def _shown(model: GroupedConversationsModel) -> list[str]:
    return [
        f"# {model.index(r, 0).data()}"
        if model.index(r, 0).data(HeadingRole)
        else str(model.index(r, 0).data())
        for r in range(model.rowCount())
    ]


def test_days_are_calendar_days_in_local_time() -> None:
    noon = datetime(2026, 6, 10, 12, 0)
    assert day_group(datetime(2026, 6, 10, 0, 0).timestamp(), noon.timestamp()) == TODAY
    assert day_group(datetime(2026, 6, 9, 23, 50).timestamp(), noon.timestamp()) == YESTERDAY
    assert day_group(datetime(2026, 6, 9, 0, 0).timestamp(), noon.timestamp()) == YESTERDAY
    assert day_group(datetime(2026, 6, 8, 23, 59).timestamp(), noon.timestamp()) == PREVIOUS_7_DAYS
    assert day_group(datetime(2026, 6, 3, 0, 0).timestamp(), noon.timestamp()) == PREVIOUS_7_DAYS
    assert day_group(datetime(2026, 6, 2, 23, 59).timestamp(), noon.timestamp()) == OLDER


def test_chats_are_listed_under_pinned_then_day_headings(store: Store, qapp: object) -> None:
    now = datetime.fromtimestamp(NOW)
    _at(store, "old", now - timedelta(days=30))
    _at(store, "last week", now - timedelta(days=3))
    _at(store, "yesterday", now - timedelta(days=1))
    _at(store, "this morning", now - timedelta(hours=3))
    _at(store, "pinned long ago", now - timedelta(days=90), pinned=True)
    source = ConversationListModel(store)
    source.refresh()
    model = GroupedConversationsModel(source, now=lambda: NOW)
    assert _shown(model) == [
        f"# {PINNED}",
        "pinned long ago",
        f"# {TODAY}",
        "this morning",
        f"# {YESTERDAY}",
        "yesterday",
        f"# {PREVIOUS_7_DAYS}",
        "last week",
        f"# {OLDER}",
        "old",
    ]


def test_a_heading_cannot_be_selected_and_names_no_chat(store: Store, qapp: object) -> None:
    cid = store.create_conversation(title="only")
    source = ConversationListModel(store)
    source.refresh()
    model = GroupedConversationsModel(source)
    heading, chat = model.index(0, 0), model.index(1, 0)
    assert heading.data(HeadingRole) is True
    assert not heading.flags() & Qt.ItemFlag.ItemIsSelectable
    assert heading.data(ConversationIdRole) is None
    assert model.conversation_at(0) is None
    assert chat.data(ConversationIdRole) == cid
    assert chat.flags() & Qt.ItemFlag.ItemIsSelectable
    assert model.row_of(cid) == 1


def test_a_touched_chat_moves_to_today_and_keeps_its_selection(store: Store, qapp: object) -> None:
    now = datetime.fromtimestamp(time.time())
    old = _at(store, "old", now - timedelta(days=30))
    _at(store, "fresh", now - timedelta(minutes=5))
    source = ConversationListModel(store)
    source.refresh()
    model = GroupedConversationsModel(source)
    assert _shown(model) == [f"# {TODAY}", "fresh", f"# {OLDER}", "old"]
    row = model.row_of(old)
    assert row is not None
    kept = QPersistentModelIndex(model.index(row, 0))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    source.touch(old)
    assert _shown(model) == [f"# {TODAY}", "old", "fresh"]
    assert not resets, "a layout change, not a reset: the view keeps its place"
    assert kept.isValid() and kept.data(ConversationIdRole) == old
    assert kept.row() == 1


def test_a_thousand_chats_are_grouped_quickly(store: Store, qapp: object) -> None:
    now = datetime.fromtimestamp(time.time())
    for n in range(1000):
        _at(store, f"chat {n}", now - timedelta(hours=n))
    source = ConversationListModel(store)
    source.refresh()
    model = GroupedConversationsModel(source)
    started = time.perf_counter()
    source.refresh()
    source.touch(source.index(999, 0).data(ConversationIdRole))
    elapsed = time.perf_counter() - started
    assert model.rowCount() == 1000 + len(model.headings())
    assert model.headings() == [TODAY, YESTERDAY, PREVIOUS_7_DAYS, OLDER][: len(model.headings())]
    assert elapsed < 0.25, f"grouping 1,000 chats took {elapsed * 1000:.0f} ms"


def test_the_headings_are_in_the_language_in_use(store: Store, qapp: object) -> None:
    now = datetime.fromtimestamp(NOW)
    _at(store, "old", now - timedelta(days=30))
    _at(store, "last week", now - timedelta(days=3))
    _at(store, "yesterday", now - timedelta(days=1))
    _at(store, "this morning", now - timedelta(hours=3))
    _at(store, "pinned", now, pinned=True)
    source = ConversationListModel(store)
    source.refresh()
    i18n.install("zh_CN")
    try:
        model = GroupedConversationsModel(source, now=lambda: NOW)
        assert model.headings() == ["置顶", "今天", "昨天", "过去 7 天", "更早"]
        assert model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "置顶"
    finally:
        i18n.install(i18n.ENGLISH)


def test_after_midnight_today_s_chats_move_to_yesterday_while_the_list_is_open(
    store: Store, qtbot: QtBot
) -> None:
    """The app stays open over midnight: the list regroups on its own when the day changes,
    on a timer set for the next local midnight (an injected clock, so no real day passes)."""
    evening = datetime(2026, 6, 10, 23, 59, 59, 900_000)
    clock = [evening.timestamp()]
    _at(store, "late chat", datetime(2026, 6, 10, 23, 0))
    _at(store, "the day before", datetime(2026, 6, 9, 23, 0))
    source = ConversationListModel(store)
    source.refresh()
    model = GroupedConversationsModel(source, now=lambda: clock[0])
    assert _shown(model) == [f"# {TODAY}", "late chat", f"# {YESTERDAY}", "the day before"]
    timer = model.day_timer
    assert timer.isActive() and timer.isSingleShot()
    assert 0 <= timer.interval() <= 100, "due at midnight, a tenth of a second away"
    clock[0] = datetime(2026, 6, 11, 0, 0, 0, 50_000).timestamp()
    with qtbot.waitSignal(model.layoutChanged, timeout=2000):
        pass
    assert _shown(model) == [
        f"# {YESTERDAY}",
        "late chat",
        f"# {PREVIOUS_7_DAYS}",
        "the day before",
    ]
    assert timer.isActive(), "set again for the next midnight"
    # Never more than an hour ahead: a machine asleep over midnight (the timer's
    # clock stops) or a changed system clock is caught up within the hour.
    assert timer.interval() == 3_600_000


def test_the_day_timer_firing_early_does_not_regroup(store: Store, qtbot: QtBot) -> None:
    clock = [datetime(2026, 6, 10, 23, 59, 59, 990_000).timestamp()]
    _at(store, "late chat", datetime(2026, 6, 10, 23, 0))
    source = ConversationListModel(store)
    source.refresh()
    model = GroupedConversationsModel(source, now=lambda: clock[0])
    changes: list[bool] = []
    model.layoutChanged.connect(lambda: changes.append(True))
    clock[0] = datetime(2026, 6, 10, 23, 59, 59, 999_000).timestamp()  # still the same day
    qtbot.waitUntil(lambda: model.day_timer.interval() <= 1, timeout=2000)
    assert not changes and _shown(model) == [f"# {TODAY}", "late chat"]
