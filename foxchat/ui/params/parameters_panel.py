"""The parameter sidebar: model, system prompt and every generation parameter.

A self-contained widget. It shows one conversation's settings (``set_state``,
which emits nothing) and reports the user's edits through signals; it never
saves anything itself. Ranges, labels and help lines come from
:mod:`foxchat.api.params`, so they are written once.

Signals:

- ``model_changed(str)`` when a model is picked or a typed name is confirmed;
- ``system_prompt_changed(str)``, debounced so typing does not flood, and
  flushed at once when the prompt editor loses focus;
- ``params_changed(GenerationParams)`` with the new parameters;
- ``save_as_default_requested()`` and ``refresh_models_requested()``;
- ``send_anyway_requested(str)`` with a parameter the person wants sent to
  the chosen model although its rules leave it out.

Each parameter the chosen model refuses or ignores (its family's rules in
:mod:`foxchat.api.model_rules`, and what the server taught FoxChat, from the
``overrides_for`` callable) is shown switched off and greyed with the reason;
the person's values stay as they were, for when another model is chosen.

Applying a preset (:mod:`foxchat.ui.params.presets_bar`) is an edit like any
other: it emits ``params_changed`` with exactly the preset's parameters, and
``system_prompt_changed`` when the preset carries a prompt. The presets come
from the :class:`~foxchat.presets.PresetStore` passed in (the composition root
makes it), so the panel never opens a file itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from foxchat.api.model_rules import (
    MAX_TOKENS_NAMES,
    NO_OVERRIDES,
    Overrides,
    not_sent_reasons,
    rules_for,
)
from foxchat.api.params import (
    ALL_NUMBER_SPECS,
    NUMBER_SPECS,
    OPTIONAL_PARAMETERS,
    REASONING_EFFORTS,
    GenerationParams,
)
from foxchat.i18n import _
from foxchat.presets import Preset, PresetStore
from foxchat.ui.focus_chain import tab_stops_within
from foxchat.ui.params.effort_row import EffortRow
from foxchat.ui.params.focus_wheel import FocusWheelComboBox
from foxchat.ui.params.image_detail import ImageDetailRow
from foxchat.ui.params.number_row import NumberRow
from foxchat.ui.params.presets_bar import PresetsBar
from foxchat.ui.params.section import CollapsibleSection
from foxchat.ui.params.stop_chips import StopSequencesEditor

if TYPE_CHECKING:
    from foxchat.ui.params.response_format_editor import ResponseFormatEditor
    from foxchat.ui.params.tools_editor import ToolsEditor

SYSTEM_PROMPT_DEBOUNCE_MS = 400
#: The rows most people reach for, in the open Sampling and Reply sections.
SAMPLING_PARAMETERS = ("temperature", "top_p", "frequency_penalty", "presence_penalty")
LENGTH_PARAMETERS = ("max_tokens",)
#: Rarely used rows, in the More options section (folded until opened).
MORE_PARAMETERS = ("n", "seed")
SEED_OFF_NOTE = _("Off: a new seed each time.")
#: One switch asks for logprobs and top_logprobs together, with the number of
#: alternatives per word (the API takes 0 to 20; none is of little use to look at).
TOKEN_PROBABILITIES = dataclasses.replace(
    ALL_NUMBER_SPECS["top_logprobs"],
    label=_("Token probabilities"),
    minimum=1,
    default=5,
    help=_(
        "Asks how sure the model was of each word and which words it nearly chose; "
        "the reply can then show them. The number is how many alternatives to list."
    ),
)
TOKEN_PROBABILITIES_OFF = _("Off: no probabilities are asked for.")

#: Each section, in order, and whether it is open before the person says otherwise:
#: the rarely used ones start folded, so the panel is calm at first glance.
SECTIONS_OPEN_BY_DEFAULT: dict[str, bool] = {
    "model": True,
    "system_prompt": True,
    "presets": True,
    "sampling": True,
    "reply": True,
    "more": False,
    "images": False,
    "advanced": False,
}


def read_section_states(saved: str) -> dict[str, bool]:
    """Which sections are open, from ``section_states()``'s text (defaults for the rest).

    Unknown names and malformed parts are skipped: the text comes from a
    settings file a person may have edited, or from a later version.
    """
    states = dict(SECTIONS_OPEN_BY_DEFAULT)
    for part in saved.split(","):
        name, _sep, value = part.strip().partition("=")
        if name in states and value in ("0", "1"):
            states[name] = value == "1"
    return states


def write_section_states(states: dict[str, bool]) -> str:
    """``states`` as a short text for the settings file: "model=1,more=0,…"."""
    return ",".join(f"{name}={int(open_)}" for name, open_ in states.items())


#: Every parameter switched on: what each would be sent as, to ask the rules about it.
_ALL_ON = frozenset(OPTIONAL_PARAMETERS)


class ParametersPanel(QWidget):
    """The right-hand sidebar. Attributes down (``set_state``), signals up."""

    model_changed = Signal(str)
    system_prompt_changed = Signal(str)
    params_changed = Signal(GenerationParams)
    save_as_default_requested = Signal()
    refresh_models_requested = Signal()
    send_anyway_requested = Signal(str)
    #: The person opened or folded a section: every section's state, to remember.
    sections_changed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        presets: PresetStore,
        overrides_for: Callable[[str], Overrides] = lambda _model: NO_OVERRIDES,
    ) -> None:
        super().__init__(parent)
        self._overrides_for = overrides_for
        self.setObjectName("parametersPanel")
        self.setAccessibleName(_("Chat settings"))
        self._params = GenerationParams()
        self._model = ""
        self._system_prompt = ""
        self._loading = False
        self._restoring_sections = False
        self.sections: dict[str, CollapsibleSection] = {}
        self._prompt_timer = QTimer(self)
        self._prompt_timer.setSingleShot(True)
        self._prompt_timer.setInterval(SYSTEM_PROMPT_DEBOUNCE_MS)

        self._build_model_section()
        self._build_prompt_section()
        self.presets_bar = PresetsBar(presets)
        self.number_rows = {name: NumberRow(NUMBER_SPECS[name]) for name in NUMBER_SPECS}
        self.number_rows["seed"] = NumberRow(ALL_NUMBER_SPECS["seed"], off_note=SEED_OFF_NOTE)
        self.number_rows["top_logprobs"] = NumberRow(
            TOKEN_PROBABILITIES, off_note=TOKEN_PROBABILITIES_OFF
        )
        self.effort_row = EffortRow()
        self.stop_editor = StopSequencesEditor()
        self.stream_switch = QCheckBox(_("Show the reply as it is written"))
        self.stream_switch.setObjectName("streamSwitch")
        self.stream_switch.setAccessibleName(_("Streaming"))
        self.stream_switch.setToolTip(
            _("On: words appear as they arrive. Off: the whole reply appears at once.")
        )
        self.stream_switch.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # The Advanced section starts folded: its JSON editors are built (and
        # their modules loaded) when it is first opened or first asked for.
        self._response_format_editor: ResponseFormatEditor | None = None
        self._tools_editor: ToolsEditor | None = None
        self.default_button = QPushButton(_("Use as default for new chats"))
        self.default_button.setObjectName("saveAsDefaultButton")
        self.default_button.setAccessibleName(_("Use these settings as default for new chats"))
        self.default_button.setToolTip(_("New chats will start with the settings shown here"))
        self.default_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._lay_out()
        self._connect_signals()
        self.set_state("", "", self._params)

    # -- public surface -------------------------------------------------------

    @property
    def response_format_editor(self) -> ResponseFormatEditor:
        """The response_format editor in the Advanced section (built on first use)."""
        self._build_advanced()
        assert self._response_format_editor is not None
        return self._response_format_editor

    @property
    def tools_editor(self) -> ToolsEditor:
        """The tools and tool_choice editor in the Advanced section (built on first use)."""
        self._build_advanced()
        assert self._tools_editor is not None
        return self._tools_editor

    def set_state(self, model: str, system_prompt: str, params: GenerationParams) -> None:
        """Show a conversation's settings without emitting any change signal.

        An unsent system-prompt edit is dropped: call :meth:`flush_pending_edits`
        before switching conversations to keep it.
        """
        self._prompt_timer.stop()
        self._loading = True
        try:
            self._model = model
            self.model_combo.setEditText(model)
            self._system_prompt = system_prompt
            self.prompt_edit.setPlainText(system_prompt)
            self._show_params(params)
            self._params = params
        finally:
            self._loading = False
        self.refresh_rules()
        self.presets_bar.show_current(params, system_prompt)
        self._settle_layout()

    def _settle_layout(self) -> None:
        """Lay the list out again once the controls have their new sizes.

        Showing a chat can show or hide parts of several editors at once; the
        word-wrapped lines among them get their heights for the real width
        only after the first pass, which left some rows taller than needed
        until the next edit, when they jumped up. Laying out once more now
        means the first click moves nothing.
        """
        QTimer.singleShot(0, self._lay_out_again)

    def _lay_out_again(self) -> None:
        # Each section and editor has a layout of its own, which keeps its
        # children's sizes until told they changed: tell every one.
        content = self.scroll_area.widget()
        if content is None:
            return
        for widget in (*content.findChildren(QWidget), content):
            layout = widget.layout()
            if layout is not None and widget.isVisible():
                layout.invalidate()

    def apply_preset(self, preset: Preset) -> None:
        """Show ``preset``'s settings and report them, as if the user had set each one."""
        if preset.system_prompt is None:
            self.flush_pending_edits()  # keep what the user was typing
        else:
            self._prompt_timer.stop()
        self._loading = True
        try:
            self._show_params(preset.params)
            if preset.system_prompt is not None:
                self.prompt_edit.setPlainText(preset.system_prompt)
        finally:
            self._loading = False
        if preset.params != self._params:
            self._params = preset.params
            self.refresh_rules()
            self.params_changed.emit(preset.params)
        if preset.system_prompt is not None and preset.system_prompt != self._system_prompt:
            self._system_prompt = preset.system_prompt
            self.system_prompt_changed.emit(preset.system_prompt)
        self.presets_bar.show_current(self._params, self._system_prompt)

    def _show_params(self, params: GenerationParams) -> None:
        """Put ``params`` into the controls; callers hold ``_loading`` so nothing emits."""
        for name, row in self.number_rows.items():
            # The probabilities row's switch is logprobs; its number top_logprobs.
            switch = "logprobs" if name == "top_logprobs" else name
            row.set_state(getattr(params, name), on=params.is_enabled(switch))
        self.effort_row.set_state(params.reasoning_effort, on=params.is_enabled("reasoning_effort"))
        self.stop_editor.set_state(params.stop, on=params.is_enabled("stop"))
        self.stream_switch.setChecked(params.stream)
        self._show_advanced(params)

    def _show_advanced(self, params: GenerationParams) -> None:
        """The Advanced editors' part of ``_show_params``; nothing to do before they exist."""
        if self._response_format_editor is not None:
            self._response_format_editor.set_state(
                params.response_format, on=params.is_enabled("response_format")
            )
        if self._tools_editor is not None:
            self._tools_editor.set_state(
                params.tools,
                params.tool_choice,
                tools_on=params.is_enabled("tools"),
                choice_on=params.is_enabled("tool_choice"),
            )

    def refresh_rules(self) -> None:
        """Grey what the chosen model does not take, with why (after any change)."""
        model = self.model() or self._model
        rules = rules_for(model)
        overrides = self._overrides_for(model)
        params = self._params
        every = params.with_values(enabled=_ALL_ON).request_fields()
        reasons = not_sent_reasons(params.request_fields(), every, rules, overrides)
        for name, row in self.number_rows.items():
            row.set_blocked(reasons.get(name))
        self.effort_row.set_choices(rules.reasoning_efforts or REASONING_EFFORTS)
        effort_reason = reasons.get("reasoning_effort")
        self.effort_row.set_blocked(
            effort_reason,
            # A family that takes some effort: the reason is about the value.
            usable=bool(rules.reasoning_efforts) and "reasoning_effort" not in overrides.refused,
        )

    def _send_anyway(self, name: str) -> None:
        if name == "max_tokens":
            # The limit goes out under one of two names; the refused one is meant.
            refused = self._overrides_for(self.model() or self._model).refused
            name = next((n for n in MAX_TOKENS_NAMES if n in refused), name)
        self.send_anyway_requested.emit(name)

    def set_models(self, model_ids: list[str]) -> None:
        """Offer ``model_ids`` in the model combo, keeping the name shown."""
        current = self.model_combo.currentText()
        self.model_combo.blockSignals(True)
        try:
            self.model_combo.clear()
            self.model_combo.addItems(model_ids)
            self.model_combo.setEditText(current)
        finally:
            self.model_combo.blockSignals(False)

    def params(self) -> GenerationParams:
        """The parameters shown (the last valid ones while a JSON editor has a problem)."""
        return self._params

    def model(self) -> str:
        """The model name shown."""
        return self.model_combo.currentText().strip()

    def system_prompt(self) -> str:
        """The system prompt shown."""
        return self.prompt_edit.toPlainText()

    def flush_pending_edits(self) -> None:
        """Emit a debounced system-prompt edit now, if one is waiting."""
        if self._prompt_timer.isActive():
            self._prompt_timer.stop()
            self._emit_system_prompt()

    # -- building ---------------------------------------------------------------

    def _build_model_section(self) -> None:
        self.model_combo = FocusWheelComboBox()
        self.model_combo.setObjectName("modelCombo")
        self.model_combo.setAccessibleName(_("Model"))
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(FocusWheelComboBox.InsertPolicy.NoInsert)
        self.model_combo.setToolTip(_("The model that writes the reply; pick one or type any name"))
        line_edit = QLineEdit()
        self.model_combo.setLineEdit(line_edit)
        self.model_edit = line_edit
        line_edit.setObjectName("modelNameEdit")
        line_edit.setAccessibleName(_("Model name"))
        line_edit.setPlaceholderText(_("Model name, e.g. gpt-4o"))
        # Aggregators list hundreds of models: match anywhere in the name.
        completer = QCompleter(self.model_combo.model(), self.model_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.model_combo.setCompleter(completer)
        self.refresh_button = QToolButton()
        self.refresh_button.setObjectName("refreshModelsButton")
        self.refresh_button.setAccessibleName(_("Refresh the model list"))
        self.refresh_button.setToolTip(_("Fetch the model list from the server again"))
        self.refresh_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload)
        )
        self.refresh_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _build_prompt_section(self) -> None:
        self.prompt_edit = QPlainTextEdit()
        self.prompt_edit.setObjectName("systemPromptEdit")
        self.prompt_edit.setAccessibleName(_("System prompt"))
        self.prompt_edit.setPlaceholderText(_("For example: You are a concise assistant."))
        self.prompt_edit.setToolTip(_("Instructions the model reads before every message"))
        # Tab must move on to the next control, not trap keyboard users here.
        self.prompt_edit.setTabChangesFocus(True)
        lines = 5
        self.prompt_edit.setFixedHeight(self.prompt_edit.fontMetrics().lineSpacing() * lines + 12)
        self.prompt_edit.installEventFilter(self)

    def _lay_out(self) -> None:
        # Sections are made, filled and added in reading order: that order is
        # also the focus chain, so Tab goes down the panel as it reads.
        model_section = self._section("model", _("Model"), "modelSection")
        model_row = QHBoxLayout()
        model_row.setContentsMargins(0, 0, 0, 0)
        model_row.addWidget(self.model_combo, 1)
        model_row.addWidget(self.refresh_button)
        model_section.body_layout.addLayout(model_row)

        prompt_section = self._section("system_prompt", _("System prompt"), "systemPromptSection")
        prompt_section.body_layout.addWidget(self.prompt_edit)

        presets_section = self._section("presets", _("Preset"), "presetsSection")
        presets_section.body_layout.addWidget(self.presets_bar)

        sampling = self._section("sampling", _("Sampling"), "samplingSection")
        for name in SAMPLING_PARAMETERS:
            sampling.body_layout.addWidget(self.number_rows[name])

        reply = self._section("reply", _("Reply"), "replySection")
        reply.body_layout.addWidget(self.effort_row)
        for name in LENGTH_PARAMETERS:
            reply.body_layout.addWidget(self.number_rows[name])
        reply.body_layout.addWidget(self.stream_switch)

        more = self._section("more", _("More options"), "moreSection")
        for name in MORE_PARAMETERS:
            more.body_layout.addWidget(self.number_rows[name])
        more.body_layout.addWidget(self.stop_editor)
        more.body_layout.addWidget(self.number_rows["top_logprobs"])

        images = self._section("images", _("Images"), "imagesSection")
        self.image_detail = ImageDetailRow()
        images.body_layout.addWidget(self.image_detail)

        advanced = self._section("advanced", _("Advanced"), "advancedSection")
        advanced.expanded_changed.connect(self._on_advanced_expanded)

        # The names of the rows with a slider share one width, so their sliders
        # and values line up in a column.
        sliders = [row for row in self.number_rows.values() if row.slider is not None]
        width = max(row.switch.sizeHint().width() for row in sliders)
        for row in sliders:
            row.set_name_width(width)

        content = QWidget()
        content.setObjectName("parametersContent")
        content.setAccessibleName(_("Chat settings list"))
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(8, 4, 8, 8)
        content_layout.setSpacing(0)
        for section in self.sections.values():
            content_layout.addWidget(section)
        content_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("parametersScrollArea")
        self.scroll_area.setAccessibleName(_("Chat settings"))
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        # A scroll area asks for no width of its own, so a narrow window's splitter
        # would squeeze the panel until its controls are cut off at the right edge
        # (there is no sideways scrolling): ask for what the controls need.
        self.scroll_area.setMinimumWidth(
            content.minimumSizeHint().width()
            + self.scroll_area.verticalScrollBar().sizeHint().width()
        )
        # Tab goes straight to the controls; the area scrolls to the focused one.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.scroll_area, 1)
        footer = QHBoxLayout()
        footer.setContentsMargins(6, 0, 6, 0)
        footer.addWidget(self.default_button)
        layout.addLayout(footer)

    def _section(self, key: str, title: str, object_name: str) -> CollapsibleSection:
        section = CollapsibleSection(title, object_name, expanded=SECTIONS_OPEN_BY_DEFAULT[key])
        section.expanded_changed.connect(self._on_section_toggled)
        self.sections[key] = section
        return section

    def section_states(self) -> str:
        """Which sections are open, as text to keep in the settings file."""
        return write_section_states(
            {name: section.is_expanded() for name, section in self.sections.items()}
        )

    def restore_sections(self, saved: str) -> None:
        """Open and fold the sections as ``section_states()`` gave them, emitting nothing."""
        self._restoring_sections = True
        try:
            for name, open_ in read_section_states(saved).items():
                if self.sections[name].is_expanded() != open_:
                    self.sections[name].set_expanded(open_)
        finally:
            self._restoring_sections = False

    def _on_section_toggled(self) -> None:
        self._settle_layout()
        if not self._restoring_sections:
            self.sections_changed.emit(self.section_states())

    def _connect_signals(self) -> None:
        self.model_combo.activated.connect(lambda _index: self._on_model_confirmed())
        self.model_edit.editingFinished.connect(self._on_model_confirmed)
        self.refresh_button.clicked.connect(self.refresh_models_requested)
        self.prompt_edit.textChanged.connect(self._on_prompt_typed)
        self._prompt_timer.timeout.connect(self._emit_system_prompt)
        for name, row in self.number_rows.items():
            row.changed.connect(lambda row=row: self._on_number(row))
            row.send_anyway_requested.connect(lambda name=name: self._send_anyway(name))
        self.effort_row.changed.connect(self._on_effort)
        self.effort_row.send_anyway_requested.connect(lambda: self._send_anyway("reasoning_effort"))
        self.stop_editor.changed.connect(self._on_stop)
        self.stream_switch.toggled.connect(self._on_stream)
        self.default_button.clicked.connect(self.save_as_default_requested)
        self.presets_bar.apply_requested.connect(self._on_preset_chosen)

    def _on_advanced_expanded(self, expanded: bool) -> None:
        if expanded:
            self._build_advanced()

    def _build_advanced(self) -> None:
        """Build the Advanced section's editors, showing the parameters already set."""
        if self._response_format_editor is not None:
            return
        from foxchat.ui.params.response_format_editor import ResponseFormatEditor
        from foxchat.ui.params.tools_editor import ToolsEditor

        self._response_format_editor = ResponseFormatEditor()
        self._tools_editor = ToolsEditor()
        body = self.sections["advanced"].body_layout
        for editor in (self._response_format_editor, self._tools_editor):
            body.addWidget(editor)
            # A layout shows a new child only on the next event-loop pass;
            # these must be usable as soon as the section is open.
            editor.show()
        # Widgets made now join the focus chain after the footer button; Tab
        # must reach them first, as it did when they were built with the rest.
        last = (tab_stops_within(self._tools_editor) or [self._tools_editor])[-1]
        QWidget.setTabOrder(last, self.default_button)
        self._loading = True
        try:
            self._show_advanced(self._params)
        finally:
            self._loading = False
        self._response_format_editor.changed.connect(self._on_response_format)
        self._tools_editor.changed.connect(self._on_tools)
        self._settle_layout()

    # -- user edits -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Leaving the prompt (for example to click another chat) sends it at once.
        if watched is self.prompt_edit and event.type() == QEvent.Type.FocusOut:
            self.flush_pending_edits()
        return super().eventFilter(watched, event)

    def _on_model_confirmed(self) -> None:
        name = self.model()
        if self._loading or not name or name == self._model:
            return
        self._model = name
        self.refresh_rules()
        self.model_changed.emit(name)

    def _on_prompt_typed(self) -> None:
        if not self._loading:
            self._prompt_timer.start()

    def _emit_system_prompt(self) -> None:
        text = self.system_prompt()
        if text != self._system_prompt:
            self._system_prompt = text
            self.system_prompt_changed.emit(text)
            self.presets_bar.show_current(self._params, text)

    def _on_preset_chosen(self, preset: Preset) -> None:
        self.apply_preset(preset)

    def _update(self, params: GenerationParams) -> None:
        if self._loading or params == self._params:
            return
        self._params = params
        self.refresh_rules()  # a pair rule depends on what else is on
        self.params_changed.emit(params)
        self.presets_bar.show_current(params, self._system_prompt)

    def _on_number(self, row: NumberRow) -> None:
        name = row.spec.name
        changed = self._params.with_values(**{name: row.value()})
        if name == "top_logprobs":
            changed = changed.with_enabled("logprobs", row.is_on())
        self._update(changed.with_enabled(name, row.is_on()))

    def _on_effort(self) -> None:
        row = self.effort_row
        changed = self._params.with_values(reasoning_effort=row.value())
        self._update(changed.with_enabled("reasoning_effort", row.is_on()))

    def _on_stop(self) -> None:
        changed = self._params.with_values(stop=self.stop_editor.sequences())
        self._update(changed.with_enabled("stop", self.stop_editor.is_on()))

    def _on_stream(self, on: bool) -> None:
        self._update(self._params.with_values(stream=on))

    def _on_response_format(self) -> None:
        editor = self.response_format_editor
        changed = self._params.with_values(response_format=editor.response_format())
        self._update(changed.with_enabled("response_format", editor.is_on()))

    def _on_tools(self) -> None:
        editor = self.tools_editor
        changed = self._params.with_values(tools=editor.tools(), tool_choice=editor.tool_choice())
        changed = changed.with_enabled("tools", editor.tools_on())
        self._update(changed.with_enabled("tool_choice", editor.choice_on()))
