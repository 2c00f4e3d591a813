"""One window per data folder, checked with real ``foxchat`` processes.

The first ``python -m foxchat`` runs offscreen against the fake server; a
second start must bring it forward and exit 0 without opening the store, the
CLI subcommands must keep working beside it, and a primary killed with
SIGKILL must not block the next start (its socket and lock are left over).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from foxchat.cli import INSTANCE_LOCK_FILE
from foxchat.single_instance import HANDED_OVER, LOCK_FILE, bring_to_front, server_name
from tests.fakeserver import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[1]
LISTENING = "listening for second starts"
ACTIVATED = "window brought to the front"
#: Generous for a loaded 2-core machine; a second start normally takes under a second.
SECOND_START_LIMIT_S = 20.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _env(data_dir: Path, server: FakeOpenAIServer) -> dict[str, str]:
    return dict(
        os.environ,
        PYTHONPATH=str(REPO),
        FOXCHAT_DATA_DIR=str(data_dir),
        FOXCHAT_BASE_URL=server.base_url,
        FOXCHAT_API_KEY="sk-single-instance-test",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        QT_QPA_PLATFORM="offscreen",
    )


def _log(data_dir: Path) -> str:
    path = data_dir / "logs" / "foxchat.log"
    return path.read_text("utf-8") if path.exists() else ""


def _wait_for_log(data_dir: Path, text: str, count: int = 1, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while _log(data_dir).count(text) < count:
        assert time.monotonic() < deadline, f"no {text!r} in the log:\n{_log(data_dir)}"
        time.sleep(0.05)


def _start_window(data_dir: Path, server: FakeOpenAIServer) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "foxchat"],
        env=_env(data_dir, server),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _foxchat(
    data_dir: Path, server: FakeOpenAIServer, *args: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "foxchat", *args],
        env=_env(data_dir, server),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done, time.monotonic() - started


def _end(child: subprocess.Popen[str]) -> None:
    if child.poll() is None:
        child.kill()
    child.communicate(timeout=30)


@pytest.fixture
def first_window(
    tmp_path: Path, fake_server: FakeOpenAIServer
) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A running FoxChat window (offscreen) that listens for second starts."""
    data_dir = tmp_path / "shared-data"
    child = _start_window(data_dir, fake_server)
    try:
        _wait_for_log(data_dir, LISTENING)
        yield data_dir, child
    finally:
        _end(child)


def test_a_second_start_brings_the_first_forward_and_exits_0(
    first_window: tuple[Path, subprocess.Popen[str]], fake_server: FakeOpenAIServer
) -> None:
    data_dir, first = first_window
    # Held while the second starts: opening the store would have to write
    # (and wait, then explain in a dialog), so a quick exit shows it never did.
    blocker = sqlite3.connect(data_dir / "foxchat.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        second, elapsed = _foxchat(data_dir, fake_server)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == HANDED_OVER
    assert elapsed < SECOND_START_LIMIT_S
    _wait_for_log(data_dir, ACTIVATED)
    assert first.poll() is None  # the first window still runs
    assert _log(data_dir).count(LISTENING) == 1  # only the first window listens


def test_cli_subcommands_work_beside_a_running_window(
    first_window: tuple[Path, subprocess.Popen[str]], fake_server: FakeOpenAIServer
) -> None:
    data_dir, first = first_window

    models, _ = _foxchat(data_dir, fake_server, "models")
    exported, _ = _foxchat(data_dir, fake_server, "export")

    assert models.returncode == 0, models.stderr
    assert models.stdout.split() == fake_server.models
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["format"] == "foxchat"
    assert first.poll() is None
    assert ACTIVATED not in _log(data_dir)  # subcommands never knock on the window


def test_a_killed_window_leaves_nothing_that_blocks_the_next_start(
    tmp_path: Path, fake_server: FakeOpenAIServer
) -> None:
    data_dir = tmp_path / "crashed"
    crashed = _start_window(data_dir, fake_server)
    try:
        _wait_for_log(data_dir, LISTENING)
    finally:
        crashed.send_signal(signal.SIGKILL)
        _end(crashed)
    lock_file = data_dir / LOCK_FILE
    assert lock_file.exists()  # left behind, with its socket
    assert lock_file.stat().st_mode & 0o077 == 0  # private, like the rest of the folder

    replacement = _start_window(data_dir, fake_server)
    try:
        _wait_for_log(data_dir, LISTENING, count=2)
        second, _ = _foxchat(data_dir, fake_server)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        _wait_for_log(data_dir, ACTIVATED)
        assert replacement.poll() is None
    finally:
        _end(replacement)


def test_each_data_folder_has_its_own_socket_name(tmp_path: Path) -> None:
    one, other = tmp_path / "one", tmp_path / "other"
    one.mkdir()
    assert server_name(one) != server_name(other)
    # The same folder, however it is spelled, is the same window.
    assert server_name(one) == server_name(tmp_path / "other" / ".." / "one")
    os.symlink(one, tmp_path / "link")
    assert server_name(tmp_path / "link") == server_name(one)


def test_a_window_that_cannot_reach_the_lock_holder_still_opens(
    tmp_path: Path, fake_server: FakeOpenAIServer
) -> None:
    data_dir = tmp_path / "unreachable"
    data_dir.mkdir()
    # A live process (this one) holds the lock but never answers on the socket.
    holder = QLockFile(str(data_dir / LOCK_FILE))
    holder.setStaleLockTime(0)
    assert holder.tryLock(0)
    try:
        window = _start_window(data_dir, fake_server)
        try:
            _wait_for_log(data_dir, "cannot be reached; opening anyway")
            deadline = time.monotonic() + 60
            while not (data_dir / "foxchat.sqlite3").exists():  # it opened the store
                assert time.monotonic() < deadline
                time.sleep(0.05)
            time.sleep(0.5)
            assert window.poll() is None  # it opened rather than exiting or hanging
            assert LISTENING not in _log(data_dir)  # and it left the socket to the holder
        finally:
            _end(window)
    finally:
        holder.unlock()


def test_bring_to_front_restores_a_minimised_window(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    qtbot.waitUntil(window.isVisible)

    bring_to_front(window)

    assert not window.isMinimized()
    assert window.isVisible()


SECOND_START_MODULES = """
import sys
import foxchat.cli
code = foxchat.cli.main([])
print("window code loaded:", "foxchat.app" in sys.modules, "exit:", code)
"""


def test_a_second_start_leaves_before_loading_the_window_code(
    first_window: tuple[Path, subprocess.Popen[str]], fake_server: FakeOpenAIServer
) -> None:
    data_dir, _first = first_window
    done = subprocess.run(
        [sys.executable, "-c", SECOND_START_MODULES],
        env=_env(data_dir, fake_server),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.splitlines() == [HANDED_OVER, "window code loaded: False exit: 0"]
    _wait_for_log(data_dir, ACTIVATED)


def test_the_command_looks_for_the_lock_file_the_window_takes() -> None:
    assert INSTANCE_LOCK_FILE == LOCK_FILE
