"""A full disk for tests, without root: the file-size limit (RLIMIT_FSIZE).

With the limit set and SIGXFSZ ignored, a write that would grow a file past
the limit writes what fits and then fails with EFBIG, as a write to a full
disk does with ENOSPC (SQLite reports a short write as SQLITE_FULL). The
limit covers regular files only, so a child's output still reaches its pipe.
``run_python`` runs code in a child under the limit; ``file_size_limit`` sets
it in this process for a moment (between the two, nothing else may write).
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_PRELUDE = """
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))
"""


def run_python(
    code: str, *args: str, limit: int, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (with ``args``) in a child whose files cannot grow past ``limit`` bytes."""
    full_env = dict(os.environ if env is None else env, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-c", _PRELUDE.format(limit=int(limit)) + code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=60,
    )


def run_foxchat(
    *args: str, limit: int, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``foxchat ARGS`` in a child under the file-size limit."""
    return run_python(
        "import sys\nfrom foxchat.cli import main\nsys.exit(main(sys.argv[1:]))",
        *args,
        limit=limit,
        env=env,
    )


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """No file of this process grows past ``limit`` bytes inside the block."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
