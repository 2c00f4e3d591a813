"""The startup probe: prints the first paint time and quits through the app's own path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from foxchat.startup_probe import CALLGRIND, ENV_VAR, FirstPaintProbe
from tests.asyncqt import emission, run, until
from tests.ui.harness import Harness, harness, with_key

__all__ = ["harness"]  # the fixture, imported for pytest

REPO = Path(__file__).resolve().parents[1]

LATE_MEASURE = """
import time
time.sleep(0.3)
from foxchat.startup_probe import ms_since_process_start
print(ms_since_process_start())
"""


def test_time_is_counted_from_the_process_start_not_the_import() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", LATE_MEASURE], capture_output=True, text=True, env=env, check=True
    )
    elapsed = float(done.stdout.strip())
    assert 300 <= elapsed < 60_000


def test_first_paint_prints_once_and_calls_back_once(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    calls: list[str] = []
    probe = FirstPaintProbe(widget, lambda: calls.append("quit"))
    widget.show()
    qtbot.waitUntil(lambda: calls == ["quit"])
    assert probe.fired
    widget.repaint()
    qtbot.wait(20)
    assert calls == ["quit"]


def test_the_window_mapped_is_printed_once_before_its_first_paint(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    calls: list[str] = []
    FirstPaintProbe(widget, lambda: calls.append("quit"))
    widget.show()
    qtbot.waitUntil(lambda: calls == ["quit"])
    widget.hide()
    widget.show()
    widget.repaint()
    qtbot.wait(20)
    lines = [line.partition("=")[0] for line in capsys.readouterr().out.splitlines()]
    assert lines == ["mapped-ms", "first-paint-cpu-ms", "first-paint-ms"]


def test_the_probe_quits_the_app_through_its_quit_path(
    harness: Harness,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with_key(monkeypatch)
    monkeypatch.setenv(ENV_VAR, "1")

    async def scenario() -> None:
        app = harness.start()  # FoxChatApp.start installs the probe
        await emission(app.window.quit_requested)
        await until(lambda: app.quit_wanted)
        await harness.idle()

    run(harness.loop, scenario())
    lines = capsys.readouterr().out.splitlines()
    painted = [line for line in lines if line.startswith("first-paint-ms=")]
    assert len(painted) == 1
    assert float(painted[0].partition("=")[2]) > 0


def test_without_the_variable_the_probe_stays_out(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with_key(monkeypatch)
    monkeypatch.delenv(ENV_VAR, raising=False)

    async def scenario() -> None:
        app = harness.start()  # FoxChatApp.start installs the probe
        assert app.window.findChildren(FirstPaintProbe) == []
        await until(app.window.isVisible)
        app.window.repaint()
        await harness.idle()
        assert not app.quit_wanted

    run(harness.loop, scenario())
    assert "first-paint" not in capsys.readouterr().out


def test_under_callgrind_the_first_paint_is_marked_by_one_getsid_call(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """benchmarks/startup.py --callgrind counts the instructions up to this call."""
    calls: list[int] = []
    real_getsid = os.getsid

    def counted(pid: int) -> int:
        calls.append(pid)
        return real_getsid(pid)

    monkeypatch.setattr(os, "getsid", counted)

    def first_paint_with(value: str) -> list[int]:
        monkeypatch.setenv(ENV_VAR, value)
        calls.clear()
        widget = QWidget()
        qtbot.addWidget(widget)
        quit_calls: list[str] = []
        FirstPaintProbe(widget, lambda: quit_calls.append("quit"))
        widget.show()
        qtbot.waitUntil(lambda: quit_calls == ["quit"])
        widget.repaint()
        qtbot.wait(20)
        return list(calls)

    assert first_paint_with("1") == []
    assert first_paint_with(CALLGRIND) == [0]
