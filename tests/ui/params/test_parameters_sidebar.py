"""The parameters sidebar when it starts hidden: built on first show, same behaviour.

A narrow window (or a user who closed the sidebar) starts without the
parameters panel; ``ParametersSidebar`` holds the chat's settings until it is
first shown. These tests drive the real app against the fake server and check
that nothing a user can notice depends on whether the panel was ever built.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

from foxchat.api.params import GenerationParams
from foxchat.app import FoxChatApp
from foxchat.paths import config_dir
from foxchat.presets import Preset, PresetStore
from foxchat.settings import load_settings, save_settings
from tests.asyncqt import run, until
from tests.fakeserver import FakeOpenAIServer
from tests.ui.harness import Harness, harness, models_fetched, type_and_send, with_key

__all__ = ["harness"]  # the fixture, imported for pytest

WARM = GenerationParams().with_values(temperature=1.3, max_tokens=55)
WARM = WARM.with_enabled("temperature", True).with_enabled("max_tokens", True)


def start_narrow(harness: Harness) -> FoxChatApp:
    """Start the app in an 800 px wide window, where the sidebar steps aside."""
    sized = QWidget()
    sized.resize(800, 600)
    geometry = bytes(sized.saveGeometry().toBase64().data()).decode("ascii")
    sized.deleteLater()
    save_settings(replace(load_settings(), window_geometry=geometry))
    return harness.start()


def start_with_sidebar_closed(harness: Harness) -> FoxChatApp:
    """Start the app in a wide window whose user closed the sidebar last time."""
    save_settings(replace(load_settings(), sidebar_visible=False))
    return harness.start()


def next_tab_stop(widget: QWidget) -> QWidget:
    """Where Tab goes from ``widget`` (ignoring whether things are on screen)."""
    candidate = widget.nextInFocusChain()
    while candidate is not None and not candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
        candidate = candidate.nextInFocusChain()
    assert candidate is not None
    return candidate


def test_a_narrow_start_builds_the_sidebar_when_it_is_first_shown(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = start_narrow(harness)
        window = app.window
        cid = window.current_id
        assert cid is not None
        app.conversations.set_system_prompt(cid, "Be brief.")
        app.conversations.set_params(cid, WARM)
        window.open_conversation(cid)
        await until(lambda: models_fetched(fake_server))
        await harness.idle()
        assert not window.sidebar.is_built()
        assert not window.sidebar.isVisible()

        window.sidebar_action.trigger()  # Ctrl+Shift+P
        assert window.sidebar.is_built() and window.sidebar.isVisible()
        panel = window.parameters
        assert panel.isVisible()
        assert panel.params() == WARM
        assert panel.number_rows["temperature"].value() == 1.3
        assert panel.system_prompt() == "Be brief."
        assert panel.model() == "gpt-4o-mini"
        combo = panel.model_combo
        assert [combo.itemText(i) for i in range(combo.count())] == fake_server.models
        # Tab from Send reaches the sidebar first, as when it was built with the window.
        assert panel.isAncestorOf(next_tab_stop(window.composer.send_button))

        # The panel's edits reach the chat, and "Use as default" saves them.
        cooler = WARM.with_values(temperature=0.2)
        spin = panel.number_rows["temperature"].spin
        assert isinstance(spin, QDoubleSpinBox)
        spin.setValue(0.2)
        app.conversations.flush_drafts()  # parameter edits are saved after a short pause
        stored = app.store.get_conversation(cid)
        assert GenerationParams.from_json(stored.params_json) == cooler
        panel.default_button.click()
        assert GenerationParams.from_json(app.settings.default_params_json) == cooler

        window.sidebar_action.trigger()
        assert not window.sidebar.isVisible()

    run(harness.loop, scenario())


def test_a_sidebar_never_shown_still_sends_and_keeps_each_chats_parameters(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        app = start_with_sidebar_closed(harness)
        window = app.window
        first = window.current_id
        assert first is not None
        app.conversations.set_params(first, WARM)
        window.new_conversation()
        second = window.current_id
        assert second is not None and second != first
        window.open_conversation(first)
        await until(lambda: app.endpoint.client() is not None)

        type_and_send(app, "Hello")
        await until(lambda: not app.chat.is_streaming(first) and len(fake_server.requests) > 1)
        sent = [r.body for r in fake_server.requests if r.path.endswith("/chat/completions")]
        assert sent[-1]["temperature"] == 1.3 and sent[-1]["max_tokens"] == 55
        assert "top_p" not in sent[-1]

        window.open_conversation(second)
        window.open_conversation(first)
        for cid, params in ((first, WARM), (second, GenerationParams())):
            stored = json.loads(app.store.get_conversation(cid).params_json)
            assert GenerationParams.from_json(json.dumps(stored)) == params
        assert window.sidebar.params() == WARM
        assert not window.sidebar.is_built()
        await harness.idle()

    run(harness.loop, scenario())


def test_the_sidebar_opened_in_an_800_px_window_shows_its_controls_whole(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def scenario() -> None:
        window = start_narrow(harness).window
        window.sidebar_action.trigger()
        await harness.idle()
        area = window.parameters.scroll_area
        content = area.widget()
        assert content is not None
        assert window.sidebar.isVisible()
        # No sideways scrolling: the controls must fit, not be cut at the right edge.
        assert area.viewport().width() >= content.minimumSizeHint().width()
        assert content.width() <= area.viewport().width()

    run(harness.loop, scenario())


def test_the_sidebar_shows_the_presets_the_app_keeps_in_the_config_dir(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)
    # Saved by an earlier run: the app's one store must read it, wherever the panel is built.
    PresetStore(config_dir() / "presets.json").save(Preset("Warm", WARM))

    async def scenario() -> None:
        app = start_narrow(harness)
        assert app.presets.path == config_dir() / "presets.json"
        app.window.sidebar_action.trigger()
        await harness.idle()
        bar = app.window.parameters.presets_bar
        assert [bar.combo.itemData(i) for i in range(bar.combo.count())][-1] == "Warm"
        app.presets.save(Preset("Cool", GenerationParams()))
        bar.reload()
        assert bar.combo.findData("Cool") >= 0  # the panel holds the app's store, not a copy

    run(harness.loop, scenario())


def test_the_sections_a_person_opens_stay_open_next_time(
    harness: Harness, fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_key(monkeypatch)

    async def first_run() -> None:
        app = start_narrow(harness)  # the panel is built later, when first shown
        window = app.window
        await harness.idle()
        window.sidebar_action.trigger()
        panel = window.parameters
        assert not panel.sections["more"].is_expanded()
        QTest.mouseClick(panel.sections["more"].header, Qt.MouseButton.LeftButton)
        QTest.mouseClick(panel.sections["sampling"].header, Qt.MouseButton.LeftButton)
        assert panel.sections["more"].is_expanded()
        assert not panel.sections["sampling"].is_expanded()

    run(harness.loop, first_run())
    harness.quit()

    async def second_run() -> None:
        app = harness.start()
        window = app.window
        await harness.idle()
        if not window.sidebar.isVisible():
            window.sidebar_action.trigger()
        panel = window.parameters
        assert panel.sections["more"].is_expanded()
        assert panel.number_rows["seed"].isVisibleTo(panel)
        assert not panel.sections["sampling"].is_expanded()
        assert panel.sections["reply"].is_expanded()  # untouched: as by default

    run(harness.loop, second_run())
