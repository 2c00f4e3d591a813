"""The settings dialog: what the user changes is what comes out, and keys only by request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from foxchat import DEFAULT_BASE_URL
from foxchat.settings import EndpointProfile, Settings, load_settings, save_settings
from foxchat.ui.settings_dialog import SettingsDialog
from foxchat.ui.translations import install_qt_translations
from tests.chinese import chinese

LOCAL = EndpointProfile("local", "My server", "http://127.0.0.1:8080/v1")


class Answers:
    """The user's answers to confirmation questions, and the questions asked."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.questions: list[str] = []

    def __call__(self, title: str, question: str) -> bool:
        self.questions.append(question)
        return self.answer


class Opened:
    """A shown dialog plus everything it emitted."""

    def __init__(self, dialog: SettingsDialog, answers: Answers) -> None:
        self.dialog = dialog
        self.answers = answers
        self.emitted: list[tuple[str, Any]] = []
        for name in (
            "settings_changed",
            "key_change_requested",
            "key_removal_requested",
            "test_requested",
            "saved_key_test_requested",
        ):
            getattr(dialog, name).connect(
                lambda *args, name=name: self.emitted.append((name, args))
            )

    def of(self, name: str) -> list[Any]:
        return [args for signal, args in self.emitted if signal == name]

    def saved(self) -> Settings:
        [(settings,)] = self.of("settings_changed")
        assert isinstance(settings, Settings)
        return settings


def qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside its own widgets (tab scrollers, a table's corner)."""
    if widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView | QTabBar):
            return True
        parent = parent.parentWidget()
    return isinstance(widget, QTabBar)


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    QTest.keyClicks(edit, text)


@pytest.fixture
def original() -> Settings:
    return Settings(window_geometry="AdnQywAD", model_prices={"gpt-4o": (2.5, 10.0)})


@pytest.fixture
def opened(qtbot: QtBot, original: Settings) -> Iterator[Opened]:
    answers = Answers(True)
    dialog = SettingsDialog(original, confirm=answers)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield Opened(dialog, answers)
    dialog.close()


def test_every_control_has_an_object_name_and_an_accessible_name(opened: Opened) -> None:
    dialog = opened.dialog
    controls = [*dialog.findChildren(QLineEdit), *dialog.findChildren(QAbstractButton)]
    controls += dialog.findChildren(QLabel)
    unnamed = [
        f"{type(c).__name__} {getattr(c, 'text', lambda: '')()!r}"
        for c in controls
        if (not c.objectName() or not c.accessibleName()) and not qt_internal(c)
    ]
    assert unnamed == []


def test_save_without_changes_gives_the_same_settings(opened: Opened, original: Settings) -> None:
    click(opened.dialog.buttons.button(opened.dialog.buttons.StandardButton.Save))
    assert opened.saved() == original
    assert opened.of("key_removal_requested") == []


def test_appearance_and_chat_defaults_come_out_as_set(opened: Opened) -> None:
    dialog = opened.dialog
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dialog.font_size_spin.setValue(14)
    dialog.auto_title_check.setChecked(False)
    dialog.context_limit_spin.setValue(20)
    type_into(dialog.model_edit, "deepseek-chat")
    dialog.buttons.accepted.emit()
    saved = opened.saved()
    assert (saved.theme, saved.font_size, saved.auto_title) == ("dark", 14, False)
    assert (saved.context_limit, saved.default_model) == (20, "deepseek-chat")
    assert saved.window_geometry == "AdnQywAD", "what the dialog does not show is kept"


def test_context_limit_zero_reads_as_off(opened: Opened) -> None:
    assert opened.dialog.context_limit_spin.text().startswith("Off")


def test_a_new_profile_can_be_named_pointed_and_made_default(opened: Opened) -> None:
    dialog = opened.dialog
    click(dialog.add_profile_button)
    type_into(dialog.name_edit, "My server")
    type_into(dialog.base_url_edit, "http://127.0.0.1:8080/v1/")
    click(dialog.default_button)
    assert dialog.profile_list.item(1).text() == "My server (default)"
    dialog.buttons.accepted.emit()
    saved = opened.saved()
    assert [p.name for p in saved.profiles] == ["FoxAPI", "My server"]
    assert saved.default_profile().base_url == "http://127.0.0.1:8080/v1"


