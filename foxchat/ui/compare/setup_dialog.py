"""Setting up a comparison: start from the chat's settings, change one thing per column.

Each column (2 to 4) names a model and, optionally, one setting with its
value; everything else is the chat's. Two one-click sweeps fill the columns:
temperature 0.2 / 0.7 / 1.2, and two models (the chat's and another). The
dialog only describes columns; the window starts them.

The next Compare starts from the columns the person set last time (the
window keeps them as ``remembered_text()``, and settings keep them across
restarts); **Reset** goes back to what a first Compare shows: the chat's
settings with the temperature sweep.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.api.params import ALL_NUMBER_SPECS, GenerationParams
from foxchat.i18n import _, ngettext
from foxchat.services.reply_details import as_details, what_differs

MIN_COLUMNS = 2
MAX_COLUMNS = 4


def changes() -> dict[str, str]:
    """The settings a column can change, by API name, with the label shown."""
    return {
        "": _("Nothing else"),
        "temperature": _("Temperature"),
        "top_p": _("Top P"),
        "frequency_penalty": _("Frequency penalty"),
        "presence_penalty": _("Presence penalty"),
        "seed": _("Seed"),
    }


SWEEP_TEMPERATURES = (0.2, 0.7, 1.2)


@dataclass(frozen=True, slots=True)
class Column:
    """One answer to ask for: a model and the parameters to send it with."""

    model: str
    params: GenerationParams
    label: str


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """What the person set in one row: a model, the setting changed ("" for none), its value."""

    model: str
    change: str = ""
    value: float = 0.0


def choices_to_text(choices: Sequence[ColumnChoice]) -> str:
    """``choices`` as a short JSON text (what settings keep)."""
    return json.dumps([[c.model, c.change, c.value] for c in choices], ensure_ascii=False)


def choices_from_text(text: str) -> list[ColumnChoice]:
    """The rows kept by ``choices_to_text``; none when the text is empty or not usable.

    Kept text may come from another version of FoxChat or a hand-edited file:
    anything that is not 2 to 4 rows of a model, a known setting and a number
    in that setting's range gives no rows, and the dialog starts afresh.
    """
    try:
        rows = json.loads(text) if text else []
    except ValueError:
        return []
    if not isinstance(rows, list) or not MIN_COLUMNS <= len(rows) <= MAX_COLUMNS:
        return []
    choices: list[ColumnChoice] = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == 3):
            return []
        model, change, value = row
        if not isinstance(model, str) or not model.strip() or change not in changes():
            return []
        if isinstance(value, bool) or not isinstance(value, int | float):
            return []
        if change:
            spec = ALL_NUMBER_SPECS[change]
            if value < spec.minimum or (spec.maximum is not None and value > spec.maximum):
                return []
        choices.append(ColumnChoice(model.strip(), change, float(value)))
    return choices


def apply_change(params: GenerationParams, name: str, value: float) -> GenerationParams:
    """``params`` with ``name`` switched on at ``value`` (no name: unchanged)."""
    if not name:
        return params
    spec = ALL_NUMBER_SPECS[name]
    typed = int(value) if spec.integer else round(float(value), 2)
    return params.with_values(**{name: typed}).with_enabled(name, True)


class ColumnEditor(QWidget):
    """One row: model, what to change, and to what."""

    def __init__(self, number: int, models: Sequence[str], model: str) -> None:
        super().__init__()
        self.setObjectName(f"compareColumn{number}")
        self.setAccessibleName(_("Column {number}").format(number=number))
        self.model = QComboBox()
        self.model.setObjectName(f"compareModel{number}")
        self.model.setAccessibleName(_("Model for column {number}").format(number=number))
        self.model.setEditable(True)
        self.model.addItems(list(dict.fromkeys([model, *models])))
        self.model.setCurrentText(model)
        self.change = QComboBox()
        self.change.setObjectName(f"compareChange{number}")
        self.change.setAccessibleName(
            _("Setting to change in column {number}").format(number=number)
        )
        for name, label in changes().items():
            self.change.addItem(label, name)
        self.value = QDoubleSpinBox()
        self.value.setObjectName(f"compareValue{number}")
        self.value.setAccessibleName(_("Value for column {number}").format(number=number))
        self.value.setEnabled(False)
        self.change.currentIndexChanged.connect(self._on_change)

    def set_column(self, model: str, change: str = "", value: float = 0.0) -> None:
        """Fill the row (a sweep does this)."""
        self.model.setCurrentText(model)
        self.change.setCurrentIndex(max(0, self.change.findData(change)))
        self.value.setValue(value)

    def choice(self) -> ColumnChoice:
        """What the row is set to, as the person left it."""
        name = str(self.change.currentData() or "")
        return ColumnChoice(
            self.model.currentText().strip(), name, self.value.value() if name else 0.0
        )

    def _on_change(self) -> None:
        name = str(self.change.currentData() or "")
        self.value.setEnabled(bool(name))
        if not name:
            return
        spec = ALL_NUMBER_SPECS[name]
        self.value.setDecimals(0 if spec.integer else 2)
        self.value.setRange(spec.minimum, spec.maximum if spec.maximum is not None else 1e9)
        self.value.setSingleStep(spec.step)

    def column(self, base: GenerationParams, base_model: str) -> Column:
        model = self.model.currentText().strip() or base_model
        name = str(self.change.currentData() or "")
        params = apply_change(base, name, self.value.value())
        label = what_differs(as_details(base_model, base), as_details(model, params))
        return Column(model, params, label)


class CompareSetupDialog(QDialog):
    """Columns to compare; ``columns()`` once accepted."""

    def __init__(
        self,
        model: str,
        params: GenerationParams,
        models: Sequence[str],
        parent: QWidget | None = None,
        *,
        remembered: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compareSetupDialog")
        self.setWindowTitle(_("Compare answers"))
        self.setAccessibleName(_("Compare answers"))
        self._model, self._params, self._models = model, params, list(models)
        intro = QLabel(
            _(
                "Your message is answered once per column, at the same time. Each column uses "
                "this chat's settings with the one change you choose."
            )
        )
        intro.setObjectName("compareIntro")
        intro.setWordWrap(True)
        self.rows = [ColumnEditor(n + 1, self._models, model) for n in range(MAX_COLUMNS)]
        self._row_labels: list[QLabel] = []
        self.count = QComboBox()
        self.count.setObjectName("compareCount")
        self.count.setAccessibleName(_("Number of columns"))
        for n in range(MIN_COLUMNS, MAX_COLUMNS + 1):
            self.count.addItem(ngettext("{count} column", "{count} columns", n).format(count=n), n)
        grid = QGridLayout()
        for column, title in enumerate((_("Model"), _("Change"), _("To"))):
            header = QLabel(title)
            header.setObjectName(f"compareHeader{column}")
            grid.addWidget(header, 0, column + 1)
        for n, row in enumerate(self.rows, start=1):
            label = QLabel(f"{n}.")
            label.setObjectName(f"compareRowLabel{n}")
            label.setAccessibleName(_("Column {number}").format(number=n))
            self._row_labels.append(label)
            grid.addWidget(label, n, 0)
            grid.addWidget(row.model, n, 1)
            grid.addWidget(row.change, n, 2)
            grid.addWidget(row.value, n, 3)
        self.sweep_temperature = QPushButton(_("Temperature 0.2 / 0.7 / 1.2"))
        self.sweep_temperature.setObjectName("sweepTemperatureButton")
        self.sweep_temperature.setAccessibleName(_("Compare three temperatures"))
        self.sweep_models = QPushButton(_("Two models"))
        self.sweep_models.setObjectName("sweepModelsButton")
        self.sweep_models.setAccessibleName(_("Compare this model with another"))
        sweeps = QHBoxLayout()
        sweeps.addWidget(QLabel(_("Quick set-ups:")))
        sweeps.addWidget(self.sweep_temperature)
        sweeps.addWidget(self.sweep_models)
        self.reset_button = QPushButton(_("Reset"))
        self.reset_button.setObjectName("compareResetButton")
        self.reset_button.setAccessibleName(_("Reset the columns to this chat's settings"))
        self.reset_button.setToolTip(
            _(
                "Start again from this chat's current settings, as the first Compare does, "
                "instead of the columns you set last time."
            )
        )
        sweeps.addWidget(self.reset_button)
        sweeps.addStretch(1)
        sweeps.addWidget(self.count)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Compare"))
        ok.setObjectName("startCompareButton")
        ok.setAccessibleName(_("Start comparing"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(sweeps)
        layout.addLayout(grid)
        layout.addWidget(self.buttons, 0, Qt.AlignmentFlag.AlignRight)
        self.count.currentIndexChanged.connect(self._show_rows)
        self.sweep_temperature.clicked.connect(self.use_temperature_sweep)
        self.sweep_models.clicked.connect(self.use_model_sweep)
        self.reset_button.clicked.connect(self.reset)
        if not self.use_choices(choices_from_text(remembered)):
            self.reset()

    def set_count(self, count: int) -> None:
        """Use ``count`` columns (2 to 4)."""
        self.count.setCurrentIndex(self.count.findData(count))
        self._show_rows()

    def _show_rows(self) -> None:
        count = int(self.count.currentData())
        for n, (row, label) in enumerate(zip(self.rows, self._row_labels, strict=True)):
            for widget in (label, row.model, row.change, row.value):
                widget.setVisible(n < count)

    def reset(self) -> None:
        """Back to what a first Compare shows: this chat's settings, three temperatures."""
        self.use_temperature_sweep()

    def use_choices(self, choices: Sequence[ColumnChoice]) -> bool:
        """Set the rows as ``choices`` (2 to 4 of them); False, and nothing changed, otherwise."""
        if not MIN_COLUMNS <= len(choices) <= MAX_COLUMNS:
            return False
        for row, choice in zip(self.rows, choices, strict=False):
            row.set_column(choice.model, choice.change, choice.value)
        self.set_count(len(choices))
        return True

    def remembered_text(self) -> str:
        """The rows in use as text, for the next Compare to start from."""
        count = int(self.count.currentData())
        return choices_to_text([row.choice() for row in self.rows[:count]])

    def use_temperature_sweep(self) -> None:
        """Three columns on this model at temperature 0.2, 0.7 and 1.2."""
        for row, value in zip(self.rows, SWEEP_TEMPERATURES, strict=False):
            row.set_column(self._model, "temperature", value)
        self.set_count(len(SWEEP_TEMPERATURES))

    def use_model_sweep(self) -> None:
        """Two columns: this model and the first other one the server lists."""
        other = next((m for m in self._models if m != self._model), self._model)
        self.rows[0].set_column(self._model)
        self.rows[1].set_column(other)
        self.set_count(2)

    def columns(self) -> list[Column]:
        """The columns as set up."""
        count = int(self.count.currentData())
        return [row.column(self._params, self._model) for row in self.rows[:count]]
