"""The chat list in groups: Pinned, Today, Yesterday, Previous 7 days, Older.

``GroupedConversationsModel`` shows a ``ConversationListModel`` with a
heading row before each group. Headings are rows of their own (rather than
painted above a chat's row) so every row keeps one height, which lets the view
lay out thousands of chats without asking each for its size, and so a screen
reader reads them. A heading can be neither selected nor made current.

The store already orders chats pinned first, then by when they were last
written to, so each group is one run of rows; this model only notes where a
run starts. When the source moves a chat (``touch``) the groups are worked
out again as a layout change, which keeps the view's selection and scroll
position, as the source's own move does.

The groups depend on the day too: a single-shot timer set for the next
local midnight (``day_timer``) groups the list again when the date changes
while the app stays open, then is set again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)

from foxchat.i18n import _
from foxchat.services.conversation_list import ConversationListModel, HeadingRole
from foxchat.store import ConversationSummary

# The groups, by their English names; a person reads them through ``heading_text``
# (translated when shown, so a group is found by the same key in every language).
PINNED: Final = "Pinned"
TODAY: Final = "Today"
YESTERDAY: Final = "Yesterday"
PREVIOUS_7_DAYS: Final = "Previous 7 days"
OLDER: Final = "Older"


def heading_text(group: str) -> str:
    """The heading a person reads for ``group``, in the language in use."""
    texts = {
        PINNED: _("Pinned"),
        TODAY: _("Today"),
        YESTERDAY: _("Yesterday"),
        PREVIOUS_7_DAYS: _("Previous 7 days"),
        OLDER: _("Older"),
    }
    return texts.get(group, group)


_Index = QModelIndex | QPersistentModelIndex

#: The day timer is never set further ahead than this (ms). Its clock stops
#: while the machine sleeps, and the system clock can be changed: looking
#: again every hour catches a missed midnight within the hour, for nothing.
MAX_DAY_WAIT_MS: Final = 3_600_000


def day_group(updated_at: float, now: float) -> str:
    """The heading a chat last written to at ``updated_at`` goes under, seen at ``now``.

    Days are calendar days in local time: a chat from 23:50 is "Yesterday"
    ten minutes after midnight.
    """
    return _DayBounds(now).group(updated_at)


class _DayBounds:
    """The local midnights a list is grouped by, worked out once per grouping."""

    def __init__(self, now: float) -> None:
        today = datetime.fromtimestamp(now).replace(hour=0, minute=0, second=0, microsecond=0)
        self.today = today.timestamp()
        self.yesterday = (today - timedelta(days=1)).timestamp()
        self.week = (today - timedelta(days=7)).timestamp()
        # Local midnight of the next date (a day is not always 24 hours long).
        tomorrow = (today + timedelta(days=1)).date()
        self.tomorrow = datetime(tomorrow.year, tomorrow.month, tomorrow.day).timestamp()

    def group(self, updated_at: float) -> str:
        if updated_at >= self.today:
            return TODAY
        if updated_at >= self.yesterday:
            return YESTERDAY
        if updated_at >= self.week:
            return PREVIOUS_7_DAYS
        return OLDER


@dataclass(frozen=True)
class _Row:
    """A heading (``heading`` set) or a chat (its id and row in the source)."""

    heading: str = ""
    conversation_id: int = 0
    source_row: int = -1


class GroupedConversationsModel(QAbstractListModel):
    """``source``'s chats with a heading row before each group."""

    def __init__(
        self,
        source: ConversationListModel,
        parent: QObject | None = None,
        *,
        now: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._now = now
        self._today = 0.0  # the midnight the rows are grouped from (set by _build)
        self._rows: list[_Row] = self._build()
        self.day_timer = QTimer(self)
        self.day_timer.setSingleShot(True)
        self.day_timer.timeout.connect(self._on_day_timer)
        self._set_day_timer()
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._on_reset)
        for signal in (source.rowsMoved, source.rowsInserted, source.rowsRemoved):
            signal.connect(lambda *_args: self._relayout())
        source.dataChanged.connect(lambda *_args: self._relayout())

    # -- the model -------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if row.heading:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return heading_text(row.heading)
            return True if role == HeadingRole else None
        if role == HeadingRole:
            return False
        return self._source.index(row.source_row, 0).data(role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].heading:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- what the pane asks ----------------------------------------------------

    def row_of(self, conversation_id: int) -> int | None:
        """The row showing that chat, if it is listed."""
        for number, row in enumerate(self._rows):
            if not row.heading and row.conversation_id == conversation_id:
                return number
        return None

    def conversation_at(self, row: int) -> ConversationSummary | None:
        """The chat at ``row``, or None for a heading or outside the list."""
        if not 0 <= row < len(self._rows) or self._rows[row].heading:
            return None
        return self._source.conversation_at(self._rows[row].source_row)

    def headings(self) -> list[str]:
        """The group headings in order (what a person sees between the chats)."""
        return [heading_text(row.heading) for row in self._rows if row.heading]

    # -- following the source --------------------------------------------------

    def _set_day_timer(self) -> None:
        wait = (_DayBounds(self._now()).tomorrow - self._now()) * 1000
        self.day_timer.start(max(1, min(MAX_DAY_WAIT_MS, math.ceil(wait))))

    def _on_day_timer(self) -> None:
        # A timer may fire a little early, or hours late after a sleep: regroup
        # only if the date really changed, and set it again either way.
        if _DayBounds(self._now()).today != self._today:
            self._relayout()
        self._set_day_timer()

    def _build(self) -> list[_Row]:
        bounds = _DayBounds(self._now())
        self._today = bounds.today
        rows: list[_Row] = []
        current = ""
        for number in range(self._source.rowCount()):
            summary = self._source.conversation_at(number)
            if summary is None:
                continue
            group = PINNED if summary.pinned else bounds.group(summary.updated_at)
            if group != current:
                rows.append(_Row(heading=group))
                current = group
            rows.append(_Row(conversation_id=summary.id, source_row=number))
        return rows

    def _on_reset(self) -> None:
        self._rows = self._build()
        self.endResetModel()

    def _relayout(self) -> None:
        """Group again after a move or a change, keeping the view's selection and place."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [self._rows[i.row()] if 0 <= i.row() < len(self._rows) else None for i in old]
        self._rows = self._build()
        new_row = {row.conversation_id: n for n, row in enumerate(self._rows) if not row.heading}
        new_heading = {row.heading: n for n, row in enumerate(self._rows) if row.heading}
        moved = []
        for row in old_rows:
            if row is None:
                target = None
            elif row.heading:
                target = new_heading.get(row.heading)
            else:
                target = new_row.get(row.conversation_id)
            moved.append(self.index(target, 0) if target is not None else QModelIndex())
        self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()
