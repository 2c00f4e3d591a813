"""The sidebar knows the model: what it refuses or ignores is greyed with why, values kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from foxchat.api.model_rules import NO_OVERRIDES, Overrides
from foxchat.api.params import REASONING_EFFORTS, GenerationParams
from foxchat.presets import PresetStore
from foxchat.ui.params.parameters_panel import ParametersPanel
from tests.ui.params.test_parameters_panel import click


class Learnt:
    """What the settings would answer for each model (changed by the test)."""

    def __init__(self) -> None:
        self.by_model: dict[str, Overrides] = {}

    def __call__(self, model: str) -> Overrides:
        return self.by_model.get(model, NO_OVERRIDES)


@pytest.fixture
def learnt() -> Learnt:
    return Learnt()


@pytest.fixture
def panel(qtbot: QtBot, tmp_path: Path, learnt: Learnt) -> Iterator[ParametersPanel]:
    widget = ParametersPanel(presets=PresetStore(tmp_path / "presets.json"), overrides_for=learnt)
    qtbot.addWidget(widget)
    widget.resize(300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def on(**values: Any) -> GenerationParams:
    params = replace(GenerationParams(), **values)
    for name in values:
        params = params.with_enabled(name, True)
    return params


SAMPLING = on(temperature=0.4, top_p=0.8, frequency_penalty=0.5, presence_penalty=0.3)


def blocked(panel: ParametersPanel) -> dict[str, str]:
    reasons = {n: r.blocked_reason() for n, r in panel.number_rows.items()}
    reasons["reasoning_effort"] = panel.effort_row.blocked_reason()
    return {name: reason for name, reason in reasons.items() if reason is not None}


def test_o_series_greys_sampling_with_reasons_and_keeps_the_values(
    panel: ParametersPanel,
) -> None:
    changes: list[GenerationParams] = []
    panel.params_changed.connect(changes.append)
    panel.set_state("o3-mini", "", SAMPLING)
    assert blocked(panel) == {
        "temperature": "o-series models choose their own temperature",
        "top_p": "o-series models choose their own top P",
        "frequency_penalty": "o-series models do not take a frequency penalty",
        "presence_penalty": "o-series models do not take a presence penalty",
        "top_logprobs": "o-series models do not return word probabilities",
    }
    row = panel.number_rows["temperature"]
    assert not row.switch.isChecked() and not row.switch.isEnabled()
    assert not row.spin.isEnabled()
    assert row.blocked_note.isVisibleTo(panel)
    assert row.blocked_note.reason.text() == "o-series models choose their own temperature."
    assert not row.help_label.isVisibleTo(panel)
    assert row.spin.value() == 0.4, "the person's value is still there"

    # Back on a model that takes them: as the person left them, and nothing was emitted.
    panel.set_state("gpt-4o", "", SAMPLING)
    assert blocked(panel) == {
        "reasoning_effort": "OpenAI chat models do not take a reasoning effort"
    }
    assert row.switch.isChecked() and row.spin.isEnabled() and row.spin.value() == 0.4
    assert not row.blocked_note.isVisibleTo(panel) and row.help_label.isVisibleTo(panel)
    assert changes == []


def test_typing_another_model_updates_the_rows_at_once(panel: ParametersPanel) -> None:
    panel.set_state("gpt-4o", "", SAMPLING)
    panel.model_edit.setText("deepseek-reasoner")
    panel.model_edit.editingFinished.emit()
    assert blocked(panel)["temperature"] == "deepseek-reasoner ignores temperature"
    assert panel.params() == SAMPLING, "switching models loses nothing"


def test_claude_greys_top_p_only_while_temperature_is_on(panel: ParametersPanel) -> None:
    panel.set_state("claude-sonnet-4-5", "", on(temperature=0.4, top_p=0.8))
    assert set(blocked(panel)) == {"top_p", "reasoning_effort"}
    click(panel.number_rows["temperature"].switch)  # off
    assert "top_p" not in blocked(panel)
    assert panel.number_rows["top_p"].switch.isChecked()


def test_an_unknown_model_keeps_everything_offered(panel: ParametersPanel) -> None:
    panel.set_state("llama3.2", "", SAMPLING)
    assert blocked(panel) == {}
    effort = panel.effort_row.combo
    assert [effort.itemData(i) for i in range(effort.count())] == list(REASONING_EFFORTS)


def test_reasoning_effort_offers_the_family_values(panel: ParametersPanel) -> None:
    panel.set_state("o3-mini", "", on(reasoning_effort="high"))
    combo = panel.effort_row.combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["low", "medium", "high"]
    assert combo.currentData() == "high" and combo.isEnabled()
    panel.set_state("gpt-5-mini", "", on(reasoning_effort="minimal"))
    assert [combo.itemData(i) for i in range(combo.count())] == [
        "minimal",
        "low",
        "medium",
        "high",
    ]
    # A value this family does not take is shown with why, and can be changed.
    panel.set_state("o3-mini", "", on(reasoning_effort="minimal"))
    assert combo.currentData() == "minimal" and combo.isEnabled()
    assert blocked(panel)["reasoning_effort"] == (
        "OpenAI o-series models take a reasoning effort of low, medium, high"
    )
    changes: list[GenerationParams] = []
    panel.params_changed.connect(changes.append)
    combo.activated.emit(combo.findData("low"))
    assert changes[-1].reasoning_effort == "low"
    assert "reasoning_effort" not in blocked(panel)


def test_seed_is_a_number_or_new_each_time(panel: ParametersPanel) -> None:
    changes: list[GenerationParams] = []
    panel.params_changed.connect(changes.append)
    row = panel.number_rows["seed"]
    assert "Off: a new seed each time." in row.help_label.text()
    click(row.switch)
    row.spin.setValue(1234)
    assert changes[-1].seed == 1234 and changes[-1].request_fields()["seed"] == 1234


def test_send_anyway_asks_for_that_parameter(panel: ParametersPanel) -> None:
    asked: list[str] = []
    panel.send_anyway_requested.connect(asked.append)
    panel.set_state("o3-mini", "", SAMPLING)
    click(panel.number_rows["top_p"].blocked_note.button)
    assert asked == ["top_p"]


def test_what_the_server_refused_is_greyed_and_send_anyway_names_the_refused_name(
    panel: ParametersPanel, learnt: Learnt
) -> None:
    learnt.by_model["o3-mini"] = Overrides(refused={"max_completion_tokens": "no"})
    learnt.by_model["gateway-model"] = Overrides(refused={"top_p": "no"})
    panel.set_state("gateway-model", "", SAMPLING)
    assert blocked(panel) == {"top_p": "The server refused top_p for this model, so it is not sent"}
    panel.set_state("o3-mini", "", on(max_tokens=300))
    assert "max_tokens" in blocked(panel)
    asked: list[str] = []
    panel.send_anyway_requested.connect(asked.append)
    click(panel.number_rows["max_tokens"].blocked_note.button)
    assert asked == ["max_completion_tokens"]
    # Once the settings change, the panel is told to look again.
    learnt.by_model.clear()
    panel.refresh_rules()
    assert "max_tokens" not in blocked(panel)


def test_every_new_control_is_named(panel: ParametersPanel) -> None:
    panel.set_state("o3-mini", "", SAMPLING)
    for widget in (
        panel.effort_row.switch,
        panel.effort_row.combo,
        panel.number_rows["seed"].switch,
        panel.number_rows["seed"].spin,
        panel.number_rows["temperature"].blocked_note.button,
        panel.number_rows["temperature"].blocked_note.reason,
    ):
        assert widget.accessibleName(), widget.objectName()
