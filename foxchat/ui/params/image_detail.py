"""The sidebar's image detail choice: how closely the model looks at attached images.

OpenAI's ``detail`` (auto, low, high) with a line in plain words under it,
since the names alone do not say what they cost. The choice is a setting, not
part of one chat's parameters: it only matters when a message has images, and
a person picks it once for the way they work. The row reports changes with
``detail_changed``; ``set_detail`` shows a value without reporting it.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from foxchat.api.params import DETAILS
from foxchat.i18n import _
from foxchat.ui.params.caption import make_caption

LABELS: Final = {"auto": _("Automatic"), "low": _("Low"), "high": _("High")}
EXPLANATIONS: Final = {
    "auto": _("The model decides how closely to look at each image."),
    "low": _(
        "Images are looked at in low resolution: quick and cheap, enough for the "
        "overall picture, not for small text."
    ),
    "high": _(
        "Images are looked at in full detail, so small text and fine parts are read; "
        "this uses more tokens."
    ),
}


class ImageDetailRow(QWidget):
    """A choice of auto, low or high, and what the choice means."""

    detail_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageDetailRow")
        self.setAccessibleName(_("Image detail"))
        self.label = QLabel(_("Image detail"), self)
        self.label.setObjectName("imageDetailLabel")
        self.label.setAccessibleName(_("Image detail"))
        self.combo = QComboBox(self)
        self.combo.setObjectName("imageDetailCombo")
        self.combo.setAccessibleName(_("How closely the model looks at images"))
        self.combo.setToolTip(_("How closely the model looks at the images you attach."))
        for detail in DETAILS:
            self.combo.addItem(LABELS[detail], detail)
        self.label.setBuddy(self.combo)
        self.explanation = make_caption("", "imageDetailExplanation", self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.explanation)
        self._quiet = False
        self.set_detail("auto")
        self.combo.currentIndexChanged.connect(self._on_changed)

    def detail(self) -> str:
        """The detail chosen: auto, low or high."""
        return str(self.combo.currentData())

    def set_detail(self, detail: str) -> None:
        """Show ``detail`` without reporting it as a change."""
        self._quiet = True
        self.combo.setCurrentIndex(max(0, self.combo.findData(detail)))
        self._quiet = False
        self._explain()

    def _explain(self) -> None:
        text = EXPLANATIONS[self.detail()]
        self.explanation.setText(text)
        self.explanation.setAccessibleName(text)

    def _on_changed(self) -> None:
        self._explain()
        if not self._quiet:
            self.detail_changed.emit(self.detail())
