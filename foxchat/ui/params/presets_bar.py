"""The _("Preset") row of the sidebar: pick a preset to apply it, or manage them in "⋯".

Choosing a preset in the combo applies it at once (one click); the bar only
asks for that through ``apply_requested(Preset)`` and the panel does the rest.
The combo shows the preset the chat currently matches, or _("Custom settings")
when the user has changed something since.

The "⋯" menu saves the current settings as a preset, deletes the shown one,
and exports or imports presets as JSON files. Problems and results appear in
plain words on a line under the row, never as a crash.

The bar touches no file itself: the :class:`PresetStore` it is given reads
and writes them, and the file pickers come in as :data:`AskPath` functions.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.api.params import GenerationParams
from foxchat.i18n import _, ngettext
from foxchat.presets import BUILTIN_PRESETS, Preset, PresetError, PresetStore
from foxchat.ui import file_picker
from foxchat.ui.file_picker import AskPath
from foxchat.ui.params.focus_wheel import FocusWheelComboBox

EXPORT_FILE_NAME = "foxchat-presets.json"
FILE_FILTER = _("FoxChat presets (*.json);;All files (*)")


class PresetsBar(QWidget):
    """A combo of presets and a "⋯" menu; emits ``apply_requested`` with the chosen Preset.

    ``store`` is the only way to the presets on disk; ``ask_save_path`` and
    ``ask_open_path`` pick the export and import files (the system pickers
    unless given).
    """

    apply_requested = Signal(Preset)

    def __init__(
        self,
        store: PresetStore,
        parent: QWidget | None = None,
        *,
        ask_save_path: AskPath = file_picker.ask_save_path,
        ask_open_path: AskPath = file_picker.ask_open_path,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("presetsBar")
        self.setAccessibleName(_("Presets"))
        self._store = store
        self._ask_save_path = ask_save_path
        self._ask_open_path = ask_open_path
        self._params = GenerationParams()
        self._system_prompt = ""

        self.combo = FocusWheelComboBox()
        self.combo.setObjectName("presetCombo")
        self.combo.setAccessibleName(_("Preset"))
        self.combo.setPlaceholderText(_("Custom settings"))
        self.combo.setToolTip(
            _(
                "Choose a preset to apply its settings to this chat at once.\n"
                "Shows “Custom settings” when the chat matches no preset."
            )
        )
        self.menu_button = QToolButton()
        self.menu_button.setObjectName("presetMenuButton")
        self.menu_button.setAccessibleName(_("More preset actions"))
        self.menu_button.setToolTip(_("Save, delete, export or import presets"))
        self.menu_button.setText("⋯")
        self.menu_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.menu = QMenu(self.menu_button)
        self.menu.setObjectName("presetMenu")
        self.save_action = QAction(_("Save current as preset…"), self)
        self.delete_action = QAction(_("Delete preset"), self)
        self.export_action = QAction(_("Export presets…"), self)
        self.import_action = QAction(_("Import presets…"), self)
        for action in (self.save_action, self.delete_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        for action in (self.export_action, self.import_action):
            self.menu.addAction(action)
        self.menu_button.setMenu(self.menu)
        self.message = QLabel()
        self.message.setObjectName("presetMessage")
        self.message.setAccessibleName(_("Preset message"))
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        self._is_error = False

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.menu_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message)

        self.combo.activated.connect(self._on_chosen)
        self.menu.aboutToShow.connect(self._update_actions)
        self.save_action.triggered.connect(self.save_current)
        self.delete_action.triggered.connect(self.delete_shown)
        self.export_action.triggered.connect(self.export_presets)
        self.import_action.triggered.connect(self.import_presets)
        self.reload()
        self._update_actions()

    # -- attributes down -----------------------------------------------------------

    def show_current(self, params: GenerationParams, system_prompt: str) -> None:
        """Remember the chat's settings (for saving) and show the preset they match."""
        self._params = params
        self._system_prompt = system_prompt
        shown = self.shown_preset()
        # Keep a matching preset the user picked, even if a built-in matches too.
        if shown is not None and shown.matches(params, system_prompt):
            return
        match = next((p for p in self._store.all() if p.matches(params, system_prompt)), None)
        self._select(match.name if match else None)

    def shown_preset(self) -> Preset | None:
        """The preset the combo shows, or None for _("Custom settings")."""
        name = self.combo.currentData()
        return self._store.find(name) if isinstance(name, str) else None

    # -- menu actions -----------------------------------------------------------

    def save_current(self) -> None:
        """Ask for a name and save the chat's current settings as a preset."""
        shown = self.shown_preset()
        from foxchat.ui.params.save_preset_dialog import SavePresetDialog

        details = SavePresetDialog.get_details(
            self,
            suggested_name=shown.name if shown and not shown.builtin else "",
            has_prompt=bool(self._system_prompt.strip()),
        )
        if details is None:
            return
        name, include_prompt = details
        existing = self._store.find(name)
        if existing is not None and not existing.builtin:
            answer = QMessageBox.question(
                self,
                _("Replace preset"),
                _("A preset called “{name}” already exists. Replace it?").format(
                    name=existing.name
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        prompt = self._system_prompt if include_prompt else None
        try:
            self._store.save(Preset(name, self._params, prompt))
        except PresetError as error:
            self._say(error.user_message, error=True)
            return
        self.reload()
        self._select(name)
        self._say(_("Saved “{name}”. Choose it here to apply it to any chat.").format(name=name))

    def delete_shown(self) -> None:
        """Delete the preset shown in the combo, after asking."""
        preset = self.shown_preset()
        if preset is None or preset.builtin:
            self._say(_("Choose one of your own presets first; built-in ones stay."), error=True)
            return
        answer = QMessageBox.question(
            self,
            _("Delete preset"),
            _("Delete the preset “{name}”? Chats that used it keep their settings.").format(
                name=preset.name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._store.delete(preset.name)
        except PresetError as error:
            self._say(error.user_message, error=True)
            return
        self.reload()
        self.show_current(self._params, self._system_prompt)
        self._say(_("Deleted “{name}”.").format(name=preset.name))

    def export_presets(self) -> None:
        """Write the user's own presets to a JSON file the user picks."""
        names = [p.name for p in self._store.all() if not p.builtin]
        if not names:
            self._say(
                _(
                    "There is nothing to export yet: save a preset first "
                    "(Precise, Balanced and Creative come with every FoxChat)."
                ),
                error=True,
            )
            return
        start = Path.home() / EXPORT_FILE_NAME
        path = self._ask_save_path(self, _("Export presets"), start, FILE_FILTER)
        if path is None:
            return
        try:
            self._store.export_file(path, names)
        except OSError as error:
            self._say(
                _(
                    "FoxChat could not write {file} ({reason}). "
                    "Choose another folder and try again."
                ).format(file=path.name, reason=error.strerror or error),
                error=True,
            )
            return
        self._say(
            ngettext(
                "Exported {count} preset to {file}.",
                "Exported {count} presets to {file}.",
                len(names),
            ).format(count=len(names), file=path.name)
        )

    def import_presets(self) -> None:
        """Add the presets from a JSON file the user picks; all or nothing."""
        path = self._ask_open_path(self, _("Import presets"), Path.home(), FILE_FILTER)
        if path is None:
            return
        try:
            added = self._store.import_file(path)
        except UnicodeDecodeError:
            self._say(
                _(
                    "This file is not a FoxChat presets file. "
                    "Choose a file made with “Export presets…”."
                ),
                error=True,
            )
            return
        except OSError as error:
            self._say(
                _("FoxChat could not read {file} ({reason}).").format(
                    file=path.name, reason=error.strerror or error
                ),
                error=True,
            )
            return
        except PresetError as error:
            self._say(error.user_message, error=True)
            return
        self.reload()
        self.show_current(self._params, self._system_prompt)
        if added:
            self._say(
                ngettext(
                    "Imported {count} preset. Choose it here to apply it.",
                    "Imported {count} presets. Choose one here to apply it.",
                    added,
                ).format(count=added)
            )
        else:
            self._say(_("Every preset in that file is already in your list."))

    # -- inside -------------------------------------------------------------------

    def _on_chosen(self, index: int) -> None:
        name = self.combo.itemData(index)
        preset = self._store.find(name) if isinstance(name, str) else None
        if preset is not None:
            self._say("")
            self.apply_requested.emit(preset)

    def reload(self) -> None:
        """Show the store's presets again, keeping the shown one selected."""
        shown = self.combo.currentData()
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            for preset in self._store.all():
                if not preset.builtin and self.combo.count() == len(BUILTIN_PRESETS):
                    # The line sets the user's own presets apart from the built-ins.
                    self.combo.insertSeparator(self.combo.count())
                self.combo.addItem(preset.name, preset.name)
            self.combo.setCurrentIndex(self.combo.findData(shown) if shown else -1)
        finally:
            self.combo.blockSignals(False)

    def _select(self, name: str | None) -> None:
        if name and self.combo.findData(name) < 0:
            self.reload()  # the store gained a preset without going through this bar
        self.combo.setCurrentIndex(self.combo.findData(name) if name else -1)
        self._update_actions()

    def _update_actions(self) -> None:
        preset = self.shown_preset()
        mine = preset is not None and not preset.builtin
        self.delete_action.setEnabled(mine)
        self.delete_action.setText(
            _("Delete “{name}”…").format(name=preset.name)
            if mine and preset
            else _("Delete preset")
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        self._is_error = error
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self._colour_message()

    def _colour_message(self) -> None:
        palette = self.message.palette()
        colour = self.palette().color(QPalette.ColorRole.WindowText)
        if self._is_error:
            # Loaded here, not at start: the JSON editors come with the Advanced section.
            from foxchat.ui.params.json_editor import error_color

            colour = error_color(self.palette())
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.message.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_message()
        super().changeEvent(event)
