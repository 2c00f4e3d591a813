"""The first-run welcome: what a new user sees, types and gets back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from foxchat import DEFAULT_BASE_URL
from foxchat.ui.welcome_dialog import WelcomeDialog

KEY = "sk-test-0123456789"


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[WelcomeDialog]:
    welcome = WelcomeDialog()
    qtbot.addWidget(welcome)
    welcome.show()
    qtbot.waitExposed(welcome)
    yield welcome
    welcome.close()


def test_every_control_has_an_object_name_and_an_accessible_name(dialog: WelcomeDialog) -> None:
    controls = [*dialog.findChildren(QLineEdit), *dialog.findChildren(QAbstractButton)]
    controls += dialog.findChildren(QLabel)
    assert len(controls) >= 8
    unnamed = [c for c in controls if not c.objectName() or not c.accessibleName()]
    assert unnamed == []


def test_the_key_is_hidden_until_the_user_asks_to_see_it(
    dialog: WelcomeDialog, qtbot: QtBot
) -> None:
    assert dialog.key_edit.echoMode() is QLineEdit.EchoMode.Password
    QTest.mouseClick(dialog.show_key_button, Qt.MouseButton.LeftButton)
    assert dialog.key_edit.echoMode() is QLineEdit.EchoMode.Normal
    assert dialog.show_key_button.text() == "Hide"
    QTest.mouseClick(dialog.show_key_button, Qt.MouseButton.LeftButton)
    assert dialog.key_edit.echoMode() is QLineEdit.EchoMode.Password


def test_the_default_address_is_prefilled_under_advanced(
    dialog: WelcomeDialog, qtbot: QtBot
) -> None:
    assert dialog.base_url_edit.text() == DEFAULT_BASE_URL
    assert not dialog.base_url_edit.isVisible()
    QTest.mouseClick(dialog.advanced_button, Qt.MouseButton.LeftButton)
    assert dialog.base_url_edit.isVisible()


def test_a_custom_address_is_shown_open(qtbot: QtBot) -> None:
    welcome = WelcomeDialog("http://127.0.0.1:8080/v1")
    qtbot.addWidget(welcome)
    welcome.show()
    assert welcome.base_url_edit.isVisible()


def test_enter_submits_the_pasted_key(dialog: WelcomeDialog, qtbot: QtBot) -> None:
    assert dialog.key_edit.hasFocus()
    QTest.keyClicks(dialog.key_edit, f"  {KEY} ")
    with qtbot.waitSignal(dialog.accepted_key, timeout=2000) as emitted:
        QTest.keyClick(dialog.key_edit, Qt.Key.Key_Return)
    assert emitted.args == [DEFAULT_BASE_URL, KEY, False]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_start_without_a_key_explains_and_stays_open(dialog: WelcomeDialog, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(dialog.accepted_key):
        QTest.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.result_label.text() == "Paste your API key first."


def test_a_wrong_address_is_explained(dialog: WelcomeDialog, qtbot: QtBot) -> None:
    dialog.key_edit.setText(KEY)
    dialog.base_url_edit.setText("api.foxapi.cc/v1")
    with qtbot.assertNotEmitted(dialog.accepted_key):
        QTest.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "https://" in dialog.result_label.text()
    assert dialog.base_url_edit.isVisible(), "the field with the problem is shown"


def test_test_connection_asks_and_shows_the_answer(dialog: WelcomeDialog, qtbot: QtBot) -> None:
    dialog.key_edit.setText(KEY)
    dialog.advanced_button.setChecked(True)
    dialog.base_url_edit.setText("http://127.0.0.1:9/v1/")
    with qtbot.waitSignal(dialog.test_requested, timeout=2000) as emitted:
        QTest.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert emitted.args == ["http://127.0.0.1:9/v1", KEY]
    assert not dialog.test_button.isEnabled(), "one test at a time"
    assert "Testing" in dialog.result_label.text()
    dialog.show_test_result(True, "Connected. 42 models available.")
    assert dialog.result_label.text() == "Connected. 42 models available."
    assert dialog.test_button.isEnabled()
    assert dialog.isVisible(), "testing does not close the welcome"


def test_without_a_keyring_it_says_so_and_offers_this_session_only(qtbot: QtBot) -> None:
    welcome = WelcomeDialog(keyring_available=False)
    qtbot.addWidget(welcome)
    welcome.show()
    assert "no system keyring" in welcome.storage_note.text()
    assert welcome.start_button.text() == "Use for this session only"
    welcome.key_edit.setText(KEY)
    with qtbot.waitSignal(welcome.accepted_key, timeout=2000) as emitted:
        QTest.mouseClick(welcome.start_button, Qt.MouseButton.LeftButton)
    assert emitted.args == [DEFAULT_BASE_URL, KEY, True]


def test_the_keyring_state_can_change_after_opening(dialog: WelcomeDialog) -> None:
    assert "system keyring" in dialog.storage_note.text()
    dialog.set_keyring_available(False)
    assert dialog.start_button.text() == "Use for this session only"
    dialog.set_keyring_available(True)
    assert dialog.start_button.text() == "Start"


@pytest.mark.parametrize("yes", [False, True])
def test_an_unencrypted_remote_address_asks_first(qtbot: QtBot, yes: bool) -> None:
    questions: list[str] = []

    def confirm(_title: str, question: str) -> bool:
        questions.append(question)
        return yes

    welcome = WelcomeDialog(confirm=confirm)
    qtbot.addWidget(welcome)
    welcome.show()
    welcome.key_edit.setText(KEY)
    welcome.base_url_edit.setText("http://203.0.113.7:8000/v1")
    if yes:
        with qtbot.waitSignal(welcome.accepted_key, timeout=2000) as emitted:
            QTest.mouseClick(welcome.start_button, Qt.MouseButton.LeftButton)
        assert emitted.args == ["http://203.0.113.7:8000/v1", KEY, False]
    else:
        with qtbot.assertNotEmitted(welcome.accepted_key):
            QTest.mouseClick(welcome.start_button, Qt.MouseButton.LeftButton)
        assert "https://" in welcome.result_label.text()
        assert welcome.isVisible()
    assert len(questions) == 1 and "unencrypted" in questions[0]


@pytest.mark.parametrize(
    "url", ["https://api.example.com/v1", "http://127.0.0.1:8080/v1", "http://localhost/v1"]
)
def test_safe_addresses_do_not_ask(qtbot: QtBot, url: str) -> None:
    def confirm(_title: str, _question: str) -> bool:
        raise AssertionError("asked about a safe address")

    welcome = WelcomeDialog(url, confirm=confirm)
    qtbot.addWidget(welcome)
    welcome.key_edit.setText(KEY)
    with qtbot.waitSignal(welcome.accepted_key, timeout=2000):
        QTest.mouseClick(welcome.start_button, Qt.MouseButton.LeftButton)
