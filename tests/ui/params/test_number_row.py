"""A numeric parameter row: slider and spin box in sync, switch, help line."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox
from pytestqt.qtbot import QtBot

from foxchat.api.params import NUMBER_SPECS
from foxchat.ui.params.number_row import NumberRow


def make_row(qtbot: QtBot, name: str) -> NumberRow:
    row = NumberRow(NUMBER_SPECS[name])
    qtbot.addWidget(row)
    return row


def test_spin_and_slider_use_the_spec_range(qtbot: QtBot) -> None:
    row = make_row(qtbot, "frequency_penalty")
    assert row.slider is not None
    assert (row.spin.minimum(), row.spin.maximum()) == (-2.0, 2.0)
    row.set_state(0.0, on=True)
    # 0 sits in the middle of -2..2, even though the spin box started at 0.
    assert row.slider.value() == (row.slider.maximum() + 1) // 2
    assert "-2 to 2" in row.spin.toolTip()


def test_slider_moves_the_spin_box_and_reports(qtbot: QtBot) -> None:
    row = make_row(qtbot, "temperature")
    row.set_state(1.0, on=True)
    assert row.slider is not None
    with qtbot.waitSignal(row.changed):
        row.slider.setValue(14)
    assert row.spin.value() == 0.7
    assert row.value() == 0.7


def test_typed_value_moves_the_slider(qtbot: QtBot) -> None:
    row = make_row(qtbot, "top_p")
    row.set_state(1.0, on=True)
    assert isinstance(row.spin, QDoubleSpinBox)
    row.spin.setValue(0.25)
    assert row.slider is not None
    assert row.slider.value() == 25


def test_set_state_is_silent_and_off_disables(qtbot: QtBot) -> None:
    row = make_row(qtbot, "temperature")
    with qtbot.assertNotEmitted(row.changed):
        row.set_state(0.3, on=False)
    assert row.slider is not None
    assert not row.slider.isEnabled()
    assert not row.spin.isEnabled()
    assert "server's default" in row.switch.toolTip()


def test_whole_number_rows_have_only_a_spin_box(qtbot: QtBot) -> None:
    answers = make_row(qtbot, "n")
    assert answers.slider is None
    assert (answers.spin.minimum(), answers.spin.maximum()) == (1, 8)
    answers.set_state(3, on=True)
    assert answers.value() == 3
    assert isinstance(answers.value(), int)
    max_tokens = make_row(qtbot, "max_tokens")
    assert max_tokens.spin.minimum() == 1
    assert "1 or more" in max_tokens.spin.toolTip()
