"""One numeric parameter: on/off switch, slider and spin box in sync, help line.

Everything the row shows (label, range, step, help) comes from a
:class:`~foxchat.api.params.NumberSpec`. Decimal parameters get a slider and
a spin box; whole-number ones (max tokens, answers) only a spin box.

A row can be *blocked* (``set_blocked``) when the chosen model does not take
its parameter: it is shown switched off and greyed with the reason, while the
person's value and switch are kept for when they pick a model that takes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from foxchat.api.params import NumberSpec
from foxchat.ui.params.blocked_note import BlockedNote
from foxchat.ui.params.focus_wheel import (
    FocusWheelDoubleSpinBox,
    FocusWheelSlider,
    FocusWheelSpinBox,
)

#: The spin box needs a ceiling even when the API sets none (max tokens).
UNBOUNDED_SPIN_MAXIMUM = 1_000_000

OFF_NOTE = "Off: the server's default is used."


def keep_space_when_hidden(widget: QWidget) -> None:
    """Let ``widget`` keep its place in the layout while hidden.

    An "Off: ..." line that vanished when its switch was turned on made every
    control below it jump up, so the next click landed on the wrong one.
    """
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def _decimals(step: float) -> int:
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0


class NumberRow(QWidget):
    """A switchable numeric parameter. Emits ``changed`` on user edits only."""

    changed = Signal()
    #: The person pressed "Send anyway" on the blocked note.
    send_anyway_requested = Signal()

    def __init__(self, spec: NumberSpec, *, off_note: str = OFF_NOTE) -> None:
        super().__init__()
        self.spec = spec
        self._syncing = False
        self._quiet = False
        #: The person's own switch state (what is shown while not blocked).
        self._on = False
        self._blocked: str | None = None
        self.setObjectName(f"{spec.name}Row")
        self.setAccessibleName(f"{spec.label} setting")
        tip = f"{spec.help} Range: {spec.describe_range()}."

        self.switch = QCheckBox(spec.label)
        self.switch.setObjectName(f"{spec.name}Switch")
        self.switch.setAccessibleName(f"Send {spec.label}")
        self.switch.setToolTip(f"{tip} When off, the server's default is used.")
        self.switch.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        range_label = QLabel(spec.describe_range())
        range_label.setObjectName(f"{spec.name}RangeLabel")
        range_label.setAccessibleName(f"{spec.label} range")
        range_label.setToolTip(tip)
        # Drawn quieter than the label (the theme's hint colour), yet readable:
        # a disabled label's grey was below WCAG's 4.5:1.
        range_label.setProperty("hint", True)

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
            slider.setAccessibleName(f"{spec.label} slider")
            slider.setToolTip(tip)
            slider.valueChanged.connect(self._on_slider)
            self.slider = slider
        self.spin.setObjectName(f"{spec.name}Spin")
        self.spin.setAccessibleName(f"{spec.label} value")
        self.spin.setToolTip(tip)

        self.help_label = QLabel(spec.help)
        self.help_label.setObjectName(f"{spec.name}Help")
        self.help_label.setAccessibleName(f"{spec.label} explanation")
        self.help_label.setWordWrap(True)
        self.off_label = QLabel(off_note)
        self.off_label.setObjectName(f"{spec.name}OffNote")
        self.off_label.setAccessibleName(f"{spec.label} is off")
        self.off_label.setWordWrap(True)
        italic = self.off_label.font()
        italic.setItalic(True)
        self.off_label.setFont(italic)
        keep_space_when_hidden(self.off_label)
        self.blocked_note = BlockedNote(spec.name, spec.label, self)
        self.blocked_note.send_anyway.connect(self.send_anyway_requested)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.switch, 1)
        top.addWidget(range_label)
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        if self.slider is not None:
            controls.addWidget(self.slider, 1)
        else:
            controls.addStretch(1)
        controls.addWidget(self.spin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(controls)
        layout.addWidget(self.help_label)
        layout.addWidget(self.blocked_note)
        layout.addWidget(self.off_label)

        self.switch.toggled.connect(self._on_switch)
        self.set_state(spec.default, on=False)

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
        self.off_label.setVisible(not on and self._blocked is None)

    def _emit(self) -> None:
        if not self._quiet:
            self.changed.emit()
