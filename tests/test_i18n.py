"""Translations: the catalogue matches the code, and the language follows the person."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from foxchat import i18n

REPO = Path(__file__).resolve().parent.parent


def i18n_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_script", REPO / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_marked_message_is_translated_and_compiled() -> None:
    assert i18n_script().problems() == []


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("zh", "zh_CN"),
        ("en_GB.UTF-8", "en"),
        ("C", None),
        ("fr_FR.UTF-8", None),
        ("", None),
    ],
)
def test_system_tags_map_to_a_language_foxchat_has(tag: str, code: str | None) -> None:
    assert i18n.normalise(tag) == code


def test_the_setting_wins_over_the_system_and_system_means_the_environment() -> None:
    chinese = {"LANG": "zh_CN.UTF-8"}
    assert i18n.choose("", chinese) == "zh_CN"
    assert i18n.choose("en", chinese) == "en"
    assert i18n.choose("", {"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}) == "zh_CN"
    assert i18n.choose("", {"LANG": "C"}) == "en"


def test_a_settings_file_names_the_language_or_leaves_it_to_the_system(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert i18n.language_setting(path) == ""
    path.write_text(json.dumps({"language": "zh_CN"}), "utf-8")
    assert i18n.language_setting(path) == "zh_CN"
    path.write_text(json.dumps({"language": "klingon"}), "utf-8")
    assert i18n.language_setting(path) == ""
    path.write_text("{not json", "utf-8")
    assert i18n.language_setting(path) == ""


def _help(env_lang: str, data_dir: Path) -> str:
    env = dict(os.environ, LANG=env_lang, LC_ALL="", LANGUAGE="", FOXCHAT_DATA_DIR=str(data_dir))
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "foxchat", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_the_command_line_speaks_chinese_when_the_system_does(tmp_path: Path) -> None:
    assert "导出对话（默认导出全部）" in _help("zh_CN.UTF-8", tmp_path)
    assert "export conversations (all by default)" in _help("C.UTF-8", tmp_path)


def test_installing_a_language_translates_and_english_is_the_fallback() -> None:
    try:
        assert i18n.install("zh_CN") == "zh_CN"
        assert i18n._("the message to send") == "要发送的消息"
        assert i18n._("a message nobody translated") == "a message nobody translated"
        assert i18n.install("xx") == "en"
        assert i18n._("the message to send") == "the message to send"
    finally:
        i18n.install("en")


def test_qt_speaks_chinese_for_its_own_buttons(qapp: object) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from foxchat.ui.translations import install_qt_translations

    assert isinstance(qapp, QApplication)
    translator = install_qt_translations(qapp, "zh_CN")
    try:
        assert translator is not None
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)
        from PySide6.QtCore import QLocale

        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    assert install_qt_translations(qapp, "en") is None
