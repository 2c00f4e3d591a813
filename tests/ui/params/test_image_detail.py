"""The sidebar's image detail: three choices, each explained, saved as a setting."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from foxchat.settings import load_settings
from foxchat.ui.params.image_detail import EXPLANATIONS, ImageDetailRow
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer
from tests.ui.harness import Harness, harness, with_key

__all__ = ["harness"]  # the fixture, imported for pytest


def test_each_choice_says_what_it_means_and_is_reported(qtbot: QtBot) -> None:
    row = ImageDetailRow()
    qtbot.addWidget(row)
    chosen: list[str] = []
    row.detail_changed.connect(chosen.append)
    assert row.explanation.text() == EXPLANATIONS["auto"]
    row.set_detail("high")  # showing a value is not a change
    assert chosen == [] and row.explanation.text() == EXPLANATIONS["high"]
    row.combo.setCurrentIndex(row.combo.findData("low"))
    assert chosen == ["low"]
    assert "low resolution" in row.explanation.text()
    assert row.combo.accessibleName() == "How closely the model looks at images"


def test_the_choice_in_the_sidebar_is_saved_as_a_setting(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = harness.start()
        await until(lambda: app.endpoint.client() is not None)
        app.window.sidebar.show()
        panel = app.window.parameters
        panel.image_detail.combo.setCurrentIndex(panel.image_detail.combo.findData("high"))
        assert app.prefs.current.image_detail == "high"
        assert load_settings().image_detail == "high"
        await harness.idle()

    run(harness.loop, scenario())
