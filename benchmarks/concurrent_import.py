"""A reply streams into the store while ``foxchat import`` adds a large history.

Writes a FoxChat JSON file of ``--conversations`` conversations (40,000
messages by default), starts ``foxchat import`` on it in a second process,
and meanwhile saves a growing reply every 50 ms the way the window does,
timing each save. Run: ``python -m benchmarks.concurrent_import``. Prints the
longest and the 99th-percentile wait of one save, how many saves failed, and
whether the stored reply matches the last text saved. Target: no failed save,
longest wait well under 200 ms (a frozen window is noticed from ~100 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import _data
from foxchat.store import MessageStatus, Store, StoreError

SAVE_EVERY_S = 0.05


def _write_history(path: Path, conversations: int, per_conversation: int) -> None:
    maker = _data.TextMaker(7)
    start = 1_700_000_000.0
    made = [
        _data._conversation(maker, i, per_conversation, start + i * 3600)
        for i in range(conversations)
    ]
    document = {"format": "foxchat", "version": 1, "conversations": made}
    path.write_text(json.dumps(document), encoding="utf-8")


def main() -> None:
    """Run the import and the streaming reply side by side; print one line of figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=40, help="per conversation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        history = folder / "history.json"
        _write_history(history, args.conversations, args.messages)
        env = dict(os.environ, FOXCHAT_DATA_DIR=str(folder / "data"))
        os.environ["FOXCHAT_DATA_DIR"] = env["FOXCHAT_DATA_DIR"]
        store = Store.open()
        cid = store.create_conversation(title="streaming while importing")
        user = store.add_message(cid, parent_id=None, role="user", content="Tell me a story.")
        reply = store.add_message(
            cid, parent_id=user, role="assistant", status=MessageStatus.STREAMING
        )
        began = time.perf_counter()
        importer = subprocess.Popen(
            [sys.executable, "-m", "foxchat", "import", str(history)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        waits: list[float] = []
        failures: list[str] = []
        text = ""
        saved = ""
        while importer.poll() is None:
            text += f"word{len(waits)} "
            before = time.perf_counter()
            try:
                store.update_streaming_text(reply, text)
                saved = text
            except StoreError as exc:
                failures.append(exc.message)
            waits.append(time.perf_counter() - before)
            time.sleep(SAVE_EVERY_S)
        import_s = time.perf_counter() - began
        output = importer.communicate()[0].strip()
        try:
            store.finish_message(reply, status=MessageStatus.COMPLETE, content=text)
            saved = text
        except StoreError as exc:
            failures.append(exc.message)
        stored = store.get_message(reply).content
        store.close()
    if failures:
        print(f"first failure: {failures[0]}")
    print(f"import: {output}")
    waits_ms = sorted(w * 1000 for w in waits)
    p99 = waits_ms[min(len(waits_ms) - 1, int(len(waits_ms) * 0.99))] if waits_ms else 0.0
    print(
        f"concurrent_import: longest_wait_ms={max(waits_ms, default=0.0):.0f}"
        f" p99_wait_ms={p99:.0f} median_wait_ms={statistics.median(waits_ms or [0.0]):.1f}"
        f" saves={len(waits)} failed_saves={len(failures)} import_s={import_s:.1f}"
        f" shown_chars={len(text)} stored_chars={len(stored)}"
        f" saved_matches={'yes' if stored == saved == text else 'no'}"
    )


if __name__ == "__main__":
    main()
