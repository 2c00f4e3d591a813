"""A titled section of the sidebar that the person can fold away.

The header is a flat button with a chevron (right when folded, down when
open); Space or Enter on it, or a click, folds and unfolds the body.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget

from foxchat.i18n import _
from foxchat.ui.icons import icon

#: The chevron beside a section's title, in device-independent pixels.
CHEVRON_SIZE = 14


class CollapsibleSection(QWidget):
    """A header button that shows or hides the widgets below it.

    ``expanded_changed(bool)`` is emitted whenever the body is shown or hidden,
    so an owner can build a folded section's contents on first opening, or
    remember which sections the person keeps open.
    """

    expanded_changed = Signal(bool)

    def __init__(self, title: str, object_name: str, *, expanded: bool = True) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setAccessibleName(_("{title} section").format(title=title))
        self._title = title
        self._header = QToolButton()
        self._header.setObjectName(f"{object_name}Header")
        # Drawn flat by the theme's style sheet: a checked tool button is
        # otherwise drawn pressed, a grey bar over every open section.
        self._header.setProperty("sectionHeader", True)
        self._header.setText(title)
        self._header.setCheckable(True)
        self._header.setAutoRaise(True)
        self._header.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._header.setIconSize(QSize(CHEVRON_SIZE, CHEVRON_SIZE))
        self._header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = self._header.font()
        font.setBold(True)
        self._header.setFont(font)
        self._body = QWidget()
        self._body.setObjectName(f"{object_name}Body")
        self._body.setAccessibleName(_("{title} settings").format(title=title))
        self.body_layout = QVBoxLayout(self._body)
        self.body_layout.setContentsMargins(4, 0, 0, 8)
        self.body_layout.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header)
        layout.addWidget(self._body)
        self._header.setChecked(expanded)
        self._show(expanded)
        self._header.toggled.connect(self.set_expanded)

    @property
    def header(self) -> QToolButton:
        """The button that folds and unfolds the section."""
        return self._header

    def set_expanded(self, expanded: bool) -> None:
        """Show or hide the section's body."""
        self._header.setChecked(expanded)
        self._show(expanded)
        self.expanded_changed.emit(expanded)

    def _show(self, expanded: bool) -> None:
        self._header.setIcon(icon("collapse" if expanded else "expand"))
        if expanded:
            name = _("{title} section, shown").format(title=self._title)
            tip = _("Hide the {title} settings.").format(title=self._title)
        else:
            name = _("{title} section, hidden").format(title=self._title)
            tip = _("Show the {title} settings.").format(title=self._title)
        self._header.setAccessibleName(name)
        self._header.setToolTip(tip)
        self._body.setVisible(expanded)

    def is_expanded(self) -> bool:
        """Whether the body is shown."""
        return self._header.isChecked()
