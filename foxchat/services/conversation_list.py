"""The conversation list as a Qt model, and the search results beside it.

A model/view list rather than a widget per row keeps 10,000 conversations
instant: Qt asks only for the rows it paints. The models read from the store
and never write to it; the main window asks the store to change and then
calls ``refresh``.

The pane that shows these models is ``ui/conversation_list.py``; it shows
the chats in day groups through ``conversation_groups.py``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from foxchat import locale_format
from foxchat.i18n import _
from foxchat.services.titles import shown_title
from foxchat.store import ConversationSummary, SearchHit, Store

ConversationIdRole = Qt.ItemDataRole.UserRole + 1
PinnedRole = Qt.ItemDataRole.UserRole + 2
UpdatedRole = Qt.ItemDataRole.UserRole + 3
MessageIdRole = Qt.ItemDataRole.UserRole + 4
SnippetRole = Qt.ItemDataRole.UserRole + 5
#: True on a group's heading row (``conversation_groups.GroupedConversationsModel``).
HeadingRole = Qt.ItemDataRole.UserRole + 6

_Index = QModelIndex | QPersistentModelIndex


class ConversationListModel(QAbstractListModel):
    """Conversations, pinned first, then newest first (the store's order)."""

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[ConversationSummary] = []

    def refresh(self) -> None:
        """Reload from the store (cheap: one indexed query)."""
        self.beginResetModel()
        self._rows = self._store.list_conversations()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown_title(row.title)
        if role == Qt.ItemDataRole.ToolTipRole:
            when = locale_format.date_time(row.updated_at)
            model = f" · {row.model}" if row.model else ""
            return f"{shown_title(row.title)}\n{when}{model}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if row.pinned:
                return _("Pinned: {title}").format(title=shown_title(row.title))
            return shown_title(row.title)
        if role == ConversationIdRole:
            return row.id
        if role == PinnedRole:
            return row.pinned
        if role == UpdatedRole:
            return row.updated_at
        return None

    def touch(self, conversation_id: int) -> None:
        """Move a chat that just got a message to the top of its group.

        Cheaper than ``refresh`` with thousands of chats: one row moves, and
        the view keeps its scroll position and selection.
        """
        row = self.row_of(conversation_id)
        if row is None:
            self.refresh()
            return
        summary = replace(self._rows[row], updated_at=time.time())
        # Pinned chats stay on top; others go just below them.
        target = 0 if summary.pinned else sum(1 for r in self._rows if r.pinned)
        if row != target:
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target)
            del self._rows[row]
            self._rows.insert(target, summary)
            self.endMoveRows()
        else:
            self._rows[row] = summary
        index = self.index(target, 0)
        self.dataChanged.emit(index, index)

    def row_of(self, conversation_id: int) -> int | None:
        """The row showing that conversation, if it is listed."""
        for row, summary in enumerate(self._rows):
            if summary.id == conversation_id:
                return row
        return None

    def conversation_at(self, row: int) -> ConversationSummary | None:
        """The summary at ``row``, or None outside the list."""
        return self._rows[row] if 0 <= row < len(self._rows) else None


class SearchResultsModel(QAbstractListModel):
    """Full-text search hits with their highlighted snippets."""

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._hits: list[SearchHit] = []
        self.query = ""

    def search(self, query: str) -> None:
        """Run ``query`` against the store's full-text index."""
        self.beginResetModel()
        self.query = query
        self._hits = self._store.search(query) if query.strip() else []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown_title(hit.title)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            plain = hit.snippet.replace("\x02", "").replace("\x03", "")
            return f"{shown_title(hit.title)}: {plain}"
        if role == ConversationIdRole:
            return hit.conversation_id
        if role == MessageIdRole:
            return hit.message_id
        if role == SnippetRole:
            return hit.snippet
        return None
