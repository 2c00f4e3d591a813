"""A titled section of the sidebar that the user can fold away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget


class CollapsibleSection(QWidget):
    """A header button that shows or hides the widgets below it.

    ``expanded_changed(bool)`` is emitted whenever the body is shown or hidden,
    so an owner can build a folded section's contents on first opening.
    """

    expanded_changed = Signal(bool)

    def __init__(self, title: str, object_name: str, *, expanded: bool = True) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setAccessibleName(f"{title} section")
        self._title = title
        self._header = QToolButton()
        self._header.setObjectName(f"{object_name}Header")
        self._header.setText(title)
        self._header.setCheckable(True)
        self._header.setAutoRaise(True)
        self._header.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = self._header.font()
        font.setBold(True)
        self._header.setFont(font)
        self._body = QWidget()
        self._body.setObjectName(f"{object_name}Body")
        self._body.setAccessibleName(f"{title} settings")
        self.body_layout = QVBoxLayout(self._body)
        self.body_layout.setContentsMargins(8, 0, 0, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._header)
        layout.addWidget(self._body)
        self._header.toggled.connect(self.set_expanded)
        self._header.setChecked(expanded)
        self.set_expanded(expanded)

    def set_expanded(self, expanded: bool) -> None:
        """Show or hide the section's body."""
        self._header.setChecked(expanded)
        self._header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        state = "shown" if expanded else "hidden"
        self._header.setAccessibleName(f"{self._title} section, {state}")
        self._header.setToolTip(f"Show or hide the {self._title.lower()} settings")
        self._body.setVisible(expanded)
        self.expanded_changed.emit(expanded)

    def is_expanded(self) -> bool:
        """Whether the body is shown."""
        return self._header.isChecked()
