"""Benchmark: peak memory of the client when a server sends far too much.

Three replies from the fake server (``tests/fakeserver.py``) on 127.0.0.1,
each read by ``ChatClient`` with its default caps in a fresh process whose
peak resident memory (``ru_maxrss``) is reported:

- ``line``: a streamed reply that is one 1.5 GB line with no newline;
- ``body``: a 1 GB body that is not a stream (``application/json``);
- ``gzip``: about 1 MB of gzip that expands to 1 GB of zeros, read whole.

``baseline`` is the same process for a normal short reply. Run on demand
(not part of the tests); sizes scale with ``--scale``::

    .venv/bin/python -m benchmarks.body_caps
    .venv/bin/python -m benchmarks.body_caps --source /tmp/foxchat-old   # an older tree

``--source`` is a directory holding the ``foxchat`` package to measure, for
figures from before the caps (e.g. ``git archive <commit> foxchat | tar -x -C
DIR``). The last line is ``body_caps: baseline_mb=… line_mb=… body_mb=…
gzip_mb=…`` with each reply's outcome (the error class) alongside.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from tests.fakeserver import FakeOpenAIServer, Reply, Scripted, endless_line, gzip_bomb

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024

#: Runs in the measured process: one request, then its outcome and peak RSS.
CLIENT_CODE = """
import asyncio, resource, sys, time
from foxchat.api import APIError, ChatClient, ChatRequest, Message

mode, url = sys.argv[1], sys.argv[2]

async def main() -> None:
    request = ChatRequest("fake-model", [Message("user", "Hello")])
    async with ChatClient(url, "sk-bench") as client:
        if mode == "complete":
            await client.complete(request)
        else:
            async for _ in client.stream_chat(request):
                pass

started = time.perf_counter()
try:
    asyncio.run(main())
    outcome = "ok"
except APIError as error:
    outcome = type(error).__name__
except MemoryError:
    outcome = "MemoryError"
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(outcome, peak_kb, f"{seconds:.1f}")
"""


def measure(
    server: FakeOpenAIServer, name: str, reply: Scripted, mode: str, source: Path
) -> tuple[str, float]:
    """(outcome, peak RSS in MB) of one client process reading ``reply``."""
    server.script(reply)
    env = {**os.environ, "PYTHONPATH": f"{source}{os.pathsep}{ROOT}"}
    result = subprocess.run(
        [sys.executable, "-c", CLIENT_CODE, mode, server.base_url],
        capture_output=True,
        text=True,
        env=env,
        cwd=source,
        timeout=600,
    )
    last = (result.stdout.strip().splitlines() or ["crashed 0 0"])[-1]
    outcome, peak_kb, seconds = last.split()
    if result.returncode != 0:
        outcome = f"crashed({result.returncode})"
    peak_mb = int(peak_kb) / 1024
    print(f"{name:8} {outcome:22} peak {peak_mb:8.0f} MB in {seconds} s", flush=True)
    return outcome, peak_mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=ROOT, help="dir holding foxchat/")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every size")
    args = parser.parse_args()
    line = int(1536 * MB * args.scale)
    body = int(1024 * MB * args.scale)
    print(f"measuring {args.source / 'foxchat'}")
    with FakeOpenAIServer() as server:
        cases: dict[str, tuple[Scripted, str]] = {
            "baseline": (Reply(text="A short reply."), "stream"),
            "line": (endless_line(line), "stream"),
            "body": (
                endless_line(body, start=b'{"x": "', content_type="application/json"),
                "stream",
            ),
            "gzip": (gzip_bomb(body), "complete"),
        }
        results = {
            name: measure(server, name, reply, mode, args.source)
            for name, (reply, mode) in cases.items()
        }
    figures = " ".join(f"{name}_mb={peak:.0f}" for name, (_, peak) in results.items())
    outcomes = " ".join(f"{name}={outcome}" for name, (outcome, _) in results.items())
    print(f"body_caps: {figures} {outcomes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
