"""A message's header: who wrote it, its alternatives ‹ 1/3 ›, and actions.

Alternatives are the other answers to the same question (regenerations, the
n > 1 choices of one request) or the other versions of an edited message.
The arrows only ask; the window switches the branch and redraws.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


class MessageHeader(QWidget):
    """Name on the left; ‹ i/n › and Edit/Regenerate on the right."""

    step_requested = Signal(int)  # -1 previous alternative, +1 next
    edit_requested = Signal()
    regenerate_requested = Signal()
    compare_requested = Signal()

    def __init__(self, who: str, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.who = QLabel(who, self)
        self.who.setObjectName("messageRole")
        self.previous = flat_button("‹", "Previous version", "previousAlternative", self)
        self.position = QLabel(self)
        self.position.setObjectName("alternativePosition")
        self.next = flat_button("›", "Next version", "nextAlternative", self)
        self.edit = flat_button("Edit", "Edit and resend", "editMessageButton", self)
        self.regenerate = flat_button(
            "Regenerate", "Write another answer", "regenerateButton", self
        )
        self.compare = flat_button(
            "Compare answers",
            "Answer this message again several ways at once",
            "compareAnswers",
            self,
        )
        self.edit.setVisible(role == "user")
        self.compare.setVisible(role == "user")
        self.regenerate.setVisible(role == "assistant")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.who)
        layout.addStretch(1)
        widgets = (
            self.previous,
            self.position,
            self.next,
            self.compare,
            self.edit,
            self.regenerate,
        )
        for widget in widgets:
            layout.addWidget(widget)
        self.previous.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next.clicked.connect(lambda: self.step_requested.emit(1))
        self.edit.clicked.connect(self.edit_requested)
        self.compare.clicked.connect(self.compare_requested)
        self.regenerate.clicked.connect(self.regenerate_requested)
        self.set_alternatives(0, 1)

    def set_alternatives(self, index: int, count: int) -> None:
        """Show ‹ index+1/count › when there is more than one version."""
        several = count > 1
        for widget in (self.previous, self.position, self.next):
            widget.setVisible(several)
        self.position.setText(f"{index + 1}/{count}")
        self.position.setAccessibleName(f"Version {index + 1} of {count}")
        self.previous.setEnabled(index > 0)
        self.next.setEnabled(index < count - 1)

    def set_busy(self, busy: bool) -> None:
        """While a reply streams, branching actions wait."""
        for widget in (self.previous, self.next, self.edit, self.regenerate, self.compare):
            widget.setDisabled(busy)


def flat_button(text: str, accessible: str, name: str, parent: QWidget) -> QToolButton:
    """A borderless text button with its names and tooltip set (message chrome)."""
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(accessible)
    button.setAccessibleName(accessible)
    button.setObjectName(name)
    button.setAutoRaise(True)
    return button
