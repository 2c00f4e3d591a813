"""The line under a parameter the chosen model does not take: why, and "Send anyway".

For a model whose rules (or whose server) leave a parameter out, its row is
shown switched off and greyed, and this note takes the place of the help
line: one plain sentence of why ("o-series models choose their own
temperature.") and a link-like button for people who know their gateway
differs. The person's own value and switch are kept underneath, for when
they switch back to a model that takes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from foxchat.i18n import _
from foxchat.ui.params.caption import CAPTION_SCALE

SEND_ANYWAY = _("Send anyway")


class BlockedNote(QWidget):
    """A reason and a "Send anyway" button; ``send_anyway`` when it is pressed."""

    send_anyway = Signal()

    def __init__(self, name: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Blocked")
        self.reason = QLabel(self)
        self.reason.setObjectName(f"{name}BlockedReason")
        self.reason.setAccessibleName(_("Why {label} is not sent").format(label=label))
        self.reason.setWordWrap(True)
        self.reason.setProperty("hint", True)
        # The size of the caption it stands in for, so the row keeps its rhythm.
        small = self.reason.font()
        small.setPointSizeF(small.pointSizeF() * CAPTION_SCALE)
        self.reason.setFont(small)
        self.reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.button = QPushButton(SEND_ANYWAY, self)
        self.button.setObjectName(f"{name}SendAnyway")
        self.button.setAccessibleName(_("Send {label} anyway").format(label=label))
        self.button.setToolTip(
            _("Send this setting to this model after all, for a server you know takes it")
        )
        self.button.setFlat(True)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Looks like a link, works like a button (Tab, Space, screen readers).
        self.button.setStyleSheet(
            "QPushButton { color: palette(link); text-decoration: underline;"
            " border: none; padding: 0 2px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        self.button.clicked.connect(self.send_anyway)
        self.hide()

    def show_reason(self, reason: str | None) -> None:
        """Show why the parameter is not sent (None: it is sent, hide the note)."""
        if reason is None:
            self.hide()
            return
        ended = reason.endswith((".", "!", "?", "\u3002", "\uff01", "\uff1f"))
        # i18n: a reason made into a sentence: Chinese ends it with a full-width stop.
        sentence = reason if ended else _("{reason}.").format(reason=reason)
        self.reason.setText(sentence)
        self.reason.setAccessibleDescription(sentence)
        self.show()
