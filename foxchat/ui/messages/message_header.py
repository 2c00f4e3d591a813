"""A message's header (who wrote it, its alternatives ‹ 1/3 ›) and its action icons.

Alternatives are the other answers to the same question (regenerations, the
n > 1 choices of one request) or the other versions of an edited message.
The arrows only ask; the window switches the branch and redraws.

The actions (Compare answers, Edit, Regenerate here; Copy, Delete and the
reply's own ones added by the message) are small Lucide icons in one row,
``MessageActions``, drawn only while the pointer is over the message or the
keyboard focus is in it, and always on the last reply. Hidden ones are drawn
in a transparent ink rather than hidden: they keep their place, so nothing
moves when they appear, and stay in the Tab order and in what a screen reader
lists, each with its accessible name and tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from foxchat.i18n import _
from foxchat.ui.icons import icon, icon_button

#: Message action icons are a little smaller than the window's own buttons.
ACTION_ICON_SIZE = 16
_INVISIBLE_INK = QColor(0, 0, 0, 0)


class MessageActions(QWidget):
    """A row of icon buttons that are drawn only when the message is revealed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageActions")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._buttons: list[tuple[QToolButton, str]] = []
        self._revealed = False

    def add(self, name: str, tooltip: str, accessible: str, object_name: str) -> QToolButton:
        """A new icon button ``icon(name)`` at the end of the row."""
        button = icon_button(name, tooltip, accessible, self)
        button.setObjectName(object_name)
        button.setIconSize(QSize(ACTION_ICON_SIZE, ACTION_ICON_SIZE))
        button.setIcon(self._icon(name))
        self._buttons.append((button, name))
        self._layout.addWidget(button)
        return button

    def insert_widget(self, index: int, widget: QWidget) -> None:
        """Put a widget that is not an icon button (always drawn) into the row."""
        self._layout.insertWidget(index, widget)

    @property
    def revealed(self) -> bool:
        """Whether the icons are drawn (pointer over, focus in, or the last reply)."""
        return self._revealed

    def set_revealed(self, revealed: bool) -> None:
        """Draw the icons (True) or keep their place with invisible ink."""
        if revealed == self._revealed:
            return
        self._revealed = revealed
        for button, name in self._buttons:
            button.setIcon(self._icon(name))

    def _icon(self, name: str) -> QIcon:
        return icon(name) if self._revealed else icon(name, _INVISIBLE_INK)


class MessageHeader(QWidget):
    """Name and ‹ i/n › on one line; Compare, Edit and Regenerate go in ``actions``."""

    step_requested = Signal(int)  # -1 previous alternative, +1 next
    edit_requested = Signal()
    regenerate_requested = Signal()
    compare_requested = Signal()

    def __init__(
        self, who: str, role: str, actions: MessageActions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.who = QLabel(who, self)
        self.who.setObjectName("messageRole")
        # Versions are not hidden until hover: which one is shown is part of what you read.
        self.previous = icon_button(
            "previous", _("Show the previous version"), _("Previous version"), self
        )
        self.previous.setObjectName("previousAlternative")
        self.position = QLabel(self)
        self.position.setObjectName("alternativePosition")
        self.next = icon_button("next", _("Show the next version"), _("Next version"), self)
        self.next.setObjectName("nextAlternative")
        for arrow in (self.previous, self.next):
            arrow.setIconSize(QSize(ACTION_ICON_SIZE, ACTION_ICON_SIZE))
        self.compare = actions.add(
            "compare",
            _("Answer this message again several ways at once"),
            _("Compare answers"),
            "compareAnswers",
        )
        self.edit = actions.add(
            "edit",
            _("Edit this message and send it again"),
            _("Edit and resend"),
            "editMessageButton",
        )
        self.regenerate = actions.add(
            "regenerate", _("Write another answer"), _("Regenerate"), "regenerateButton"
        )
        self.edit.setVisible(role == "user")
        self.compare.setVisible(role == "user")
        self.regenerate.setVisible(role == "assistant")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.who)
        layout.addStretch(1)
        for widget in (self.previous, self.position, self.next):
            layout.addWidget(widget)
        self.previous.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next.clicked.connect(lambda: self.step_requested.emit(1))
        self.edit.clicked.connect(self.edit_requested)
        self.compare.clicked.connect(self.compare_requested)
        self.regenerate.clicked.connect(self.regenerate_requested)
        self.set_alternatives(0, 1)

    def hold_actions(self, actions: MessageActions) -> None:
        """Put the action icons at the end of this line (a short message has no footer)."""
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.addSpacing(8)
        layout.addWidget(actions)

    def set_alternatives(self, index: int, count: int) -> None:
        """Show ‹ index+1/count › when there is more than one version."""
        several = count > 1
        for widget in (self.previous, self.position, self.next):
            widget.setVisible(several)
        self.position.setText(_("{number}/{count}").format(number=index + 1, count=count))
        self.position.setAccessibleName(
            _("Version {number} of {count}").format(number=index + 1, count=count)
        )
        self.previous.setEnabled(index > 0)
        self.next.setEnabled(index < count - 1)

    def set_busy(self, busy: bool) -> None:
        """While a reply streams, branching actions wait."""
        for widget in (self.previous, self.next, self.edit, self.regenerate, self.compare):
            widget.setDisabled(busy)
