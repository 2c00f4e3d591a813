"""Stop sequences: chips, escapes, duplicates and the cap."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from foxchat.api.params import MAX_STOP_SEQUENCES
from foxchat.ui.params.stop_chips import (
    StopChip,
    StopSequencesEditor,
    decode_typed,
    visible_text,
)


def test_typed_escapes_become_characters_and_back() -> None:
    assert decode_typed("END\\n") == "END\n"
    assert decode_typed("a\\tb\\\\n") == "a\tb\\n"
    assert visible_text("END\n") == "END\\n"


def test_enter_adds_a_chip_and_duplicates_are_refused(qtbot: QtBot) -> None:
    editor = StopSequencesEditor()
    qtbot.addWidget(editor)
    editor.set_state((), on=True)
    with qtbot.waitSignal(editor.changed):
        QTest.keyClicks(editor.field, "\\n\\n")
        QTest.keyClick(editor.field, Qt.Key.Key_Return)
    assert editor.sequences() == ("\n\n",)
    assert editor.field.text() == ""
    with qtbot.assertNotEmitted(editor.changed):
        QTest.keyClicks(editor.field, "\\n\\n")
        QTest.keyClick(editor.field, Qt.Key.Key_Return)
    assert editor.sequences() == ("\n\n",)
    assert "already in the list" in editor.note.text()


def test_cap_disables_the_field_and_removing_reenables_it(qtbot: QtBot) -> None:
    editor = StopSequencesEditor()
    qtbot.addWidget(editor)
    editor.set_state(("a", "b", "c"), on=True)
    assert editor.field.isEnabled()
    assert editor.add_sequence("d")
    assert len(editor.sequences()) == MAX_STOP_SEQUENCES
    assert not editor.field.isEnabled()
    assert "up to 4" in editor.note.text()
    assert not editor.add_sequence("e")
    chips = editor.chip_area.findChildren(StopChip)
    chip_b = next(chip for chip in chips if chip.sequence == "b" and not chip.isHidden())
    with qtbot.waitSignal(editor.changed):
        QTest.mouseClick(chip_b.remove_button, Qt.MouseButton.LeftButton)
    assert editor.sequences() == ("a", "c", "d")
    assert editor.field.isEnabled()


def test_switched_off_the_chips_cannot_be_edited(qtbot: QtBot) -> None:
    editor = StopSequencesEditor()
    qtbot.addWidget(editor)
    editor.set_state(("x",), on=False)
    assert not editor.field.isEnabled()
    assert "no stop sequences are sent" in editor.note.text()
