"""``foxchat export`` rescues the chats while the disk is full."""

from __future__ import annotations

import json
import os
from pathlib import Path

from foxchat.store import MessageStatus, Store
from tests import full_disk


def test_export_works_while_the_disk_is_full_and_a_window_streams(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store.open(data / "foxchat.sqlite3") as window:
        cid = window.create_conversation(title="rescue me")
        user = window.add_message(cid, parent_id=None, role="user", content="a question")
        reply = window.add_message(
            cid, parent_id=user, role="assistant", status=MessageStatus.STREAMING
        )
        window.update_streaming_text(reply, "half an answer")
        # Opening for writing would settle the streaming reply: one frame more
        # than the disk has room for.
        room = (data / "foxchat.sqlite3-wal").stat().st_size + 100
        env = dict(os.environ, FOXCHAT_DATA_DIR=str(data))
        done = full_disk.run_foxchat("export", limit=room, env=env)
        assert done.returncode == 0, done.stderr
        document = json.loads(done.stdout)
        [conversation] = document["conversations"]
        assert conversation["title"] == "rescue me"
        assert [m["content"] for m in conversation["messages"]] == ["a question", "half an answer"]
        assert window.get_message(reply).status is MessageStatus.STREAMING
