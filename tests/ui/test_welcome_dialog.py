"""The first-run welcome: what a new user sees, types and gets back."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from urllib.parse import urlsplit

import keyring
import pytest
import shiboken6
from keyring.errors import InitError, KeyringLocked, NoKeyringError
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from foxchat import DEFAULT_BASE_URL
from foxchat.secrets import KeyringProblem
from foxchat.settings import load_settings
from foxchat.ui.welcome_dialog import WelcomeDialog
from tests.asyncqt import run, until
from tests.chinese import chinese
from tests.conftest import BrokenKeyring, MemoryKeyring
from tests.fakeserver import FakeOpenAIServer
from tests.ui.harness import Harness, harness, models_fetched

__all__ = ["harness"]  # the fixture, imported for pytest

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


@pytest.mark.parametrize("problem", list(KeyringProblem))
def test_without_a_usable_keyring_it_says_why_and_offers_this_session_only(
    qtbot: QtBot, problem: KeyringProblem
) -> None:
    welcome = WelcomeDialog(keyring_problem=problem)
    qtbot.addWidget(welcome)
    welcome.show()
    note = welcome.storage_note.text()
    assert note.startswith(f"Your key will be kept only until you quit, because {problem.reason}.")
    assert "keeps your key in your system keyring" not in _all_text(welcome)
    assert welcome.start_button.text() == "Use for this session only"
    assert welcome.start_button.accessibleName() == "Use for this session only"
    welcome.key_edit.setText(KEY)
    with qtbot.waitSignal(welcome.accepted_key, timeout=2000) as emitted:
        QTest.mouseClick(welcome.start_button, Qt.MouseButton.LeftButton)
    assert emitted.args == [DEFAULT_BASE_URL, KEY, True]


def test_the_keyring_state_can_change_after_opening(dialog: WelcomeDialog) -> None:
    assert "keeps your key in your system keyring" in dialog.storage_note.text()
    dialog.set_keyring_problem(KeyringProblem.LOCKED)
    assert dialog.start_button.text() == "Use for this session only"
    assert "locked" in dialog.storage_note.text()
    dialog.set_keyring_problem(None)
    assert dialog.start_button.text() == "Start"
    assert "keeps your key in your system keyring" in dialog.storage_note.text()


def _all_text(widget: QWidget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel))


@pytest.mark.parametrize("problem", [None, KeyringProblem.NOT_SET_UP])
def test_opening_advanced_leaves_room_for_every_line_of_text(
    qtbot: QtBot, problem: KeyringProblem | None
) -> None:
    welcome = WelcomeDialog(keyring_problem=problem)
    qtbot.addWidget(welcome)
    welcome.show()
    qtbot.waitExposed(welcome)
    QTest.mouseClick(welcome.advanced_button, Qt.MouseButton.LeftButton)
    assert welcome.base_url_edit.isVisible()
    QApplication.sendPostedEvents()  # the layout request that follows the change
    labels = [w for w in welcome.findChildren(QLabel) if w.isVisible() and w.wordWrap()]
    assert welcome.storage_note in labels
    for label in labels:
        assert label.height() >= label.heightForWidth(label.width()), label.objectName()
    assert welcome.height() >= welcome.heightForWidth(welcome.width())
    assert welcome.base_url_edit.height() >= welcome.base_url_edit.sizeHint().height()


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


# -- in the whole app ------------------------------------------------------------


def test_quit_in_the_welcome_quits_the_app_not_only_the_dialog(harness: Harness) -> None:
    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.welcome is not None and app.welcome.isVisible())
        assert app.welcome is not None
        QTest.mouseClick(app.welcome.quit_button, Qt.MouseButton.LeftButton)
        assert app.quit_wanted
        await asyncio.wait_for(app.wait_for_quit(), 2)  # what run_gui waits on

    run(harness.loop, scenario())
    assert harness.app is not None
    window = harness.app.window
    harness.quit()  # the shutdown run_gui does once wait_for_quit returns
    assert not shiboken6.isValid(window), "the main window is closed and gone"


def test_closing_the_welcome_with_escape_keeps_the_app_running(harness: Harness) -> None:
    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.welcome is not None and app.welcome.isVisible())
        assert app.welcome is not None
        QTest.keyClick(app.welcome, Qt.Key.Key_Escape)
        await until(lambda: app.welcome is None or not app.welcome.isVisible())
        assert not app.quit_wanted
        assert app.window.isVisible()

    run(harness.loop, scenario())


@pytest.mark.parametrize(
    "error",
    [
        InitError("Failed to create the collection: Prompt dismissed."),
        KeyringLocked("Failed to unlock the collection!"),
        NoKeyringError("No recommended backend was available."),
    ],
    ids=["no-default-collection", "locked", "missing"],
)
def test_an_unusable_keyring_is_explained_and_the_key_used_for_this_session(
    harness: Harness, fake_server: FakeOpenAIServer, error: Exception
) -> None:
    keyring.set_keyring(BrokenKeyring(error))  # conftest's fixture puts its own back
    shown: list[str] = []

    async def scenario() -> None:
        app = harness.start()
        app.account.failed.connect(shown.append)
        await until(lambda: app.welcome is not None and app.welcome.isVisible())
        welcome = app.welcome
        assert welcome is not None
        problem = KeyringProblem.from_error(error)
        assert welcome.start_button.text() == "Use for this session only"
        assert welcome.storage_note.text().startswith(
            f"Your key will be kept only until you quit, because {problem.reason}."
        )
        assert "system keyring, never in a file" not in _all_text(welcome)
        welcome.key_edit.setText(KEY)
        QTest.mouseClick(welcome.start_button, Qt.MouseButton.LeftButton)
        await until(lambda: app.endpoint.client() is not None)
        assert await app.key_store.load_key("foxapi") == KEY, "kept for this session"
        await until(lambda: models_fetched(fake_server))
        await harness.idle()
        shown.append(app.window.notice_bar.label.text())

    run(harness.loop, scenario())
    assert shown, "the failed read was reported"
    for message in shown:
        assert type(error).__name__ not in message and "Error" not in message
        assert "(" not in message, message


def test_a_new_address_in_the_welcome_renames_the_built_in_profile(
    harness: Harness, fake_server: FakeOpenAIServer, memory_keyring: MemoryKeyring
) -> None:
    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.welcome is not None and app.welcome.isVisible())
        assert app.welcome is not None
        assert app.settings.default_profile().name == "FoxAPI"
        app.welcome.accepted_key.emit(fake_server.base_url, KEY, False)
        await until(lambda: memory_keyring.secrets.get(("FoxChat", "foxapi")) == KEY)
        await harness.idle()

    run(harness.loop, scenario())
    host = urlsplit(fake_server.base_url).netloc
    profile = load_settings().default_profile()
    assert (profile.id, profile.name, profile.base_url) == ("foxapi", host, fake_server.base_url)


class ReadOnlyKeyring(MemoryKeyring):
    """Reads answer (no key yet), but saving fails: the keyring locked meanwhile."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


