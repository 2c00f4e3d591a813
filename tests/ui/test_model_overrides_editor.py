"""Settings > Models: what was learnt per model is listed, forgotten on request, saved on Save."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from foxchat.api.model_rules import Overrides
from foxchat.settings import Settings
from foxchat.ui.settings_dialog import SettingsDialog

SERVER = "https://api.foxapi.cc/v1"
LEARNT = {
    SERVER: {
        "gateway-model": Overrides(refused={"top_p": "Unsupported parameter: 'top_p'."}),
        "o3-mini": Overrides(send_anyway=frozenset({"temperature"})),
    }
}


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[SettingsDialog]:
    shown = SettingsDialog(Settings(model_overrides=LEARNT), confirm=lambda _t, _q: True)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.tabs.setCurrentWidget(shown.model_overrides)
    yield shown
    shown.close()


def rows(dialog: SettingsDialog) -> list[list[str]]:
    tree = dialog.model_overrides.tree
    out: list[list[str]] = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        assert item is not None
        out.append([item.text(c) for c in range(tree.columnCount())])
    return out


def test_each_refusal_and_send_anyway_is_listed_in_plain_words(dialog: SettingsDialog) -> None:
    assert rows(dialog) == [
        [
            "gateway-model",
            "top_p",
            "Left out: the server refused it (“Unsupported parameter: 'top_p'.”)",
            SERVER,
        ],
        ["o3-mini", "temperature", "Sent anyway, as you chose", SERVER],
    ]
    assert not dialog.model_overrides.forget_button.isEnabled(), "nothing selected yet"


def test_forget_one_then_save_keeps_the_rest(dialog: SettingsDialog) -> None:
    saved: list[Settings] = []
    dialog.settings_changed.connect(saved.append)
    editor = dialog.model_overrides
    first = editor.tree.topLevelItem(0)
    assert first is not None
    editor.tree.setCurrentItem(first, 0, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    editor.forget_button.click()
    assert [r[0] for r in rows(dialog)] == ["o3-mini"]
    dialog.buttons.accepted.emit()
    assert saved[-1].model_overrides == {SERVER: {"o3-mini": LEARNT[SERVER]["o3-mini"]}}


def test_forget_all_says_nothing_is_learnt(dialog: SettingsDialog) -> None:
    editor = dialog.model_overrides
    editor.forget_all_button.click()
    assert rows(dialog) == []
    assert editor.empty_note.isVisibleTo(dialog) and not editor.tree.isVisibleTo(dialog)
    assert dialog.edited_settings().model_overrides == {}


def test_cancel_forgets_nothing(dialog: SettingsDialog) -> None:
    saved: list[Settings] = []
    dialog.settings_changed.connect(saved.append)
    dialog.model_overrides.forget_all_button.click()
    dialog.reject()
    assert saved == []
