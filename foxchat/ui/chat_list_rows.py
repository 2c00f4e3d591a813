"""How the chat list draws its rows, and the icon buttons over the row in use.

``ChatRowDelegate`` paints a group heading as a quiet caption and a chat as
its title on one line, cut with "…" where it is too long (the list never
scrolls sideways), on a rounded highlight when selected and a soft tint under
the pointer. Every row is the same height, so a list of thousands is laid out
without measuring each row.

``RowActions`` holds the Rename, Pin and Delete buttons. There is one set for
the whole list, laid over the row under the pointer, or over the current row
while the list or a button has the keyboard focus: real buttons rather than
painted ones, so Tab reaches them and a screen reader names them.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QWidget,
)

from foxchat.i18n import _
from foxchat.services.conversation_list import HeadingRole
from foxchat.ui.icons import icon, icon_button
from foxchat.ui.theme import sheet_colours

#: Space around a title inside its row, and between the row and the list's edge.
ROW_PADDING = 8
ROW_MARGIN = 4
ACTION_ICON = 16

_Index = QModelIndex | QPersistentModelIndex


class ChatRowDelegate(QStyledItemDelegate):
    """Paints headings and chat titles; knows which row the buttons cover."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        #: The row under the pointer, and the row the action buttons sit on.
        self.hovered_row = -1
        self.actions_row = -1
        self.actions_width = 0

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        # Width 1: the row takes the list's width and never asks for more,
        # so a long title is cut rather than scrolled to.
        height = QFontMetrics(self._view.font()).height() + 2 * ROW_PADDING
        return QSize(1, max(height, ACTION_ICON + 2 * ROW_PADDING))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        # A list row is as wide as the list; asking the list for its viewport
        # here would cost the first frame ~10 ms (see docs/architecture.md).
        rect = QRect(option.rect)
        palette: QPalette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if index.data(HeadingRole):
            self._paint_heading(painter, rect, palette, str(index.data() or ""))
        else:
            self._paint_chat(painter, option, rect, index)
        painter.restore()

    def _paint_heading(self, painter: QPainter, rect: QRect, palette: QPalette, text: str) -> None:
        font = QFont(self._view.font())
        font.setBold(True)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.88))
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        area = rect.adjusted(ROW_MARGIN + ROW_PADDING, 0, -ROW_PADDING, -ROW_PADDING // 2)
        painter.drawText(
            area,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
            QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, area.width()),
        )

    def _paint_chat(
        self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, index: _Index
    ) -> None:
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        row = index.row()
        box = QRectF(rect.adjusted(ROW_MARGIN, 1, -ROW_MARGIN, -1))
        background = row_background(palette, selected=selected, hovered=row == self.hovered_row)
        if background is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawRoundedRect(box, 6, 6)
        if selected and option.state & QStyle.StateFlag.State_HasFocus and self._view.hasFocus():
            # The keyboard's place: a ring inside the selection, in its text colour.
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(box.adjusted(2, 2, -2, -2), 4, 4)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        painter.setFont(self._view.font())
        reserved = self.actions_width if row == self.actions_row else 0
        area = rect.adjusted(ROW_MARGIN + ROW_PADDING, 0, -ROW_MARGIN - ROW_PADDING - reserved, 0)
        title = str(index.data() or "")
        elided = QFontMetrics(self._view.font()).elidedText(
            title, Qt.TextElideMode.ElideRight, max(0, area.width())
        )
        painter.drawText(
            area, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided
        )


def row_background(palette: QPalette, *, selected: bool, hovered: bool) -> QColor | None:
    """The fill under a chat's title: the selection, the hover tint, or none."""
    if selected:
        return palette.color(QPalette.ColorRole.Highlight)
    if hovered:
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        return sheet_colours(palette, dark)["hover_bg"]
    return None


class RowActions(QWidget):
    """Rename, Pin (or Unpin) and Delete for one chat, laid over its row."""

    rename_clicked = Signal()
    pin_clicked = Signal()
    delete_clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("chatRowActions")
        self.setAccessibleName(_("Actions for this chat"))
        self.rename_button = icon_button(
            "rename", _("Rename this chat (F2)"), _("Rename chat"), self
        )
        self.pin_button = icon_button("pin", _("Pin this chat to the top"), _("Pin chat"), self)
        self.delete_button = icon_button(
            "delete", _("Delete this chat (Delete)"), _("Delete chat"), self
        )
        # Named in code, not from the (translated) accessible names.
        self.rename_button.setObjectName("chatRenameButton")
        self.pin_button.setObjectName("chatPinButton")
        self.delete_button.setObjectName("chatDeleteButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for button in self.buttons():
            button.setIconSize(QSize(ACTION_ICON, ACTION_ICON))
            layout.addWidget(button)
        self.rename_button.clicked.connect(self.rename_clicked)
        self.pin_button.clicked.connect(self.pin_clicked)
        self.delete_button.clicked.connect(self.delete_clicked)
        self.setAutoFillBackground(True)
        self.hide()

    def buttons(self) -> list[QToolButton]:
        """The buttons, in the order Tab visits them."""
        return [self.rename_button, self.pin_button, self.delete_button]

    def show_for(self, *, pinned: bool, background: QColor | None, selected: bool) -> None:
        """Match the row: its pin state, its fill, icons that read on it."""
        if pinned:
            self.pin_button.setToolTip(_("Unpin this chat"))
            self.pin_button.setAccessibleName(_("Unpin chat"))
        else:
            self.pin_button.setToolTip(_("Pin this chat to the top"))
            self.pin_button.setAccessibleName(_("Pin chat"))
        palette = self.palette()
        fill = background or palette.color(QPalette.ColorRole.Base)
        palette.setColor(QPalette.ColorRole.Window, fill)
        self.setPalette(palette)
        colour = palette.color(QPalette.ColorRole.HighlightedText) if selected else None
        self.rename_button.setIcon(icon("rename", colour))
        self.pin_button.setIcon(icon("unpin" if pinned else "pin", colour))
        self.delete_button.setIcon(icon("delete", colour))
