"""Response format: switch, text / JSON object / JSON schema, and a schema editor.

The schema editor accepts the API's ``json_schema`` object or a bare schema
(see :mod:`foxchat.api.json_checks`). While the schema has a problem the
last good response format stays in effect and nothing is emitted.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from foxchat.api.json_checks import (
    DEFAULT_SCHEMA_NAME,
    response_format_from_text,
    schema_text_for,
)
from foxchat.api.params import RESPONSE_FORMAT_TYPES
from foxchat.i18n import _
from foxchat.ui.params.caption import make_caption
from foxchat.ui.params.focus_wheel import FocusWheelComboBox
from foxchat.ui.params.json_editor import JsonEditor
from foxchat.ui.params.number_row import OFF_NOTE, keep_space_when_hidden

FORMAT_LABELS = {
    "text": _("Text"),
    "json_object": _("JSON object"),
    "json_schema": _("JSON schema"),
}
FORMAT_HELP = _("Ask for plain text, any JSON object, or JSON that follows your schema.")
SCHEMA_PLACEHOLDER = '{"type": "object", "properties": {"answer": {"type": "string"}}}\n\n' + _(
    'A bare schema is sent with the name "{name}"; '
    'or write {{"name": ..., "schema": {{...}}}} yourself.'
).format(name=DEFAULT_SCHEMA_NAME)


class ResponseFormatEditor(QWidget):
    """Emits ``changed`` when the user picks a format or types a valid schema."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("responseFormatEditor")
        self.setAccessibleName(_("Response format setting"))
        self._format: dict[str, Any] = {"type": "text"}
        self._quiet = False
        self.switch = QCheckBox(_("Response format"))
        self.switch.setObjectName("responseFormatSwitch")
        self.switch.setAccessibleName(_("Send response format"))
        self.switch.setToolTip(
            _("{help} When off, the server's default is used.").format(help=FORMAT_HELP)
        )
        self.switch.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.combo = FocusWheelComboBox()
        self.combo.setObjectName("responseFormatCombo")
        self.combo.setAccessibleName(_("Response format type"))
        self.combo.setToolTip(FORMAT_HELP)
        for kind in RESPONSE_FORMAT_TYPES:
            self.combo.addItem(FORMAT_LABELS.get(kind, kind), kind)
        self.schema_editor = JsonEditor(
            response_format_from_text, object_name="schema", accessible_name=_("JSON schema")
        )
        self.schema_editor.text_edit.setPlaceholderText(SCHEMA_PLACEHOLDER)
        self.schema_editor.text_edit.setToolTip(
            _(
                'A JSON schema the reply must follow. A bare schema is sent with the name "{name}".'
            ).format(name=DEFAULT_SCHEMA_NAME)
        )
        self.help_label = make_caption(FORMAT_HELP, "responseFormatHelp")
        self.help_label.setAccessibleName(_("Response format explanation"))
        self.off_label = QLabel(OFF_NOTE)
        self.off_label.setObjectName("responseFormatOffNote")
        self.off_label.setAccessibleName(_("Response format is off"))
        self.off_label.setWordWrap(True)
        keep_space_when_hidden(self.off_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 4)
        layout.setSpacing(3)
        layout.addWidget(self.switch)
        layout.addWidget(self.combo)
        layout.addWidget(self.schema_editor)
        layout.addWidget(self.help_label)
        layout.addWidget(self.off_label)
        self.switch.toggled.connect(self._on_switch)
        self.combo.currentIndexChanged.connect(self._on_kind)
        self.schema_editor.on_value(self._on_schema)
        self._show_enabled()

    def response_format(self) -> dict[str, Any]:
        """The last valid response format (never a half-typed schema)."""
        return dict(self._format)

    def is_on(self) -> bool:
        """Whether the response format is switched on (and so sent)."""
        return self.switch.isChecked()

    def set_state(self, response_format: dict[str, Any], *, on: bool) -> None:
        """Show a stored format without emitting ``changed``."""
        self._quiet = True
        try:
            self._format = dict(response_format)
            self.switch.setChecked(on)
            index = self.combo.findData(response_format.get("type", "text"))
            self.combo.setCurrentIndex(max(0, index))
            self.schema_editor.set_text(schema_text_for(response_format))
            self._show_enabled()
        finally:
            self._quiet = False

    def _on_switch(self, _on: bool) -> None:
        self._show_enabled()
        self._emit()

    def _on_kind(self, _index: int) -> None:
        kind = str(self.combo.currentData())
        self._show_enabled()
        if self._quiet:
            return
        if kind == "json_schema":
            schema_format = self.schema_editor.value()
            if isinstance(schema_format, dict):
                self._format = schema_format
                self._emit()
            # Otherwise the schema still has a problem: keep the last good format.
            return
        self._format = {"type": kind}
        self._emit()

    def _on_schema(self, value: dict[str, Any]) -> None:
        if self.combo.currentData() == "json_schema":
            self._format = value
            self._emit()

    def _show_enabled(self) -> None:
        on = self.is_on()
        self.combo.setEnabled(on)
        self.schema_editor.setEnabled(on)
        self.schema_editor.setVisible(self.combo.currentData() == "json_schema")
        self.off_label.setVisible(not on)

    def _emit(self) -> None:
        if not self._quiet:
            self.changed.emit()
