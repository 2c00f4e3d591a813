"""A person who presses Enter the moment the window appears gets their reply.

The first frame is drawn before asyncio, qasync and the key are ready
(``app.run_gui``). A send made then used to be lost (a task on a loop that
never ran, then exit code 1 at Ctrl+Q) or told that a saved key was missing.
These start the real app in a child process against the fake server, with the
key in a keyring that answers after 300 ms, as a desktop keyring may.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeserver import FakeOpenAIServer
from tests.slow_keyring import DELAY_ENV, KEY_ENV

REPO = Path(__file__).resolve().parents[2]
DRIVER = REPO / "tests" / "ui" / "early_send_driver.py"


def run_early_user(server: FakeOpenAIServer, data_dir: Path, delay_ms: int) -> dict[str, str]:
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        QT_QPA_PLATFORM="offscreen",
        FOXCHAT_DATA_DIR=str(data_dir),
        FOXCHAT_BASE_URL=server.base_url,
        PYTHON_KEYRING_BACKEND="tests.slow_keyring.SlowKeyring",
    )
    env[KEY_ENV] = "sk-saved-in-the-keyring-0123"
    env[DELAY_ENV] = "0.3"
    env.pop("FOXCHAT_API_KEY", None)
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(delay_ms)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    facts = dict(line.partition("=")[::2] for line in done.stdout.splitlines() if "=" in line)
    return facts


@pytest.mark.parametrize("delay_ms", [0, 50, 100, 200, 500])
def test_enter_right_after_the_first_paint_gets_the_reply_and_quits_cleanly(
    fake_server: FakeOpenAIServer, tmp_path: Path, delay_ms: int
) -> None:
    facts = run_early_user(fake_server, tmp_path / f"data-{delay_ms}", delay_ms)
    assert facts.get("reply_status") == "complete", facts
    assert facts.get("reply_text") == "Echo: hello from the first frame"
    assert facts.get("reply_error") == "None"
    # The chat's own request (streamed); naming the chat adds one that is not.
    chats = [r for r in fake_server.requests if r.body and r.body.get("stream")]
    assert len(chats) == 1
    assert chats[0].headers.get("authorization") == "Bearer sk-saved-in-the-keyring-0123"


def test_the_earliest_enter_comes_before_the_loop_is_ready(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    # Keeps the test above honest: delay 0 really is inside the gap.
    facts = run_early_user(fake_server, tmp_path / "data", 0)
    assert facts["loop_ready_at_enter"] == "False"
