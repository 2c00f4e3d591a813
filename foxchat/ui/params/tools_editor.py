"""Tools: switch, a JSON editor for OpenAI function specs, an example, tool_choice.

``tool_choice`` offers the API's modes plus every function name parsed from the
editor. It is sent only alongside tools (see ``GenerationParams.request_fields``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.api.json_checks import (
    EXAMPLE_TOOLS,
    pretty_json,
    tool_names,
    tools_from_text,
)
from foxchat.api.params import TOOL_CHOICE_MODES
from foxchat.i18n import _
from foxchat.ui.params.caption import make_caption
from foxchat.ui.params.focus_wheel import FocusWheelComboBox
from foxchat.ui.params.json_editor import JsonEditor
from foxchat.ui.params.number_row import OFF_NOTE, keep_space_when_hidden

TOOLS_HELP = _("Functions the model may ask your app to run, as a JSON list.")
CHOICE_HELP = _("Whether the model must, may or must not call a tool.")
MODE_LABELS = {
    "none": _("none: never call a tool"),
    "auto": _("auto: the model decides"),
    "required": _("required: must call a tool"),
}
TOOLS_OFF_NOTE = _("Off: no tools are sent.")


class ToolsEditor(QWidget):
    """Emits ``changed`` on user edits that leave valid tools."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("toolsEditor")
        self.setAccessibleName(_("Tools setting"))
        self._tools: tuple[dict[str, Any], ...] = ()
        self._choice = "auto"
        self._quiet = False

        self.switch = QCheckBox(_("Tools"))
        self.switch.setObjectName("toolsSwitch")
        self.switch.setAccessibleName(_("Send tools"))
        self.switch.setToolTip(_("{help} When off, no tools are sent.").format(help=TOOLS_HELP))
        self.switch.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.example_button = QPushButton(_("Insert example"))
        self.example_button.setObjectName("toolsExampleButton")
        self.example_button.setAccessibleName(_("Insert example tool"))
        self.example_button.setToolTip(
            _("Replace the list with a get_weather example to start from")
        )
        self.example_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.tools_editor = JsonEditor(
            tools_from_text, object_name="tools", accessible_name=_("Tools")
        )
        self.tools_editor.text_edit.setPlaceholderText(
            '[{"type": "function", "function": {"name": ..., "parameters": {...}}}]'
        )
        self.tools_editor.text_edit.setToolTip(TOOLS_HELP)
        self.help_label = make_caption(TOOLS_HELP, "toolsHelp")
        self.help_label.setAccessibleName(_("Tools explanation"))
        self.off_label = QLabel(TOOLS_OFF_NOTE)
        self.off_label.setObjectName("toolsOffNote")
        self.off_label.setAccessibleName(_("Tools are off"))
        self.off_label.setWordWrap(True)

        self.choice_switch = QCheckBox(_("Tool choice"))
        self.choice_switch.setObjectName("toolChoiceSwitch")
        self.choice_switch.setAccessibleName(_("Send tool choice"))
        self.choice_switch.setToolTip(
            _("{help} When off, the server's default is used.").format(help=CHOICE_HELP)
        )
        self.choice_switch.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.choice_combo = FocusWheelComboBox()
        self.choice_combo.setObjectName("toolChoiceCombo")
        self.choice_combo.setAccessibleName(_("Tool choice"))
        self.choice_combo.setToolTip(CHOICE_HELP)
        self.choice_off_label = QLabel(OFF_NOTE)
        self.choice_off_label.setObjectName("toolChoiceOffNote")
        self.choice_off_label.setAccessibleName(_("Tool choice is off"))
        self.choice_off_label.setWordWrap(True)
        keep_space_when_hidden(self.off_label)
        keep_space_when_hidden(self.choice_off_label)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.switch, 1)
        top.addWidget(self.example_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 4)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.tools_editor)
        layout.addWidget(self.help_label)
        layout.addWidget(self.off_label)
        layout.addSpacing(6)
        layout.addWidget(self.choice_switch)
        layout.addWidget(self.choice_combo)
        layout.addWidget(self.choice_off_label)

        self.switch.toggled.connect(self._on_switch)
        self.choice_switch.toggled.connect(self._on_switch)
        self.example_button.clicked.connect(self.insert_example)
        self.tools_editor.on_value(self._on_tools)
        self.choice_combo.activated.connect(self._on_choice)
        self._fill_choices()
        self._show_enabled()

    def tools(self) -> tuple[dict[str, Any], ...]:
        """The last valid tool list."""
        return self._tools

    def tool_choice(self) -> str:
        """A mode from TOOL_CHOICE_MODES or a function name."""
        return self._choice

    def tools_on(self) -> bool:
        """Whether tools are switched on."""
        return self.switch.isChecked()

    def choice_on(self) -> bool:
        """Whether tool_choice is switched on."""
        return self.choice_switch.isChecked()

    def set_state(
        self,
        tools: tuple[dict[str, Any], ...],
        tool_choice: str,
        *,
        tools_on: bool,
        choice_on: bool,
    ) -> None:
        """Show stored tools and choice without emitting ``changed``."""
        self._quiet = True
        try:
            self._tools = tools
            self._choice = tool_choice
            self.switch.setChecked(tools_on)
            self.choice_switch.setChecked(choice_on)
            self.tools_editor.set_text(pretty_json(list(tools)) if tools else "")
            self._fill_choices()
            self._show_enabled()
        finally:
            self._quiet = False

    def insert_example(self) -> None:
        """Fill the editor with a get_weather example, as the user would type it."""
        self.tools_editor.replace_text(pretty_json(EXAMPLE_TOOLS))
        self.tools_editor.text_edit.setFocus()

    def _on_tools(self, value: tuple[dict[str, Any], ...]) -> None:
        self._tools = value
        if self._choice not in TOOL_CHOICE_MODES and self._choice not in tool_names(value):
            # The chosen tool was renamed or removed; a stale name would be rejected.
            self._choice = "auto"
        self._fill_choices()
        self._emit()

    def _on_choice(self, _index: int) -> None:
        self._choice = str(self.choice_combo.currentData())
        self._emit()

    def _on_switch(self, _on: bool) -> None:
        self._show_enabled()
        self._emit()

    def _fill_choices(self) -> None:
        self.choice_combo.blockSignals(True)
        self.choice_combo.clear()
        for mode in TOOL_CHOICE_MODES:
            self.choice_combo.addItem(MODE_LABELS.get(mode, mode), mode)
        names = tool_names(self._tools)
        if self._choice not in TOOL_CHOICE_MODES and self._choice not in names:
            names.append(self._choice)  # a stored choice stays visible as it is
        for name in names:
            self.choice_combo.addItem(_("{name}: must call this tool").format(name=name), name)
        self.choice_combo.setCurrentIndex(max(0, self.choice_combo.findData(self._choice)))
        self.choice_combo.blockSignals(False)

    def _show_enabled(self) -> None:
        on = self.tools_on()
        self.tools_editor.setEnabled(on)
        self.example_button.setEnabled(on)
        self.off_label.setVisible(not on)
        self.choice_switch.setEnabled(on)
        self.choice_combo.setEnabled(on and self.choice_on())
        self.choice_off_label.setVisible(on and not self.choice_on())

    def _emit(self) -> None:
        if not self._quiet:
            self.changed.emit()