def test_removing_a_profile_asks_first_and_then_removes_its_key(
    qtbot: QtBot, original: Settings
) -> None:
    settings = Settings(profiles=[*original.profiles, LOCAL], default_profile_id="local")
    answers = Answers(False)
    dialog = SettingsDialog(settings, confirm=answers)
    qtbot.addWidget(dialog)
    opened = Opened(dialog, answers)
    assert dialog.current_profile() == LOCAL, "opens on the default profile"
    click(dialog.remove_profile_button)
    assert len(answers.questions) == 1 and "My server" in answers.questions[0]
    assert dialog.profile_list.count() == 2, "answering No keeps it"
    answers.answer = True
    click(dialog.remove_profile_button)
    assert dialog.profile_list.count() == 1
    assert not dialog.remove_profile_button.isEnabled(), "the last profile stays"
    assert opened.of("key_removal_requested") == [], "nothing happens before Save"
    dialog.buttons.accepted.emit()
    saved = opened.saved()
    assert saved.profiles == original.profiles
    assert saved.default_profile_id == "foxapi"
    assert opened.of("key_removal_requested") == [("local",)]


def test_a_new_key_is_handed_over_and_confirmed(opened: Opened) -> None:
    dialog = opened.dialog
    dialog.set_key_present("foxapi", False)
    assert "No key saved" in dialog.key_status.text()
    assert not dialog.remove_key_button.isEnabled()
    type_into(dialog.key_edit, " sk-new ")
    click(dialog.save_key_button)
    assert opened.of("key_change_requested") == [("foxapi", "sk-new")]
    assert dialog.key_edit.text() == "", "the key does not linger in the widget"
    dialog.show_key_saved("foxapi", "keyring")
    assert dialog.key_status.text() == "Key saved in the system keyring."
    assert dialog.remove_key_button.isEnabled()


def test_removing_the_key_needs_a_yes(opened: Opened) -> None:
    dialog = opened.dialog
    dialog.set_key_present("foxapi", True)
    opened.answers.answer = False
    click(dialog.remove_key_button)
    assert opened.of("key_removal_requested") == []
    opened.answers.answer = True
    click(dialog.remove_key_button)
    assert opened.of("key_removal_requested") == [("foxapi",)]
    assert len(opened.answers.questions) == 2
    dialog.show_key_removed("foxapi")
    assert "No key saved" in dialog.key_status.text()


def test_testing_uses_the_typed_key_or_else_the_saved_one(opened: Opened) -> None:
    dialog = opened.dialog
    click(dialog.test_button)
    assert opened.of("saved_key_test_requested") == [("foxapi", DEFAULT_BASE_URL)]
    assert not dialog.test_button.isEnabled()
    dialog.show_test_result(True, "Connected. 42 models available.")
    assert dialog.test_result.text() == "Connected. 42 models available."
    type_into(dialog.key_edit, "sk-typed")
    click(dialog.test_button)
    assert opened.of("test_requested") == [(DEFAULT_BASE_URL, "sk-typed")]


def test_a_wrong_address_blocks_save_with_a_plain_message(opened: Opened) -> None:
    dialog = opened.dialog
    type_into(dialog.base_url_edit, "api.foxapi.cc")
    dialog.buttons.accepted.emit()
    assert opened.of("settings_changed") == []
    assert "https://" in dialog.error_label.text()
    assert dialog.isVisible()


def test_prices_are_edited_in_a_table(opened: Opened) -> None:
    editor = opened.dialog.prices
    click(editor.add_button)
    row = editor.table.rowCount() - 1
    for column, text in enumerate(("deepseek-chat", "0.27", "1,10")):
        item = editor.table.item(row, column)
        assert item is not None
        item.setText(text)
    opened.dialog.buttons.accepted.emit()
    assert opened.saved().model_prices == {"gpt-4o": (2.5, 10.0), "deepseek-chat": (0.27, 1.1)}


def test_a_bad_price_is_explained(opened: Opened) -> None:
    editor = opened.dialog.prices
    item = editor.table.item(0, 1)
    assert item is not None
    item.setText("cheap")
    opened.dialog.buttons.accepted.emit()
    assert opened.of("settings_changed") == []
    assert opened.dialog.error_label.text() == "The prices for gpt-4o must be numbers, like 2.50."


def test_cancel_changes_nothing_and_drops_keys_of_unsaved_profiles(opened: Opened) -> None:
    dialog = opened.dialog
    click(dialog.add_profile_button)
    new_id = dialog.current_profile().id
    type_into(dialog.key_edit, "sk-new")
    click(dialog.save_key_button)
    dialog.theme_combo.setCurrentIndex(2)
    dialog.reject()
    assert opened.of("settings_changed") == []
    assert opened.of("key_removal_requested") == [(new_id,)]


