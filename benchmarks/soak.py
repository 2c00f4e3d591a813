"""Soak: five conversations stream replies for minutes in the real window; does memory grow?

Run (10 minutes, on demand; not part of the test pass):

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.soak
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.soak --minutes 2

The whole app runs as ``foxchat`` runs it (``FoxChatApp`` on a qasync loop,
a real store file in a temporary data dir) against the fake server from
``tests/fakeserver.py``. Each of five conversations sends a message, waits
for its streamed reply, and sends again; the window shows one of them and
switches chats every few replies, so the view builds and drops widgets too.
RSS is taken after a warm-up (``--warmup``, 60 s by default) and at the end,
with a line each minute between. The warm-up is where caches fill to their
working size (SQLite's page cache, Qt's glyph and style caches, the render
cache): measured from a cold start, RSS rises ~15 % in the first minute and
then stays flat, which is not a leak; the per-minute lines show which it is.
The last line is machine-readable:

    soak: rss_growth_pct=… replies=… errors=…

Target: growth under 10 %, errors 0.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONVERSATIONS = 5
REPLY_TEXT = (
    "Here is a **streamed** answer with `code`, a list:\n\n- one\n- two\n\n"
    "```python\nprint('hello')\n```\n\nAnd a closing paragraph of ordinary words. " * 3
)


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; elsewhere the peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


#: The fake server runs in its own process, so its threads, buffers and
#: records are not counted as the app's memory.
SERVER_CODE = f"""
import sys
from tests.fakeserver import FakeOpenAIServer, Reply
reply = Reply(text={REPLY_TEXT!r}, chunk_size=6, delay=0.004)
with FakeOpenAIServer(default_reply=reply, max_records=10) as server:
    print(server.base_url, flush=True)
    sys.stdin.read()  # until the soak closes the pipe or ends us
"""


def start_server_process() -> subprocess.Popen[str]:
    """The fake server in a child process; its first line is the base URL."""
    root = Path(__file__).resolve().parent.parent
    return subprocess.Popen(
        [sys.executable, "-c", SERVER_CODE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds before the start")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="foxchat-soak-"))
    os.environ.update(
        FOXCHAT_DATA_DIR=str(data_dir),
        FOXCHAT_API_KEY="sk-soak-dummy-key",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import qasync
    from PySide6.QtWidgets import QApplication

    from foxchat.app import FoxChatApp
    from foxchat.paths import database_path
    from foxchat.settings import load_settings
    from foxchat.store import MessageStatus, Store

    server = start_server_process()
    base_url = (server.stdout.readline() if server.stdout else "").strip()
    if not base_url.startswith("http://127.0.0.1"):
        raise SystemExit("soak: the fake server did not start")
    os.environ["FOXCHAT_BASE_URL"] = base_url
    qt_app = QApplication([])
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    store = Store.open(database_path())
    app = FoxChatApp(qt_app, store, load_settings())
    counts = {"replies": 0, "errors": 0}

    def footprint() -> str:
        """Where memory may go: live widgets, Python objects, messages stored."""
        messages = sum(store.message_count(c.id) for c in store.list_conversations())
        return (
            f"widgets={len(qt_app.allWidgets())} python_objects={len(gc.get_objects())} "
            f"messages={messages}"
        )

    async def converse(cid: int, until: float) -> None:
        turn = 0
        while time.monotonic() < until:
            turn += 1
            if app.chat.send(cid, f"Question {turn} in chat {cid}") is None:
                counts["errors"] += 1
                await asyncio.sleep(0.2)
                continue
            while app.chat.is_streaming(cid):
                await asyncio.sleep(0.02)
            last = store.active_path(cid)[-1]
            counts["replies"] += 1
            if last.status is not MessageStatus.COMPLETE:
                counts["errors"] += 1

    async def report_memory(until: float) -> None:
        """RSS each minute, to tell a leak (steady climb) from a plateau."""
        began = time.monotonic()
        while time.monotonic() + 60 < until:
            await asyncio.sleep(60)
            minutes = (time.monotonic() - began) / 60
            print(f"soak: {minutes:.0f} min rss={rss_mb():.1f} MB replies={counts['replies']}")

    async def switch_chats(cids: list[int], until: float) -> None:
        index = 0
        while time.monotonic() < until:
            await asyncio.sleep(3)
            index = (index + 1) % len(cids)
            app.window.open_conversation(cids[index])

    async def run() -> None:
        app.start()
        while app.endpoint.client() is None or app.endpoint.busy or app.account.busy():
            await asyncio.sleep(0.05)
        cids = [app.window.current_id or 0]
        for _ in range(CONVERSATIONS - 1):
            app.window.new_conversation()
            cids.append(app.window.current_id or 0)
        warm_until = time.monotonic() + args.warmup
        await asyncio.gather(*(converse(cid, warm_until) for cid in cids))
        gc.collect()
        start_rss = rss_mb()
        start_replies = counts["replies"]
        print(f"soak: start rss={start_rss:.1f} MB after {start_replies} warm-up replies")
        print(f"soak: start {footprint()}")
        until = time.monotonic() + args.minutes * 60
        await asyncio.gather(
            *(converse(cid, until) for cid in cids), switch_chats(cids, until), report_memory(until)
        )
        gc.collect()
        end_rss = rss_mb()
        growth = 100 * (end_rss - start_rss) / start_rss
        replies = counts["replies"] - start_replies
        print(f"soak: end rss={end_rss:.1f} MB after {args.minutes:g} min")
        print(f"soak: end {footprint()}")
        print(f"soak: rss_growth_pct={growth:.1f} replies={replies} errors={counts['errors']}")
        await app.shutdown()
        await asyncio.sleep(0.05)

    try:
        loop.run_until_complete(run())
    finally:
        store.close()
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
