"""What an empty chat shows: a greeting, the model in use, a few things to try.

A blank column tells a new person nothing. This centre says which model will
answer and offers example prompts; clicking one reports it
(``example_chosen``) and the main window puts it in the message box to edit
or send, so nothing is sent without the person pressing Enter.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from foxchat.i18n import _
from foxchat.resources import app_icon

#: Prompts that show the range of what a chat model does, in plain words.
EXAMPLE_PROMPTS = (
    _("Explain how a VPN works in simple words."),
    _("Write a polite email to move a meeting."),
    _("Plan a three-day trip to Lisbon on a budget."),
    _("Write a Python script to rename photos by date."),
)

#: Which model answers ({model}: its name).
MODEL_LINE = _("Replies in this chat come from {model}.")

#: The column's width: the prompts read as lines, not as a wall across the window.
COLUMN_WIDTH = 520


class EmptyState(QWidget):
    """The centre of a chat with no messages yet."""

    example_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAccessibleName(_("New chat"))

        logo = QLabel(self)
        logo.setObjectName("emptyStateLogo")
        logo.setAccessibleName(_("FoxChat logo"))
        logo.setPixmap(app_icon().pixmap(56, 56))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.greeting = QLabel(_("How can I help today?"), self)
        self.greeting.setObjectName("emptyStateGreeting")
        self.greeting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.greeting.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.greeting.setFont(font)

        self.model_label = QLabel(self)
        self.model_label.setObjectName("emptyStateModel")
        self.model_label.setProperty("hint", True)
        self.model_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.model_label.setWordWrap(True)

        self.try_label = QLabel(_("Try one of these, or type your own below:"), self)
        self.try_label.setObjectName("emptyStateTry")
        self.try_label.setProperty("hint", True)

        self.example_buttons: list[QPushButton] = []
        column = QVBoxLayout()
        column.setSpacing(8)
        column.addWidget(logo)
        column.addWidget(self.greeting)
        column.addWidget(self.model_label)
        column.addSpacing(16)
        column.addWidget(self.try_label)
        for prompt in EXAMPLE_PROMPTS:
            button = QPushButton(prompt, self)
            button.setObjectName("examplePrompt")
            button.setAccessibleName(prompt)
            button.setToolTip(_("Put this example in the message box, to edit or send"))
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(
                lambda _checked=False, text=prompt: self.example_chosen.emit(text)
            )
            self.example_buttons.append(button)
            column.addWidget(button)

        holder = QWidget(self)
        holder.setLayout(column)
        holder.setMaximumWidth(COLUMN_WIDTH)
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.addStretch(1)
        outer.addWidget(holder, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.set_model("")

    def set_model(self, model: str) -> None:
        """Say which model will answer."""
        if model:
            self.model_label.setText(MODEL_LINE.format(model=model))
        else:
            self.model_label.setText(_("Pick a model above to start chatting."))
