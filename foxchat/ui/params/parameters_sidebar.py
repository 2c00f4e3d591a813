"""The parameters sidebar's place in the main window, built when first shown.

A narrow window starts with the sidebar hidden, and building the
:class:`~foxchat.ui.params.parameters_panel.ParametersPanel` costs about 20 ms of the
first paint. ``ParametersSidebar`` stands in the splitter from the start (so
sizes and visibility are remembered exactly as before) and builds the panel
inside itself the first time it is shown or the panel is asked for.

Until then it holds what the panel would show: the conversation's model,
system prompt and parameters (``set_state``) and the model list
(``set_models``). Everything the window reads back (``model``,
``system_prompt``, ``params``) answers from that state, so sending, saving
defaults and switching chats behave the same whether or not the user ever
opened the sidebar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from foxchat.api.model_rules import NO_OVERRIDES, Overrides
from foxchat.api.params import GenerationParams
from foxchat.ui.focus_chain import tab_stops_within

if TYPE_CHECKING:
    from foxchat.presets import PresetStore
    from foxchat.ui.params.parameters_panel import ParametersPanel


class ParametersSidebar(QWidget):
    """Holds the sidebar's slot and state; ``panel()`` builds the panel on first use.

    ``on_built`` is called once with the new panel, after it shows the held
    state, so the owner can connect its signals; ``presets`` gives the preset
    store the panel is built with, asked for then (the presets' code loads
    with the panel, not before the first paint).

    ``sections_changed(str)`` reports which sections the person opened or
    folded (``ParametersPanel.section_states``), for the settings file; the
    text given back with ``set_section_states`` is shown when the panel is built.
    """

    sections_changed = Signal(str)

    def __init__(
        self,
        on_built: Callable[[ParametersPanel], None],
        parent: QWidget | None = None,
        *,
        presets: Callable[[], PresetStore],
        overrides_for: Callable[[str], Overrides] = lambda _model: NO_OVERRIDES,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("parametersSidebar")
        self._overrides_for = overrides_for
        self._on_built = on_built
        self._presets = presets
        self._panel: ParametersPanel | None = None
        self._model = ""
        self._system_prompt = ""
        self._params = GenerationParams()
        self._models: list[str] | None = None
        self._section_states = ""
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)

    # -- the panel ----------------------------------------------------------------

    def is_built(self) -> bool:
        """Whether the panel exists yet."""
        return self._panel is not None

    def panel(self) -> ParametersPanel:
        """The panel, built now (showing the held state) if it was not yet."""
        if self._panel is None:
            # Its code loads with it: a narrow start never runs it.
            from foxchat.ui.params.parameters_panel import ParametersPanel

            panel = ParametersPanel(
                self, presets=self._presets(), overrides_for=self._overrides_for
            )
            if self._models is not None:
                panel.set_models(self._models)
            panel.set_state(self._model, self._system_prompt, self._params)
            panel.restore_sections(self._section_states)
            panel.sections_changed.connect(self._on_sections_changed)
            self._layout.addWidget(panel)
            # A layout shows a new child only on the next event-loop pass; the
            # panel must be usable (and focusable) as soon as it is asked for.
            panel.show()
            self._move_into_tab_order(panel)
            self._panel = panel
            self._on_built(panel)
        return self._panel

    def _move_into_tab_order(self, panel: ParametersPanel) -> None:
        """Put ``panel``'s controls where the sidebar stands in the window's Tab order.

        Made late, they joined the end of the chain. ``setTabOrder`` moves one
        control (with its own children) after another, so they are moved one
        by one, after the last control that comes before this slot.
        """
        before: QWidget | None = self.previousInFocusChain()
        window = self.window()
        while before is not None and not before.focusPolicy() & Qt.FocusPolicy.TabFocus:
            before = None if before is window else before.previousInFocusChain()
        if before is None or before is window:
            return
        for stop in tab_stops_within(panel):
            QWidget.setTabOrder(before, stop)
            before = stop

    def setVisible(self, visible: bool) -> None:
        if visible:
            self.panel()  # never show an empty slot
        super().setVisible(visible)

    def showEvent(self, event: QShowEvent) -> None:
        # Shown along with the window without an explicit setVisible.
        self.panel()
        super().showEvent(event)

    # -- state, held until the panel exists ---------------------------------------

    def set_section_states(self, states: str) -> None:
        """Open and fold the panel's sections as remembered (see ``sections_changed``)."""
        self._section_states = states
        if self._panel is not None:
            self._panel.restore_sections(states)

    def _on_sections_changed(self, states: str) -> None:
        self._section_states = states
        self.sections_changed.emit(states)

    def set_state(self, model: str, system_prompt: str, params: GenerationParams) -> None:
        """Show a conversation's settings (see ``ParametersPanel.set_state``)."""
        if self._panel is not None:
            self._panel.set_state(model, system_prompt, params)
            return
        self._model, self._system_prompt, self._params = model, system_prompt, params

    def set_models(self, model_ids: list[str]) -> None:
        """Offer ``model_ids`` in the model combo (see ``ParametersPanel.set_models``)."""
        if self._panel is not None:
            self._panel.set_models(model_ids)
            return
        self._models = list(model_ids)

    def refresh_rules(self) -> None:
        """Show again what the chosen model takes (what was learnt may have changed)."""
        if self._panel is not None:
            self._panel.refresh_rules()

    def flush_pending_edits(self) -> None:
        """Send a waiting system-prompt edit now; nothing waits before the panel exists."""
        if self._panel is not None:
            self._panel.flush_pending_edits()

    def model(self) -> str:
        """The model name shown (or held)."""
        return self._panel.model() if self._panel is not None else self._model.strip()

    def system_prompt(self) -> str:
        """The system prompt shown (or held)."""
        return self._panel.system_prompt() if self._panel is not None else self._system_prompt

    def params(self) -> GenerationParams:
        """The parameters shown (or held)."""
        return self._panel.params() if self._panel is not None else self._params
