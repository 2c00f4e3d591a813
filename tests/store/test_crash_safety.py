"""A reply being streamed survives SIGKILL: the question, and all but the last moment."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foxchat.store import MessageStatus, Store
from tests.store.streaming_child import reply_text

CHILD = Path(__file__).with_name("streaming_child.py")
REPO = Path(__file__).resolve().parents[2]
#: After how many committed chunks each round is killed (20 points, 0 = before any).
KILL_POINTS = [0, 1, 2, 3, 4, 6, 8, 11, 15, 20, 26, 33, 41, 50, 60, 72, 85, 100, 120, 150]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _read_until_killed(child: subprocess.Popen[str], saved_before_kill: int) -> tuple[int, int]:
    assert child.stdout is not None
    longest, reply, saves = 0, 0, 0
    for line in child.stdout:
        kind, mid, value = line.split()
        if kind == "saved":
            reply, longest, saves = int(mid), int(value), saves + 1
        if (kind == "user" and saved_before_kill == 0) or saves >= saved_before_kill > 0:
            break
    # A random extra moment so the kill also lands inside writes, not only between them.
    time.sleep(random.uniform(0, 0.004))
    child.send_signal(signal.SIGKILL)
    for line in child.stdout:  # lines printed before the kill were committed too
        kind, mid, value = line.split()
        if kind == "saved":
            reply, longest = int(mid), int(value)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    return longest, reply


def _kill_while_streaming(db: Path, round_number: int, saved_before_kill: int) -> tuple[int, int]:
    """Run the child, kill it mid-stream; return (reply id, longest text it reported saved)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with subprocess.Popen(
        [sys.executable, str(CHILD), str(db), str(round_number)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as child:
        longest, reply = _read_until_killed(child, saved_before_kill)
    return reply, longest


def test_sigkill_at_twenty_points_loses_at_most_the_last_moment(tmp_path: Path) -> None:
    db = tmp_path / "crash" / "foxchat.sqlite3"
    for round_number, point in enumerate(KILL_POINTS, start=1):
        _, longest = _kill_while_streaming(db, round_number, point)
        raw = sqlite3.connect(db)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.close()
        with Store.open(db) as store:
            by_title = {c.title: c.id for c in store.list_conversations()}
            assert len(by_title) == round_number  # earlier rounds are all still there
            path = store.active_path(by_title[f"round {round_number}"])
            assert path[0].role == "user"
            assert path[0].content == f"question {round_number}"
            if len(path) == 1:  # killed before the reply's row was written
                assert point == 0
                continue
            reply = path[1]
            assert reply.status is MessageStatus.INTERRUPTED
            assert len(reply.content) >= longest  # everything reported saved survived
            words = reply.content.count(" ")
            assert reply.content == reply_text(words)  # a clean prefix, no torn text
