"""Setting up a comparison: start from the chat's settings, change one thing per column.

Each column (2 to 4) names a model and, optionally, one setting with its
value; everything else is the chat's. Two one-click sweeps fill the columns:
temperature 0.2 / 0.7 / 1.2, and two models (the chat's and another). The
dialog only describes columns; the window starts them.
"""

from __future__ import annotations

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
        self.use_temperature_sweep()

    def set_count(self, count: int) -> None:
        """Use ``count`` columns (2 to 4)."""
        self.count.setCurrentIndex(self.count.findData(count))
        self._show_rows()

    def _show_rows(self) -> None:
        count = int(self.count.currentData())
        for n, (row, label) in enumerate(zip(self.rows, self._row_labels, strict=True)):
            for widget in (label, row.model, row.change, row.value):
                widget.setVisible(n < count)

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
