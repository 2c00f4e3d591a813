"""The quiet line under a reply saying what it was made with; the full list on click.

"gpt-4o · temperature 1.3 · presence 0.5" names the model and each setting
that differs from what the server does by default. On a reply with other
versions (‹ 1/2 ›) it says what differs from the version before instead
("temperature 0.2 → 1.3"). Clicking opens the full list (every setting
sent, what was left out and why, the system fingerprint, time to the first
word and speed) with **Use these settings**, which puts them back into the
sidebar. Replies made before FoxChat recorded this show nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from foxchat.i18n import _
from foxchat.services.reply_details import (
    ReplyDetails,
    differences,
    full_list,
    read_details,
    summary_line,
)

USE_THESE_SETTINGS = _("Use these settings")


class MadeWithButton(QToolButton):
    """A flat, hint-coloured button; ``use_settings_requested`` from its menu."""

    use_settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("madeWithButton")
        self.setAutoRaise(True)
        self.setProperty("hint", True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._menu = QMenu(self)
        self._menu.setObjectName("madeWithMenu")
        self._menu.setAccessibleName(_("What this reply was made with"))
        self.setMenu(self._menu)
        self.details: ReplyDetails = read_details(None)
        self.hide()

    def show_details(self, details_json: str | None, other_json: str | None = None) -> None:
        """Show what the reply was made with; ``other_json`` is the version before it."""
        details = read_details(details_json)
        self.details = details
        line = summary_line(details)
        if other_json is not None:
            changed = differences(read_details(other_json), details)
            line = changed or line
        self.setText(line)
        self.setAccessibleName(
            _("Made with: {settings}").format(settings=line) if line else _("Made with")
        )
        self.setToolTip(_("Show every setting this reply was made with."))
        self._menu.clear()
        for what, value in full_list(details):
            row = self._menu.addAction(_("{setting}: {value}").format(setting=what, value=value))
            row.setEnabled(False)
        self._menu.addSeparator()
        use = self._menu.addAction(USE_THESE_SETTINGS)
        use.setObjectName("useTheseSettingsAction")
        use.setToolTip(
            _("Put this reply's model and settings into the sidebar for the next message")
        )
        use.triggered.connect(self.use_settings_requested)
        self.setVisible(bool(line))
