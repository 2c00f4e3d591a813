"""Two writers on one file: a large import never stalls or breaks a streaming reply."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from foxchat.store import ImportFormatError, MessageStatus, Store, StoreError

REPO = Path(__file__).resolve().parents[2]


def _conversation(index: int, messages: int, content: str = "") -> dict[str, Any]:
    return {
        "title": f"imported {index}",
        "created_at": 1_700_000_000.0 + index,
        "updated_at": 1_700_000_000.0 + index,
        "pinned": False,
        "model": "gpt-4o",
        "system_prompt": "",
        "params_json": "",
        "draft": "",
        "active_root": 1,
        "messages": [
            {
                "id": n,
                "parent": n - 1 if n > 1 else None,
                "active_child": n + 1 if n < messages else None,
                "role": "user" if n % 2 else "assistant",
                "content": content or f"message {n} of chat {index} " * 60,
                "reasoning": "",
                "tool_calls_json": None,
                "tool_call_id": None,
                "model": None,
                "finish_reason": None,
                "usage_json": None,
                "status": "complete",
                "error": None,
                "created_at": 1_700_000_000.0 + n,
            }
            for n in range(1, messages + 1)
        ],
    }


def _document(conversations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": "foxchat", "version": 1, "conversations": conversations}


def test_a_reply_keeps_streaming_while_another_process_imports(
    db_path: Path, tmp_path: Path
) -> None:
    # In one transaction this import holds the write lock for seconds, longer
    # than the streaming side's busy timeout.
    history = tmp_path / "history.json"
    history.write_text(json.dumps(_document([_conversation(i, 40) for i in range(300)])))
    busy_timeout_ms = 1000
    with Store.open(db_path, busy_timeout_ms=busy_timeout_ms) as store:
        cid = store.create_conversation(title="streaming")
        user = store.add_message(cid, parent_id=None, role="user", content="go on")
        reply = store.add_message(
            cid, parent_id=user, role="assistant", status=MessageStatus.STREAMING
        )
        env = dict(os.environ, PYTHONPATH=str(REPO), FOXCHAT_DATA_DIR=str(db_path.parent))
        importer = subprocess.Popen(
            [sys.executable, "-m", "foxchat", "import", str(history)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        text = ""
        waits: list[float] = []
        failures: list[StoreError] = []
        listed: set[int] = set()
        while importer.poll() is None:
            text += f"word{len(waits)} "
            began = time.perf_counter()
            try:
                store.update_streaming_text(reply, text)
            except StoreError as exc:
                failures.append(exc)
            waits.append(time.perf_counter() - began)
            # A half-done import is never shown: the list has all of it or none.
            listed.add(len(store.list_conversations()))
            time.sleep(0.02)
        output = importer.communicate()[0]
        store.finish_message(reply, status=MessageStatus.COMPLETE, content=text)
        print(
            f"streaming saves during the import: {len(waits)}, "
            f"longest wait {max(waits) * 1000:.0f} ms, failed {len(failures)}"
        )
        assert importer.returncode == 0, output
        assert "Imported 300 conversations" in output
        assert len(waits) >= 10  # the two really overlapped
        assert failures == []
        assert max(waits) < busy_timeout_ms / 1000 / 2
        saved = store.get_message(reply)
        assert saved.content == text
        assert saved.status is MessageStatus.COMPLETE
        assert len(store.list_conversations()) == 301
        assert listed <= {1, 301}


def test_an_import_that_fails_late_leaves_nothing_behind(store: Store, db_path: Path) -> None:
    # Enough work before the bad message that earlier batches are committed.
    good = [_conversation(i, 40) for i in range(150)]
    bad = _conversation(999, 2, content="a lone surrogate \ud800 cannot be stored")
    with pytest.raises(ImportFormatError):
        store.import_data(_document([*good, bad]))
    assert store.list_conversations() == []
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("SELECT count(*) FROM conversations").fetchone()[0] == 0
        assert raw.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    finally:
        raw.close()
    assert store.import_data(_document(good[:3])).conversations == 3
    assert len(store.list_conversations()) == 3
