"""Settings > Prices: dollars per million prompt and completion tokens, per model.

Only what the user types is used for the cost estimate; FoxChat never
guesses a provider's prices.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from foxchat.i18n import _
from foxchat.ui.naming import named


class PricesEditor(QWidget):
    """A table of model prices in dollars per million prompt and completion tokens."""

    HEADERS = (_("Model"), _("Prompt $ / 1M tokens"), _("Completion $ / 1M tokens"))

    def __init__(self, prices: dict[str, tuple[float, float]]) -> None:
        super().__init__()
        named(self, "pricesTab", _("Model prices"))
        self.table = QTableWidget(0, len(self.HEADERS))
        named(self.table, "pricesTable", _("Model prices per million tokens"))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        # The model name takes the room; each price column is as wide as its heading.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for model, (prompt, completion) in sorted(prices.items()):
            self.add_row(model, f"{prompt:g}", f"{completion:g}")
        self.add_button = QPushButton(_("Add model"))
        named(self.add_button, "addPriceButton", _("Add a model price"))
        self.add_button.clicked.connect(lambda: self.add_row("", "0", "0"))
        self.remove_button = QPushButton(_("Remove model"))
        named(self.remove_button, "removePriceButton", _("Remove the selected model price"))
        self.remove_button.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        hint = QLabel(_("Used to estimate what each chat costs. Leave empty if you do not care."))
        named(hint, "pricesHint", _("About model prices"))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, model: str, prompt: str, completion: str) -> None:
        """Append a row; a new empty row gets the cursor in its model cell."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((model, prompt, completion)):
            self.table.setItem(row, column, QTableWidgetItem(text))
        if not model:
            self.table.setCurrentCell(row, 0)

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows or [self.table.currentRow()]:
            if row >= 0:
                self.table.removeRow(row)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _read(self) -> tuple[dict[str, tuple[float, float]], str | None]:
        prices: dict[str, tuple[float, float]] = {}
        for row in range(self.table.rowCount()):
            model = self._cell(row, 0)
            texts = (self._cell(row, 1), self._cell(row, 2))
            if not model and not any(t not in ("", "0") for t in texts):
                continue  # an untouched new row
            if not model:
                return prices, _("Row {number} of the prices needs a model name.").format(
                    number=row + 1
                )
            try:
                prompt, completion = (float(t.replace(",", ".") or "0") for t in texts)
            except ValueError:
                return prices, _("The prices for {model} must be numbers, like {example}.").format(
                    model=model, example="2.50"
                )
            if not (0 <= prompt < float("inf") and 0 <= completion < float("inf")):
                return prices, _("The prices for {model} must be zero or more.").format(model=model)
            prices[model] = (prompt, completion)
        return prices, None

    def prices(self) -> dict[str, tuple[float, float]] | None:
        """The prices as entered, or None while a row has a problem."""
        prices, problem = self._read()
        return None if problem else prices

    def problem(self) -> str | None:
        """What is wrong with the table in plain words, or None."""
        return self._read()[1]
