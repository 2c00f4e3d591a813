"""The window process allows no core dump (it would hold the key) and keeps files private."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# The window starts as a bare ``foxchat``; run_gui is replaced so no window opens.
START_THE_WINDOW = """
import json, resource, sys
soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))  # as a shell with "ulimit -c unlimited"
import foxchat.app
foxchat.app.run_gui = lambda **kw: print(json.dumps(resource.getrlimit(resource.RLIMIT_CORE))) or 0
from foxchat.cli import main
sys.exit(main([]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="no core dump limit on Windows")
def test_the_window_process_cannot_dump_core(isolated_env: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", START_THE_WINDOW],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == [0, 0]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_window_start_tightens_files_an_older_foxchat_left_readable(
    isolated_env: Path,
) -> None:
    data = isolated_env
    logs = data / "logs"
    logs.mkdir(parents=True)
    for folder in (data, logs):
        folder.chmod(0o755)
    loose = [data / "foxchat.sqlite3", data / "foxchat.sqlite3-wal", data / "settings.json"]
    loose.append(logs / "foxchat.log")
    for path in loose:
        path.write_text("x")
        path.chmod(0o644)
    kept_read_only = data / "foxchat.sqlite3.v1-backup-20260101-000000"
    kept_read_only.write_text("x")
    kept_read_only.chmod(0o444)
    from foxchat.hardening import harden_window_process

    harden_window_process()
    assert [_mode(f) for f in (data, logs)] == [0o700, 0o700]
    assert [_mode(p) for p in loose] == [0o600] * len(loose)
    assert _mode(kept_read_only) == 0o400  # tightened, never made writable
