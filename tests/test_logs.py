"""The log file: private to the user, and quiet when the disk is full."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests import full_disk

LOG_UNTIL_FULL = """
import logging, resource, sys
from foxchat.logs import setup_logging
setup_logging()
log = logging.getLogger("foxchat.test")
for n in range(3000):
    log.warning("line %d %s", n, "x" * 200)
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
log.warning("room again")
logging.shutdown()
print("done")
"""


def test_a_full_disk_drops_log_lines_quietly_and_says_so_later(isolated_env: Path) -> None:
    done = full_disk.run_python(LOG_UNTIL_FULL, limit=20_000)
    assert done.stdout.strip() == "done", done.stderr[-2000:]
    assert "Logging error" not in done.stderr
    assert done.stderr == ""
    text = (isolated_env / "logs" / "foxchat.log").read_text(encoding="utf-8")
    assert "line 0 " in text
    assert "line 2999" not in text
    assert "log lines were dropped because the log file could not be written" in text
    assert text.rstrip().endswith("room again")


LOG_ONE_LINE = """
import logging, os
os.umask(0o022)
from foxchat.logs import setup_logging
setup_logging()
logging.getLogger("foxchat.test").warning("hello")
logging.shutdown()
"""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_log_is_created_private_and_an_older_one_is_tightened(isolated_env: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(full_disk.REPO))
    run = [sys.executable, "-c", LOG_ONE_LINE]
    subprocess.run(run, env=env, check=True, timeout=60)
    folder = isolated_env / "logs"
    assert _mode(folder) == 0o700
    assert _mode(folder / "foxchat.log") == 0o600

    folder.chmod(0o755)
    (folder / "foxchat.log").chmod(0o644)
    subprocess.run(run, env=env, check=True, timeout=60)
    assert _mode(folder) == 0o700
    assert _mode(folder / "foxchat.log") == 0o600
    assert (folder / "foxchat.log").read_text(encoding="utf-8").count("hello") == 2


LOG_PAST_THE_LIMIT = """
import logging, sys
from foxchat.logs import PrivateLogFile, setup_logging
PrivateLogFile.MAX_BYTES = 2_000
setup_logging()
log = logging.getLogger("foxchat.test")
for n in range(200):
    log.warning("line %03d %s", n, "y" * 60)
logging.shutdown()
print(sorted(m for m in ("logging.handlers", "socket", "pickle") if m in sys.modules))
"""


def test_the_log_rotates_keeping_three_old_files_without_logging_handlers(
    isolated_env: Path,
) -> None:
    env = dict(os.environ, PYTHONPATH=str(full_disk.REPO))
    done = subprocess.run(
        [sys.executable, "-c", LOG_PAST_THE_LIMIT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stderr == ""
    # Loading logging.handlers (socket, pickle, queue) cost the window's first paint.
    assert done.stdout.strip() == "[]"
    folder = isolated_env / "logs"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["foxchat.log", "foxchat.log.1", "foxchat.log.2", "foxchat.log.3"]
    for name in names:
        assert (folder / name).stat().st_size < 2_000
        assert _mode(folder / name) == 0o600
    # The newest lines are in foxchat.log, the ones before them in .1, and so on.
    assert "line 199" in (folder / "foxchat.log").read_text(encoding="utf-8")
    current = (folder / "foxchat.log").read_text(encoding="utf-8")
    older = (folder / "foxchat.log.1").read_text(encoding="utf-8")
    first_current = int(current.split("line ")[1][:3])
    last_older = int(older.rsplit("line ", 1)[1][:3])
    assert last_older == first_current - 1