def test_a_key_the_keyring_refuses_later_is_explained_with_the_real_reason(
    harness: Harness, fake_server: FakeOpenAIServer
) -> None:
    keyring.set_keyring(ReadOnlyKeyring())  # conftest's fixture puts its own back

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.welcome is not None and app.welcome.isVisible())
        welcome = app.welcome
        assert welcome is not None
        welcome.key_edit.setText(KEY)
        QTest.mouseClick(welcome.start_button, Qt.MouseButton.LeftButton)
        await until(lambda: bool(app.window.notice_bar.label.text()))
        message = app.window.notice_bar.label.text()
        assert message.startswith(
            "Your key will be kept only until you quit, because the system keyring is locked."
        ), message
        assert "No system keyring was found" not in message
        await harness.idle()

    run(harness.loop, scenario())


def test_the_welcome_speaks_chinese(qtbot: QtBot) -> None:
    with chinese():
        welcome = WelcomeDialog()
        qtbot.addWidget(welcome)
        QTest.mouseClick(welcome.show_key_button, Qt.MouseButton.LeftButton)
        QTest.mouseClick(welcome.start_button, Qt.MouseButton.LeftButton)
    assert welcome.windowTitle() == "欢迎使用 FoxChat"
    assert welcome.show_key_button.text() == "隐藏"
    assert welcome.show_key_button.accessibleName() == "隐藏 API 密钥"
    assert welcome.result_label.text() == "请先粘贴你的 API 密钥。"
    welcome.close()
