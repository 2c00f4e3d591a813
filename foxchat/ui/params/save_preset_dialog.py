"""The small dialog behind "Save current as preset…": a name and whether to keep the prompt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from foxchat.i18n import _
from foxchat.presets import MAX_NAME_LENGTH, check_name


class SavePresetDialog(QDialog):
    """Asks for a preset name; Save stays greyed out until the name is usable."""

    def __init__(
        self, parent: QWidget | None = None, *, suggested_name: str = "", has_prompt: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("savePresetDialog")
        self.setWindowTitle(_("Save as preset"))
        self.setAccessibleName(_("Save the current settings as a preset"))
        label = QLabel(_("Name of the new preset:"))
        self.name_edit = QLineEdit(suggested_name)
        self.name_edit.setObjectName("presetNameEdit")
        self.name_edit.setAccessibleName(_("Preset name"))
        self.name_edit.setPlaceholderText(_("For example: Short answers"))
        self.name_edit.setMaxLength(MAX_NAME_LENGTH)
        label.setBuddy(self.name_edit)
        self.include_prompt = QCheckBox(_("Include the system prompt"))
        self.include_prompt.setObjectName("presetIncludePrompt")
        self.include_prompt.setAccessibleName(_("Include the system prompt in the preset"))
        self.include_prompt.setToolTip(
            _(
                "On: applying the preset also replaces the chat's system prompt.\n"
                "Off: the preset only changes the parameters."
            )
        )
        # Saving an empty prompt would wipe prompts later; only offer a real one.
        self.include_prompt.setEnabled(has_prompt)
        self.include_prompt.setChecked(has_prompt)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("savePresetButtons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.include_prompt)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._check)
        self.name_edit.selectAll()
        self._check()

    def name(self) -> str:
        """The name typed, trimmed."""
        return self.name_edit.text().strip()

    def _check(self) -> None:
        problem = check_name(self.name_edit.text())
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(problem is None)
        save.setToolTip(problem or "")

    @staticmethod
    def get_details(
        parent: QWidget | None, *, suggested_name: str, has_prompt: bool
    ) -> tuple[str, bool] | None:
        """Ask modally; the name and "include the prompt", or None when cancelled."""
        dialog = SavePresetDialog(parent, suggested_name=suggested_name, has_prompt=has_prompt)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.name(), dialog.include_prompt.isChecked()
        finally:
            dialog.deleteLater()
