"""Stop sequences: up to MAX_STOP_SEQUENCES removable chips and a field to add one.

Stop sequences are often a line break, which is invisible; the chips show it
as ``\\n`` and the field accepts ``\\n`` and ``\\t`` typed as text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.api.params import MAX_STOP_SEQUENCES
from foxchat.i18n import _
from foxchat.ui.params.caption import make_caption
from foxchat.ui.params.flow_layout import FlowLayout
from foxchat.ui.params.number_row import keep_space_when_hidden

STOP_OFF_NOTE = _("Off: no stop sequences are sent.")
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}
_CHIP_TEXT_LIMIT = 24


def decode_typed(text: str) -> str:
    """Turn the ``\\n``, ``\\t`` and ``\\\\`` a user typed into the characters."""
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append(_ESCAPES.get(following, "\\" + following))
        else:
            out.append(char)
    return "".join(out)


def visible_text(sequence: str) -> str:
    """A stop sequence with its invisible characters spelled out."""
    return sequence.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


class StopChip(QFrame):
    """One stop sequence with a remove button."""

    remove_requested = Signal(str)

    def __init__(self, sequence: str) -> None:
        super().__init__()
        self.sequence = sequence
        shown = visible_text(sequence)
        if len(shown) > _CHIP_TEXT_LIMIT:
            shown = shown[: _CHIP_TEXT_LIMIT - 1] + "…"
        self.setObjectName("stopChip")
        self.setAccessibleName(_("Stop sequence {text}").format(text=visible_text(sequence)))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(
            _("The reply stops before the text {text}.").format(text=repr(visible_text(sequence)))
        )
        label = QLabel(shown)
        label.setObjectName("stopChipLabel")
        label.setAccessibleName(_("Stop sequence {text}").format(text=visible_text(sequence)))
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.remove_button = QToolButton()
        self.remove_button.setObjectName("stopChipRemoveButton")
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.remove_button.setAccessibleName(
            _("Remove stop sequence {text}").format(text=visible_text(sequence))
        )
        self.remove_button.setToolTip(_("Remove this stop sequence"))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.sequence))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 1, 1, 1)
        layout.setSpacing(2)
        layout.addWidget(label)
        layout.addWidget(self.remove_button)


class StopSequencesEditor(QWidget):
    """Switch, chips and an add field. Emits ``changed`` on user edits only."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("stopEditor")
        self.setAccessibleName(_("Stop sequences setting"))
        self._sequences: list[str] = []
        help_text = _("Text that ends the reply when the model writes it.")
        self.switch = QCheckBox(_("Stop sequences"))
        self.switch.setObjectName("stopSwitch")
        self.switch.setAccessibleName(_("Send stop sequences"))
        self.switch.setToolTip(
            _("{help} Up to {count}.").format(help=help_text, count=MAX_STOP_SEQUENCES)
        )
        self.switch.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.chip_area = QWidget()
        self.chip_area.setObjectName("stopChips")
        self.chip_area.setAccessibleName(_("Stop sequences added"))
        self._chips = FlowLayout(self.chip_area)
        self.field = QLineEdit()
        self.field.setObjectName("stopField")
        self.field.setAccessibleName(_("New stop sequence"))
        self.field.setPlaceholderText(_("Type and press Enter (\\n = new line)"))
        self.field.setToolTip(
            _("{help} Type it and press Enter; up to {count}. Write \\n for a line break.").format(
                help=help_text, count=MAX_STOP_SEQUENCES
            )
        )
        self.field.returnPressed.connect(self._add_from_field)
        self.help_label = make_caption(help_text, "stopHelp")
        self.help_label.setAccessibleName(_("Stop sequences explanation"))
        self.note = QLabel()
        self.note.setObjectName("stopNote")
        self.note.setAccessibleName(_("Stop sequences note"))
        self.note.setWordWrap(True)
        keep_space_when_hidden(self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 4)
        layout.setSpacing(3)
        layout.addWidget(self.switch)
        layout.addWidget(self.chip_area)
        layout.addWidget(self.field)
        layout.addWidget(self.help_label)
        layout.addWidget(self.note)
        self.switch.toggled.connect(self._on_switch)
        self._refresh()

    def sequences(self) -> tuple[str, ...]:
        """The stop sequences shown, in order."""
        return tuple(self._sequences)

    def is_on(self) -> bool:
        """Whether stop sequences are switched on (and so sent)."""
        return self.switch.isChecked()

    def set_state(self, sequences: tuple[str, ...], *, on: bool) -> None:
        """Show ``sequences`` and the switch without emitting ``changed``."""
        self.switch.blockSignals(True)
        self.switch.setChecked(on)
        self.switch.blockSignals(False)
        self._sequences = list(sequences[:MAX_STOP_SEQUENCES])
        self.field.clear()
        self._refresh()

    def add_sequence(self, sequence: str) -> bool:
        """Add ``sequence`` as the user would; False (and a note) when it cannot be added."""
        if not sequence:
            return False
        if sequence in self._sequences:
            self._refresh(
                _("{text} is already in the list.").format(text=repr(visible_text(sequence)))
            )
            return False
        if len(self._sequences) >= MAX_STOP_SEQUENCES:
            self._refresh()
            return False
        self._sequences.append(sequence)
        self._refresh()
        self.changed.emit()
        return True

    def remove_sequence(self, sequence: str) -> None:
        """Remove ``sequence`` as the user would."""
        if sequence not in self._sequences:
            return
        self._sequences.remove(sequence)
        self._refresh()
        self.field.setFocus()
        self.changed.emit()

    def _add_from_field(self) -> None:
        if self.add_sequence(decode_typed(self.field.text())):
            self.field.clear()

    def _on_switch(self, on: bool) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self, problem: str = "") -> None:
        while (item := self._chips.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        previous: QWidget = self.switch
        for sequence in self._sequences:
            chip = StopChip(sequence)
            chip.remove_requested.connect(self.remove_sequence)
            chip.setEnabled(self.is_on())
            self._chips.addWidget(chip)
            chip.show()  # a layout shows new children only on the next event loop turn
            # New widgets join the end of the tab chain; keep Tab in reading order.
            QWidget.setTabOrder(previous, chip.remove_button)
            previous = chip.remove_button
        QWidget.setTabOrder(previous, self.field)
        self.chip_area.setVisible(bool(self._sequences))
        full = len(self._sequences) >= MAX_STOP_SEQUENCES
        self.field.setEnabled(self.is_on() and not full)
        if not self.is_on():
            note = STOP_OFF_NOTE
        elif full:
            note = _("You can add up to {count} stop sequences. Remove one to add another.").format(
                count=MAX_STOP_SEQUENCES
            )
        else:
            note = problem
        # A hidden note keeps the off line's text, so it keeps that line's height.
        self.note.setText(note or STOP_OFF_NOTE)
        self.note.setVisible(bool(note))
