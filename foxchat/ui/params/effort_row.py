"""Reasoning effort: a switch and the values the chosen model's family accepts.

OpenAI's reasoning models take ``reasoning_effort`` with different values per
family (o-series: low, medium, high; gpt-5: minimal to high; gpt-5.1: none to
high; see :mod:`foxchat.api.model_rules`). The row offers the family's
values; a model that takes none shows the row switched off and greyed with
the reason, and a model no rule knows is offered every value.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from foxchat.api.params import REASONING_EFFORTS
from foxchat.i18n import _
from foxchat.ui.params.blocked_note import BlockedNote
from foxchat.ui.params.caption import make_caption
from foxchat.ui.params.focus_wheel import FocusWheelComboBox
from foxchat.ui.params.number_row import VALUE_WIDTH

LABEL = _("Reasoning effort")
HELP = _(
    "How long a reasoning model thinks before it answers: more effort is slower and "
    "uses more tokens, and helps with hard problems."
)
OFF_NOTE = _("Off: the model decides how long to think.")

#: How each value reads in the list.
VALUE_LABELS = {
    "none": _("None (answer at once)"),
    "minimal": _("Minimal"),
    "low": _("Low"),
    "medium": _("Medium"),
    "high": _("High"),
    "xhigh": _("Extra high"),
}


class EffortRow(QWidget):
    """A switchable choice of reasoning effort; ``changed`` on user edits only."""

    changed = Signal()
    send_anyway_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("reasoning_effortRow")
        self.setAccessibleName(_("{label} setting").format(label=LABEL))
        self._quiet = False
        self._on = False
        self._value = "medium"
        self._blocked: str | None = None
        self._usable_when_blocked = False
        self.switch = QCheckBox(LABEL)
        self.switch.setObjectName("reasoning_effortSwitch")
        self.switch.setAccessibleName(_("Send {label}").format(label=LABEL))
        self.switch.setToolTip(_("{help} When off, the model decides.").format(help=HELP))
        self.switch.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.combo = FocusWheelComboBox()
        self.combo.setObjectName("reasoning_effortCombo")
        self.combo.setAccessibleName(_("{label} value").format(label=LABEL))
        self.combo.setToolTip(HELP)
        # Long value names ("None (answer at once)") must not widen the panel.
        self.combo.setSizeAdjustPolicy(
            FocusWheelComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(8)
        self.combo.setMinimumWidth(VALUE_WIDTH)
        # The caption says what off means too: it is particular to this row.
        caption = _("{help} {off_note}").format(help=HELP, off_note=OFF_NOTE)
        self.help_label = make_caption(caption, "reasoning_effortHelp")
        self.help_label.setAccessibleName(_("{label} explanation").format(label=LABEL))
        self.setAccessibleDescription(caption)
        self.blocked_note = BlockedNote("reasoning_effort", LABEL, self)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(8)
        top.addWidget(self.switch)
        top.addStretch(1)
        top.addWidget(self.combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.help_label)
        layout.addWidget(self.blocked_note)
        self.set_choices(REASONING_EFFORTS)
        self.switch.toggled.connect(self._on_switch)
        self.combo.activated.connect(self._on_pick)
        self.blocked_note.send_anyway.connect(self.send_anyway_requested)
        self._show()

    def set_name_width(self, width: int) -> None:
        """Give the switch and name ``width`` pixels, so the rows line up."""
        self.switch.setMinimumWidth(width)

    def value(self) -> str:
        """The effort chosen (kept while the row is blocked)."""
        return self._value

    def is_on(self) -> bool:
        """Whether the person has reasoning effort switched on."""
        return self._on

    def blocked_reason(self) -> str | None:
        """Why the chosen model does not get the effort (None: it does)."""
        return self._blocked

    def set_state(self, value: str, *, on: bool) -> None:
        """Show the person's value and switch without emitting ``changed``."""
        self._value, self._on = value, on
        self._show_value()
        self._show()

    def set_choices(self, values: tuple[str, ...]) -> None:
        """Offer ``values`` (the model family's); the person's value stays listed."""
        self._quiet = True
        try:
            self.combo.clear()
            for value in values:
                self.combo.addItem(VALUE_LABELS.get(value, value), value)
        finally:
            self._quiet = False
        self._show_value()

    def set_blocked(self, reason: str | None, *, usable: bool = False) -> None:
        """Show ``reason`` under the row; ``usable`` keeps the list open to pick
        a value the model takes (the reason is then about the value, not the
        parameter)."""
        self._blocked, self._usable_when_blocked = reason, usable
        self.blocked_note.show_reason(reason)
        self.help_label.setVisible(reason is None)
        self._show()

    def _show_value(self) -> None:
        self._quiet = True
        try:
            index = self.combo.findData(self._value)
            if index < 0:  # a value this family does not list: keep it visible
                self.combo.addItem(VALUE_LABELS.get(self._value, self._value), self._value)
                index = self.combo.count() - 1
            self.combo.setCurrentIndex(index)
        finally:
            self._quiet = False

    def _show(self) -> None:
        hard_block = self._blocked is not None and not self._usable_when_blocked
        self._quiet = True
        try:
            self.switch.setChecked(self._on and not hard_block)
            self.switch.setEnabled(not hard_block)
        finally:
            self._quiet = False
        self.combo.setEnabled(self._on and not hard_block)

    def _on_switch(self, on: bool) -> None:
        if self._quiet:
            return
        self._on = on
        self._show()
        self.changed.emit()

    def _on_pick(self, index: int) -> None:
        if self._quiet:
            return
        value = self.combo.itemData(index)
        if isinstance(value, str) and value != self._value:
            self._value = value
            self.changed.emit()
