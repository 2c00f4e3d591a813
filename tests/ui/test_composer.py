"""The composer on its own: a field that grows with its text, icon buttons, the shortcut line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from foxchat.paths import database_path
from foxchat.services.attachments import AttachmentService
from foxchat.store import Store
from foxchat.ui.composer import MAX_LINES, Composer


@pytest.fixture
def service() -> Iterator[AttachmentService]:
    with Store.open(database_path()) as store:
        loader = AttachmentService(store, max_side=lambda: 2048)
        yield loader
        loader.shutdown()


@pytest.fixture
def composer(qtbot: QtBot, service: AttachmentService) -> Composer:
    widget = Composer(attachments=service, ask_paths=lambda *_args: [])
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.edit.setFocus()
    return widget


def type_lines(composer: Composer, count: int) -> None:
    for index in range(count):
        if index:
            QTest.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        QTest.keyClicks(composer.edit, f"line {index + 1}")
    QApplication.processEvents()


def test_the_field_grows_with_its_text_up_to_eight_lines_then_scrolls(composer: Composer) -> None:
    assert composer.visible_lines() == 1
    one_line = composer.edit.height()
    type_lines(composer, 3)
    assert composer.visible_lines() == 3
    assert composer.edit.height() > one_line
    type_lines(composer, 12)  # 3 + 12 = 15 lines typed
    assert composer.visible_lines() == MAX_LINES
    assert composer.edit.verticalScrollBar().maximum() > 0  # the rest scrolls
    composer.set_draft("")
    QApplication.processEvents()
    assert composer.visible_lines() == 1
    assert composer.edit.height() == one_line


def test_a_long_line_that_wraps_grows_the_field_too(composer: Composer) -> None:
    composer.set_draft("word " * 200)
    QApplication.processEvents()
    assert composer.visible_lines() > 1


def test_each_button_is_an_icon_with_a_tooltip_and_a_name(composer: Composer) -> None:
    assert composer.attach_button is not None
    buttons = [composer.attach_button, composer.compare_button, composer.send_button]
    for button in buttons:
        assert isinstance(button, QToolButton)
        assert not button.icon().isNull()
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
        assert button.toolTip().strip()
        assert button.accessibleName().strip()
        # Inside the rounded box, beside the text.
        assert composer.frame.isAncestorOf(button)
    assert composer.compare_button.accessibleName() == "Compare"
    assert composer.send_button.accessibleName() == "Send message"
    assert "Enter" in composer.send_button.toolTip()


def test_send_becomes_stop_while_a_reply_streams(composer: Composer, qtbot: QtBot) -> None:
    send_icon = composer.send_button.icon().cacheKey()
    composer.set_streaming(True)
    assert composer.send_button.text() == "Stop"
    assert composer.send_button.accessibleName() == "Stop reply"
    assert "Esc" in composer.send_button.toolTip()
    assert composer.send_button.icon().cacheKey() != send_icon
    assert not composer.compare_button.isEnabled()
    with qtbot.waitSignal(composer.stop_requested, timeout=1000):
        composer.send_button.click()
    composer.set_streaming(False)
    assert composer.send_button.text() == "Send"
    assert composer.send_button.accessibleName() == "Send message"
    assert composer.compare_button.isEnabled()


def test_the_shortcut_line_shows_until_the_first_message_is_sent(
    composer: Composer, qtbot: QtBot
) -> None:
    assert composer.shortcut_hint_shown()
    assert "Enter" in composer.hint.text() and "Shift+Enter" in composer.hint.text()
    QTest.keyClick(composer.edit, Qt.Key.Key_Return)  # nothing typed: nothing sent
    assert composer.shortcut_hint_shown()
    QTest.keyClicks(composer.edit, "Hello")
    with qtbot.waitSignal(composer.send_requested, timeout=1000) as sent:
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    assert sent.args == ["Hello"]
    assert not composer.shortcut_hint_shown()


def test_a_person_who_has_sent_before_sees_no_shortcut_line(composer: Composer) -> None:
    composer.hide_shortcut_hint()
    assert not composer.shortcut_hint_shown()


def test_keys_still_do_what_they_did(composer: Composer, qtbot: QtBot) -> None:
    QTest.keyClicks(composer.edit, "one")
    QTest.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(composer.edit, "two")
    assert composer.text() == "one\ntwo"
    both = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
    with qtbot.waitSignal(composer.compare_requested, timeout=1000) as compared:
        QTest.keyClick(composer.edit, Qt.Key.Key_Return, both)
    assert compared.args == ["one\ntwo"]
    composer.set_streaming(True)
    with qtbot.assertNotEmitted(composer.send_requested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    assert composer.text() == "one\ntwo"  # Enter while streaming keeps the text


def test_tab_goes_text_attach_compare_send(composer: Composer) -> None:
    assert composer.attach_button is not None
    order = [composer.attach_button, composer.compare_button, composer.send_button]
    for there in order:
        here = QApplication.focusWidget()
        assert here is not None
        QTest.keyClick(here, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is there, there.objectName()


def test_the_box_shows_the_focus_of_the_text(composer: Composer) -> None:
    assert composer.frame.property("focused") is True
    composer.send_button.setFocus()
    QApplication.processEvents()
    assert composer.frame.property("focused") is False
