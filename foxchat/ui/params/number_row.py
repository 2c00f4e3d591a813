"""One numeric parameter: on/off switch, slider and spin box in sync, a caption.

Everything the row shows (label, range, step, help) comes from a
:class:`~foxchat.api.params.NumberSpec`. Decimal parameters get a slider and
a spin box; whole-number ones (max tokens, answers) only a spin box.

A row can be *blocked* (``set_blocked``) when the chosen model does not take
its parameter: it is shown switched off and greyed with the reason, while the
person's value and switch are kept for when they pick a model that takes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from foxchat.api.params import NumberSpec
from foxchat.i18n import _
from foxchat.ui.params.blocked_note import BlockedNote
from foxchat.ui.params.caption import make_caption
from foxchat.ui.params.focus_wheel import (
    FocusWheelDoubleSpinBox,
    FocusWheelSlider,
    FocusWheelSpinBox,
)

#: The spin box needs a ceiling even when the API sets none (max tokens).
UNBOUNDED_SPIN_MAXIMUM = 1_000_000

OFF_NOTE = _("Off: the server's default is used.")
#: The value boxes share one width (wide enough for max tokens' six digits).
VALUE_WIDTH = 76
#: A slider narrower than this is too fine to drag to a value.
SLIDER_MINIMUM_WIDTH = 40
#: Room around a decimal value in its box (frame and padding, both sides).
DECIMAL_BOX_PADDING = 16


def keep_space_when_hidden(widget: QWidget) -> None:
    """Let ``widget`` keep its place in the layout while hidden.

    A line that vanished when a switch was turned on made every control
    below it jump up, so the next click landed on the wrong one.
    """
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def _decimals(step: float) -> int:
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0


class NumberRow(QWidget):
    """A switchable numeric parameter. Emits ``changed`` on user edits only.

    One line holds the switch with the parameter's name, the slider (decimal
    parameters) and the value; a caption under it says what the parameter
    does. Switching it on or off only enables or greys the value, so nothing
    on the panel moves.
    """

    changed = Signal()
    #: The person pressed "Send anyway" on the blocked note.
    send_anyway_requested = Signal()

    def __init__(self, spec: NumberSpec, *, off_note: str | None = None) -> None:
        super().__init__()
        self.spec = spec
        self._syncing = False
        self._quiet = False
        #: The person's own switch state (what is shown while not blocked).
        self._on = False
        self._blocked: str | None = None
        self.setObjectName(f"{spec.name}Row")
        self.setAccessibleName(_("{label} setting").format(label=spec.label))
        tip = _("{help} Range: {range}.").format(help=spec.help, range=spec.describe_range())
        #: What switching it off means, in the switch's tooltip and, when it is
        #: particular to this parameter, in the caption too.
        self.off_note = off_note if off_note is not None else OFF_NOTE

        self.switch = QCheckBox(spec.label)
        self.switch.setObjectName(f"{spec.name}Switch")
        self.switch.setAccessibleName(_("Send {label}").format(label=spec.label))
        self.switch.setToolTip(_("{tip} {off_note}").format(tip=tip, off_note=self.off_note))
        self.switch.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.spin: FocusWheelDoubleSpinBox | FocusWheelSpinBox
        self.slider: FocusWheelSlider | None = None
        maximum = spec.maximum if spec.maximum is not None else UNBOUNDED_SPIN_MAXIMUM
        if spec.integer:
            int_spin = FocusWheelSpinBox()
            int_spin.setRange(int(spec.minimum), int(maximum))
            int_spin.setSingleStep(int(spec.step))
            int_spin.valueChanged.connect(self._on_spin)
            self.spin = int_spin
        else:
            float_spin = FocusWheelDoubleSpinBox()
            float_spin.setDecimals(_decimals(spec.step))
            float_spin.setRange(spec.minimum, maximum)
            float_spin.setSingleStep(spec.step)
            float_spin.valueChanged.connect(self._on_spin)
            self.spin = float_spin
            slider = FocusWheelSlider()
            slider.setRange(0, self._to_slider(maximum))
            slider.setSingleStep(1)
            slider.setPageStep(max(1, slider.maximum() // 10))
            slider.setObjectName(f"{spec.name}Slider")
            slider.setAccessibleName(_("{label} slider").format(label=spec.label))
            slider.setToolTip(tip)
            slider.setMinimumWidth(SLIDER_MINIMUM_WIDTH)
            slider.valueChanged.connect(self._on_slider)
            self.slider = slider
        self.spin.setObjectName(f"{spec.name}Spin")
        self.spin.setAccessibleName(_("{label} value").format(label=spec.label))
        self.spin.setToolTip(tip)
        if self.slider is None:
            # Whole numbers keep their arrows; the value boxes line up on the right.
            self.spin.setFixedWidth(VALUE_WIDTH)
        else:
            # The slider beside it is the stepper (the arrow keys and, once
            # focused, the wheel still step the box): the room goes to the slider.
            self.spin.setButtonSymbols(FocusWheelDoubleSpinBox.ButtonSymbols.NoButtons)
            self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            widest = self.spin.fontMetrics().horizontalAdvance("-0.00")
            self.spin.setFixedWidth(widest + DECIMAL_BOX_PADDING)

        caption = (
            spec.help
            if off_note is None
            else _("{help} {off_note}").format(help=spec.help, off_note=off_note)
        )
        self.help_label = make_caption(caption, f"{spec.name}Help")
        self.help_label.setAccessibleName(_("{label} explanation").format(label=spec.label))
        self.setAccessibleDescription(caption)
        self.blocked_note = BlockedNote(spec.name, spec.label, self)
        self.blocked_note.send_anyway.connect(self.send_anyway_requested)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(self.switch)
        if self.slider is not None:
            top.addWidget(self.slider, 1)
        else:
            top.addStretch(1)
        top.addWidget(self.spin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.help_label)
        layout.addWidget(self.blocked_note)

        self.switch.toggled.connect(self._on_switch)
        self.set_state(spec.default, on=False)

    def set_name_width(self, width: int) -> None:
        """Give the switch and name ``width`` pixels, so the rows' sliders line up."""
        self.switch.setMinimumWidth(width)

    def value(self) -> float | int:
        """The value the spin box shows (an int for whole-number parameters)."""
        value = self.spin.value()
        return int(value) if self.spec.integer else round(value, _decimals(self.spec.step))

    def is_on(self) -> bool:
        """Whether the person has the parameter switched on (kept while blocked)."""
        return self._on

    def blocked_reason(self) -> str | None:
        """Why the chosen model does not get this parameter (None: it does)."""
        return self._blocked

    def set_blocked(self, reason: str | None) -> None:
        """Grey the row with ``reason`` (None: show it as the person set it)."""
        if reason == self._blocked:
            return
        self._blocked = reason
        self._quiet = True
        try:
            self.switch.setChecked(self._on and reason is None)
            self.switch.setEnabled(reason is None)
            self._show_enabled(self._on)
        finally:
            self._quiet = False
        self.blocked_note.show_reason(reason)
        self.help_label.setVisible(reason is None)

    def set_state(self, value: float, *, on: bool) -> None:
        """Show ``value`` and the switch state without emitting ``changed``."""
        self._quiet = True
        try:
            self._on = on
            self.switch.setChecked(on and self._blocked is None)
            if isinstance(self.spin, FocusWheelSpinBox):
                self.spin.setValue(int(value))
            else:
                self.spin.setValue(float(value))
            # setValue is silent when the value does not change, so sync here too.
            self._sync_slider(self.spin.value())
            self._show_enabled(on)
        finally:
            self._quiet = False

    def _to_slider(self, value: float) -> int:
        return round((value - self.spec.minimum) / self.spec.step)

    def _on_slider(self, position: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            value = self.spec.minimum + position * self.spec.step
            if isinstance(self.spin, FocusWheelDoubleSpinBox):
                self.spin.setValue(round(value, _decimals(self.spec.step)))
        finally:
            self._syncing = False
        self._emit()

    def _on_spin(self, value: float) -> None:
        if self._syncing:
            return
        self._sync_slider(value)
        self._emit()

    def _sync_slider(self, value: float) -> None:
        if self.slider is None:
            return
        self._syncing = True
        try:
            self.slider.setValue(self._to_slider(value))
        finally:
            self._syncing = False

    def _on_switch(self, on: bool) -> None:
        if self._quiet:
            return
        self._on = on
        self._show_enabled(on)
        self._emit()

    def _show_enabled(self, on: bool) -> None:
        usable = on and self._blocked is None
        self.spin.setEnabled(usable)
        if self.slider is not None:
            self.slider.setEnabled(usable)

    def _emit(self) -> None:
        if not self._quiet:
            self.changed.emit()
