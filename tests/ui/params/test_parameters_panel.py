"""The parameter sidebar as a user drives it: real widgets, real signals."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from foxchat.api.json_checks import EXAMPLE_TOOLS
from foxchat.api.params import NUMBER_SPECS, GenerationParams
from foxchat.presets import Preset, PresetStore
from foxchat.ui.params.parameters_panel import (
    SECTIONS_OPEN_BY_DEFAULT,
    ParametersPanel,
    read_section_states,
    write_section_states,
)
from foxchat.ui.params.save_preset_dialog import SavePresetDialog
from foxchat.ui.params.stop_chips import StopChip

SIGNALS = (
    "model_changed",
    "system_prompt_changed",
    "params_changed",
    "save_as_default_requested",
    "refresh_models_requested",
)


class Recorder:
    """Every signal the panel emits, in order."""

    def __init__(self, panel: ParametersPanel) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        for name in SIGNALS:
            getattr(panel, name).connect(lambda *args, name=name: self.calls.append((name, args)))

    def of(self, name: str) -> list[tuple[Any, ...]]:
        return [args for signal, args in self.calls if signal == name]

    def last_params(self) -> GenerationParams:
        emitted = self.of("params_changed")
        assert emitted, "params_changed was not emitted"
        params = emitted[-1][0]
        assert isinstance(params, GenerationParams)
        return params


@pytest.fixture
def presets(tmp_path: Path) -> PresetStore:
    return PresetStore(tmp_path / "presets.json")


@pytest.fixture
def panel(qtbot: QtBot, presets: PresetStore) -> Iterator[ParametersPanel]:
    widget = ParametersPanel(presets=presets)
    qtbot.addWidget(widget)
    widget.resize(280, 600)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def full_params() -> GenerationParams:
    return GenerationParams(
        temperature=0.7,
        top_p=0.9,
        max_tokens=256,
        n=3,
        stop=("\n", "END"),
        stream=False,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "facts", "schema": {"type": "object"}},
        },
        tools=tuple(EXAMPLE_TOOLS),
        tool_choice="get_weather",
        enabled=frozenset(
            {"temperature", "max_tokens", "n", "stop", "response_format", "tools", "tool_choice"}
        ),
    )


def open_advanced(panel: ParametersPanel) -> None:
    panel.sections["advanced"].set_expanded(True)


def open_all(panel: ParametersPanel) -> None:
    """Unfold every section (the rarely used ones start folded)."""
    for section in panel.sections.values():
        section.set_expanded(True)


def click(button: QAbstractButton) -> None:
    """Click where a user would: on a check box's box, a button's middle."""
    where = button.rect().center()
    if isinstance(button, QCheckBox):
        where = QPoint(8, button.height() // 2)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def type_json(editor: QPlainTextEdit, text: str) -> None:
    editor.setFocus()
    editor.selectAll()
    QTest.keyClicks(editor, text)


def test_set_state_shows_values_and_emits_nothing(qtbot: QtBot, panel: ParametersPanel) -> None:
    recorder = Recorder(panel)
    params = full_params()
    panel.set_state("gpt-4o", "Be brief.", params)
    qtbot.wait(600)  # longer than the system prompt debounce
    assert recorder.calls == []
    assert panel.model() == "gpt-4o"
    assert panel.system_prompt() == "Be brief."
    assert panel.params() == params
    temperature = panel.number_rows["temperature"]
    assert temperature.switch.isChecked()
    assert temperature.spin.value() == 0.7
    assert temperature.slider is not None and temperature.slider.value() == 14
    top_p = panel.number_rows["top_p"]
    assert not top_p.switch.isChecked()
    assert not top_p.spin.isEnabled()
    assert "server's default" in top_p.switch.toolTip()
    assert panel.number_rows["n"].spin.value() == 3
    assert panel.stop_editor.sequences() == ("\n", "END")
    assert not panel.stream_switch.isChecked()
    assert panel.response_format_editor.combo.currentData() == "json_schema"
    assert json.loads(panel.response_format_editor.schema_editor.text())["name"] == "facts"
    assert panel.tools_editor.choice_combo.currentData() == "get_weather"


def test_slider_updates_spin_and_emits_value_and_switch(panel: ParametersPanel) -> None:
    recorder = Recorder(panel)
    row = panel.number_rows["temperature"]
    click(row.switch)
    assert row.slider is not None and row.slider.isEnabled()
    row.slider.setFocus()
    QTest.keyClick(row.slider, Qt.Key.Key_Left)
    assert row.spin.value() == pytest.approx(0.95)
    params = recorder.last_params()
    assert params.temperature == pytest.approx(0.95)
    assert params.is_enabled("temperature")
    assert params.request_fields()["temperature"] == pytest.approx(0.95)
    row.slider.setValue(14)
    assert row.spin.value() == 0.7
    assert recorder.last_params().temperature == 0.7


def test_switching_a_parameter_off_removes_it_from_the_request(panel: ParametersPanel) -> None:
    panel.set_state("m", "", full_params())
    recorder = Recorder(panel)
    assert "temperature" in panel.params().request_fields()
    click(panel.number_rows["temperature"].switch)
    assert "temperature" not in panel.params().request_fields()
    assert "temperature" not in recorder.last_params().request_fields()
    assert not panel.number_rows["temperature"].spin.isEnabled()
    click(panel.number_rows["max_tokens"].switch)
    assert "max_tokens" not in panel.params().request_fields()
    assert panel.params().request_fields()["n"] == 3


def test_stop_chips_add_remove_and_cap(panel: ParametersPanel) -> None:
    open_all(panel)
    recorder = Recorder(panel)
    editor = panel.stop_editor
    click(editor.switch)
    for text in ("END", "\\n\\n", "###", "Q:"):
        editor.field.setFocus()
        QTest.keyClicks(editor.field, text)
        QTest.keyClick(editor.field, Qt.Key.Key_Return)
    assert panel.params().stop == ("END", "\n\n", "###", "Q:")
    assert panel.params().request_fields()["stop"] == ["END", "\n\n", "###", "Q:"]
    assert not editor.field.isEnabled()
    assert editor.note.isVisibleTo(panel) and "up to 4" in editor.note.text()
    chip = next(
        c for c in editor.chip_area.findChildren(StopChip) if c.sequence == "###" and c.isVisible()
    )
    click(chip.remove_button)
    assert recorder.last_params().stop == ("END", "\n\n", "Q:")
    assert editor.field.isEnabled()


def test_invalid_schema_shows_an_error_and_does_not_emit(panel: ParametersPanel) -> None:
    open_advanced(panel)
    editor = panel.response_format_editor
    click(editor.switch)
    recorder = Recorder(panel)
    editor.combo.setCurrentIndex(editor.combo.findData("json_schema"))
    type_json(editor.schema_editor.text_edit, '{"type": "object", "properties": ')
    assert recorder.of("params_changed") == []
    error = editor.schema_editor.error_label
    assert error.isVisibleTo(panel)
    assert "not valid JSON yet" in error.text()
    assert panel.params().request_fields()["response_format"] == {"type": "text"}


def test_valid_bare_schema_is_sent_wrapped(panel: ParametersPanel) -> None:
    open_advanced(panel)
    editor = panel.response_format_editor
    click(editor.switch)
    editor.combo.setCurrentIndex(editor.combo.findData("json_schema"))
    recorder = Recorder(panel)
    schema = {"type": "object", "properties": {"city": {"type": "string"}}}
    type_json(editor.schema_editor.text_edit, json.dumps(schema))
    assert not editor.schema_editor.error_label.isVisibleTo(panel)
    fields = recorder.last_params().request_fields()
    assert fields == {
        "stream": True,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "response", "schema": schema},
        },
    }
    editor.combo.setCurrentIndex(editor.combo.findData("json_object"))
    assert recorder.last_params().request_fields()["response_format"] == {"type": "json_object"}


def test_invalid_tools_show_an_error_and_do_not_emit(panel: ParametersPanel) -> None:
    open_advanced(panel)
    tools = panel.tools_editor
    click(tools.switch)
    recorder = Recorder(panel)
    type_json(tools.tools_editor.text_edit, '[{"name": "get_weather"}]')
    assert recorder.of("params_changed") == []
    assert tools.tools_editor.error_label.isVisibleTo(panel)
    assert 'Tool 1 must look like {"type": "function"' in tools.tools_editor.error_label.text()
    assert "tools" not in panel.params().request_fields()


def test_example_tools_and_a_named_tool_choice(panel: ParametersPanel) -> None:
    open_advanced(panel)
    tools = panel.tools_editor
    click(tools.switch)
    recorder = Recorder(panel)
    click(tools.example_button)
    assert recorder.last_params().request_fields() == {
        "stream": True,
        "tools": EXAMPLE_TOOLS,
    }
    offered = [tools.choice_combo.itemData(i) for i in range(tools.choice_combo.count())]
    assert offered == ["none", "auto", "required", "get_weather"]
    click(tools.choice_switch)
    tools.choice_combo.setCurrentIndex(tools.choice_combo.findData("get_weather"))
    tools.choice_combo.activated.emit(tools.choice_combo.currentIndex())
    assert recorder.last_params().request_fields() == {
        "stream": True,
        "tools": EXAMPLE_TOOLS,
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
    }


def test_renaming_the_chosen_tool_falls_back_to_auto(panel: ParametersPanel) -> None:
    panel.set_state("m", "", full_params())
    open_advanced(panel)
    renamed = json.dumps(EXAMPLE_TOOLS).replace("get_weather", "get_forecast")
    type_json(panel.tools_editor.tools_editor.text_edit, renamed)
    assert panel.params().tool_choice == "auto"
    combo = panel.tools_editor.choice_combo
    assert [combo.itemData(i) for i in range(combo.count())][-1] == "get_forecast"


def test_model_combo_typing_refresh_and_default(panel: ParametersPanel) -> None:
    recorder = Recorder(panel)
    panel.set_state("gpt-4o", "", GenerationParams())
    panel.set_models(["deepseek-chat", "gpt-4o-mini"])
    assert panel.model() == "gpt-4o"
    panel.model_edit.setFocus()
    panel.model_edit.selectAll()
    QTest.keyClicks(panel.model_edit, "my-own-model")
    QTest.keyClick(panel.model_edit, Qt.Key.Key_Return)
    assert recorder.of("model_changed") == [("my-own-model",)]
    click(panel.refresh_button)
    click(panel.default_button)
    assert len(recorder.of("refresh_models_requested")) == 1
    assert len(recorder.of("save_as_default_requested")) == 1


def test_system_prompt_is_sent_once_after_typing(qtbot: QtBot, panel: ParametersPanel) -> None:
    recorder = Recorder(panel)
    panel.prompt_edit.setFocus()
    with qtbot.waitSignal(panel.system_prompt_changed, timeout=3000):
        QTest.keyClicks(panel.prompt_edit, "Answer in French.")
    assert recorder.of("system_prompt_changed") == [("Answer in French.",)]
    QTest.keyClicks(panel.prompt_edit, " Briefly.")
    panel.flush_pending_edits()
    assert recorder.of("system_prompt_changed")[-1] == ("Answer in French. Briefly.",)


def test_usable_at_280_by_600(panel: ParametersPanel) -> None:
    open_all(panel)
    QApplication.processEvents()
    assert panel.minimumSizeHint().width() <= 320
    content = panel.scroll_area.widget()
    assert content is not None
    # Nothing is cut off on the right: the content fits the visible width.
    assert content.width() <= panel.scroll_area.viewport().width()
    assert panel.scroll_area.verticalScrollBar().maximum() > 0


def controls(panel: ParametersPanel) -> list[QWidget]:
    kinds = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QPlainTextEdit)
    found: list[QWidget] = [w for w in panel.findChildren(QWidget) if isinstance(w, kinds)]
    found = [w for w in found if not isinstance(w, QScrollBar)]
    # Line edits inside spin boxes and combos belong to those controls.
    found += [
        w
        for w in panel.findChildren(QLineEdit)
        if not isinstance(w.parentWidget(), QAbstractSpinBox)
    ]
    return found


def test_every_control_is_named_and_explained(panel: ParametersPanel) -> None:
    panel.set_state("m", "", full_params())
    for control in controls(panel):
        assert control.objectName(), control
        assert control.accessibleName(), control.objectName()
    for name, spec in NUMBER_SPECS.items():
        row = panel.number_rows[name]
        for widget in (row.switch, row.spin):
            assert spec.help in widget.toolTip()
            assert spec.describe_range() in widget.toolTip()


def test_tab_reaches_every_control(panel: ParametersPanel) -> None:
    panel.set_state("m", "", full_params())
    open_all(panel)
    panel.activateWindow()
    panel.model_edit.setFocus()
    order: list[QWidget] = []
    for _ in range(80):
        widget = QApplication.focusWidget()
        assert widget is not None
        order.append(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    reached = set(order)
    # Stop chips are rebuilt on every edit; Tab must still visit them in reading order.
    names = [w.objectName() for w in order[: order.index(panel.default_button) + 1]]
    stop_part = names[names.index("stopSwitch") : names.index("stopField") + 1]
    assert stop_part == ["stopSwitch", "stopChipRemoveButton", "stopChipRemoveButton", "stopField"]
    wanted = [
        w
        for w in controls(panel)
        if w.isVisibleTo(panel) and w.isEnabled() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    wanted = [w for w in wanted if w is not panel.model_combo]  # its line edit takes focus
    missed = [w.objectName() for w in wanted if w not in reached and w.focusProxy() not in reached]
    assert missed == []


def test_leaving_the_prompt_sends_it_at_once(panel: ParametersPanel) -> None:
    recorder = Recorder(panel)
    panel.activateWindow()
    panel.prompt_edit.setFocus()
    QTest.keyClicks(panel.prompt_edit, "Use metric units.")
    assert recorder.of("system_prompt_changed") == []  # still waiting for more typing
    QTest.keyClick(panel.prompt_edit, Qt.Key.Key_Tab)
    assert recorder.of("system_prompt_changed") == [("Use metric units.",)]


def test_sections_fold_away(panel: ParametersPanel) -> None:
    sampling = panel.sections["sampling"]
    assert panel.number_rows["temperature"].isVisibleTo(panel)
    sampling.set_expanded(False)
    assert not panel.number_rows["temperature"].isVisibleTo(panel)
    assert not panel.sections["advanced"].is_expanded()  # folded until asked for


# -- presets ------------------------------------------------------------------


def choose_preset(panel: ParametersPanel, name: str) -> None:
    combo = panel.presets_bar.combo
    index = combo.findData(name)
    assert index >= 0, name
    combo.setFocus()
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what a click on the item in the list sends


def test_choosing_a_preset_applies_exactly_its_params(panel: ParametersPanel) -> None:
    panel.set_state("gpt-4o", "Be brief.", full_params())
    recorder = Recorder(panel)
    choose_preset(panel, "Creative")
    creative = GenerationParams(temperature=1.2, presence_penalty=0.6).with_enabled(
        "temperature", True
    )
    creative = creative.with_enabled("presence_penalty", True)
    assert recorder.of("params_changed") == [(creative,)]
    assert panel.params() == creative
    assert panel.params().request_fields() == {
        "stream": True,
        "temperature": 1.2,
        "presence_penalty": 0.6,
    }
    # The controls show it too: switches follow the preset.
    assert panel.number_rows["temperature"].spin.value() == 1.2
    assert panel.number_rows["presence_penalty"].switch.isChecked()
    assert not panel.number_rows["max_tokens"].switch.isChecked()
    assert not panel.stop_editor.is_on()
    assert panel.stream_switch.isChecked()
    # A preset without a prompt leaves the chat's prompt alone.
    assert recorder.of("system_prompt_changed") == []
    assert panel.system_prompt() == "Be brief."
    assert panel.presets_bar.combo.currentData() == "Creative"


def test_editing_after_a_preset_shows_custom_settings(panel: ParametersPanel) -> None:
    choose_preset(panel, "Precise")
    assert panel.presets_bar.combo.currentText() == "Precise"
    click(panel.number_rows["max_tokens"].switch)
    assert panel.presets_bar.combo.currentIndex() == -1
    assert panel.presets_bar.combo.placeholderText() == "Custom settings"


def test_a_preset_with_a_prompt_sets_the_prompt(
    qtbot: QtBot, panel: ParametersPanel, presets: PresetStore
) -> None:
    hot = GenerationParams(temperature=1.5).with_enabled("temperature", True)
    presets.save(Preset("Poet", hot, "Write like a poet."))
    panel.presets_bar.reload()
    panel.set_state("m", "Old prompt", GenerationParams())
    recorder = Recorder(panel)
    panel.prompt_edit.setFocus()
    panel.prompt_edit.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(panel.prompt_edit, " typed")
    choose_preset(panel, "Poet")
    qtbot.wait(600)  # longer than the debounce: the typed text must not come back
    assert recorder.of("params_changed") == [(hot,)]
    # Moving to the preset list sent the typed prompt first, as leaving the editor does.
    assert recorder.of("system_prompt_changed") == [
        ("Old prompt typed",),
        ("Write like a poet.",),
    ]
    assert panel.system_prompt() == "Write like a poet."
    assert panel.presets_bar.combo.currentData() == "Poet"


def test_opening_a_chat_shows_its_matching_preset_silently(panel: ParametersPanel) -> None:
    recorder = Recorder(panel)
    balanced = GenerationParams(temperature=0.7).with_enabled("temperature", True)
    panel.set_state("m", "", balanced)
    assert panel.presets_bar.combo.currentData() == "Balanced"
    panel.set_state("m", "", full_params())
    assert panel.presets_bar.combo.currentIndex() == -1
    assert recorder.calls == []


def test_save_current_as_preset_then_apply_it_to_another_chat(
    panel: ParametersPanel, presets: PresetStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from foxchat.ui.params.save_preset_dialog import SavePresetDialog

    panel.set_state("m", "Be brief.", full_params())
    monkeypatch.setattr(
        SavePresetDialog, "get_details", staticmethod(lambda *a, **k: ("Tools on", True))
    )
    panel.presets_bar.save_action.trigger()
    saved = PresetStore(presets.path).find("Tools on")
    assert saved == Preset("Tools on", full_params(), "Be brief.")
    panel.set_state("m", "", GenerationParams())
    recorder = Recorder(panel)
    choose_preset(panel, "Tools on")
    assert recorder.of("params_changed") == [(full_params(),)]
    assert recorder.of("system_prompt_changed") == [("Be brief.",)]


def test_the_panel_touches_no_file_but_its_given_store(
    qtbot: QtBot, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The panel has no store of its own to fall back on: the app must give it one.
    assert (
        inspect.signature(ParametersPanel).parameters["presets"].default is inspect.Parameter.empty
    )
    store_dir = tmp_path / "given"
    store_dir.mkdir()
    presets = PresetStore(store_dir / "presets.json")
    before = sorted(tmp_path.rglob("*"))
    widget = ParametersPanel(presets=presets)
    qtbot.addWidget(widget)
    widget.show()
    widget.set_state("m", "Be brief.", full_params())
    open_advanced(widget)
    choose_preset(widget, "Creative")
    assert sorted(tmp_path.rglob("*")) == before  # nothing read into being, nothing written
    monkeypatch.setattr(
        SavePresetDialog, "get_details", staticmethod(lambda *a, **k: ("Mine", True))
    )
    widget.presets_bar.save_action.trigger()
    assert sorted(p.name for p in store_dir.iterdir()) == ["presets.json"]
    assert sorted(tmp_path.rglob("*")) == sorted([*before, store_dir / "presets.json"])
    assert not (isolated_env / "presets.json").exists()
    widget.close()


def test_advanced_editors_come_before_the_footer_in_tab_order(panel: ParametersPanel) -> None:
    # The Advanced editors are built when the section first opens; Tab must
    # still run through them before reaching "Use as default for new chats".
    open_advanced(panel)
    order: list[str] = []
    widget = panel.nextInFocusChain()
    while widget is not None and widget is not panel and len(order) < 500:
        if widget.isVisibleTo(panel) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            order.append(widget.objectName())
        widget = widget.nextInFocusChain()
    assert order.index("advancedSectionHeader") < order.index("responseFormatSwitch")
    assert order.index("responseFormatSwitch") < order.index("toolsSwitch")
    assert order.index("toolChoiceSwitch") < order.index("saveAsDefaultButton")


def test_advanced_editors_show_settings_given_while_folded(panel: ParametersPanel) -> None:
    params = full_params()
    panel.set_state("gpt-4o", "", params)
    open_advanced(panel)
    assert panel.response_format_editor.switch.isChecked()
    assert panel.response_format_editor.switch.isVisibleTo(panel)
    assert panel.tools_editor.choice_combo.currentData() == "get_weather"
    assert panel.params() == params


def switches(panel: ParametersPanel) -> list[QCheckBox]:
    """Every on/off switch of the panel, top to bottom."""
    found = [panel.number_rows[name].switch for name in panel.number_rows]
    found += [panel.stop_editor.switch, panel.stream_switch]
    found += [panel.response_format_editor.switch, panel.tools_editor.switch]
    found.append(panel.tools_editor.choice_switch)
    return found


def test_toggling_a_switch_moves_nothing_below_it(panel: ParametersPanel) -> None:
    open_all(panel)
    panel.set_state("m", "", full_params())
    QApplication.processEvents()
    content = panel.scroll_area.widget()
    assert content is not None
    every: list[QWidget] = [*switches(panel), panel.tools_editor.choice_combo]

    def tops() -> list[int]:
        QApplication.processEvents()
        return [w.mapTo(content, QPoint(0, 0)).y() for w in every]

    for switch in switches(panel):
        if not switch.isEnabled():
            continue
        for _ in range(2):  # on then off, or off then on
            before = tops()
            panel.scroll_area.ensureWidgetVisible(switch)
            click(switch)
            assert tops() == before, switch.objectName()


# -- a calm panel: one row a parameter, rare sections folded -------------------


def centre_in(widget: QWidget, content: QWidget) -> int:
    return widget.mapTo(content, QPoint(0, widget.height() // 2)).y()


def test_each_parameter_is_one_row_with_a_quiet_caption_under_it(panel: ParametersPanel) -> None:
    open_all(panel)
    QApplication.processEvents()
    content = panel.scroll_area.widget()
    assert content is not None
    for name, row in panel.number_rows.items():
        parts: list[QWidget] = [row.switch, row.spin]
        if row.slider is not None:
            parts.append(row.slider)
        line = centre_in(row.switch, content)
        for part in parts:
            assert abs(centre_in(part, content) - line) <= 2, (name, part.objectName())
        caption = row.help_label
        assert caption.isVisibleTo(panel)
        assert caption.text().startswith(row.spec.help)
        assert (
            caption.mapTo(content, QPoint(0, 0)).y()
            >= row.switch.mapTo(content, QPoint(0, row.switch.height())).y()
        )
        assert caption.property("caption") is True  # drawn in the theme's quiet colour
        assert caption.font().pointSizeF() < row.switch.font().pointSizeF()
    effort = panel.effort_row
    assert abs(centre_in(effort.combo, content) - centre_in(effort.switch, content)) <= 2


def test_the_sliders_line_up_in_one_column(panel: ParametersPanel) -> None:
    QApplication.processEvents()
    content = panel.scroll_area.widget()
    assert content is not None
    lefts = set()
    rights = set()
    for row in panel.number_rows.values():
        if row.slider is not None and row.isVisibleTo(panel):
            lefts.add(row.slider.mapTo(content, QPoint(0, 0)).x())
            rights.add(row.spin.mapTo(content, QPoint(row.spin.width(), 0)).x())
    assert len(lefts) == 1 and len(rights) == 1


def test_rarely_used_settings_start_folded(panel: ParametersPanel) -> None:
    folded = {name for name, section in panel.sections.items() if not section.is_expanded()}
    assert folded == {"more", "images", "advanced"}
    more = panel.sections["more"]
    for rare in (
        panel.number_rows["seed"],
        panel.number_rows["n"],
        panel.number_rows["top_logprobs"],
        panel.stop_editor,
    ):
        assert more.isAncestorOf(rare)
        assert not rare.isVisibleTo(panel)
    for common in ("temperature", "top_p", "max_tokens"):
        assert panel.number_rows[common].isVisibleTo(panel)


def test_opening_a_section_is_reported_and_can_be_restored(
    qtbot: QtBot, panel: ParametersPanel, presets: PresetStore
) -> None:
    with qtbot.waitSignal(panel.sections_changed, timeout=1000) as reported:
        QTest.mouseClick(panel.sections["more"].header, Qt.MouseButton.LeftButton)
    states = reported.args[0]
    assert read_section_states(states)["more"] is True
    with qtbot.waitSignal(panel.sections_changed, timeout=1000) as reported:
        panel.sections["sampling"].set_expanded(False)
    states = reported.args[0]
    assert read_section_states(states) == {
        **SECTIONS_OPEN_BY_DEFAULT,
        "more": True,
        "sampling": False,
    }

    other = ParametersPanel(presets=presets)
    qtbot.addWidget(other)
    with qtbot.assertNotEmitted(other.sections_changed):
        other.restore_sections(states)
    assert other.sections["more"].is_expanded()
    assert not other.sections["sampling"].is_expanded()
    assert other.number_rows["seed"].isVisibleTo(other)
    other.restore_sections("")  # nothing remembered: the defaults
    assert not other.sections["more"].is_expanded()
    assert other.sections["sampling"].is_expanded()


def test_remembered_states_from_a_file_are_read_with_care() -> None:
    assert read_section_states("") == SECTIONS_OPEN_BY_DEFAULT
    states = read_section_states("more=1, sampling=0,unknown=1,images=yes,=,advanced")
    assert states == {**SECTIONS_OPEN_BY_DEFAULT, "more": True, "sampling": False}
    assert read_section_states(write_section_states(states)) == states


def test_toggling_a_switch_keeps_every_row_the_same_size(panel: ParametersPanel) -> None:
    open_all(panel)
    panel.set_state("m", "", full_params())
    QApplication.processEvents()
    rows: list[QWidget] = [*panel.number_rows.values(), panel.effort_row, panel.stop_editor]

    def sizes() -> list[tuple[int, int]]:
        QApplication.processEvents()
        return [(row.width(), row.height()) for row in rows]

    for row in panel.number_rows.values():
        before = sizes()
        panel.scroll_area.ensureWidgetVisible(row.switch)
        click(row.switch)
        assert sizes() == before, row.objectName()