def test_a_proxy_is_saved_and_a_wrong_one_is_explained(opened: Opened) -> None:
    dialog = opened.dialog
    type_into(dialog.proxy_edit, "proxy.example.com:8080")
    dialog.buttons.accepted.emit()
    assert opened.of("settings_changed") == []
    assert dialog.tabs.currentWidget().objectName() == "networkTab"
    assert dialog.error_label.text().startswith("The proxy address must start with http://")
    type_into(dialog.proxy_edit, " socks5://127.0.0.1:1080 ")
    dialog.buttons.accepted.emit()
    assert opened.saved().proxy == "socks5://127.0.0.1:1080"


def test_the_proxy_field_shows_the_stored_proxy(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(proxy="http://proxy:3128"))
    qtbot.addWidget(dialog)
    assert dialog.proxy_edit.text() == "http://proxy:3128"
    assert dialog.proxy_edit.accessibleName() == "Proxy address"
    assert dialog.edited_settings().proxy == "http://proxy:3128"
    dialog.proxy_edit.clear()
    assert dialog.edited_settings().proxy == ""


def test_what_the_dialog_saves_survives_a_restart(opened: Opened) -> None:
    dialog = opened.dialog
    click(dialog.add_profile_button)
    type_into(dialog.name_edit, "Local")
    dialog.font_size_spin.setValue(13)
    dialog.buttons.accepted.emit()
    save_settings(opened.saved())
    assert load_settings() == opened.saved()


def test_an_unencrypted_remote_address_asks_before_it_is_kept(
    qtbot: QtBot, original: Settings
) -> None:
    answers = Answers(False)
    dialog = SettingsDialog(original, confirm=answers)
    qtbot.addWidget(dialog)
    opened = Opened(dialog, answers)
    type_into(dialog.base_url_edit, "http://chat.example.com/v1")
    type_into(dialog.key_edit, "sk-typed")
    click(dialog.test_button)
    assert opened.of("test_requested") == [], "no key sent in the clear without a yes"
    dialog.buttons.accepted.emit()
    assert opened.of("settings_changed") == []
    assert "https://" in dialog.error_label.text()
    assert len(answers.questions) == 2
    assert all("unencrypted" in q for q in answers.questions)
    answers.answer = True
    dialog.buttons.accepted.emit()
    [(saved,)] = opened.of("settings_changed")
    assert saved.default_profile().base_url == "http://chat.example.com/v1"
    assert len(answers.questions) == 3


def test_https_loopback_and_unchanged_addresses_do_not_ask(qtbot: QtBot) -> None:
    remote = EndpointProfile("lan", "Old LAN box", "http://10.0.0.5:8000/v1")
    settings = Settings(profiles=[remote, LOCAL], default_profile_id="lan")
    answers = Answers(False)
    dialog = SettingsDialog(settings, confirm=answers)
    qtbot.addWidget(dialog)
    opened = Opened(dialog, answers)
    click(dialog.add_profile_button)
    type_into(dialog.name_edit, "Local llama")
    type_into(dialog.base_url_edit, "http://localhost:11434/v1")
    dialog.buttons.accepted.emit()
    assert len(opened.of("settings_changed")) == 1
    assert answers.questions == []


def test_the_language_is_chosen_in_appearance_and_saved(opened: Opened) -> None:
    dialog = opened.dialog
    combo = dialog.language_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["System", "English", "简体中文"]
    assert combo.currentData() == ""
    combo.setCurrentIndex(combo.findData("zh_CN"))
    dialog.buttons.accepted.emit()
    assert opened.saved().language == "zh_CN"
    save_settings(opened.saved())
    from foxchat import i18n
    from foxchat.paths import settings_path

    assert i18n.language_setting(settings_path()) == "zh_CN", "read before anything else starts"


def test_save_and_cancel_keep_their_names_when_qt_speaks_chinese(
    qtbot: QtBot, qapp: QApplication
) -> None:
    translator = install_qt_translations(qapp, "zh_CN")
    try:
        with chinese():
            dialog = SettingsDialog(Settings())
        qtbot.addWidget(dialog)
        save = dialog.findChild(QAbstractButton, "saveButton")
        cancel = dialog.findChild(QAbstractButton, "cancelButton")
        assert save is not None and save.text().replace("&", "").startswith("保存")
        assert cancel is not None and cancel.accessibleName().startswith("取消")
        assert [dialog.tabs.tabText(i) for i in range(3)] == ["账户", "外观", "对话"]
        assert dialog.key_status.text() == "正在查找已保存的密钥…"
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def test_the_context_limit_says_one_message_in_the_singular(opened: Opened) -> None:
    spin = opened.dialog.context_limit_spin
    spin.setValue(1)
    assert spin.text() == "1 latest message"
    spin.setValue(20)
    assert spin.text() == "20 latest messages"
