"""The compare set-up: columns from the chat's settings with one change each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QPushButton
from pytestqt.qtbot import QtBot

from foxchat import i18n
from foxchat.api.params import GenerationParams
from foxchat.ui.compare.setup_dialog import CompareSetupDialog

BASE = GenerationParams().with_values(temperature=0.9).with_enabled("temperature", True)


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[CompareSetupDialog]:
    shown = CompareSetupDialog("gpt-4o", BASE, ["gpt-4o", "deepseek-chat", "o3-mini"])
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.close()


def test_two_models_keeps_the_chat_settings_on_both(dialog: CompareSetupDialog) -> None:
    dialog.use_model_sweep()
    first, second = dialog.columns()
    assert (first.model, first.label) == ("gpt-4o", "the chat's settings")
    assert (second.model, second.label) == ("deepseek-chat", "deepseek-chat")
    assert first.params == second.params == BASE


def test_one_change_per_column(dialog: CompareSetupDialog) -> None:
    dialog.set_count(2)
    row = dialog.rows[1]
    row.change.setCurrentIndex(row.change.findData("seed"))
    row.value.setValue(42)
    _first, second = dialog.columns()
    assert second.params.seed == 42 and second.params.is_enabled("seed")
    assert second.params.temperature == 0.9 and second.label == "seed 42"


def test_every_control_is_named(dialog: CompareSetupDialog) -> None:
    for widget in dialog.findChildren(QComboBox) + dialog.findChildren(QDoubleSpinBox):
        assert widget.accessibleName(), widget.objectName()
    for button in dialog.findChildren(QPushButton):
        assert button.accessibleName() or button.text(), button.objectName()


def test_the_set_up_reads_in_the_language_in_use(qtbot: QtBot) -> None:
    i18n.install("zh_CN")
    try:
        shown = CompareSetupDialog("gpt-4o", BASE, ["gpt-4o", "deepseek-chat"])
        qtbot.addWidget(shown)
        counts = [shown.count.itemText(n) for n in range(shown.count.count())]
        assert counts == ["2 列", "3 列", "4 列"]
        assert shown.rows[0].change.itemText(1) == "温度"
        shown.use_model_sweep()
        assert [column.label for column in shown.columns()] == ["对话的设置", "deepseek-chat"]
        shown.close()
    finally:
        i18n.install(i18n.ENGLISH)


def test_remembered_columns_come_back_and_reset_starts_from_the_chat(qtbot: QtBot) -> None:
    first = CompareSetupDialog("gpt-4o", BASE, ["gpt-4o", "deepseek-chat"])
    qtbot.addWidget(first)
    first.use_model_sweep()
    first.rows[1].change.setCurrentIndex(first.rows[1].change.findData("presence_penalty"))
    first.rows[1].value.setValue(0.5)
    remembered = first.remembered_text()
    wanted = [(c.model, c.label) for c in first.columns()]
    assert wanted == [
        ("gpt-4o", "the chat's settings"),
        ("deepseek-chat", "deepseek-chat · presence 0.5"),
    ]
    again = CompareSetupDialog("gpt-4o", BASE, ["gpt-4o", "deepseek-chat"], remembered=remembered)
    qtbot.addWidget(again)
    assert [(c.model, c.label) for c in again.columns()] == wanted
    assert again.rows[2].model.isHidden(), "two columns, as last time"
    again.reset_button.click()
    assert [c.label for c in again.columns()] == [
        "temperature 0.2",
        "temperature 0.7",
        "temperature 1.2",
    ]
    assert again.reset_button.accessibleName() and again.reset_button.toolTip()


@pytest.mark.parametrize(
    "kept",
    [
        "",
        "not json",
        "{}",
        '[["gpt-4o", "", 0]]',  # one column is not a comparison
        '[["gpt-4o", "", 0], ["gpt-4o", "warp_speed", 9]]',  # no such setting
        '[["gpt-4o", "", 0], ["gpt-4o", "temperature", 99]]',  # out of range
        '[["gpt-4o", "", 0], ["", "temperature", 1]]',  # no model
        '[["gpt-4o", "", 0], ["gpt-4o", "seed", true]]',
    ],
)
def test_unusable_remembered_columns_start_afresh(qtbot: QtBot, kept: str) -> None:
    shown = CompareSetupDialog("gpt-4o", BASE, ["gpt-4o"], remembered=kept)
    qtbot.addWidget(shown)
    assert [c.label for c in shown.columns()] == [
        "temperature 0.2",
        "temperature 0.7",
        "temperature 1.2",
    ]
